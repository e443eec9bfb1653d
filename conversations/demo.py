"""Career conversations demo data.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (after the
careers demo, which gives the demo employee their reflections and plan). The demo employee
(``employee@<slug>.test``) and their manager (``manager@<slug>.test``) get a story: two held
conversations (agenda, shared notes, ratings, agreed actions in the plan, a topic carried over)
and a third one in five days that the employee has started to prepare. Across every other
manager line, about two thirds of reports had a conversation in the last year, some have one
coming up and the rest are overdue, so the team pages and coverage figures have something to
show.

Conversations in the past are written directly (the services refuse past times, as they
should). Idempotent: a member who already has a conversation as the employee gets none. Choices
come from ``random.Random`` seeded per person, so every installation gets the same data.
Agendas, notes, places and actions are what people wrote: they are stored in the active language
(``seed_demo`` seeds each organisation under its default language).
"""

from __future__ import annotations

import random
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.models import ActionKind, ActionStatus, DevelopmentAction, Reflection, ReflectionArea
from organizations import tenancy
from organizations.models import Membership, Organization

from .models import (
    AgendaTopic,
    AgreedAction,
    Conversation,
    ConversationArea,
    ConversationStatus,
    Outcome,
    PartnerKind,
    Preparation,
    PrivateNote,
)

SEED = "trellis-conversations-demo"

STAR_HISTORY = (
    {
        "days_ago": 124, "hour": 10, "place": _("Meeting room Kew"),
        "topics": (("employee", _("How the first year on the payments service went"), True),
                   ("employee", _("What I enjoy most: design work and helping newer people"), True),
                   ("employee", _("How visible my work is to the people who decide on "
                                  "promotions"), False)),
        "notes": _("Priya feels comfortable, maybe too comfortable, after a year on the same "
                   "service. Energised by design discussions and by pairing with new joiners.\n"
                   "Daniel: strong incident handling during the March outage; clear write-ups.\n"
                   "Agreed to look for a piece of work with more ownership."),
        "outcome": (3, 4, 3, 4, _("Good to say out loud that I want more ownership.")),
        "actions": ((_("Pair with the staff engineer on the next two design reviews"),
                     ActionKind.ON_THE_JOB, 30, ActionStatus.DONE),),
    },
    {
        "days_ago": 33, "hour": 14, "place": _("Walk by the river"),
        "topics": (("employee", _("Technical lead or staff engineer: what is the difference "
                                  "here?"), True),
                   ("manager", _("Taking over the on-call rotation redesign"), True),
                   ("employee", _("A conference budget for this year"), False)),
        "notes": _("Options: the tech lead track (people and delivery) and the staff track "
                   "(architecture across teams). Priya leans to tech lead, wants to try it first.\n"
                   "Daniel offered the on-call rotation redesign as a stretch project: Priya "
                   "owns the proposal.\nDaniel to find out how the promotion panel sees "
                   "cross-team work."),
        "outcome": (4, 4, 5, 5, _("Much clearer on the options. The redesign is exactly what "
                                  "I was hoping for.")),
        "actions": ((_("Write the proposal for the on-call rotation redesign"),
                     ActionKind.STRETCH, 21, ActionStatus.IN_PROGRESS),
                    (_("Shadow Ana in two incident reviews as facilitator"),
                     ActionKind.SHADOWING, 45, ActionStatus.PLANNED)),
    },
)
STAR_NEXT_TOPICS = (("employee", _("Agree what the path to senior engineer looks like")),
                    ("manager", _("Feedback on the redesign proposal")))
STAR_PREPARATION = {
    "journey": _("Since our last conversation I have written most of the on-call redesign "
                 "proposal and run one incident review as facilitator."),
    "to_ask": _("How does the promotion panel see cross-team work like the redesign?"),
    "to_share": "",
}
STAR_PRIVATE_NOTE = _("Priya is ready for more: talk to the VP about the tech lead opening in "
                      "Q3 before the next conversation.")

OTHER_TOPICS = (
    _("How the last few months went"), _("What I would like to learn next"),
    _("Workload and focus"),
    _("A move to another team"), _("Feedback on the last project"), _("Training budget"),
    _("Mentoring someone new"), _("Where I see myself in two years"),
)
OTHER_NOTES = (
    _("Talked about what energises them and what drains them. Agreed to revisit in three "
      "months."),
    _("Good progress on the skills gap from last time; next step is a stretch assignment."),
    _("Interested in the data team's work: an introduction to its manager was agreed."),
    _("Wants more customer contact; looking at shadowing the solutions consultants."),
)
OTHER_ACTIONS = (
    (_("Shadow a colleague in another team for a day"), ActionKind.SHADOWING),
    (_("Take an online course on the skill discussed"), ActionKind.TRAINING),
    (_("Lead the next project retrospective"), ActionKind.ON_THE_JOB),
    (_("Find a mentor outside the team"), ActionKind.MENTORING),
)


