"""Reads of career conversations shared by pages, the API, reminders and other apps.

Every function takes the organisation and filters on it, and runs a fixed number of queries
whatever the number of conversations, topics or reports (counts come from subqueries, related
rows from one query each).

Privacy: ``conversation_detail`` reads the viewer's own private note only (filtered on the
author in the query, so nobody else's can reach a template or a serializer), the preparation
only when the viewer is the employee, and of the employee's reflections only the answers of the
areas attached to this conversation. Nothing here serves HR or leaders the content of a
conversation: they learn that conversations happen, and when, from aggregates elsewhere.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from careers.models import Reflection, ReflectionAnswer, ReflectionArea, ReflectionPrompt
from careers.selectors.reflections import AreaView, PromptView, reflection_list
from organizations.models import Membership, Organization

from .. import guide
from ..models import (
    AgendaTopic,
    AgreedAction,
    CareerPartner,
    Conversation,
    ConversationArea,
    ConversationStatus,
    MemberCadence,
    Outcome,
    PartnerKind,
    Preparation,
    PrivateNote,
)
from ..services.conversations import MAX_DURATION, has_started

Status = ConversationStatus

#: Past conversations a list shows at most (the career record has them all).
PAST_LIMIT = 50
#: Reports whose next conversation is due within this many days are "due soon".
DUE_SOON_DAYS = 21


def organization_today(organization: Organization) -> date:
    """Today in the organisation's time zone: what "due" and "overdue" are measured in."""
    return timezone.localdate(timezone=organization_zone(organization))


