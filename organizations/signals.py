"""Signal handlers of the organisations app."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver
from django.utils import translation


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs) -> None:
    """Switch the interface to the member's own language as soon as they sign in."""
    if user.language:
        translation.activate(user.language)
        request.session["_language"] = user.language


# Sent by ``seed_demo`` for each demo organisation once its people exist, inside the seeding
# transaction and ``cross_organization``, so that apps building on this one add their own demo
# data without this app importing them. Arguments: ``organization``.
demo_organization_seeded = Signal()


# Sent when a member's place in the organisation changes: they join, leave, or change team (and,
# from the skills app, role profile). Arguments: ``organization``, ``member``, ``actor`` (or
# None), ``before`` and ``after`` (dicts of what changed: ``team_id``, ``role_id``,
# ``is_active``; only the keys that changed), ``source`` (a short word: "profile", "invitation",
# "deactivation" …) and ``effective_on`` (a date, or None for today). Receivers record the move
# (hr_admin) without this app knowing about them. Sent inside the writing transaction.
member_placement_changed = Signal()


# Sent by the ``organization_new`` view once a signed-in user has created an organisation.
# Arguments: ``organization``, ``membership`` (the founder's) and ``request`` (so that apps can
# carry over what the founder did before: hr_admin keeps their public health check).
organization_created = Signal()
