"""Career conversations: scheduling, the agenda, preparation, shared reflection areas, notes,
agreed actions, outcomes, career partners and the cadence of conversations.

Who may do what (each function checks the actor first, ``PermissionDenied``, then the input,
``ValidationError`` by field with a message a person can act on):

* a conversation belongs to its two participants, the employee (``member``) and their career
  partner (line manager, mentor or coach): either of them schedules, moves, cancels or marks it
  held, adds topics, writes the shared notes and records agreed actions;
* each participant writes their own private note, which nobody else ever reads;
* the employee alone writes their preparation, attaches reflection areas for the partner to read
  and rates how the conversation went;
* a mentor or coach is added by the member or an HR admin; a per-member cadence by HR or the
  member's line manager.

The other participant hears of a scheduled, moved, cancelled or held conversation through
``tasks.conversation_notify``, enqueued once the transaction has committed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Model, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from careers.models import ActionKind, Reflection, ReflectionArea
from careers.services import plan as plan_services
from organizations import tenancy
from organizations.models import Membership, Organization
from skills.models import Skill

from .. import tasks
from ..models import (
    TEXT_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    AgendaTopic,
    AgreedAction,
    CareerPartner,
    Conversation,
    ConversationArea,
    ConversationEvent,
    ConversationStatus,
    MemberCadence,
    Outcome,
    PartnerKind,
    Preparation,
    PrivateNote,
)

#: Bounds of a conversation's length, as the model validates them.
MIN_DURATION, MAX_DURATION = 10, 480
#: Topics on one agenda at most: an agenda longer than this is a list, not a conversation.
MAX_TOPICS = 30
RATING_MIN, RATING_MAX = 1, 5
#: Cancelled conversations (since the last held one) whose topics a new one takes over.
MAX_CANCELLED_CARRIED = 5
#: The four things a good career conversation gives the employee, as ``Outcome`` fields.
OUTCOME_FIELDS = ("direction", "self_insight", "options", "confidence")

Status = ConversationStatus


# --- Guards -------------------------------------------------------------------------------------


def _require_active(organization: Organization, actor: Membership | None) -> None:
    """Security invariant: only an active member of ``organization`` acts in it."""
    if actor is None or actor.organization_id != organization.pk or not actor.is_active:
        raise PermissionDenied(_("You are not a member of this organisation."))


def _require_participant(organization: Organization, actor: Membership,
                         conversation: Conversation) -> None:
    """Security invariant: a conversation is changed by its two participants only; HR, leaders
    and a skip-level manager change nothing in it."""
    _require_active(organization, actor)
    if conversation.organization_id != organization.pk or actor.pk not in (
            conversation.member_id, conversation.partner_id):
        raise PermissionDenied(_("Only the two people in a conversation can change it."))


def _require_employee(organization: Organization, actor: Membership,
                      conversation: Conversation) -> None:
    """Security invariant: the preparation, the attached reflection areas and the outcome
    rating are the employee's own; their partner neither writes nor (for the preparation)
    reads them."""
    _require_participant(organization, actor, conversation)
    if actor.pk != conversation.member_id:
        raise PermissionDenied(_("Only the employee whose career conversation this is can do "
                                 "this."))


def _require_not_cancelled(conversation: Conversation) -> None:
    if conversation.status == Status.CANCELLED:
        raise ValidationError(_("This conversation was cancelled: schedule a new one instead."),
                              code="cancelled")


def _clean(organization: Organization, obj: Model, *, exclude: tuple = ()) -> None:
    """Model validation, plus the length of text fields (which model validation skips for
    ``TextField``), all reported by field at once."""
    errors: dict[str, list] = {}
    for field in obj._meta.concrete_fields:
        limit = getattr(field, "max_length", None)
        value = getattr(obj, field.attname, None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors.setdefault(field.name, []).append(ValidationError(
                _("Keep this under %(limit)s characters (it has %(count)s).")
                % {"limit": f"{limit:,}", "count": f"{len(value):,}"}, code="max_length"))
    # Related-row and unique checks query the default (scoped) managers.
    with tenancy.organization_scope(organization):
        try:
            obj.full_clean(exclude=[*errors, *exclude])
        except ValidationError as e:
            for name, messages in e.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _text(value: str | None, field: str, limit: int = TEXT_MAX_LENGTH) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise ValidationError({field: _("Keep this under %(limit)s characters (it has "
                                        "%(count)s).") % {"limit": f"{limit:,}",
                                                          "count": f"{len(value):,}"}},
                              code="max_length")
    return value


def _lock_members(organization: Organization, *members: Membership) -> None:
    """Serialise writes that check and then insert for these people (a time slot, a partner),
    so two clicks or two people at once cannot both pass the check. Locked in id order, so two
    transactions never wait on each other in a circle."""
    list(Membership.objects.for_org(organization).select_for_update()
         .filter(pk__in=sorted({m.pk for m in members})).order_by("pk"))


def _lock_conversation(organization: Organization, conversation: Conversation) -> None:
    list(Conversation.objects.for_org(organization).select_for_update()
         .filter(pk=conversation.pk))


def _notify(organization: Organization, conversation: Conversation, event: str,
            actor: Membership) -> None:
    """Record the event with the change (``ConversationEvent``), then queue telling it."""
    pending = ConversationEvent.objects.for_org(organization).create(
        organization=organization, conversation=conversation, event=event, actor=actor)
    org_id, conversation_id, actor_id = organization.pk, conversation.pk, actor.pk
    transaction.on_commit(lambda: tasks.conversation_notify.delay(
        org_id, conversation_id, event, actor_id, event_id=pending.pk))


def _local(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- Who may talk with whom ---------------------------------------------------------------------


def partner_kind_between(*, organization: Organization, member: Membership,
                         partner: Membership) -> str | None:
    """How ``partner`` stands to ``member``: their line manager, an active mentor or coach of
    theirs, or None (no career partner of theirs)."""
    if member.manager_id is not None and member.manager_id == partner.pk:
        return PartnerKind.MANAGER
    row = (CareerPartner.objects.for_org(organization)
           .filter(member=member, partner=partner, ended_at__isnull=True).first())
    return row.kind if row is not None else None


def _require_pair(organization: Organization, actor: Membership, member: Membership,
                  partner: Membership) -> str:
    """The kind of partnership between the two people, or the error the actor can act on."""
    mine = "partner" if actor.pk == member.pk else "member"
    for person, field in ((member, "member"), (partner, "partner")):
        if person.organization_id != organization.pk or not person.is_active:
            raise ValidationError({field: _("Choose an active member of your organisation.")})
    if member.pk == partner.pk:
        raise ValidationError({mine: _("A career conversation takes two people: choose "
                                       "someone else.")})
    kind = partner_kind_between(organization=organization, member=member, partner=partner)
    if kind is None:
        if actor.pk == member.pk:
            raise ValidationError({"partner": _(
                "%(name)s is not your line manager or one of your career partners. Add them as "
                "a mentor or coach first, or choose your manager.")
                % {"name": partner.display_name}}, code="not_a_partner")
        raise ValidationError({"member": _(
            "%(name)s is not one of your direct reports, and you are not their mentor or coach.")
            % {"name": member.display_name}}, code="not_a_report")
    return kind


# --- Time slots ---------------------------------------------------------------------------------


def _clashing(organization: Organization, conversation: Conversation) -> Conversation | None:
    """Another scheduled conversation of either participant whose time overlaps this one's.

    Two intervals ``[start, start + duration)`` overlap when each starts before the other ends.
    No conversation is longer than ``MAX_DURATION``, so only those starting within that much
    before this one ends can overlap: the database narrows to those, Python compares the ends.
    """
    start = conversation.scheduled_at
    end = start + timedelta(minutes=conversation.duration_minutes)
    people = [conversation.member_id, conversation.partner_id]
    candidates = (Conversation.objects.for_org(organization)
                  .filter(status=Status.SCHEDULED, scheduled_at__lt=end,
                          scheduled_at__gt=start - timedelta(minutes=MAX_DURATION))
                  .filter(Q(member_id__in=people) | Q(partner_id__in=people))
                  .select_related("member__user", "partner__user")
                  .order_by("scheduled_at", "pk"))
    if conversation.pk is not None:
        candidates = candidates.exclude(pk=conversation.pk)
    for other in candidates:
        if start < other.scheduled_at + timedelta(minutes=other.duration_minutes):
            return other
    return None


def _check_time(organization: Organization, actor: Membership,
                conversation: Conversation) -> None:
    when, minutes = conversation.scheduled_at, conversation.duration_minutes
    if not isinstance(when, datetime):
        raise ValidationError({"scheduled_at": _("Choose a date and a time.")}, code="required")
    if timezone.is_naive(when):
        raise ValidationError({"scheduled_at": _("Give the time with its time zone.")},
                              code="naive")
    if not isinstance(minutes, int) or not MIN_DURATION <= minutes <= MAX_DURATION:
        raise ValidationError({"duration_minutes": _(
            "A conversation lasts from %(min)s minutes to %(max)s hours.")
            % {"min": MIN_DURATION, "max": MAX_DURATION // 60}}, code="duration")
    if when < timezone.now():
        raise ValidationError({"scheduled_at": _(
            "%(when)s is in the past: choose a time from now on.") % {"when": _local(when)}},
            code="past")
    clash = _clashing(organization, conversation)
    if clash is not None:
        end = clash.scheduled_at + timedelta(minutes=clash.duration_minutes)
        span = {"start": _local(clash.scheduled_at),
                "end": formats.time_format(timezone.localtime(end), "TIME_FORMAT")}
        if actor.pk in (clash.member_id, clash.partner_id):
            message = _("You already have a career conversation from %(start)s to %(end)s: "
                        "choose another time.") % span
        else:
            busy = next(p for p in (clash.member, clash.partner)
                        if p.pk in (conversation.member_id, conversation.partner_id))
            message = _("%(name)s already has a career conversation from %(start)s to "
                        "%(end)s: choose another time.") % {"name": busy.display_name, **span}
        raise ValidationError({"scheduled_at": message}, code="overlap")


# --- Agenda carried over ------------------------------------------------------------------------


def _carry_topics(organization: Organization, source: Conversation, target: Conversation, *,
                  own_only: bool = False) -> int:
    """Copy the topics ``source`` left open onto ``target``'s agenda, each once: a topic already
    carried into a conversation that is not cancelled stays where it went. ``own_only`` leaves
    out topics ``source`` itself had carried over (a cancelled conversation's, whose originals
    are carried from where they came)."""
    topics = AgendaTopic.objects.for_org(organization)
    carried = (topics.filter(carried_from__conversation=source)
               .exclude(conversation__status=Status.CANCELLED).values("carried_from_id"))
    still_open = topics.filter(conversation=source, is_done=False).exclude(pk__in=carried)
    if own_only:
        still_open = still_open.filter(carried_from__isnull=True)
    still_open = list(still_open.order_by("position", "pk"))
    if not still_open:
        return 0
    last = topics.filter(conversation=target).aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    topics.bulk_create([
        AgendaTopic(organization=organization, conversation=target, author_id=t.author_id,
                    text=t.text, position=position + i, carried_from=t)
        for i, t in enumerate(still_open)
    ])
    return len(still_open)


def _carry_over(organization: Organization, conversation: Conversation) -> None:
    """Onto a new conversation's agenda: what the pair's last held conversation left open, and
    the topics of the conversations they cancelled since."""
    pair = _pair(organization, conversation).exclude(pk=conversation.pk)
    previous = pair.filter(status=Status.HELD).order_by("-scheduled_at", "-pk").first()
    if previous is not None:
        _carry_topics(organization, previous, conversation)
    cancelled = pair.filter(status=Status.CANCELLED)
    if previous is not None:
        cancelled = cancelled.filter(scheduled_at__gt=previous.scheduled_at)
    latest = list(cancelled.order_by("-scheduled_at", "-pk")[:MAX_CANCELLED_CARRIED])
    for source in reversed(latest):
        _carry_topics(organization, source, conversation, own_only=True)


def _pair(organization: Organization, conversation: Conversation):
    return Conversation.objects.for_org(organization).filter(
        member_id=conversation.member_id, partner_id=conversation.partner_id)


# --- Conversations ------------------------------------------------------------------------------


@transaction.atomic
def conversation_schedule(*, organization: Organization, actor: Membership, member: Membership,
                          partner: Membership, scheduled_at: datetime,
                          duration_minutes: int = 45, location: str = "",
                          video_url: str = "") -> Conversation:
    """Schedule a career conversation between ``member`` (the employee) and ``partner``.

    The actor is one of the two. The partner must be the member's line manager or one of
    their active mentors or coaches (which one sets ``partner_kind``). The time must be in the
    future and free for both people. The open topics of the last conversation the two held
    are carried onto the new agenda.
    """
    _require_active(organization, actor)
    if actor.pk not in (member.pk, partner.pk):
        raise PermissionDenied(_("You can only schedule career conversations you take part "
                                 "in."))
    kind = _require_pair(organization, actor, member, partner)
    conversation = Conversation(
        organization=organization, member=member, partner=partner, partner_kind=kind,
        scheduled_at=scheduled_at, duration_minutes=duration_minutes,
        location=(location or "").strip(), video_url=(video_url or "").strip(),
        status=Status.SCHEDULED, scheduled_by=actor)
    _lock_members(organization, member, partner)
    _check_time(organization, actor, conversation)
    _clean(organization, conversation)
    conversation.save()
    _carry_over(organization, conversation)
    _notify(organization, conversation, "scheduled", actor)
    return conversation


def _require_scheduled(conversation: Conversation, message: str) -> None:
    if conversation.status != Status.SCHEDULED:
        raise ValidationError(message % {"status": conversation.get_status_display().lower()},
                              code="not_scheduled")


@transaction.atomic
def conversation_reschedule(*, organization: Organization, actor: Membership,
                            conversation: Conversation, scheduled_at: datetime,
                            duration_minutes: int | None = None, location: str | None = None,
                            video_url: str | None = None) -> Conversation:
    """Move a scheduled conversation, or change its length, place or video link. The new time
    must be in the future and free for both people."""
    _require_participant(organization, actor, conversation)
    _lock_conversation(organization, conversation)
    _require_scheduled(conversation, _("This conversation is %(status)s: it cannot be moved."))
    before = (conversation.scheduled_at, conversation.duration_minutes, conversation.location,
              conversation.video_url)
    conversation.scheduled_at = scheduled_at
    if duration_minutes is not None:
        conversation.duration_minutes = duration_minutes
    if location is not None:
        conversation.location = location.strip()
    if video_url is not None:
        conversation.video_url = video_url.strip()
    after = (conversation.scheduled_at, conversation.duration_minutes, conversation.location,
             conversation.video_url)
    if after == before:
        return conversation
    if (conversation.scheduled_at, conversation.duration_minutes) != before[:2]:
        _lock_members(organization, conversation.member, conversation.partner)
        _check_time(organization, actor, conversation)
    _clean(organization, conversation)
    conversation.save()
    _notify(organization, conversation, "changed", actor)
    return conversation


@transaction.atomic
def conversation_cancel(*, organization: Organization, actor: Membership,
                        conversation: Conversation, reason: str = "") -> Conversation:
    """Cancel a scheduled conversation; the reason is shown to the other person."""
    _require_participant(organization, actor, conversation)
    _lock_conversation(organization, conversation)
    _require_scheduled(conversation, _("This conversation is %(status)s: there is nothing to "
                                       "cancel."))
    conversation.status = Status.CANCELLED
    conversation.cancelled_at = timezone.now()
    conversation.cancel_reason = (reason or "").strip()
    _clean(organization, conversation)
    conversation.save()
    _notify(organization, conversation, "cancelled", actor)
    return conversation


def has_started(conversation: Conversation, now: datetime | None = None) -> bool:
    return conversation.scheduled_at <= (now or timezone.now())


@transaction.atomic
def conversation_mark_held(*, organization: Organization, actor: Membership,
                           conversation: Conversation) -> Conversation:
    """Record that the conversation took place (from its start time on). Marking it twice is
    once. Topics left open stay open: they go onto the agenda of the two people's next
    conversation, now if one is already scheduled, else when it is."""
    _require_participant(organization, actor, conversation)
    _lock_conversation(organization, conversation)
    if conversation.status == Status.HELD:
        return conversation
    _require_scheduled(conversation, _("This conversation is %(status)s: it cannot be marked "
                                       "as held."))
    if not has_started(conversation):
        raise ValidationError(_("This conversation starts on %(when)s: mark it as held once it "
                                "has taken place.") % {"when": _local(conversation.scheduled_at)},
                              code="not_started")
    conversation.status = Status.HELD
    conversation.held_at = timezone.now()
    conversation.save(update_fields=["status", "held_at", "updated_at"])
    following = (_pair(organization, conversation)
                 .filter(status=Status.SCHEDULED, scheduled_at__gt=conversation.scheduled_at)
                 .order_by("scheduled_at", "pk").first())
    if following is not None:
        _carry_topics(organization, conversation, following)
    _notify(organization, conversation, "held", actor)
    return conversation


# --- Agenda -------------------------------------------------------------------------------------


@transaction.atomic
def topic_add(*, organization: Organization, actor: Membership, conversation: Conversation,
              text: str) -> AgendaTopic:
    """Either participant adds a topic, before the conversation or while it is under way."""
    _require_participant(organization, actor, conversation)
    _lock_conversation(organization, conversation)
    if conversation.status != Status.SCHEDULED:
        raise ValidationError({"text": _(
            "This conversation is %(status)s: add the topic to your next one.")
            % {"status": conversation.get_status_display().lower()}}, code="closed")
    text = _text(text, "text", TOPIC_MAX_LENGTH)
    if not text:
        raise ValidationError({"text": _("Write the topic you would like to talk about.")},
                              code="required")
    topics = AgendaTopic.objects.for_org(organization).filter(conversation=conversation)
    found = topics.aggregate(last=Max("position"), n=Count("pk"))
    if found["n"] >= MAX_TOPICS:
        raise ValidationError({"text": _(
            "This agenda already has %(max)s topics: mark some as discussed or keep them for "
            "next time.") % {"max": MAX_TOPICS}}, code="too_many")
    topic = AgendaTopic(organization=organization, conversation=conversation, author=actor,
                        text=text, position=0 if found["last"] is None else found["last"] + 1)
    _clean(organization, topic)
    topic.save()
    return topic


@transaction.atomic
def topic_toggle_done(*, organization: Organization, actor: Membership, topic: AgendaTopic,
                      is_done: bool | None = None) -> AgendaTopic:
    """Mark a topic as discussed (or not yet); ``is_done=None`` flips it."""
    conversation = topic.conversation
    _require_participant(organization, actor, conversation)
    _require_not_cancelled(conversation)
    done = (not topic.is_done) if is_done is None else bool(is_done)
    if done != topic.is_done:
        topic.is_done = done
        topic.save(update_fields=["is_done"])
    return topic


@transaction.atomic
def topic_remove(*, organization: Organization, actor: Membership, topic: AgendaTopic) -> None:
    """The person who added a topic takes it off the agenda, before the conversation is
    held."""
    conversation = topic.conversation
    _require_participant(organization, actor, conversation)
    if topic.author_id != actor.pk:
        raise PermissionDenied(_("Only the person who added a topic can remove it."))
    _require_scheduled(conversation, _("This conversation is %(status)s: its agenda is kept as "
                                       "it was."))
    topic.delete()


# --- The employee's preparation and shared areas ------------------------------------------------


@transaction.atomic
def preparation_save(*, organization: Organization, actor: Membership,
                     conversation: Conversation, journey: str = "", to_ask: str = "",
                     to_share: str = "") -> Preparation:
    """The employee's preparation, following the article's advice: reflect on the journey so
    far, what to ask, what to share. Private to them."""
    _require_employee(organization, actor, conversation)
    _require_not_cancelled(conversation)
    values = {"journey": _text(journey, "journey"), "to_ask": _text(to_ask, "to_ask"),
              "to_share": _text(to_share, "to_share")}
    preparation, created = Preparation.objects.for_org(organization).select_for_update() \
        .get_or_create(organization=organization, conversation=conversation, defaults=values)
    if not created and any(getattr(preparation, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(preparation, name, value)
        _clean(organization, preparation)
        preparation.save()
    return preparation


def _require_own_area(organization: Organization, actor: Membership, reflection: Reflection,
                      area: ReflectionArea) -> None:
    if reflection.organization_id != organization.pk or reflection.member_id != actor.pk:
        raise ValidationError({"reflection": _("Choose one of your own reflections.")},
                              code="not_yours")
    if area.organization_id != organization.pk or area.template_id != reflection.template_id:
        raise ValidationError({"area": _("This area is not part of that reflection.")},
                              code="not_in_reflection")


@transaction.atomic
def conversation_area_attach(*, organization: Organization, actor: Membership,
                             conversation: Conversation, reflection: Reflection,
                             area: ReflectionArea) -> ConversationArea:
    """The employee shares one area of one of their reflections for this conversation: the
    partner reads its answers on the conversation's page, and nowhere else. Twice is once."""
    _require_employee(organization, actor, conversation)
    _require_not_cancelled(conversation)
    _require_own_area(organization, actor, reflection, area)
    attached, _created = ConversationArea.objects.for_org(organization).get_or_create(
        organization=organization, conversation=conversation, reflection=reflection, area=area)
    return attached


