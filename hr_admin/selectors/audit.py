"""Reading the audit log: who viewed or changed whose personal data, and when.

``audit_events`` returns the filtered log, newest first, with actor and subject joined;
``audit_page`` cuts one page by keyset (the time and id of the last row seen), so a page costs
the same whatever the log's size and no count of millions of rows is ever made. Actions are
described in words by ``describe_action`` ("viewed the check-in of"), grouped into the families
HR filters by; an action nobody described is shown by its code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.erasure import is_erased_user
from organizations.models import AuditEvent, Membership, Organization

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000

VIEW_SUFFIXES = ("_viewed", "_listed", "_exported")

# (key, label, prefixes): an action belongs to the first family whose prefix it starts with,
# unless it is a read (ends with one of VIEW_SUFFIXES), which is always "views".
FAMILIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("views", _("Views of personal data"), ()),
    ("people", _("Memberships, invitations and erasure"),
     ("membership.", "member.", "invitation.")),
    ("moves", _("Career moves"), ("hr.move_",)),
    ("skills", _("Skills, roles and check-ins"), ("skills.",)),
    ("careers", _("Career plans, conversations and feedback"), ("careers.", "conversations.")),
    ("hr", _("Imports, opportunities, succession, champions and stories"),
     ("hr.", "champions.", "stories.")),
    ("organisation", _("Organisation and teams"), ("organization.", "team.")),
    ("metrics", _("Goals and metrics"), ("metrics.",)),
    ("records", _("Audit log"), ("audit.",)),
]
FAMILY_LABELS = {key: label for key, label, _prefixes in FAMILIES}

# What each action means, as the words between the actor and the subject.
ACTIONS: dict[str, str] = {
    "organization.created": _("created the organisation"),
    "metrics.goal_set": _("set a goal"),
    "metrics.goal_changed": _("changed a goal"),
    "metrics.goal_deleted": _("deleted a goal"),
    "metrics.exported": _("exported the metrics"),
    "metrics.refreshed": _("asked for the metrics to be computed again"),
    "organization.updated": _("changed the organisation's settings"),
    "team.updated": _("changed a team"),
    "team.deleted": _("deleted a team"),
    "membership.updated": _("changed the membership of"),
    "membership.deactivated": _("deactivated the membership of"),
    "member.profile_viewed": _("viewed the profile of"),
    "member.erased": _("erased the personal data of"),
    "invitation.created": _("invited someone to join"),
    "invitation.resent": _("sent an invitation again"),
    "invitation.revoked": _("revoked an invitation"),
    "invitation.accepted": _("accepted an invitation"),
    "careers.participation_viewed": _("viewed career participation"),
    "careers.shared_viewed": _("viewed the reflection areas shared by"),
    "careers.template_changed": _("changed the reflection template"),
    "conversations.conversation_viewed": _("viewed a career conversation of"),
    "conversations.feedback_viewed": _("viewed the feedback received by"),
    "conversations.recommendation_viewed": _("viewed a recommendation about"),
    "conversations.recommendations_viewed": _("viewed the recommendations about"),
    "conversations.recommendations_listed": _("listed recommendations"),
    "conversations.partners_viewed": _("viewed the mentors and coaches of"),
    "skills.check_in_viewed": _("viewed the check-in of"),
    "skills.check_in_started": _("started a skills check-in for"),
    "skills.check_in_rated": _("rated the check-in of"),
    "skills.check_in_submitted": _("submitted the check-in of"),
    "skills.check_in_validated": _("validated the check-in of"),
    "skills.member_role_set": _("set the role profile of"),
    "skills.member_role_cleared": _("cleared the role profile of"),
    "skills.team_matrix_viewed": _("viewed a team's skills matrix"),
    "skills.gaps_viewed": _("viewed the skill gaps for a role of"),
    "skills.closest_roles_viewed": _("viewed the closest roles of"),
    "skills.framework_created": _("created a skills framework"),
    "skills.framework_updated": _("changed a skills framework"),
    "skills.framework_deleted": _("deleted a skills framework"),
    "skills.framework_imported": _("imported a skills framework"),
    "skills.level_created": _("added a level to a framework"),
    "skills.level_updated": _("changed a framework level"),
    "skills.level_deleted": _("deleted a framework level"),
    "skills.category_created": _("added a skill category"),
    "skills.category_updated": _("changed a skill category"),
    "skills.category_deleted": _("deleted a skill category"),
    "skills.skill_created": _("added a skill"),
    "skills.skill_updated": _("changed a skill"),
    "skills.skill_retired": _("retired a skill"),
    "skills.skill_reinstated": _("reinstated a skill"),
    "skills.skill_flagged_emerging": _("flagged a skill as emerging"),
    "skills.skill_unflagged_emerging": _("stopped flagging a skill as emerging"),
    "skills.role_created": _("created a role profile"),
    "skills.role_updated": _("changed a role profile"),
    "skills.role_deactivated": _("retired a role profile"),
    "skills.role_reactivated": _("reinstated a role profile"),
    "skills.requirement_added": _("added a skill requirement to a role"),
    "skills.requirement_removed": _("removed a skill requirement from a role"),
    "skills.path_created": _("added a career path"),
    "skills.path_updated": _("changed a career path"),
    "skills.path_deleted": _("deleted a career path"),
    "skills.resource_created": _("added a learning resource"),
    "skills.resource_updated": _("changed a learning resource"),
    "skills.resource_deleted": _("deleted a learning resource"),
    "hr.move_recorded": _("recorded a move for"),
    "hr.move_deleted": _("removed a recorded move of"),
    "hr.move_regretted_set": _("marked whether the organisation regrets the exit of"),
    "hr.moves_viewed": _("viewed the career history of"),
    "hr.people_import_applied": _("applied a people import"),
    "hr.opportunity_created": _("posted an opening"),
    "hr.opportunity_updated": _("changed an opening"),
    "hr.opportunity_publish": _("published an opening"),
    "hr.opportunity_close": _("closed an opening"),
    "hr.opportunity_reopen": _("reopened an opening"),
    "hr.opportunity_saved": _("saved an opening"),
    "hr.opportunity_unsaved": _("stopped saving an opening"),
    "hr.opportunity_interest_expressed": _("expressed interest in an opening"),
    "hr.opportunity_interest_withdrawn": _("withdrew interest in an opening"),
    "hr.opportunity_interest_viewed": _("viewed the interest in an opening of"),
    "hr.opportunity_candidates_viewed": _("viewed the candidates for an opening"),
    "hr.opportunity_approvals_viewed": _("viewed the gig approvals waiting"),
    "hr.opportunity_approval_decided": _("decided on the gig time of"),
    "hr.opportunity_not_selected": _("did not select for an opening"),
    "hr.opportunity_filled": _("filled an opening with"),
    "hr.recommendation_viewed": _("viewed a recommendation about"),
    "hr.recommendations_listed": _("listed recommendations to decide"),
    "hr.key_position_created": _("created a key position held by"),
    "hr.key_position_updated": _("changed a key position held by"),
    "hr.key_position_retired": _("retired a key position"),
    "hr.key_position_restored": _("restored a key position"),
    "hr.succession_viewed": _("viewed the succession plans about"),
    "hr.succession_listed": _("listed succession plans"),
    "hr.successor_nominated": _("nominated as a successor"),
    "hr.successor_updated": _("changed the successor nomination of"),
    "hr.successor_removed": _("removed the successor nomination of"),
    "champions.nominated": _("nominated as an Office Career Champion"),
    "champions.nomination_withdrawn": _("withdrew a champion nomination of"),
    "champions.nominations_confirmed": _("confirmed as an Office Career Champion"),
    "champions.nominations_declined": _("declined the champion nominations of"),
    "champions.nomination_set_aside": _("set aside a champion nomination of"),
    "champions.nominations_viewed": _("viewed the champion nominations of"),
    "champions.citations_viewed": _("viewed the champion citations of"),
    "champions.term_ended": _("ended the champion term of"),
    "champions.nominations_listed": _("listed the champion nominations waiting for HR"),
    "stories.created": _("wrote a success story about"),
    "stories.updated": _("changed a success story about"),
    "stories.deleted": _("deleted a success story about"),
    "stories.consent_requested": _("asked for consent to a story about"),
    "stories.consent_given": _("consented to a story about"),
    "stories.consent_declined": _("declined consent to a story about"),
    "stories.consent_withdrawn": _("withdrew consent to a story about"),
    "stories.consent_reset": _("asked again for consent to a story about"),
    "stories.published": _("published a success story about"),
    "stories.unpublished": _("unpublished a success story about"),
    "hr.health_question_added": _("added a health-check question"),
    "hr.health_question_changed": _("changed a health-check question"),
    "hr.health_question_retired": _("retired a health-check question"),
    "hr.health_survey_created": _("created a health-check survey"),
    "hr.health_survey_changed": _("changed a health-check survey"),
    "hr.health_survey_deleted": _("deleted a health-check survey"),
    "hr.health_survey_launched": _("launched a health-check survey"),
    "hr.health_survey_closed": _("closed a health-check survey"),
    "hr.health_quick_taken": _("took the quick health check"),
    "hr.health_quick_claimed": _("kept a public quick health check for the organisation"),
    "hr.health_action_created": _("added a health-check action for"),
    "hr.health_action_updated": _("changed a health-check action of"),
    "hr.health_action_done": _("marked done a health-check action of"),
    "hr.health_action_deleted": _("deleted a health-check action of"),
    "audit.log_viewed": _("looked up the audit trail of"),
    "audit.log_exported": _("exported the audit log"),
}


def register_action(action: str, description: str) -> None:
    """Describe an action in words; other areas describe the ones they record."""
    ACTIONS.setdefault(action, description)


def family_of(action: str) -> str:
    if action.endswith(VIEW_SUFFIXES):
        return "views"
    for key, _label, prefixes in FAMILIES:
        if prefixes and action.startswith(prefixes):
            return key
    return ""


def describe_action(action: str) -> str | None:
    """The action in words, or None for one nobody described (shown by its code)."""
    return ACTIONS.get(action)


def _views_q() -> Q:
    q = Q()
    for suffix in VIEW_SUFFIXES:
        q |= Q(action__endswith=suffix)
    return q


def family_q(family: str) -> Q:
    """The actions of ``family``, as ``family_of`` sorts them."""
    if family == "views":
        return _views_q()
    q, earlier = Q(pk__in=[]), Q()
    for key, _label, prefixes in FAMILIES:
        mine = Q(pk__in=[])
        for prefix in prefixes:
            mine |= Q(action__startswith=prefix)
        if key == family:
            q = mine & ~earlier
            break
        earlier |= mine
    return q & ~_views_q()


# --- Filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """What HR narrowed the log to. ``member`` is one person; ``person`` is a name or email
    search; ``role`` says whether they are the subject, the actor, or either."""

    member: Membership | None = None
    person: str = ""
    role: str = "either"
    family: str = ""
    since: date | None = None
    until: date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.member or self.person or self.family or self.since or self.until)

    def as_detail(self) -> dict:
        """The filters for an audit event: ids and codes, never the text typed."""
        return {
            "member": self.member.pk if self.member else None,
            "search": bool(self.person),
            "role": self.role,
            "family": self.family,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def members_matching(*, organization: Organization, text: str) -> QuerySet:
    """Members (active or not) whose name or email contains every word of ``text``."""
    rows = Membership.objects.for_org(organization)
    for word in text.split()[:5]:
        rows = rows.filter(Q(user__first_name__icontains=word)
                           | Q(user__last_name__icontains=word)
                           | Q(user__email__icontains=word))
    return rows


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def audit_events(*, organization: Organization, filters: AuditFilters | None = None) -> QuerySet:
    """The organisation's audit events, filtered, newest first, actor and subject joined."""
    filters = filters or AuditFilters()
    rows = AuditEvent.objects.for_org(organization)
    people = None
    if filters.member is not None:
        people = [filters.member.pk]
    elif filters.person:
        people = members_matching(organization=organization, text=filters.person).values("pk")
    if people is not None:
        by_role = {"subject": Q(subject__in=people), "actor": Q(actor__in=people)}
        rows = rows.filter(by_role.get(filters.role, by_role["subject"] | by_role["actor"]))
    if filters.family:
        rows = rows.filter(family_q(filters.family))
    if filters.since:
        rows = rows.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        rows = rows.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    return rows.select_related("actor__user", "subject__user").order_by("-created_at", "-pk")


