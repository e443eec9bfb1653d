"""Leadership metrics demo data: the demo leader's goals, a year of stored figures, and which
of the demo's leavers were regretted.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded``, after
the other demos (the metrics area is connected last), so that the figures count the
conversations, plans, moves, key positions and surveys they made. It adds:

* the goals the demo leader set for this calendar year and the next: internal promotion rate,
  conversation coverage, development plan coverage, training hours, bench strength, career
  eNPS and overdue conversations for the organisation, and conversation coverage for its
  largest top-level team, each with a short note of why, written in the organisation's
  language (some are within reach of the demo's figures, most are not yet);
* HR's mark on the demo's exits: the most recent one regretted, the one before not, older ones
  left unknown, so that the regretted-leavers figure has something to count;
* the snapshots the nightly task would have written: one every ``HISTORY_STEP_DAYS`` days over
  the past ``HISTORY_DAYS`` and one for today, each computed as of its own day by
  ``snapshot_take`` (so every figure follows its definition; none is made up).

The figures of a past day count the members who had joined Trellis by then, and the demo's
memberships are all created when it is seeded: without more, every past snapshot would count
nobody. So the first time history is written, the members are dated as having joined Trellis
on their start date, or ``JOINED_DAYS`` days ago for those who started earlier.

Idempotent: goals are set only for an organisation that has none; exits are marked only while
none is; the year of snapshots is written only for an organisation that has no snapshot, and a
later run adds today's when it is missing (as the nightly task would).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conversations.selectors.conversations import organization_zone
from organizations import tenancy
from organizations.models import Membership, Organization, Team

from .models import GoalComparison, MetricGoal, MetricSnapshot, Move, MoveKind, MoveSource
from .services.metrics import organization_today, snapshot_take

AT_LEAST, AT_MOST = GoalComparison.AT_LEAST, GoalComparison.AT_MOST

#: How far back the stored figures go, and how far apart they are: every 14 days rather than
#: every 7, since one snapshot of acme takes about 0.13 s on SQLite (``make run``) and 53 of
#: them would add some 7 s to the first seeding (27 take about 2 s on PostgreSQL).
HISTORY_DAYS = 364
HISTORY_STEP_DAYS = 14
#: Members who started before this many days ago joined Trellis then.
JOINED_DAYS = HISTORY_DAYS + 30

# (metric, comparison, target this year, target next year, why): the organisation's goals.
ORGANIZATION_GOALS = (
    ("internal_promotion_rate", AT_LEAST, 8, 10,
     _("Fill more senior roles from within, so that people see their next step here before "
       "they look elsewhere.")),
    ("conversation_coverage", AT_LEAST, 80, 85,
     _("Everyone should have a career conversation within their cadence, not only at review "
       "time.")),
    ("plan_coverage", AT_LEAST, 70, 80,
     _("A development plan for most of us, agreed with our manager and kept up to date.")),
    ("training_hours", AT_LEAST, 20, 24,
     _("Time to learn is part of the job: about three days a year for each of us.")),
    ("bench_strength", AT_LEAST, 60, 70,
     _("Every key position should have someone ready now, so that no role depends on one "
       "person.")),
    ("career_enps", AT_LEAST, 10, 15,
     _("People should recommend us as a place to grow their career, not only as a place to "
       "work.")),
    ("overdue_conversations", AT_MOST, 3, 2,
     _("Conversations that slipped are caught up within weeks, before they pile up.")),
)
# The goal of the largest top-level team.
TEAM_GOAL = ("conversation_coverage", AT_LEAST, 90, 95,
             _("Our largest function, with many new managers: career conversations are the "
               "first habit we build with them."))

#: HR's mark on the demo's exits, newest first: regretted, then not; older ones stay unknown.
REGRETTED_MARKS = (True, False)


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
    seed_organization_metrics(organization)


def _demo_leader(org: Organization) -> Membership | None:
    return (Membership.objects.for_org(org).select_related("user")
            .filter(user__email=f"leader@{org.slug}.test", is_active=True,
                    is_leader=True).first())


def seed_organization_metrics(organization: Organization) -> dict:
    """The metrics demo of one organisation, what is still missing of it. Returns how many
    goals, marks and snapshot days were made."""
    org = organization
    made = {"goals": 0, "regretted_marks": 0, "snapshot_days": 0}
    with tenancy.organization_scope(org):
        today = organization_today(org)
        made["goals"] = _seed_goals(org, today)
        made["regretted_marks"] = _mark_exits(org)
        made["snapshot_days"] = _seed_snapshots(org, today)
    return made


def _largest_top_team(org: Organization) -> Team | None:
    """The top-level team with the most active members in its branch (ties: by name)."""
    teams = list(Team.objects.for_org(org).order_by("name", "pk"))
    if not teams:
        return None
    by_pk = {t.pk: t for t in teams}
    sizes = dict(Membership.objects.for_org(org).filter(is_active=True, team__isnull=False)
                 .order_by().values_list("team_id").annotate(n=Count("pk")))

    def top(team: Team) -> Team:
        seen = set()
        while team.parent_id in by_pk and team.pk not in seen:
            seen.add(team.pk)
            team = by_pk[team.parent_id]
        return team

    totals: dict[int, int] = {}
    for team in teams:
        root = top(team)
        totals[root.pk] = totals.get(root.pk, 0) + sizes.get(team.pk, 0)
    roots = [t for t in teams if t.pk in totals]
    return max(roots, key=lambda t: totals[t.pk]) if roots else None


def _seed_goals(org: Organization, today: date) -> int:
    if MetricGoal.objects.for_org(org).exists():
        return 0
    leader = _demo_leader(org)
    if leader is None:
        return 0
    team = _largest_top_team(org)
    plan = [(metric, comparison, targets, note, None)
            for metric, comparison, *targets, note in ORGANIZATION_GOALS]
    if team is not None:
        metric, comparison, *targets, note = TEAM_GOAL
        plan.append((metric, comparison, targets, note, team))
    rows = []
    # A goal's note is what the leader wrote: stored in the organisation's language.
    with translation.override(org.default_language or "en"):
        for offset in (0, 1):
            year = today.year + offset
            for metric, comparison, targets, note, scope in plan:
                rows.append(MetricGoal(
                    organization=org, metric=metric, team=scope, comparison=comparison,
                    target=float(targets[offset]), starts_on=date(year, 1, 1),
                    ends_on=date(year, 12, 31), note=str(note), created_by=leader))
    MetricGoal.objects.for_org(org).bulk_create(rows)
    return len(rows)


def _mark_exits(org: Organization) -> int:
    exits = Move.objects.for_org(org).filter(kind=MoveKind.EXIT)
    if exits.filter(regretted__isnull=False).exists():
        return 0
    demo_exits = list(exits.filter(source=MoveSource.DEMO).order_by("-effective_on", "-pk")
                      .values_list("pk", flat=True)[:len(REGRETTED_MARKS)])
    for pk, mark in zip(demo_exits, REGRETTED_MARKS, strict=False):
        exits.filter(pk=pk).update(regretted=mark)
    return len(demo_exits)


def history_days(today: date) -> list[date]:
    """The days the demo's snapshots are taken for, oldest first, today last."""
    steps = HISTORY_DAYS // HISTORY_STEP_DAYS
    return [today - timedelta(days=HISTORY_STEP_DAYS * n) for n in range(steps, 0, -1)] + [today]


