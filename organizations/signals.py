"""Signal handlers of the organisations app."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.utils import translation

from . import sessions
from .models import User


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


# --- Sessions (organizations.sessions) ----------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="trellis-session-track")
def track_session(sender, request, user, **kwargs) -> None:
    sessions.session_track(request, user)


@receiver(post_save, sender=User, dispatch_uid="trellis-sessions-of-inactive-account")
def end_sessions_of_inactive_account(sender, instance, created, **kwargs) -> None:
    if not created and not instance.is_active:
        sessions.sessions_end(user_ids=[instance.pk])


@receiver(password_changed, dispatch_uid="trellis-sessions-password-changed")
@receiver(password_set, dispatch_uid="trellis-sessions-password-set")
@receiver(password_reset, dispatch_uid="trellis-sessions-password-reset")
def end_other_sessions_on_new_password(sender, request, user, **kwargs) -> None:
    """Every other session of the account ends; the one that changed the password stays (its
    key was renewed by ``update_session_auth_hash``, so it is recorded again)."""
    keep = getattr(getattr(request, "session", None), "session_key", None)
    sessions.sessions_end(user_ids=[user.pk], keep=keep)
    if request is not None and getattr(request, "user", None) == user:
        sessions.session_track(request, user)
