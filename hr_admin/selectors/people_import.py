"""Reads of people imports, shared by the pages and the API; HR admins only.

An import holds everyone's names, addresses and manager lines while its file is kept, and its
problems quote them, so it is HR's business alone: for anyone else the pages and the API answer
404, as for an import that does not exist (nothing confirms that imports exist at all).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from organizations.models import Membership, Organization

from ..models import PeopleImport


def require_import_access(membership: Membership) -> None:
    """HR admins only; anyone else is answered 404 (``Http404``)."""
    if membership is None or not membership.is_hr_admin:
        raise Http404


def people_import_list(*, organization: Organization) -> QuerySet[PeopleImport]:
    """Runs newest first, with who uploaded them; without the file or the problems, which a
    list never shows."""
    return (PeopleImport.objects.for_org(organization)
            .select_related("uploaded_by__user")
            .defer("content", "problems")
            .order_by("-created_at", "-pk"))


def access_people_import_by_id(*, membership: Membership, import_id) -> PeopleImport:
    """One run of the caller's organisation, for an HR admin.

    Security invariant: the lookup is filtered on the caller's organisation before anything
    else; another organisation's id, a malformed id, an absent id and any id asked for by a
    member who is not an HR admin are the same ``Http404``.
    """
    try:
        import_id = int(import_id)
    except (TypeError, ValueError):
        raise Http404 from None
    people_import = (PeopleImport.objects.for_org(membership.organization_id)
                     .select_related("uploaded_by__user").filter(pk=import_id).first())
    if people_import is None:
        raise Http404
    require_import_access(membership)
    return people_import
