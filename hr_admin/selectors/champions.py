"""Reads of Office Career Champions and their nominations, shared by pages and the API.

Who reads what:

* the champions directory and each active champion's page: every member (name, job title,
  team, their statement, and how often colleagues cited each criterion, never who did);
* a nomination's text: HR (never nominations about themselves) and its author; the champion
  reads the confirmed ones as anonymous citations, without names or dates;
* finding a colleague to nominate: every member, by name or job title, a short list at a time.

Every function takes the organisation explicitly; list reads cost a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Count, Max, Min, Q, QuerySet

from organizations.models import Membership, Organization

from ..models import Champion, ChampionCriterion, ChampionNomination, NominationStatus

#: How many colleagues a nomination form offers at a time.
CANDIDATES_SHOWN = 12


# --- Finding a colleague ------------------------------------------------------------------------


def colleagues(*, organization: Organization, viewer: Membership) -> QuerySet[Membership]:
    """Everyone ``viewer`` may nominate (or write a story about): active members but
    themselves. What a form validates against; never rendered whole."""
    return (Membership.objects.for_org(organization).filter(is_active=True)
            .exclude(pk=viewer.pk).select_related("user", "team")
            .order_by("user__last_name", "user__first_name", "pk"))


def colleague_search(*, organization: Organization, viewer: Membership, query: str,
                     limit: int = CANDIDATES_SHOWN) -> list[Membership]:
    """Up to ``limit`` colleagues whose name or job title has every word of ``query``."""
    words = query.split()[:5]
    if not words or len(query.strip()) < 2:
        return []
    rows = colleagues(organization=organization, viewer=viewer)
    for word in words:
        rows = rows.filter(Q(user__first_name__icontains=word)
                           | Q(user__last_name__icontains=word)
                           | Q(job_title__icontains=word))
    return list(rows[:limit])


def colleague_shortlist(*, organization: Organization, viewer: Membership,
                        limit: int = CANDIDATES_SHOWN) -> list[Membership]:
    """The colleagues ``viewer`` most likely means: their manager, reports and team."""
    near = Q(pk=viewer.manager_id) | Q(manager=viewer)
    if viewer.team_id:
        near |= Q(team_id=viewer.team_id)
    return list(colleagues(organization=organization, viewer=viewer).filter(near)[:limit])


# --- Nominations --------------------------------------------------------------------------------


def reads_nominations(membership: Membership) -> bool:
    return bool(membership.is_hr_admin)


def nominations_made(*, organization: Organization,
                     nominator: Membership) -> QuerySet[ChampionNomination]:
    """The nominations ``nominator`` wrote, newest first."""
    return (ChampionNomination.objects.for_org(organization).filter(nominated_by=nominator)
            .select_related("nominee__user", "nominee__team", "nominated_by__user",
                            "decided_by__user")
            .order_by("-created_at", "-pk"))


def nominations_for_hr(*, organization: Organization, viewer: Membership,
                       status: str | None = None,
                       nominee: Membership | None = None) -> QuerySet[ChampionNomination]:
    """Nominations HR reads: every one except those about ``viewer`` themselves."""
    rows = (ChampionNomination.objects.for_org(organization).exclude(nominee=viewer)
            .select_related("nominee__user", "nominee__team", "nominated_by__user",
                            "decided_by__user"))
    if status:
        rows = rows.filter(status=status)
    if nominee is not None:
        rows = rows.filter(nominee=nominee)
    return rows.order_by("-created_at", "-pk")


def _criterion_counts() -> dict:
    return {f"n_{c}": Count("pk", filter=Q(evidence__has_key=c))
            for c in ChampionCriterion.values}


def cited(row: dict) -> list[dict]:
    """``[{"value", "label", "count"}]`` of the criteria cited in ``row`` (``n_<criterion>``
    counts), most cited first, the article's order breaking ties."""
    items = [{"value": c, "label": label, "count": row.get(f"n_{c}", 0)}
             for c, label in ChampionCriterion.choices]
    items = [i for i in items if i["count"]]
    return sorted(items, key=lambda i: -i["count"])


def nominee_groups(*, organization: Organization, viewer: Membership,
                   status: str = NominationStatus.PENDING) -> QuerySet:
    """Nominations with ``status`` grouped by nominee (values rows): ``nominee_id``, ``count``
    (colleagues who nominated them), ``first_at``, ``last_at`` and ``n_<criterion>``. Most
    nominated first. Never the viewer's own."""
    return (ChampionNomination.objects.for_org(organization).filter(status=status)
            .exclude(nominee=viewer).values("nominee_id")
            .annotate(count=Count("pk"), first_at=Min("created_at"),
                      last_at=Max("created_at"), decided_at=Max("decided_at"),
                      **_criterion_counts())
            .order_by("-count", "first_at", "nominee_id"))


def with_nominees(*, organization: Organization, groups) -> list[dict]:
    """``groups`` (a page of ``nominee_groups``) with ``nominee`` and ``criteria`` filled in:
    one query for the whole page."""
    rows = list(groups)
    members = {m.pk: m for m in Membership.objects.for_org(organization)
               .select_related("user", "team").filter(pk__in=[r["nominee_id"] for r in rows])}
    for row in rows:
        row["nominee"] = members.get(row["nominee_id"])
        row["criteria"] = cited(row)
    return [r for r in rows if r["nominee"] is not None]