def seed_conversations_demo(sender=None, *, organization: Organization, **kwargs) -> None:
    """Receiver of ``organizations.signals.demo_organization_seeded``."""
    seed_organization_conversations(organization)


def seed_organization_conversations(organization: Organization) -> dict:
    org = organization
    with tenancy.organization_scope(org):
        zone = _zone(org)
        members = list(Membership.objects.for_org(org).filter(is_active=True)
                       .select_related("user").order_by("pk"))
        by_id = {m.pk: m for m in members}
        with_conversations = set(Conversation.objects.for_org(org)
                                 .values_list("member_id", flat=True))
        star = next((m for m in members if m.user.email == f"employee@{org.slug}.test"), None)
        made = 0
        if (star is not None and star.pk not in with_conversations
                and star.manager_id in by_id):
            made += _star_story(org, zone, star, by_id[star.manager_id])
        reports_of: dict[int, list[Membership]] = {}
        for m in members:
            if m.manager_id in by_id:
                reports_of.setdefault(m.manager_id, []).append(m)
        busy = _busy(org)
        for manager_id, reports in reports_of.items():
            made += _manager_line(org, zone, by_id[manager_id], reports, with_conversations,
                                  skip=star, busy=busy)
    return {"conversations": made}


def _busy(org: Organization) -> dict[int, set[datetime]]:
    """The start times of everyone's scheduled conversations, so new ones go elsewhere."""
    busy: dict[int, set[datetime]] = {}
    for member_id, partner_id, when in (Conversation.objects.for_org(org)
                                        .filter(status=ConversationStatus.SCHEDULED)
                                        .values_list("member_id", "partner_id",
                                                     "scheduled_at")):
        for person in (member_id, partner_id):
            busy.setdefault(person, set()).add(when)
    return busy