@transaction.atomic
def conversation_area_detach(*, organization: Organization, actor: Membership,
                             conversation: Conversation, reflection: Reflection,
                             area: ReflectionArea) -> bool:
    """Withdraw an attached area: the partner no longer reads it. True if it was attached."""
    _require_employee(organization, actor, conversation)
    deleted, _rows = ConversationArea.objects.for_org(organization).filter(
        conversation=conversation, reflection=reflection, area=area).delete()
    return bool(deleted)


# --- Notes --------------------------------------------------------------------------------------


@transaction.atomic
def shared_notes_save(*, organization: Organization, actor: Membership,
                      conversation: Conversation, text: str) -> Conversation:
    """The notes both participants see. Either writes them; who wrote last, and when, is
    kept."""
    _require_participant(organization, actor, conversation)
    _require_not_cancelled(conversation)
    text = _text(text, "shared_notes")
    if text != conversation.shared_notes:
        conversation.shared_notes = text
        conversation.shared_notes_updated_at = timezone.now()
        conversation.shared_notes_updated_by = actor
        conversation.save(update_fields=["shared_notes", "shared_notes_updated_at",
                                         "shared_notes_updated_by", "updated_at"])
    return conversation


@transaction.atomic
def private_note_save(*, organization: Organization, actor: Membership,
                      conversation: Conversation, text: str) -> PrivateNote | None:
    """The actor's own private note on the conversation: only they ever read it. An emptied
    note is deleted. Returns the note, or None when emptied."""
    _require_participant(organization, actor, conversation)
    text = _text(text, "text")
    notes = PrivateNote.objects.for_org(organization).filter(conversation=conversation,
                                                             author=actor)
    if not text:
        notes.delete()
        return None
    note = notes.select_for_update().first()
    if note is None:
        note = PrivateNote(organization=organization, conversation=conversation, author=actor,
                           text=text)
        _clean(organization, note, exclude=("conversation", "author"))
        note.save()
    elif note.text != text:
        note.text = text
        note.save(update_fields=["text", "updated_at"])
    return note