# --- Keyset pages ---------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(event: AuditEvent) -> str:
    delta = event.created_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{event.pk}"


def decode_cursor(value: str | None) -> tuple[datetime, int] | None:
    """``(created_at, pk)`` from a cursor, or None when it is missing or malformed."""
    try:
        micros, pk = (value or "").split("-")
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass
class AuditPage:
    rows: list[AuditEvent]
    older: str | None
    newer: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def audit_page(rows: QuerySet, *, before: str | None = None, after: str | None = None,
               size: int = PAGE_SIZE) -> AuditPage:
    """One page of ``rows`` (ordered newest first): the ``size`` events older than ``before``,
    or newer than ``after``, or the newest. One query."""
    newer_cursor = decode_cursor(after)
    older_cursor = decode_cursor(before) if newer_cursor is None else None
    if newer_cursor is not None:
        at, pk = newer_cursor
        chunk = list(rows.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
                     .order_by("created_at", "pk")[:size + 1])
        more_newer = len(chunk) > size
        page = list(reversed(chunk[:size]))
        has_newer, has_older = more_newer, True
    else:
        if older_cursor is not None:
            at, pk = older_cursor
            rows = rows.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
        chunk = list(rows[:size + 1])
        page = chunk[:size]
        has_older, has_newer = len(chunk) > size, older_cursor is not None
    if not page:
        return AuditPage(rows=[], older=None, newer=None)
    return AuditPage(rows=page,
                     older=encode_cursor(page[-1]) if has_older else None,
                     newer=encode_cursor(page[0]) if has_newer else None)


