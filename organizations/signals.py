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