# --- Agreed actions and outcomes ----------------------------------------------------------------


@transaction.atomic
def agreed_action_add(*, organization: Organization, actor: Membership,
                      conversation: Conversation, title: str,
                      kind: str = ActionKind.ON_THE_JOB, due_date: date | None = None,
                      skill: Skill | None = None,
                      hours: Decimal | None = None) -> AgreedAction:
    """An action the two agree in the conversation (once it has started): it becomes an item of
    the employee's development plan, shared with their manager, and stays linked to the
    conversation.

    The plan is the employee's own, so the action is written as theirs
    (``careers.services.plan.action_create`` with the employee as actor): they can then update
    it, do it and close it like any other action of their plan.
    """
    _require_participant(organization, actor, conversation)
    _require_not_cancelled(conversation)
    if conversation.status == Status.SCHEDULED and not has_started(conversation):
        raise ValidationError(_("Actions are agreed in the conversation: record them once it "
                                "has started (%(when)s).")
                              % {"when": _local(conversation.scheduled_at)},
                              code="not_started")
    employee = conversation.member
    if not employee.is_active:
        raise ValidationError(_("%(name)s is no longer an active member: their plan is closed.")
                              % {"name": employee.display_name}, code="inactive")
    action = plan_services.action_create(
        organization=organization, actor=employee, title=title, kind=kind, skill=skill,
        due_date=due_date, hours=hours, shared_with_manager=True)
    agreed = AgreedAction(organization=organization, conversation=conversation, action=action,
                          created_by=actor)
    agreed.save()
    return agreed