def _seed_snapshots(org: Organization, today: date) -> int:
    stored = MetricSnapshot.objects.for_org(org).filter(team__isnull=True)
    if not stored.exists():
        _date_joining(org, today)
        days = history_days(today)
    elif not stored.filter(day=today).exists():
        days = [today]
    else:
        return 0
    for day in days:
        snapshot_take(organization=org, day=day)
    return len(days)


def _date_joining(org: Organization, today: date) -> None:
    """Members joined Trellis on their start date, or ``JOINED_DAYS`` ago if they started
    earlier: moved back only, so a membership already older is left alone."""
    zone = organization_zone(org)
    earliest = today - timedelta(days=JOINED_DAYS)
    members = Membership.objects.for_org(org)
    first = datetime.combine(earliest, time(9), zone)
    members.filter(Q(started_on__isnull=True) | Q(started_on__lte=earliest),
                   created_at__gt=first).update(created_at=first)
    later = list(members.filter(started_on__gt=earliest, started_on__lte=today)
                 .only("pk", "started_on", "created_at"))
    changed = []
    for member in later:
        joined = datetime.combine(member.started_on, time(9), zone)
        if member.created_at > joined:
            member.created_at = joined
            changed.append(member)
    Membership.objects.for_org(org).bulk_update(changed, ["created_at"], batch_size=500)