# --- Rows as people read them ---------------------------------------------------------------

_HIDDEN_DETAIL = {"via"}


def _detail_value(value) -> str:
    if isinstance(value, list):
        if len(value) > 6:
            return str(_("%(count)d items")) % {"count": len(value)}
        return ", ".join(_detail_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_detail_value(v)}" for k, v in list(value.items())[:6])
    if value is None:
        return "—"
    return str(value)


def detail_items(detail: dict) -> list[tuple[str, str]]:
    """A few ``(name, value)`` pairs of an event's detail, readable and short."""
    if not isinstance(detail, dict):
        return []
    items = []
    for key, value in detail.items():
        # Nested breakdowns (an erasure's counts by app) are for the export, not the page.
        if key in _HIDDEN_DETAIL or (isinstance(value, dict)
                                     and any(isinstance(v, dict) for v in value.values())):
            continue
        items.append((key.replace("_", " "), _detail_value(value)[:120]))
    return items[:5]


@dataclass
class AuditRow:
    event: AuditEvent
    family: str
    family_label: str
    description: str | None
    details: list[tuple[str, str]]
    via: str


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    rows = []
    for event in events:
        family = family_of(event.action)
        detail = event.detail if isinstance(event.detail, dict) else {}
        rows.append(AuditRow(
            event=event, family=family, family_label=FAMILY_LABELS.get(family, ""),
            description=describe_action(event.action), details=detail_items(detail),
            via=str(detail.get("via", "")),
        ))
    return rows


def _person(member: Membership | None) -> tuple[str, str]:
    if member is None:
        return "", ""
    email = "" if is_erased_user(member.user) else member.user.email
    return member.display_name, email


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_csv(rows: QuerySet, *, limit: int = EXPORT_LIMIT) -> tuple[str, int]:
    """The filtered log as CSV text (at most ``limit`` events) and how many rows it holds."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "actor", "actor_email", "action", "description", "subject",
                     "subject_email", "detail"])
    count = 0
    for event in rows[:limit].iterator(chunk_size=2000):
        actor, actor_email = _person(event.actor)
        subject, subject_email = _person(event.subject)
        description = describe_action(event.action)
        writer.writerow([
            event.created_at.astimezone(UTC).isoformat(), _cell(actor), _cell(actor_email),
            event.action, str(description) if description else "", _cell(subject),
            _cell(subject_email), _cell(json.dumps(event.detail, sort_keys=True,
                                                   ensure_ascii=False)),
        ])
        count += 1
    return out.getvalue(), count
