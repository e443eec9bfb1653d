"""Positive feedback: a manager, mentor or coach spotlights a strength, attribute or achievement.

"Managers have a valuable role to play in providing genuine positive feedback to employees. They
can shine a spotlight on the individuals' strengths, attributes and achievements." Anyone in a
member's reporting line (their manager, their manager's manager …) and their active mentors and
coaches may give it. The member is told in-app once the feedback is saved.

Feedback can be withdrawn by its author for a day, to correct a slip; after that it is part of
the member's career record and stays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.access import is_in_reporting_line
from organizations.models import Membership, Organization

from ..models import (
    Conversation,
    ConversationStatus,
    Feedback,
    FeedbackKind,
    Notification,
    NotificationKind,
)
from ..selectors.feedback import is_feedback_partner

FEEDBACK_MIN_LENGTH = 10
FEEDBACK_MAX_LENGTH = Feedback._meta.get_field("text").max_length
#: How long after giving it the author may still withdraw a piece of feedback.
FEEDBACK_WITHDRAW_WINDOW = timedelta(hours=24)


# --- Shared guards ------------------------------------------------------------------------------


def require_active_member(organization: Organization, actor: Membership | None) -> None:
    """Security invariant: only an active member of ``organization`` acts in it."""
    if actor is None or actor.organization_id != organization.pk or not actor.is_active:
        raise PermissionDenied(_("You are not a member of this organisation."))


def clean_text(value: str | None, *, field: str, required: str, max_length: int,
               min_length: int = 0, too_short: str = "") -> str:
    """``value`` stripped, or a ``ValidationError`` on ``field`` a person can act on."""
    text = (value or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({field: required})
    if len(text) < min_length:
        raise ValidationError({field: too_short})
    if len(text) > max_length:
        raise ValidationError({field: _(
            "Keep this under %(limit)s characters (it has %(count)s).")
            % {"limit": f"{max_length:,}", "count": f"{len(text):,}"}})
    return text


def on_commit_in_organization(organization: Organization, work: Callable[[], object]) -> None:
    """Run ``work`` once the current transaction has committed, in its own transaction with the
    organisation's scope and Row-Level Security context (the request's ended with the commit).

    A failure there is logged and does not undo what was committed: a notification is a
    courtesy, the feedback or the decision is the record.
    """
    organization_id = organization.pk

    def run() -> None:
        with transaction.atomic():
            switched = tenancy.db_enter_app_role()
            try:
                with tenancy.organization_scope(organization_id):
                    work()
            finally:
                if switched:
                    tenancy.db_leave_app_role()

    transaction.on_commit(run, robust=True)


def _first_name(member: Membership) -> str:
    return member.user.first_name or member.display_name


# --- Giving feedback ----------------------------------------------------------------------------


def can_give_feedback(*, author: Membership, member: Membership) -> bool:
    """True when ``author`` is in ``member``'s reporting line or an active mentor or coach of
    theirs (both active members of the same organisation, and not the same person)."""
    if author.organization_id != member.organization_id or author.pk == member.pk:
        return False
    if not (author.is_active and member.is_active):
        return False
    return is_in_reporting_line(manager=author, member=member) or \
        is_feedback_partner(partner=author, member=member)


def _check_member(organization: Organization, actor: Membership,
                  member: Membership | None) -> str | None:
    if member is None or member.organization_id != organization.pk:
        return _("Choose the person the feedback is for.")
    if member.pk == actor.pk:
        return _("Feedback is for someone else: you cannot give it to yourself.")
    if not member.is_active:
        return _("%(name)s is no longer an active member; feedback goes to current members.") \
            % {"name": member.display_name}
    if not can_give_feedback(author=actor, member=member):
        return _("You can give feedback to people in your reporting line and to people you "
                 "mentor or coach; %(name)s is neither.") % {"name": member.display_name}
    return None


def _check_conversation(organization: Organization, actor: Membership, member: Membership | None,
                        conversation: Conversation | None) -> str | None:
    if conversation is None:
        return None
    if conversation.organization_id != organization.pk or \
            actor.pk not in (conversation.member_id, conversation.partner_id):
        return _("Choose one of your own career conversations.")
    if member is not None and member.pk not in (conversation.member_id, conversation.partner_id):
        return _("This conversation was not with %(name)s: choose one you had together, or "
                 "none.") % {"name": member.display_name}
    if conversation.status == ConversationStatus.CANCELLED:
        return _("This conversation was cancelled: choose one that took place, or none.")
    return None


@transaction.atomic
def feedback_give(*, organization: Organization, actor: Membership, member: Membership | None,
                  kind: str, text: str, conversation: Conversation | None = None) -> Feedback:
    """Give ``member`` positive feedback. The member is notified in-app after commit.

    Every problem is reported at once, by field: ``member`` (not someone the actor may give
    feedback to), ``kind``, ``text`` (empty, too short to be specific, too long) and
    ``conversation`` (not one the actor had with the member, or cancelled).
    """
    require_active_member(organization, actor)
    errors: dict[str, str] = {}
    member_error = _check_member(organization, actor, member)
    if member_error:
        errors["member"] = member_error
    if kind not in FeedbackKind.values:
        errors["kind"] = _("Choose whether this is a strength, an attribute or an achievement.")
    try:
        text = clean_text(
            text, field="text", max_length=FEEDBACK_MAX_LENGTH, min_length=FEEDBACK_MIN_LENGTH,
            required=_("Write the feedback: what they did well, and the difference it made."),
            too_short=_("Say a little more: what did they do, and what difference did it make?"))
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    conversation_error = _check_conversation(organization, actor, member, conversation)
    if conversation_error:
        errors["conversation"] = conversation_error
    if errors:
        raise ValidationError(errors)
    feedback = Feedback(organization=organization, author=actor, member=member, kind=kind,
                        text=text, conversation=conversation)
    with tenancy.organization_scope(organization):
        feedback.full_clean()
    feedback.save()
    on_commit_in_organization(organization, lambda: _notify_member(feedback))
    return feedback


NOTIFICATION_TITLES = {
    FeedbackKind.STRENGTH: lambda name: _("%(name)s spotlighted one of your strengths")
    % {"name": name},
    FeedbackKind.ATTRIBUTE: lambda name: _("%(name)s spotlighted one of your attributes")
    % {"name": name},
    FeedbackKind.ACHIEVEMENT: lambda name: _("%(name)s recognised one of your achievements")
    % {"name": name},
}


def feedback_url(*, organization: Organization, feedback: Feedback) -> str:
    """Where the member reads a piece of feedback: their feedback page, at that feedback."""
    return reverse("conversations:feedback", kwargs={"org_slug": organization.slug}) + \
        f"#feedback-{feedback.pk}"


def _notify_member(feedback: Feedback) -> None:
    from .notifications import notification_create

    member = (Membership.objects.for_org(feedback.organization_id)
              .select_related("user", "organization").get(pk=feedback.member_id))
    name = feedback.author.display_name if feedback.author else ""
    title = NOTIFICATION_TITLES[feedback.kind]
    notification_create(organization=member.organization, recipient=member,
                        kind=NotificationKind.FEEDBACK, title=lambda: title(name),
                        body=feedback.text[:280],
                        url=feedback_url(organization=member.organization, feedback=feedback))


# --- Withdrawing feedback -----------------------------------------------------------------------


def can_withdraw_feedback(*, actor: Membership, feedback: Feedback, now=None) -> bool:
    now = now or timezone.now()
    return feedback.author_id == actor.pk and now - feedback.created_at < FEEDBACK_WITHDRAW_WINDOW


@transaction.atomic
def feedback_withdraw(*, organization: Organization, actor: Membership,
                      feedback: Feedback) -> None:
    """Withdraw a piece of feedback: its author only, within a day of giving it. The member's
    notification about it goes with it."""
    require_active_member(organization, actor)
    if feedback.organization_id != organization.pk or feedback.author_id != actor.pk:
        raise PermissionDenied(_("Only the person who gave a piece of feedback can withdraw it."))
    if timezone.now() - feedback.created_at >= FEEDBACK_WITHDRAW_WINDOW:
        raise ValidationError(_(
            "Feedback can be withdrawn within a day of giving it. This was given on %(date)s and "
            "is now part of %(name)s's career record.") % {
            "date": date_format(timezone.localtime(feedback.created_at), "DATE_FORMAT"),
            "name": _first_name(feedback.member)})
    Notification.objects.for_org(organization).filter(
        recipient_id=feedback.member_id, kind=NotificationKind.FEEDBACK,
        url=feedback_url(organization=organization, feedback=feedback)).delete()
    feedback.delete()