def _zone(org: Organization) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(org.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _at(zone, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=zone)


def _workday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _rng(org: Organization, member: Membership, what: str) -> random.Random:
    return random.Random(f"{SEED}:{org.slug}:{member.user.email}:{what}")


def _backdate(conversation: Conversation) -> None:
    when = conversation.scheduled_at - timedelta(days=14)
    Conversation.objects.for_org(conversation.organization_id).filter(
        pk=conversation.pk).update(created_at=min(when, timezone.now()))


def _conversation(org, member, partner, when, *, status, place="", minutes=45) -> Conversation:
    conversation = Conversation.objects.for_org(org).create(
        organization=org, member=member, partner=partner, partner_kind=PartnerKind.MANAGER,
        scheduled_at=when, duration_minutes=minutes, location=str(place), status=status,
        scheduled_by=partner,
        held_at=when + timedelta(minutes=minutes) if status == ConversationStatus.HELD else None)
    _backdate(conversation)
    return conversation


def _star_story(org, zone, star: Membership, manager: Membership) -> int:
    today = timezone.localdate(timezone=zone)
    carried: list[AgendaTopic] = []
    for story in STAR_HISTORY:
        day = _workday(today - timedelta(days=story["days_ago"]))
        when = _at(zone, day, story["hour"])
        conversation = _conversation(org, star, manager, when, status=ConversationStatus.HELD,
                                     place=story["place"])
        topics = [AgendaTopic(organization=org, conversation=conversation, author=manager,
                              text=t.text, position=i, is_done=True, carried_from=t)
                  for i, t in enumerate(carried)]
        for who, text, done in story["topics"]:
            topics.append(AgendaTopic(organization=org, conversation=conversation,
                                      author=star if who == "employee" else manager,
                                      text=str(text), position=len(topics), is_done=done))
        AgendaTopic.objects.for_org(org).bulk_create(topics)
        carried = [t for t in AgendaTopic.objects.for_org(org).filter(
            conversation=conversation, is_done=False).order_by("position")]
        Conversation.objects.for_org(org).filter(pk=conversation.pk).update(
            shared_notes=str(story["notes"]), shared_notes_updated_by=manager,
            shared_notes_updated_at=when + timedelta(minutes=50))
        direction, insight, options, confidence, comment = story["outcome"]
        Outcome.objects.for_org(org).create(
            organization=org, conversation=conversation, direction=direction,
            self_insight=insight, options=options, confidence=confidence,
            comment=str(comment))
        for title, kind, due_in, status in story["actions"]:
            action = DevelopmentAction.objects.for_org(org).create(
                organization=org, member=star, title=str(title), kind=kind, status=status,
                due_date=day + timedelta(days=due_in), shared_with_manager=True,
                completed_at=(when + timedelta(days=due_in - 3)
                              if status == ActionStatus.DONE else None))
            AgreedAction.objects.for_org(org).create(organization=org, conversation=conversation,
                                                     action=action, created_by=manager)
    upcoming_day = today + timedelta(days=5)
    while upcoming_day.weekday() >= 5:
        upcoming_day += timedelta(days=1)
    upcoming = _conversation(org, star, manager, _at(zone, upcoming_day, 10),
                             status=ConversationStatus.SCHEDULED, place=_("Meeting room Kew"))
    topics = [AgendaTopic(organization=org, conversation=upcoming, author=t.author,
                          text=t.text, position=i, carried_from=t)
              for i, t in enumerate(carried)]
    for who, text in STAR_NEXT_TOPICS:
        topics.append(AgendaTopic(organization=org, conversation=upcoming,
                                  author=star if who == "employee" else manager,
                                  text=str(text), position=len(topics)))
    AgendaTopic.objects.for_org(org).bulk_create(topics)
    Preparation.objects.for_org(org).create(organization=org, conversation=upcoming,
                                            **{k: str(v) for k, v in STAR_PREPARATION.items()})
    PrivateNote.objects.for_org(org).create(organization=org, conversation=upcoming,
                                            author=manager, text=str(STAR_PRIVATE_NOTE))
    reflection = (Reflection.objects.for_org(org).filter(member=star)
                  .order_by("-created_at", "-pk").first())
    if reflection is not None:
        area = (ReflectionArea.objects.for_org(org)
                .filter(template_id=reflection.template_id, key="what-matters").first())
        if area is not None:
            ConversationArea.objects.for_org(org).create(
                organization=org, conversation=upcoming, reflection=reflection, area=area)
    return len(STAR_HISTORY) + 1


def _free_slot(zone, busy, people, day: date, hour: int) -> datetime:
    """The first hour from ``day`` at ``hour`` on a working day at which neither person has a
    conversation (conversations are shorter than an hour)."""
    for step in range(200):
        candidate = day + timedelta(days=step // 8)
        if candidate.weekday() >= 5:
            continue
        when = _at(zone, candidate, 9 + (hour - 9 + step) % 8, 30)
        if all(when not in busy.get(p.pk, ()) for p in people):
            for p in people:
                busy.setdefault(p.pk, set()).add(when)
            return when
    raise RuntimeError("no free slot for the demo")


def _manager_line(org, zone, manager: Membership, reports: list[Membership],
                  done: set[int], *, skip: Membership | None,
                  busy: dict[int, set[datetime]]) -> int:
    """About two thirds of the line had a conversation in the last year (half of those
    recently enough to be within the cadence), a quarter have one coming up; the rest are
    overdue. Upcoming ones go to free slots, so nobody is double-booked."""
    today = timezone.localdate(timezone=zone)
    made = 0
    for index, report in enumerate(reports):
        if report.pk in done or (skip is not None and report.pk == skip.pk):
            continue
        rng = _rng(org, report, "line")
        if rng.random() < 0.68:
            days_ago = rng.choice((rng.randint(12, 80), rng.randint(95, 330)))
            day = _workday(today - timedelta(days=days_ago + index % 3))
            held = _conversation(org, report, manager, _at(zone, day, 9 + index % 7),
                                 status=ConversationStatus.HELD,
                                 place=rng.choice(("", _("Meeting room 2"), _("Video call"))))
            made += 1
            topics = rng.sample(OTHER_TOPICS, 2)
            AgendaTopic.objects.for_org(org).bulk_create([
                AgendaTopic(organization=org, conversation=held, author=report, text=str(text),
                            position=i, is_done=i == 0) for i, text in enumerate(topics)])
            Conversation.objects.for_org(org).filter(pk=held.pk).update(
                shared_notes=str(rng.choice(OTHER_NOTES)), shared_notes_updated_by=manager,
                shared_notes_updated_at=held.scheduled_at + timedelta(minutes=45))
            if rng.random() < 0.7:
                Outcome.objects.for_org(org).create(
                    organization=org, conversation=held, direction=rng.randint(2, 5),
                    self_insight=rng.randint(2, 5), options=rng.randint(2, 5),
                    confidence=rng.randint(3, 5))
            if rng.random() < 0.4:
                title, kind = rng.choice(OTHER_ACTIONS)
                action = DevelopmentAction.objects.for_org(org).create(
                    organization=org, member=report, title=str(title), kind=kind,
                    due_date=day + timedelta(days=60), shared_with_manager=True)
                AgreedAction.objects.for_org(org).create(
                    organization=org, conversation=held, action=action, created_by=manager)
        if rng.random() < 0.25:
            when = _free_slot(zone, busy, (manager, report), today + timedelta(days=2 + index),
                              9 + index % 8)
            _conversation(org, report, manager, when, status=ConversationStatus.SCHEDULED)
            made += 1
    return made
