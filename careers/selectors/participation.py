"""Who is taking part in career reflection: completion for HR, aggregates for leaders.

DESIGN.md's privacy matrix: HR sees completion status only, leaders aggregates only. Nothing here
reads an answer's text, an area's title of a member's reflection or anything else a member wrote:
every figure is a count computed by the database (annotations and subqueries), and answers are
only ever counted. A fixed number of queries runs whatever the number of members.

Leaders' figures by team put every team of fewer than ``MIN_GROUP_SIZE`` active members under
"Other teams", and when that group itself would be that small, the smallest teams join it too,
so that no group small enough to single someone out is shown, nor can be recovered by
subtracting the groups shown from the total. With fewer than ``MIN_GROUP_SIZE`` active members
in the whole organisation no aggregate is shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization
from organizations.selectors import member_list

from ..models import Reflection, ReflectionAnswer, ReflectionArea, ReflectionPrompt

MIN_GROUP_SIZE = 5


class Status:
    NOT_STARTED = "not_started"
    STARTED = "started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"

    CHOICES = (
        (NOT_STARTED, _("Not started")),
        (STARTED, _("Started, nothing answered yet")),
        (IN_PROGRESS, _("In progress")),
        (COMPLETE, _("Every area answered")),
    )
    LABELS = dict(CHOICES)


#: Buckets of "areas answered in the latest reflection": (key, label, lowest, highest or None).
BUCKETS = (
    ("none", _("No area yet"), 0, 0),
    ("few", _("1 or 2 areas"), 1, 2),
    ("some", _("3 to 5 areas"), 3, 5),
    ("most", _("6 or more areas"), 6, None),
)


def _int(subquery: QuerySet) -> Coalesce:
    return Coalesce(Subquery(subquery, output_field=IntegerField()), 0)


def _count_of(queryset: QuerySet, link: str, outer: str, counted: str = "pk",
              distinct: bool = False) -> Coalesce:
    rows = (queryset.filter(**{link: OuterRef(outer)}).order_by().values(link)
            .annotate(n=Count(counted, distinct=distinct)).values("n"))
    return _int(rows)


def with_participation(members: QuerySet[Membership], *,
                       organization: Organization) -> QuerySet[Membership]:
    """Annotate members with their participation, from their latest reflection:

    ``reflection_count``, ``latest_reflection_id``, ``latest_updated_at``, ``areas_answered``
    (areas with at least one non-empty answer), ``areas_total``, ``prompts_answered``,
    ``prompts_total`` and ``participation`` (a ``Status`` value). Counts only; no text.
    """
    org = organization
    reflections = Reflection.objects.for_org(org)
    latest = reflections.filter(member=OuterRef("pk")).order_by("-created_at", "-pk")
    answered = ReflectionAnswer.objects.for_org(org).exclude(text="")
    return (
        members
        .annotate(
            reflection_count=_count_of(reflections, "member", "pk"),
            latest_reflection_id=Subquery(latest.values("pk")[:1],
                                          output_field=IntegerField()),
            latest_template_id=Subquery(latest.values("template_id")[:1],
                                        output_field=IntegerField()),
            latest_updated_at=Subquery(latest.values("updated_at")[:1],
                                       output_field=DateTimeField()),
        )
        .annotate(
            areas_answered=_count_of(answered, "reflection", "latest_reflection_id",
                                     counted="prompt__area", distinct=True),
            prompts_answered=_count_of(answered, "reflection", "latest_reflection_id"),
            areas_total=_count_of(ReflectionArea.objects.for_org(org), "template",
                                  "latest_template_id"),
            prompts_total=_count_of(ReflectionPrompt.objects.for_org(org), "area__template",
                                    "latest_template_id"),
        )
        .annotate(
            participation=Case(
                When(reflection_count=0, then=Value(Status.NOT_STARTED)),
                When(areas_answered=0, then=Value(Status.STARTED)),
                When(areas_answered__gte=F("areas_total"), then=Value(Status.COMPLETE)),
                default=Value(Status.IN_PROGRESS),
                output_field=CharField(),
            ),
        )
    )


def participation_members(*, organization: Organization, query: str = "",
                          status: str = "") -> QuerySet[Membership]:
    """Active members by name, each with their participation (``with_participation``); for HR.
    ``query`` searches names, emails and job titles; ``status`` keeps one ``Status``."""
    members = with_participation(member_list(organization=organization, query=query),
                                 organization=organization)
    if status in Status.LABELS:
        members = members.filter(participation=status)
    return members


# --- Aggregates ---------------------------------------------------------------------------------


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class Bucket:
    key: str
    label: str
    count: int
    share: int  # of active members, in per cent


@dataclass
class Group:
    """A team, or several small teams together, with its figures."""

    name: str
    members: int = 0
    started: int = 0
    half: int = 0
    is_other: bool = False
    team_ids: list = field(default_factory=list)

    @property
    def started_share(self) -> int:
        return _share(self.started, self.members)

    @property
    def half_share(self) -> int:
        return _share(self.half, self.members)


@dataclass
class ParticipationSummary:
    members: int
    too_few: bool
    min_group_size: int = MIN_GROUP_SIZE
    started: int = 0
    half: int = 0
    complete: int = 0
    last_activity: datetime | None = None
    buckets: list[Bucket] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @property
    def started_share(self) -> int:
        return _share(self.started, self.members)

    @property
    def half_share(self) -> int:
        return _share(self.half, self.members)

    @property
    def complete_share(self) -> int:
        return _share(self.complete, self.members)


def _bucket_case() -> Case:
    whens = []
    for key, _label, low, high in BUCKETS:
        condition = Q(areas_answered__gte=low)
        if high is not None:
            condition &= Q(areas_answered__lte=high)
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(BUCKETS[-1][0]), output_field=CharField())


def _groups(by_team: dict, other_label, no_team_label) -> list[Group]:
    """Teams of at least MIN_GROUP_SIZE members, largest first, then "Other teams"."""
    groups = [Group(name=name or str(no_team_label), members=n, started=s, half=h,
                    team_ids=[team_id])
              for team_id, (name, n, s, h) in by_team.items()]
    big = sorted((g for g in groups if g.members >= MIN_GROUP_SIZE),
                 key=lambda g: (-g.members, g.name.lower()))
    other = Group(name=str(other_label), is_other=True)
    for g in groups:
        if g.members < MIN_GROUP_SIZE:
            _merge(other, g)
    # Complementary suppression: a small "Other teams" would be recoverable from the total.
    while 0 < other.members < MIN_GROUP_SIZE and big:
        _merge(other, big.pop())
    result = big + ([other] if other.members else [])
    return result if len(result) > 1 else []


def _merge(into: Group, group: Group) -> None:
    into.members += group.members
    into.started += group.started
    into.half += group.half
    into.team_ids += group.team_ids


def participation_summary(*, organization: Organization) -> ParticipationSummary:
    """Aggregates over active members, for HR and leaders. Two queries."""
    members = with_participation(
        Membership.objects.for_org(organization).filter(is_active=True),
        organization=organization,
    )
    rows = list(
        members
        .annotate(twice_answered=F("areas_answered") * 2)
        .annotate(
            bucket=_bucket_case(),
            half_done=Case(
                When(Q(areas_total__gt=0, twice_answered__gte=F("areas_total")),
                     then=Value(1)),
                default=Value(0), output_field=IntegerField()),
            started=Case(When(reflection_count__gt=0, then=Value(1)), default=Value(0),
                         output_field=IntegerField()),
            complete=Case(When(participation=Status.COMPLETE, then=Value(1)), default=Value(0),
                          output_field=IntegerField()),
        )
        .order_by()
        .values("team_id", "team__name", "bucket", "half_done", "started", "complete")
        .annotate(n=Count("pk"))
    )
    total = sum(r["n"] for r in rows)
    summary = ParticipationSummary(members=total, too_few=total < MIN_GROUP_SIZE)
    if summary.too_few:
        return summary
    counts = {key: 0 for key, *_rest in BUCKETS}
    by_team: dict = {}
    for r in rows:
        n = r["n"]
        counts[r["bucket"]] += n
        summary.started += n * r["started"]
        summary.half += n * r["half_done"]
        summary.complete += n * r["complete"]
        name, m, s, h = by_team.get(r["team_id"], (r["team__name"], 0, 0, 0))
        by_team[r["team_id"]] = (name, m + n, s + n * r["started"], h + n * r["half_done"])
    summary.buckets = [Bucket(key=key, label=str(label), count=counts[key],
                              share=_share(counts[key], total))
                       for key, label, *_rest in BUCKETS]
    summary.groups = _groups(by_team, _("Other teams"), _("No team"))
    summary.last_activity = (Reflection.objects.for_org(organization)
                             .filter(member__is_active=True).order_by("-updated_at")
                             .values_list("updated_at", flat=True).first())
    return summary