def nominee_summary(*, organization: Organization, viewer: Membership, nominee: Membership,
                    status: str = NominationStatus.PENDING) -> dict:
    """One nominee's group: count and criteria of their nominations with ``status``."""
    row = (ChampionNomination.objects.for_org(organization)
           .filter(status=status, nominee=nominee).exclude(nominee=viewer)
           .aggregate(count=Count("pk"), **_criterion_counts()))
    return {"count": row["count"], "criteria": cited(row)}


def status_counts(*, organization: Organization, viewer: Membership) -> dict[str, int]:
    """Nominees per status (distinct people), for the queue's filters: one query."""
    row = (ChampionNomination.objects.for_org(organization).exclude(nominee=viewer)
           .aggregate(**{s: Count("nominee", distinct=True, filter=Q(status=s))
                         for s in NominationStatus.values}))
    return {s: row[s] or 0 for s in NominationStatus.values}


def pending_nominee_count(*, organization: Organization, viewer: Membership) -> int:
    """People waiting for HR's decision (the navigation's number): one count."""
    return (ChampionNomination.objects.for_org(organization)
            .filter(status=NominationStatus.PENDING).exclude(nominee=viewer)
            .values("nominee").distinct().count())


def champions_active(*, organization: Organization, query: str = "",
                     team_id: int | None = None) -> QuerySet[Champion]:
    """The champions directory: current champions who are still members, by name."""
    rows = (Champion.objects.for_org(organization)
            .filter(ended_at__isnull=True, member__is_active=True)
            .select_related("member__user", "member__team"))
    if team_id:
        rows = rows.filter(member__team_id=team_id)
    for word in query.split()[:5]:
        rows = rows.filter(Q(member__user__first_name__icontains=word)
                           | Q(member__user__last_name__icontains=word)
                           | Q(member__job_title__icontains=word)
                           | Q(statement__icontains=word))
    return rows.order_by("member__user__last_name", "member__user__first_name", "pk")


def champions_all(*, organization: Organization) -> QuerySet[Champion]:
    """Every term, current and ended (HR), newest first."""
    return (Champion.objects.for_org(organization)
            .select_related("member__user", "member__team", "confirmed_by__user")
            .order_by("-since", "-pk"))


def citation_counts(*, organization: Organization,
                    member_ids: list[int]) -> dict[int, dict]:
    """``{member_id: {"count": colleagues, "criteria": [...]}}`` from confirmed nominations:
    one query for a whole page of champions."""
    if not member_ids:
        return {}
    rows = (ChampionNomination.objects.for_org(organization)
            .filter(status=NominationStatus.CONFIRMED, nominee_id__in=member_ids)
            .values("nominee_id").annotate(count=Count("pk"), **_criterion_counts())
            .order_by("nominee_id"))
    return {r["nominee_id"]: {"count": r["count"], "criteria": cited(r)} for r in rows}


def with_citations(*, organization: Organization, champions) -> list[Champion]:
    """``champions`` (a page) with ``cited`` (criteria, most cited first) and ``cited_by``
    (how many colleagues) set on each."""
    rows = list(champions)
    counts = citation_counts(organization=organization, member_ids=[c.member_id for c in rows])
    for champion in rows:
        found = counts.get(champion.member_id, {"count": 0, "criteria": []})
        champion.cited, champion.cited_by = found["criteria"], found["count"]
    return rows


def champion_citations(*, organization: Organization, member: Membership) -> list[dict]:
    """What colleagues wrote in confirmed nominations of ``member``, by criterion, without
    who wrote it or when: ``[{"value", "label", "quotes": [...]}]``. For the champion and HR.

    Quotes are in alphabetical order so that their order says nothing about who wrote them.
    """
    rows = (ChampionNomination.objects.for_org(organization)
            .filter(status=NominationStatus.CONFIRMED, nominee=member)
            .values_list("evidence", flat=True))
    quotes: dict[str, list[str]] = {c: [] for c in ChampionCriterion.values}
    for evidence in rows:
        for criterion, text in (evidence or {}).items():
            if criterion in quotes and text:
                quotes[criterion].append(text)
    return [{"value": c, "label": label, "quotes": sorted(quotes[c], key=str.casefold)}
            for c, label in ChampionCriterion.choices if quotes[c]]


def can_read_citations(*, viewer: Membership, champion: Champion) -> bool:
    """The champion (anonymous citations of what colleagues saw) and HR."""
    return viewer.pk == champion.member_id or reads_nominations(viewer)


def active_champion_of(*, organization: Organization, member: Membership) -> Champion | None:
    return (Champion.objects.for_org(organization).select_related("member__user")
            .filter(member=member, ended_at__isnull=True).first())


def champion_member_ids(*, organization: Organization, member_ids: list[int]) -> dict[int, int]:
    """``{member_id: champion_id}`` for the current champions among ``member_ids``: one query."""
    return dict(Champion.objects.for_org(organization)
                .filter(member_id__in=member_ids, ended_at__isnull=True,
                        member__is_active=True)
                .values_list("member_id", "pk"))
