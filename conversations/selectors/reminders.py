"""What reminders and digests are due, read from the database and nothing else.

The rule of each reminder lives in one place, ``due_reminders_of``: the periodic scan applies it
to the conversations a query narrows down, and the send task applies it again to the one
conversation just before sending, so a conversation cancelled or moved between the two is not
reminded of.

* the employee, from two days before the conversation until it starts (the email links to the
  conversation page, where they prepare);
* the partner, from one day before until it starts;
* the outcome pulse to the employee, once the conversation is held, for a week, until they have
  rated it.

Only a scheduled conversation between two active members is reminded of; one whose time has
passed is not. ``scheduled_for`` is the conversation's start: a conversation moved to another
time has new reminders, the ones of its old time are never sent.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from organizations.models import Membership, Organization

from ..models import (
    Conversation,
    ConversationStatus,
    DigestDelivery,
    MemberCadence,
    Outcome,
    ReminderKind,
)

EMPLOYEE_LEAD = timedelta(days=2)
PARTNER_LEAD = timedelta(days=1)
PULSE_WINDOW = timedelta(days=7)
# The weekly digest is due from Monday, 08:00 in the organisation's time zone.
DIGEST_WEEKDAY_HOUR = 8
DIGEST_LIST_LIMIT = 50


@dataclass(frozen=True)
class DueReminder:
    conversation_id: int
    recipient_id: int
    kind: str
    scheduled_for: datetime

    @property
    def key(self) -> tuple:
        return (self.conversation_id, self.recipient_id, self.kind, self.scheduled_for)


def _active(member: Membership) -> bool:
    return bool(member.is_active and member.user.is_active)


def due_reminders_of(conversation: Conversation, *, now: datetime,
                     outcome_rated: bool) -> list[DueReminder]:
    """The reminders due now about ``conversation`` (its ``member`` and ``partner`` loaded
    with their users)."""
    due = []
    start = conversation.scheduled_at
    if conversation.status == ConversationStatus.SCHEDULED and start > now:
        if _active(conversation.member) and _active(conversation.partner):
            if start - EMPLOYEE_LEAD <= now:
                due.append(DueReminder(conversation.pk, conversation.member_id,
                                       ReminderKind.EMPLOYEE, start))
            if start - PARTNER_LEAD <= now:
                due.append(DueReminder(conversation.pk, conversation.partner_id,
                                       ReminderKind.PARTNER, start))
    elif (conversation.status == ConversationStatus.HELD and conversation.held_at is not None
          and conversation.held_at <= now < conversation.held_at + PULSE_WINDOW
          and not outcome_rated and _active(conversation.member)):
        due.append(DueReminder(conversation.pk, conversation.member_id,
                               ReminderKind.OUTCOME_PULSE, start))
    return due


def _outcome_rated(organization: Organization):
    rated = (Q(direction__isnull=False) | Q(self_insight__isnull=False)
             | Q(options__isnull=False) | Q(confidence__isnull=False))
    return Exists(Outcome.objects.for_org(organization)
                  .filter(rated, conversation=OuterRef("pk")))


def reminder_candidates(*, organization: Organization, now: datetime):
    """Conversations that may have a reminder due (``due_reminders_of`` decides), one query;
    the index on (organisation, status, scheduled_at) serves both branches."""
    return (
        Conversation.objects.for_org(organization)
        .filter(Q(status=ConversationStatus.SCHEDULED, scheduled_at__gt=now,
                  scheduled_at__lte=now + EMPLOYEE_LEAD)
                | Q(status=ConversationStatus.HELD, held_at__lte=now,
                    held_at__gt=now - PULSE_WINDOW))
        .annotate(outcome_rated=_outcome_rated(organization))
        .select_related("member__user", "partner__user")
        .order_by("scheduled_at", "pk")
    )


def reminders_due(*, organization: Organization, now: datetime | None = None
                  ) -> list[DueReminder]:
    """Every reminder due now in the organisation."""
    now = now or timezone.now()
    return [reminder
            for conversation in reminder_candidates(organization=organization, now=now)
            for reminder in due_reminders_of(conversation, now=now,
                                             outcome_rated=conversation.outcome_rated)]


def reminder_still_due(*, organization: Organization, delivery, now: datetime) -> bool:
    """Whether ``delivery`` is still due: its conversation not cancelled, not moved, its people
    still active, its time not passed."""
    conversation = (Conversation.objects.for_org(organization)
                    .annotate(outcome_rated=_outcome_rated(organization))
                    .select_related("member__user", "partner__user")
                    .filter(pk=delivery.conversation_id).first())
    if conversation is None:
        return False
    key = (delivery.conversation_id, delivery.recipient_id, delivery.kind,
           delivery.scheduled_for)
    return any(r.key == key for r in due_reminders_of(
        conversation, now=now, outcome_rated=conversation.outcome_rated))


# --- Weekly digest ------------------------------------------------------------------------------


def organization_zone(organization: Organization) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(organization.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def digest_week(*, organization: Organization, now: datetime | None = None) -> date | None:
    """The Monday of the week whose digest is due now, or None before Monday 08:00 (local)."""
    local = timezone.localtime(now or timezone.now(), organization_zone(organization))
    monday = local.date() - timedelta(days=local.weekday())
    opens = datetime.combine(monday, time(DIGEST_WEEKDAY_HOUR), local.tzinfo)
    return monday if local >= opens else None


@dataclass(frozen=True)
class OverdueReport:
    member: Membership
    last_held: datetime | None
    counted_from: date
    due_on: date
    cadence_days: int

    @property
    def never_held(self) -> bool:
        return self.last_held is None


def overdue_reports(*, organization: Organization, today: date,
                    manager_ids: list[int] | None = None) -> dict[int, list[OverdueReport]]:
    """Active direct reports with no held conversation within their cadence, by manager id.

    Cadence: the member's own override, else the organisation's. It counts from the last held
    conversation, else from the member's start date (else the day they joined Trellis). One
    query: reports whose last conversation is recent enough for the shortest cadence in force are
    ruled out in SQL, the exact date is worked out here. Most overdue first.
    """
    zone = organization_zone(organization)
    default_days = organization.conversation_cadence_days or 90
    shortest = (MemberCadence.objects.for_org(organization)
                .aggregate(days=Min("days"))["days"])
    shortest = min(default_days, shortest or default_days)
    # Held on or after this instant: not overdue today under any cadence in force.
    recent_enough = datetime.combine(today - timedelta(days=shortest), time.min, zone)
    last_held = Subquery(
        Conversation.objects.for_org(organization)
        .filter(member=OuterRef("pk"), status=ConversationStatus.HELD, held_at__isnull=False)
        .order_by("-held_at").values("held_at")[:1])
    reports = (
        Membership.objects.for_org(organization)
        .filter(is_active=True, user__is_active=True, manager__isnull=False,
                manager__is_active=True)
        .annotate(last_held=last_held, cadence_override=F("cadence__days"))
        .filter(Q(last_held__isnull=True) | Q(last_held__lt=recent_enough))
        .select_related("user")
        .order_by("manager_id", "pk")
    )
    if manager_ids is not None:
        reports = reports.filter(manager_id__in=manager_ids)
    result: dict[int, list[OverdueReport]] = {}
    for member in reports:
        days = member.cadence_override or default_days
        if member.last_held is not None:
            since = timezone.localtime(member.last_held, zone).date()
        else:
            since = member.started_on or timezone.localtime(member.created_at, zone).date()
        due_on = since + timedelta(days=days)
        if due_on < today:
            result.setdefault(member.manager_id, []).append(OverdueReport(
                member=member, last_held=member.last_held, counted_from=since, due_on=due_on,
                cadence_days=days))
    for rows in result.values():
        rows.sort(key=lambda r: (r.due_on, r.member.display_name.lower()))
    return result


def managers_without_digest(*, organization: Organization, week: date) -> list[int]:
    """Ids of active managers (of at least one active report) with no digest row for ``week``."""
    has_digest = DigestDelivery.objects.for_org(organization).filter(
        manager=OuterRef("pk"), week=week)
    has_reports = Membership.objects.for_org(organization).filter(
        manager=OuterRef("pk"), is_active=True)
    return list(
        Membership.objects.for_org(organization)
        .filter(Exists(has_reports), ~Exists(has_digest), is_active=True, user__is_active=True)
        .values_list("pk", flat=True)
    )