def _rating(value, field: str) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = None
    if rating is None or str(rating) != str(value).strip() or not (
            RATING_MIN <= rating <= RATING_MAX):
        raise ValidationError({field: _("Give a rating from %(min)s to %(max)s.")
                               % {"min": RATING_MIN, "max": RATING_MAX}}, code="rating")
    return rating


@transaction.atomic
def outcome_rate(*, organization: Organization, actor: Membership, conversation: Conversation,
                 direction, self_insight, options, confidence, comment: str = "") -> Outcome:
    """The employee rates, from 1 to 5, what the held conversation gave them: a clearer sense
    of direction, self-insight, understanding of options and resources, confidence and
    motivation. They may change their ratings later."""
    _require_employee(organization, actor, conversation)
    if conversation.status != Status.HELD:
        raise ValidationError(_("Rate the conversation once it has been held."),
                              code="not_held")
    values, errors = {}, {}
    for field, value in zip(OUTCOME_FIELDS, (direction, self_insight, options, confidence),
                            strict=True):
        try:
            values[field] = _rating(value, field)
        except ValidationError as e:
            errors.update(e.message_dict)
    try:
        values["comment"] = _text(comment, "comment", 4000)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    outcome, created = Outcome.objects.for_org(organization).select_for_update().get_or_create(
        organization=organization, conversation=conversation, defaults=values)
    if not created:
        for name, value in values.items():
            setattr(outcome, name, value)
        outcome.save()
    return outcome


