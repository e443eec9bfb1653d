"""Ending a person's signed-in sessions: when they leave, when their account is switched off,
when their password changes.

Database sessions are not indexed by user, so ``UserSession`` is that index: one row per session,
written at sign-in (``session_track``) and deleted with its session through the cascade.

What ends what:

* a member deactivated in an organisation loses it on their very next request, in every session
  and with every API token: pages and the API look the active membership up on each request
  (``access.enter_organization``). Their sessions end too once no active membership is left
  (``sessions_end_for_leavers``, called by every write that deactivates: ``membership_deactivate``,
  ``membership_update``, the people import). A person who still belongs to another
  organisation stays signed in there: one organisation does not sign anyone out of another's;
* an account switched off (``User.is_active`` false) has all its sessions ended; Django would
  refuse them anyway, and personal tokens refuse an inactive user;
* a changed, set or reset password ends every other session of the account at once; the session
  that made the change stays signed in. Django's session hash alone would refuse the others only
  on their next request, and never delete them;
* an erased account goes with its sessions (``erasure.erase_account``).

Only the database-backed session engines (``db``, ``cached_db``) are indexed; with any other
engine nothing is tracked and Django's session hash is the only guard.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext

from django.conf import settings
from django.db import transaction

from . import tenancy
from .models import Membership, UserSession

DB_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def tracking_enabled() -> bool:
    return settings.SESSION_ENGINE in DB_ENGINES


def session_track(request, user) -> None:
    """Record that the request's session is signed in as ``user`` (called at sign-in, and after
    a password change gives the session a new key)."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key or user is None or not user.pk or not tracking_enabled():
        return
    UserSession.objects.update_or_create(session_id=key, defaults={"user_id": user.pk})


@transaction.atomic
def sessions_end(*, user_ids: Iterable[int], keep: str | None = None) -> int:
    """End every session signed in as one of ``user_ids``, except ``keep`` (a session key).
    Returns how many ended."""
    user_ids = list(user_ids)
    if not user_ids or not tracking_enabled():
        return 0
    from django.contrib.sessions.models import Session

    rows = UserSession.objects.filter(user_id__in=user_ids)
    if keep:
        rows = rows.exclude(session_id=keep)
    keys = list(rows.values_list("session_id", flat=True))
    if not keys:
        return 0
    Session.objects.filter(session_key__in=keys).delete()
    if settings.SESSION_ENGINE.endswith(".cached_db"):
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX
        from django.core.cache import caches

        caches[settings.SESSION_CACHE_ALIAS].delete_many([KEY_PREFIX + k for k in keys])
    return len(keys)


@transaction.atomic
def sessions_end_for_leavers(*, user_ids: Iterable[int]) -> int:
    """End the sessions of those of ``user_ids`` who are no longer an active member of any
    active organisation. Called in the transaction that deactivates them.

    Security invariant: the one cross-organisation read is whether each of these accounts still
    has an active membership somewhere; nothing of another organisation is returned, and a
    person who still belongs elsewhere is left signed in, so the caller cannot tell either way.
    """
    user_ids = set(user_ids)
    if not user_ids or not tracking_enabled():
        return 0
    across = (nullcontext() if tenancy.is_cross_organization() else
              tenancy.cross_organization(reason="sessions: does the leaver belong elsewhere"))
    with across:
        staying = set(
            Membership.objects_unscoped.filter(
                user_id__in=user_ids, is_active=True, organization__is_active=True)
            .values_list("user_id", flat=True)
        )
    return sessions_end(user_ids=user_ids - staying)