def organization_zone(organization: Organization) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(organization.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _ends_at(conversation: Conversation) -> datetime:
    return conversation.scheduled_at + timedelta(minutes=conversation.duration_minutes)


def _counted(queryset: QuerySet) -> Coalesce:
    counted = (queryset.filter(conversation=OuterRef("pk")).order_by().values("conversation")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Partners -----------------------------------------------------------------------------------


@dataclass
class PartnerChoice:
    """Someone ``member`` can have career conversations with, and as what."""

    membership: Membership
    kind: str
    career_partner: CareerPartner | None = None

    @property
    def kind_label(self) -> str:
        return str(PartnerKind(self.kind).label)

    @property
    def is_manager(self) -> bool:
        return self.kind == PartnerKind.MANAGER


def partners_of(*, organization: Organization, member: Membership) -> list[PartnerChoice]:
    """The member's line manager (when active) and their active mentors and coaches. Two
    queries."""
    result = []
    if member.manager_id is not None:
        manager = (Membership.objects.for_org(organization).select_related("user")
                   .filter(pk=member.manager_id, is_active=True).first())
        if manager is not None:
            result.append(PartnerChoice(membership=manager, kind=PartnerKind.MANAGER))
    rows = (CareerPartner.objects.for_org(organization)
            .filter(member=member, ended_at__isnull=True, partner__is_active=True)
            .select_related("partner__user").order_by("created_at", "pk"))
    result.extend(PartnerChoice(membership=r.partner, kind=r.kind, career_partner=r)
                  for r in rows)
    return result


def mentees_of(*, organization: Organization, partner: Membership) -> list[CareerPartner]:
    """The active partnerships in which ``partner`` is someone's mentor or coach. One query."""
    return list(CareerPartner.objects.for_org(organization)
                .filter(partner=partner, ended_at__isnull=True, member__is_active=True)
                .select_related("member__user").order_by("created_at", "pk"))


def partnership_history(*, organization: Organization,
                        member: Membership) -> list[CareerPartner]:
    """The member's mentors and coaches, past ones included, newest first. One query."""
    return list(CareerPartner.objects.for_org(organization).filter(member=member)
                .select_related("partner__user", "added_by__user")
                .order_by("-created_at", "-pk"))


# --- Lists --------------------------------------------------------------------------------------


def conversation_list(*, organization: Organization, member: Membership) -> QuerySet:
    """Every conversation ``member`` takes part in, as the employee or as the partner, newest
    first, with both people and ``topic_count``, ``open_topic_count``, ``action_count``,
    ``is_rated`` and ``is_prepared`` (the last for the employee's eyes only: callers show it
    to the employee alone). One query, however it is sliced."""
    topics = AgendaTopic.objects.for_org(organization)
    preparations = Preparation.objects.for_org(organization).filter(
        conversation=OuterRef("pk")).exclude(journey="", to_ask="", to_share="")
    return (
        Conversation.objects.for_org(organization)
        .filter(Q(member=member) | Q(partner=member))
        .select_related("member__user", "partner__user")
        .annotate(
            topic_count=_counted(topics),
            open_topic_count=_counted(topics.filter(is_done=False)),
            action_count=_counted(AgreedAction.objects.for_org(organization)),
            is_rated=Exists(Outcome.objects.for_org(organization)
                            .filter(conversation=OuterRef("pk"))),
            is_prepared=Exists(preparations),
        )
        .order_by("-scheduled_at", "-pk")
    )


@dataclass
class ConversationOverview:
    upcoming: list[Conversation]
    past: list[Conversation]
    past_total: int

    @property
    def is_empty(self) -> bool:
        return not (self.upcoming or self.past)


def conversation_overview(*, organization: Organization, member: Membership,
                          past_limit: int = PAST_LIMIT) -> ConversationOverview:
    """The member's scheduled conversations, soonest first (those whose time has come and
    that nobody has marked held yet included), and the latest ``past_limit`` held or
    cancelled ones. Three queries."""
    rows = conversation_list(organization=organization, member=member)
    upcoming = list(rows.filter(status=Status.SCHEDULED).order_by("scheduled_at", "pk"))
    past_rows = rows.exclude(status=Status.SCHEDULED)
    past = list(past_rows[:past_limit])
    total = len(past) if len(past) < past_limit else past_rows.count()
    return ConversationOverview(upcoming=upcoming, past=past, past_total=total)


def next_conversation(*, organization: Organization,
                      member: Membership) -> Conversation | None:
    """The member's next scheduled conversation as the employee: the first one that has not
    ended yet. One query."""
    now = timezone.now()
    candidates = (Conversation.objects.for_org(organization)
                  .filter(member=member, status=Status.SCHEDULED,
                          scheduled_at__gt=now - timedelta(minutes=MAX_DURATION))
                  .select_related("partner__user", "member__user")
                  .order_by("scheduled_at", "pk")[:10])
    return next((c for c in candidates if _ends_at(c) > now), None)


def last_held(*, organization: Organization, member: Membership) -> Conversation | None:
    """The member's latest held conversation as the employee, with any of their partners.
    One query."""
    return (Conversation.objects.for_org(organization)
            .filter(member=member, status=Status.HELD)
            .select_related("partner__user").order_by("-scheduled_at", "-pk").first())


def cadence_days(*, organization: Organization, member: Membership) -> int:
    """Days between the member's career conversations: their own override, else the
    organisation's default. One query."""
    days = (MemberCadence.objects.for_org(organization).filter(member=member)
            .values_list("days", flat=True).first())
    return days or organization.conversation_cadence_days


# --- My team ------------------------------------------------------------------------------------


@dataclass
class ReportConversations:
    """One direct report: their last held and next scheduled career conversation (with any
    partner, since every career conversation counts) and when the next one is due."""

    member: Membership
    cadence_days: int
    cadence_override: int | None
    last_held: Conversation | None
    next: Conversation | None
    due_on: date
    today: date

    @property
    def never_held(self) -> bool:
        return self.last_held is None

    @property
    def overdue(self) -> bool:
        """Due before today and nothing scheduled."""
        return self.next is None and self.due_on < self.today

    @property
    def days_overdue(self) -> int:
        return max(0, (self.today - self.due_on).days)

    @property
    def due_soon(self) -> bool:
        return (self.next is None and not self.overdue
                and (self.due_on - self.today).days <= DUE_SOON_DAYS)

    @property
    def awaiting_held(self) -> bool:
        """The next conversation's time has come and nobody has marked it held yet."""
        return self.next is not None and has_started(self.next)

    @property
    def state(self) -> str:
        if self.overdue:
            return "overdue"
        if self.next is not None:
            return "scheduled"
        if self.due_soon:
            return "due_soon"
        return "on_track"


def _due_on(organization: Organization, member: Membership, last: Conversation | None,
            days: int) -> date:
    """Last held + cadence; with none held, from the start date (else from when they joined
    Trellis)."""
    zone = organization_zone(organization)
    if last is not None:
        base = timezone.localtime(last.scheduled_at, zone).date()
    elif member.started_on is not None:
        base = member.started_on
    else:
        base = timezone.localtime(member.created_at, zone).date()
    return base + timedelta(days=days)


def team_overview(*, organization: Organization,
                  manager: Membership) -> list[ReportConversations]:
    """The manager's active direct reports, by name, each with their last held and next
    scheduled conversation, their cadence, due date and whether they are overdue.

    Two queries whatever the size of the team: the reports with the ids of both conversations
    (subqueries) and their cadence override (a join); then those conversations.
    """
    conversations = Conversation.objects.for_org(organization)
    held = (conversations.filter(member=OuterRef("pk"), status=Status.HELD)
            .order_by("-scheduled_at", "-pk").values("pk")[:1])
    scheduled = (conversations.filter(member=OuterRef("pk"), status=Status.SCHEDULED)
                 .order_by("scheduled_at", "pk").values("pk")[:1])
    reports = list(
        Membership.objects.for_org(organization)
        .filter(manager=manager, is_active=True)
        .select_related("user", "team", "cadence")
        .annotate(last_held_id=Subquery(held), next_id=Subquery(scheduled))
        .order_by("user__first_name", "user__last_name", "pk")
    )
    ids = {i for r in reports for i in (r.last_held_id, r.next_id) if i is not None}
    found = ({c.pk: c for c in conversations.filter(pk__in=ids)
              .select_related("partner__user")} if ids else {})
    today = organization_today(organization)
    result = []
    for report in reports:
        override = getattr(report, "cadence", None)
        days = override.days if override is not None else organization.conversation_cadence_days
        last = found.get(report.last_held_id)
        result.append(ReportConversations(
            member=report, cadence_days=days,
            cadence_override=override.days if override is not None else None,
            last_held=last, next=found.get(report.next_id),
            due_on=_due_on(organization, report, last, days), today=today))
    return result


@dataclass
class TeamSummary:
    reports: int
    overdue: int
    scheduled: int
    due_soon: int
    never_held: int

    @property
    def coverage_percent(self) -> int | None:
        """Share of reports who are not overdue."""
        if not self.reports:
            return None
        return round(100 * (self.reports - self.overdue) / self.reports)


def team_summary(rows: list[ReportConversations]) -> TeamSummary:
    return TeamSummary(
        reports=len(rows),
        overdue=sum(1 for r in rows if r.overdue),
        scheduled=sum(1 for r in rows if r.next is not None),
        due_soon=sum(1 for r in rows if r.due_soon),
        never_held=sum(1 for r in rows if r.never_held),
    )


# --- One conversation ---------------------------------------------------------------------------


@dataclass
class AttachedArea:
    """A reflection area the employee attached to the conversation, with its answers."""

    attachment: ConversationArea
    reflection: Reflection
    area: AreaView

    @property
    def answered(self) -> list[PromptView]:
        return [p for p in self.area.prompts if p.answered]


@dataclass
class ConversationDetail:
    conversation: Conversation
    viewer: Membership
    topics: list[AgendaTopic]
    #: The viewer's own private note, never anyone else's.
    private_note: PrivateNote | None
    #: The employee's preparation: None unless the viewer is the employee.
    preparation: Preparation | None
    areas: list[AttachedArea]
    actions: list[AgreedAction]
    outcome: Outcome | None
    guide_default: guide.GuideStep
    now: datetime = field(default_factory=timezone.now)

    @property
    def is_employee(self) -> bool:
        return self.viewer.pk == self.conversation.member_id

    @property
    def is_partner(self) -> bool:
        return self.viewer.pk == self.conversation.partner_id

    @property
    def other(self) -> Membership:
        c = self.conversation
        return c.partner if self.is_employee else c.member

    @property
    def is_scheduled(self) -> bool:
        return self.conversation.status == Status.SCHEDULED

    @property
    def is_held(self) -> bool:
        return self.conversation.status == Status.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.conversation.status == Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return has_started(self.conversation, self.now)

    @property
    def ends_at(self) -> datetime:
        return _ends_at(self.conversation)

    @property
    def can_mark_held(self) -> bool:
        return self.is_scheduled and self.has_started

    @property
    def can_agree_actions(self) -> bool:
        return self.is_held or (self.is_scheduled and self.has_started)

    @property
    def open_topics(self) -> list[AgendaTopic]:
        return [t for t in self.topics if not t.is_done]

    @property
    def attached_keys(self) -> set[tuple[int, int]]:
        return {(a.reflection.pk, a.area.area.pk) for a in self.areas}


def _attached_areas(organization: Organization,
                    conversation: Conversation) -> list[AttachedArea]:
    """The attached areas with their prompts and answers: three queries (one with none).

    Privacy invariant: only answers to prompts of the attached areas of the attached
    reflections are read.
    """
    attachments = list(ConversationArea.objects.for_org(organization)
                       .filter(conversation=conversation)
                       .select_related("reflection", "area")
                       .order_by("shared_at", "pk"))
    if not attachments:
        return []
    area_ids = {a.area_id for a in attachments}
    prompts: dict[int, list[ReflectionPrompt]] = {}
    for prompt in (ReflectionPrompt.objects.for_org(organization)
                   .filter(area_id__in=area_ids).order_by("position", "pk")):
        prompts.setdefault(prompt.area_id, []).append(prompt)
    pairs = {(a.reflection_id, a.area_id) for a in attachments}
    texts = {}
    for answer in (ReflectionAnswer.objects.for_org(organization)
                   .filter(reflection_id__in={a.reflection_id for a in attachments},
                           prompt__area_id__in=area_ids)
                   .select_related("prompt")):
        if (answer.reflection_id, answer.prompt.area_id) in pairs:
            texts[(answer.reflection_id, answer.prompt_id)] = answer
    result = []
    for a in attachments:
        views = []
        for p in prompts.get(a.area_id, []):
            answer = texts.get((a.reflection_id, p.pk))
            views.append(PromptView(prompt=p, text=answer.text if answer else "",
                                    updated_at=answer.updated_at if answer else None))
        result.append(AttachedArea(attachment=a, reflection=a.reflection,
                                   area=AreaView(area=a.area, prompts=views,
                                                 shared_at=a.shared_at)))
    return result


def default_guide_step(*, organization: Organization,
                       conversation: Conversation) -> guide.GuideStep:
    """The step of the series this conversation comes to for its two people: the one after
    the conversations they held before it. One query."""
    held_before = (Conversation.objects.for_org(organization)
                   .filter(member_id=conversation.member_id,
                           partner_id=conversation.partner_id, status=Status.HELD)
                   .filter(Q(scheduled_at__lt=conversation.scheduled_at)
                           | Q(scheduled_at=conversation.scheduled_at,
                               pk__lt=conversation.pk))
                   .count())
    return guide.step_after(held_before)


def conversation_detail(*, organization: Organization, conversation: Conversation,
                        viewer: Membership) -> ConversationDetail:
    """Everything a participant sees of one conversation. The caller has checked that
    ``viewer`` takes part in it (``conversations.access``). Eight queries at most, whatever the
    number of topics, areas or actions."""
    is_employee = viewer.pk == conversation.member_id
    topics = list(AgendaTopic.objects.for_org(organization).filter(conversation=conversation)
                  .select_related("author__user", "carried_from__conversation")
                  .order_by("position", "pk"))
    private_note = (PrivateNote.objects.for_org(organization)
                    .filter(conversation=conversation, author=viewer).first())
    preparation = (Preparation.objects.for_org(organization)
                   .filter(conversation=conversation).first() if is_employee else None)
    actions = list(AgreedAction.objects.for_org(organization).filter(conversation=conversation)
                   .select_related("action__skill", "created_by__user")
                   .order_by("created_at", "pk"))
    outcome = Outcome.objects.for_org(organization).filter(conversation=conversation).first()
    return ConversationDetail(
        conversation=conversation, viewer=viewer, topics=topics, private_note=private_note,
        preparation=preparation, areas=_attached_areas(organization, conversation),
        actions=actions, outcome=outcome,
        guide_default=default_guide_step(organization=organization, conversation=conversation))


# --- Choices for the employee -------------------------------------------------------------------


@dataclass
class AttachableReflection:
    reflection: Reflection
    areas: list[ReflectionArea]


def attachable_areas(*, organization: Organization, member: Membership,
                     limit: int = 5) -> list[AttachableReflection]:
    """The member's latest ``limit`` reflections with the areas of each one's template
    version: what they may attach to a conversation. Two queries."""
    reflections = list(reflection_list(organization=organization, member=member)[:limit])
    if not reflections:
        return []
    areas: dict[int, list[ReflectionArea]] = {}
    for area in (ReflectionArea.objects.for_org(organization)
                 .filter(template_id__in={r.template_id for r in reflections})
                 .order_by("position", "pk")):
        areas.setdefault(area.template_id, []).append(area)
    return [AttachableReflection(reflection=r, areas=areas.get(r.template_id, []))
            for r in reflections]


# --- The career record --------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def conversation_record(*, organization: Organization, member: Membership) -> dict:
    """What the member's career record holds of their conversations, JSON-serialisable.

    As the employee: every conversation with its agenda, shared notes, their own preparation,
    attached areas, agreed actions and outcome. As a partner: when, with whom and how it went
    (the contents are the employee's record). As an author: every private note they wrote
    (as employee or partner). Never anyone else's private note. Their mentors and coaches (and
    whom they mentor or coach), and the cadence set for them. Ten queries.
    """
    def name(person):
        return person.display_name if person is not None else None

    conversations = list(Conversation.objects.for_org(organization).filter(member=member)
                         .select_related("partner__user", "preparation", "outcome",
                                         "scheduled_by__user", "shared_notes_updated_by__user")
                         .order_by("scheduled_at", "pk"))
    ids = [c.pk for c in conversations]
    topics: dict[int, list] = {}
    for t in (AgendaTopic.objects.for_org(organization).filter(conversation_id__in=ids)
              .select_related("author__user").order_by("position", "pk")):
        topics.setdefault(t.conversation_id, []).append(
            {"text": t.text, "by": name(t.author), "discussed": t.is_done,
             "carried_over": t.carried_from_id is not None, "added_at": _iso(t.created_at)})
    areas: dict[int, list] = {}
    for a in (ConversationArea.objects.for_org(organization).filter(conversation_id__in=ids)
              .select_related("reflection", "area").order_by("shared_at", "pk")):
        areas.setdefault(a.conversation_id, []).append(
            {"reflection": a.reflection.display_title, "area": a.area.title,
             "shared_at": _iso(a.shared_at)})
    actions: dict[int, list] = {}
    for a in (AgreedAction.objects.for_org(organization).filter(conversation_id__in=ids)
              .select_related("action", "created_by__user").order_by("created_at", "pk")):
        actions.setdefault(a.conversation_id, []).append(
            {"title": a.action.title, "kind": str(a.action.get_kind_display()),
             "due_date": _iso(a.action.due_date), "status": str(a.action.get_status_display()),
             "agreed_by": name(a.created_by), "agreed_at": _iso(a.created_at)})
    result = []
    for c in conversations:
        preparation = _related_or_none(c, "preparation")
        outcome = _related_or_none(c, "outcome")
        result.append({
            "scheduled_at": _iso(c.scheduled_at),
            "duration_minutes": c.duration_minutes,
            "partner": c.partner.display_name,
            "partner_kind": str(c.get_partner_kind_display()),
            "status": str(c.get_status_display()),
            "scheduled_by": name(c.scheduled_by),
            "location": c.location,
            "video_url": c.video_url,
            "held_at": _iso(c.held_at),
            "cancelled_at": _iso(c.cancelled_at),
            "cancel_reason": c.cancel_reason,
            "topics": topics.get(c.pk, []),
            "shared_notes": c.shared_notes,
            "shared_notes_updated_at": _iso(c.shared_notes_updated_at),
            "shared_notes_updated_by": name(c.shared_notes_updated_by),
            "preparation": ({"journey": preparation.journey, "to_ask": preparation.to_ask,
                             "to_share": preparation.to_share,
                             "updated_at": _iso(preparation.updated_at)}
                            if preparation is not None else None),
            "attached_areas": areas.get(c.pk, []),
            "agreed_actions": actions.get(c.pk, []),
            "outcome": ({**{k: getattr(outcome, k) for k in
                            ("direction", "self_insight", "options", "confidence")},
                         "comment": outcome.comment, "rated_at": _iso(outcome.rated_at)}
                        if outcome is not None else None),
            "created_at": _iso(c.created_at),
            "updated_at": _iso(c.updated_at),
        })
    as_partner = [
        {"scheduled_at": _iso(c.scheduled_at), "with": c.member.display_name,
         "as": str(c.get_partner_kind_display()), "status": str(c.get_status_display()),
         "held_at": _iso(c.held_at)}
        for c in (Conversation.objects.for_org(organization).filter(partner=member)
                  .select_related("member__user").order_by("scheduled_at", "pk"))
    ]
    notes = [
        {"conversation_at": _iso(n.conversation.scheduled_at),
         "with": (n.conversation.partner if n.conversation.member_id == member.pk
                  else n.conversation.member).display_name,
         "text": n.text, "updated_at": _iso(n.updated_at)}
        for n in (PrivateNote.objects.for_org(organization).filter(author=member)
                  .select_related("conversation__member__user", "conversation__partner__user")
                  .order_by("conversation__scheduled_at", "pk"))
    ]
    partnerships = list(
        CareerPartner.objects.for_org(organization).filter(Q(member=member) | Q(partner=member))
        .select_related("member__user", "partner__user", "added_by__user")
        .order_by("created_at", "pk"))
    cadence = (MemberCadence.objects.for_org(organization).filter(member=member)
               .select_related("set_by__user").first())
    return {
        "conversations": result,
        "as_partner": as_partner,
        "my_private_notes": notes,
        "mentors_and_coaches": [
            {"name": p.partner.display_name, "kind": p.kind, "added_by": name(p.added_by),
             "since": _iso(p.created_at), "ended_at": _iso(p.ended_at)}
            for p in partnerships if p.member_id == member.pk],
        "mentees": [
            {"name": p.member.display_name, "kind": p.kind, "added_by": name(p.added_by),
             "since": _iso(p.created_at), "ended_at": _iso(p.ended_at)}
            for p in partnerships if p.partner_id == member.pk],
        "cadence": ({"days": cadence.days, "set_by": name(cadence.set_by),
                     "updated_at": _iso(cadence.updated_at)} if cadence is not None else None),
    }


def _related_or_none(obj, name: str):
    try:
        return getattr(obj, name)
    except (Preparation.DoesNotExist, Outcome.DoesNotExist):
        return None