# --- Career partners ----------------------------------------------------------------------------


@transaction.atomic
def partner_add(*, organization: Organization, actor: Membership, member: Membership,
                partner: Membership, kind: str = PartnerKind.MENTOR) -> CareerPartner:
    """Add a mentor or coach of ``member``: the member does it, or an HR admin for them. Not
    the member themselves, and not their line manager (who is their career partner already)."""
    _require_active(organization, actor)
    if actor.pk != member.pk and not actor.is_hr_admin:
        raise PermissionDenied(_("Only the member themselves or HR can add a mentor or coach "
                                 "for them."))
    if member.organization_id != organization.pk or not member.is_active:
        raise ValidationError({"member": _("Choose an active member of your organisation.")})
    if partner.organization_id != organization.pk or not partner.is_active:
        raise ValidationError({"partner": _("Choose an active member of your organisation.")})
    if kind not in (PartnerKind.MENTOR, PartnerKind.COACH):
        raise ValidationError({"kind": _("Choose mentor or coach.")})
    self_ = actor.pk == member.pk
    if partner.pk == member.pk:
        raise ValidationError({"partner": _("You cannot be your own mentor or coach.") if self_
                               else _("Nobody can be their own mentor or coach.")},
                              code="self")
    if partner.pk == member.manager_id:
        raise ValidationError({"partner": _(
            "%(name)s is the line manager: career conversations with them need no partnership. "
            "Choose someone else as a mentor or coach.") % {"name": partner.display_name}},
            code="manager")
    _lock_members(organization, member)
    existing = (CareerPartner.objects.for_org(organization)
                .filter(member=member, partner=partner, ended_at__isnull=True).first())
    if existing is not None:
        raise ValidationError({"partner": _("%(name)s is already a %(kind)s.")
                               % {"name": partner.display_name,
                                  "kind": existing.get_kind_display().lower()}},
                              code="duplicate")
    row = CareerPartner(organization=organization, member=member, partner=partner, kind=kind,
                        added_by=actor)
    _clean(organization, row, exclude=("member", "partner", "added_by"))
    row.save()
    return row


