"""Reads shared by pages and the API. Each takes the organisation explicitly."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import ApiToken, Invitation, Membership, Organization, Team, User


def member_list(
    *,
    organization: Organization,
    query: str = "",
    team_id: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Membership]:
    """Members for the people directory, searchable by name, email and job title."""
    qs = Membership.objects.for_org(organization).select_related("user", "team", "manager__user")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if team_id:
        qs = qs.filter(team_id=team_id)
    qs = member_search(qs, organization=organization, query=query)
    return qs.order_by("user__last_name", "user__first_name", "pk")


def member_search(qs: QuerySet[Membership], *, organization: Organization,
                  query: str) -> QuerySet[Membership]:
    """``qs`` narrowed to the members matching every word of ``query`` (at most five) in their
    name, email or job title."""
    for word in query.split()[:5]:
        # Accounts are matched on their own table, where the trigram indexes serve (an OR
        # across a join cannot use them); job titles among the organisation's few distinct
        # ones, so that the pass over the members compares, rather than searches, each title.
        accounts = User.objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(email__icontains=word)).values("pk")
        needle = word.casefold()
        titles = [t for t in job_titles(organization=organization) if needle in t.casefold()]
        qs = qs.filter(Q(user__in=accounts) | Q(job_title__in=titles))
    return qs


#: The organisation's distinct job titles are kept this long at most; saving or deleting a
#: membership forgets them at once (``job_titles_changed``).
JOB_TITLES_CACHE_SECONDS = 600


def _job_titles_key(organization_id: int) -> str:
    return f"org:job-titles:{organization_id}"


def job_titles(*, organization: Organization) -> list[str]:
    """Every job title held in the organisation (cached: a pass over all its members)."""
    key = _job_titles_key(organization.pk)
    titles = cache.get(key)
    if titles is None:
        titles = sorted(set(Membership.objects.for_org(organization).exclude(job_title="")
                            .values_list("job_title", flat=True).order_by()))
        cache.set(key, titles, JOB_TITLES_CACHE_SECONDS)
    return titles


def job_titles_changed(sender, instance, **kwargs) -> None:
    """A membership saved or deleted: forget its organisation's job titles."""
    cache.delete(_job_titles_key(instance.organization_id))


def members_visible_to(*, organization: Organization, viewer: Membership) -> QuerySet[Membership]:
    """Who ``viewer`` may list: everyone for HR and leaders, else themselves and direct reports."""
    qs = member_list(organization=organization, include_inactive=viewer.is_hr_admin)
    if viewer.is_hr_admin or viewer.is_leader:
        return qs
    return qs.filter(Q(pk=viewer.pk) | Q(manager=viewer) | Q(pk=viewer.manager_id))


def direct_reports(*, organization: Organization, manager: Membership) -> QuerySet[Membership]:
    indirect = Membership.objects.for_org(organization).filter(
        manager=OuterRef("pk"), is_active=True
    )
    return (
        Membership.objects.for_org(organization)
        .filter(manager=manager, is_active=True)
        .select_related("user", "team")
        .annotate(has_reports=Exists(indirect))
        .order_by("user__last_name", "user__first_name", "pk")
    )


def team_list(*, organization: Organization) -> QuerySet[Team]:
    """Teams by name with their count of active members: counted for the teams fetched only
    (a page of them), not grouped over every member first."""
    active = (Membership.objects.for_org(organization)
              .filter(team=OuterRef("pk"), is_active=True)
              .order_by().values("team").annotate(n=Count("pk")).values("n"))
    return (
        Team.objects.for_org(organization)
        .select_related("parent")
        .annotate(member_count=Coalesce(Subquery(active), 0))
        .order_by("name")
    )


def team_choices(*, organization: Organization) -> QuerySet[Team]:
    return Team.objects.for_org(organization).order_by("name")


def manager_choices(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.for_org(organization)
        .filter(is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def invitation_list(*, organization: Organization) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_org(organization)
        .select_related("team", "manager__user", "invited_by__user")
        .order_by("-created_at")
    )


def memberships_of_user(*, user) -> QuerySet[Membership]:
    """The caller's own active memberships, for the organisation switcher."""
    return (
        Membership.objects.of_user(user)
        .filter(is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def organization_overview(*, organization: Organization) -> dict:
    """Headline figures for HR and leaders' home page, in one aggregate query each."""
    members = Membership.objects.for_org(organization)
    counts = members.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        managers=Count("manager", distinct=True, filter=Q(is_active=True)),
        hr=Count("pk", filter=Q(is_active=True, is_hr_admin=True)),
        leaders=Count("pk", filter=Q(is_active=True, is_leader=True)),
        no_manager=Count("pk", filter=Q(is_active=True, manager__isnull=True)),
    )
    counts["pending_invitations"] = Invitation.objects.for_org(organization).pending().count()
    counts["teams"] = Team.objects.for_org(organization).count()
    return counts


def headcount_by_team(*, organization: Organization, limit: int = 12) -> list[dict]:
    rows = list(
        Membership.objects.for_org(organization)
        .filter(is_active=True)
        .values("team__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "team__name")[:limit]
    )
    top = max((r["n"] for r in rows), default=0) or 1
    for r in rows:
        r["share"] = round(100 * r["n"] / top)
    return rows


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
