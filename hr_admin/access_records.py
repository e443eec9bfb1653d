"""Access to the audit log and to leavers' erasure: HR admins only, and nobody else may learn
that these pages exist."""

from __future__ import annotations

from django.http import Http404

from organizations.models import Membership


def require_records_reader(membership: Membership) -> None:
    """The audit log and erasure are HR's: anyone else gets 404, as for a page that does not
    exist (the log itself says who looked at whose data, which is no one else's business)."""
    if membership is None or not membership.is_hr_admin:
        raise Http404


def access_member_record_by_id(*, membership: Membership, member_id) -> Membership:
    """A member (active or former) of the caller's organisation, for an HR admin.

    Security invariant: the role check comes first and the lookup is filtered on the caller's
    organisation, so a non-HR caller, another organisation's id, a malformed id and an absent id
    are all ``Http404``.
    """
    require_records_reader(membership)
    try:
        member_id = int(member_id)
    except (TypeError, ValueError):
        raise Http404 from None
    member = (Membership.objects.for_org(membership.organization_id)
              .select_related("user", "team").filter(pk=member_id).first())
    if member is None:
        raise Http404
    return member