@transaction.atomic
def partner_end(*, organization: Organization, actor: Membership,
                career_partner: CareerPartner) -> CareerPartner:
    """End a mentoring or coaching partnership: the member, the mentor or coach, or HR. Their
    past conversations stay; new ones cannot be scheduled. Ending it twice is once."""
    _require_active(organization, actor)
    if career_partner.organization_id != organization.pk or (
            actor.pk not in (career_partner.member_id, career_partner.partner_id)
            and not actor.is_hr_admin):
        raise PermissionDenied(_("Only the two people in a partnership, or HR, can end it."))
    if career_partner.ended_at is None:
        career_partner.ended_at = timezone.now()
        career_partner.save(update_fields=["ended_at"])
    return career_partner


# --- Cadence ------------------------------------------------------------------------------------


@transaction.atomic
def cadence_set(*, organization: Organization, actor: Membership, member: Membership,
                days: int | None) -> MemberCadence | None:
    """How often ``member`` should have a career conversation, overriding the organisation's
    default; ``None`` goes back to the default. HR, or the member's line manager."""
    _require_active(organization, actor)
    if member.organization_id != organization.pk:
        raise PermissionDenied(_("This person is not in your organisation."))
    if not actor.is_hr_admin and member.manager_id != actor.pk:
        raise PermissionDenied(_("Only HR or the line manager can change how often someone "
                                 "has career conversations."))
    rows = MemberCadence.objects.for_org(organization).filter(member=member)
    if days is None:
        rows.delete()
        return None
    row = rows.select_for_update().first() or MemberCadence(organization=organization,
                                                             member=member)
    row.days = days
    row.set_by = actor
    _clean(organization, row, exclude=("member", "set_by"))
    row.save()
    return row
