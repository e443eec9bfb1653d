"""Success stories: HR or a leader tells of a colleague's move, with that colleague's consent.

The life of a story:

* HR or a leader writes a draft about a member (never about themselves), optionally about one
  of the member's recorded moves;
* they ask the member for consent: the member is told in-app and reads the draft;
* the member gives consent or declines, and the time is recorded (``consent_given_at``, or
  ``consent_withdrawn_at`` for a refusal: the model has one column for "the member said no");
* only a story with consent is published; it then shows on the organisation's home and stories
  page for everyone;
* the member can withdraw consent at any time: a published story is unpublished at once.

``consent_given_at`` always means consent that stands now: it is cleared when consent is
withdrawn and when the story is changed after the member agreed to it (they agreed to other
words), so publishing checks one column. The audit log keeps every step.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conversations.models import NotificationKind
from conversations.services.feedback import (
    clean_text,
    on_commit_in_organization,
    require_active_member,
)
from conversations.services.notifications import notification_create
from organizations import tenancy
from organizations.models import Membership, Organization
from organizations.services import audit

from ..models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Move, StoryStatus, SuccessStory

BODY_MIN_LENGTH = 40
#: What the member answers when asked.
CONSENT_DECISIONS = ("give", "decline", "withdraw")
#: States from which the member can be asked (again).
ASKABLE = (StoryStatus.DRAFT, StoryStatus.DECLINED, StoryStatus.WITHDRAWN)


def can_write_stories(membership: Membership) -> bool:
    return bool(membership.is_hr_admin or membership.is_leader)


def has_consent(story: SuccessStory) -> bool:
    return story.consent_given_at is not None


def _require_writer(actor: Membership) -> None:
    if not can_write_stories(actor):
        raise PermissionDenied(_("Success stories are written by HR and leaders."))


def _name(member: Membership) -> str:
    return member.user.first_name or member.display_name


def story_url(*, organization: Organization, story: SuccessStory) -> str:
    return reverse("hr_admin:story", kwargs={"org_slug": organization.slug,
                                             "story_id": story.pk})


def consent_url(*, organization: Organization, story: SuccessStory) -> str:
    return reverse("hr_admin:story_consent", kwargs={"org_slug": organization.slug,
                                                     "story_id": story.pk})


def _locked(organization: Organization, story: SuccessStory) -> SuccessStory:
    """The story's row, locked for this transaction, so that a withdrawal and a publication
    racing each other are applied one after the other."""
    fresh = (SuccessStory.objects.for_org(organization).select_for_update()
             .filter(pk=story.pk).first())
    if fresh is None:
        raise ValidationError(_("This story no longer exists."))
    for field in ("status", "consent_requested_at", "consent_given_at",
                  "consent_withdrawn_at", "published_at", "title", "body", "move_id"):
        setattr(story, field, getattr(fresh, field))
    return story


def _check_subject(organization: Organization, actor: Membership,
                   subject: Membership | None) -> str | None:
    if subject is None or subject.organization_id != organization.pk:
        return _("Choose the colleague the story is about.")
    if subject.pk == actor.pk:
        return _("A story is told about a colleague, who then consents: another HR admin or "
                 "leader can write yours.")
    if not subject.is_active:
        return _("%(name)s is no longer an active member.") % {"name": subject.display_name}
    return None


def _check_move(organization: Organization, subject: Membership | None,
                move: Move | None) -> str | None:
    if move is None:
        return None
    if move.organization_id != organization.pk or subject is None or \
            move.member_id != subject.pk:
        return _("Choose one of %(name)s's recorded moves, or none.") % {
            "name": subject.display_name if subject else _("the colleague's")}
    return None


def _clean_content(title: str, body: str) -> tuple[str, str, dict]:
    errors: dict[str, str] = {}
    try:
        title = clean_text(title, field="title", max_length=TITLE_MAX_LENGTH,
                           required=_("Give the story a title."))
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    try:
        body = clean_text(
            body, field="body", max_length=TEXT_MAX_LENGTH, min_length=BODY_MIN_LENGTH,
            required=_("Write the story: where they started, the move, what made it possible."),
            too_short=_("Say a little more: a success story needs a beginning, a move and "
                        "what it changed."))
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    return title, body, errors


# --- Writing ------------------------------------------------------------------------------------


@transaction.atomic
def story_create(*, organization: Organization, actor: Membership,
                 subject: Membership | None, title: str, body: str,
                 move: Move | None = None) -> SuccessStory:
    """Write a draft story about ``subject`` (optionally about one of their moves).

    Every problem is reported at once, by field: ``subject``, ``move``, ``title``, ``body``.
    """
    require_active_member(organization, actor)
    _require_writer(actor)
    title, body, errors = _clean_content(title, body)
    if (subject_error := _check_subject(organization, actor, subject)):
        errors["subject"] = subject_error
    if (move_error := _check_move(organization, subject, move)):
        errors["move"] = move_error
    if errors:
        raise ValidationError(errors)
    story = SuccessStory(organization=organization, subject=subject, move=move, title=title,
                         body=body, author=actor, status=StoryStatus.DRAFT)
    with tenancy.organization_scope(organization):
        story.full_clean()
    story.save()
    audit(organization=organization, actor=actor, action="stories.created", subject=subject,
          story=story.pk)
    return story


@transaction.atomic
def story_update(*, organization: Organization, actor: Membership, story: SuccessStory,
                 title: str, body: str, move: Move | None = None) -> SuccessStory:
    """Change a story's words or move. When the member had already been asked or had agreed,
    they agreed to other words: consent is cleared (a published story is unpublished) and the
    story goes back to draft, to be asked again. ``story.consent_reset`` says so."""
    require_active_member(organization, actor)
    _require_writer(actor)
    if story.organization_id != organization.pk:
        raise ValidationError(_("Choose a story of this organisation."))
    _locked(organization, story)
    title, body, errors = _clean_content(title, body)
    if (move_error := _check_move(organization, story.subject, move)):
        errors["move"] = move_error
    if errors:
        raise ValidationError(errors)
    changed = (title, body, move.pk if move else None) != (story.title, story.body,
                                                           story.move_id)
    story.consent_reset = False
    if changed and (story.status != StoryStatus.DRAFT or has_consent(story)
                    or story.consent_requested_at is not None):
        was_published = story.status == StoryStatus.PUBLISHED
        story.status = StoryStatus.DRAFT
        story.consent_given_at = story.consent_requested_at = story.published_at = None
        story.consent_reset = True
        audit(organization=organization, actor=actor, action="stories.consent_reset",
              subject=story.subject, story=story.pk, was_published=was_published)
    story.title, story.body, story.move = title, body, move
    with tenancy.organization_scope(organization):
        # The author may have left since (the column is then empty).
        story.full_clean(exclude=["author"])
    story.save()
    if changed:
        audit(organization=organization, actor=actor, action="stories.updated",
              subject=story.subject, story=story.pk)
    return story


@transaction.atomic
def story_delete(*, organization: Organization, actor: Membership, story: SuccessStory) -> None:
    require_active_member(organization, actor)
    _require_writer(actor)
    if story.organization_id != organization.pk:
        raise ValidationError(_("Choose a story of this organisation."))
    audit(organization=organization, actor=actor, action="stories.deleted",
          subject=story.subject, story=story.pk, status=story.status)
    story.delete()


# --- Consent ------------------------------------------------------------------------------------


@transaction.atomic
def story_request_consent(*, organization: Organization, actor: Membership,
                          story: SuccessStory) -> SuccessStory:
    """Ask the member whether the story may be published. They are told in-app and read it."""
    require_active_member(organization, actor)
    _require_writer(actor)
    if story.organization_id != organization.pk:
        raise ValidationError(_("Choose a story of this organisation."))
    _locked(organization, story)
    name = _name(story.subject)
    if story.status == StoryStatus.AWAITING_CONSENT:
        raise ValidationError(_("%(name)s was asked on %(date)s and has not answered yet.") % {
            "name": name,
            "date": date_format(timezone.localtime(story.consent_requested_at), "DATE_FORMAT")})
    if story.status == StoryStatus.PUBLISHED or has_consent(story):
        raise ValidationError(_("%(name)s has already agreed to this story.") % {"name": name})
    if story.status not in ASKABLE:
        raise ValidationError(_("This story cannot be sent for consent now."))
    if not story.subject.is_active:
        raise ValidationError(_("%(name)s is no longer an active member.") % {"name": name})
    story.status = StoryStatus.AWAITING_CONSENT
    story.consent_requested_at = timezone.now()
    story.save(update_fields=["status", "consent_requested_at", "updated_at"])
    audit(organization=organization, actor=actor, action="stories.consent_requested",
          subject=story.subject, story=story.pk)
    author_name = actor.display_name
    subject_id = story.subject_id

    def notify() -> None:
        member = (Membership.objects.for_org(organization).select_related("user", "organization")
                  .filter(pk=subject_id).first())
        if member is not None:
            notification_create(
                organization=organization, recipient=member, kind=NotificationKind.STORY,
                title=lambda: _("%(name)s wrote a success story about you") % {
                    "name": author_name},
                body=lambda: _("Read it and say whether it may be published. Nothing is "
                               "published without your consent."),
                url=consent_url(organization=organization, story=story))

    on_commit_in_organization(organization, notify)
    return story


def _notify_author(organization: Organization, story: SuccessStory, title) -> None:
    author_id = story.author_id
    if author_id is None:
        return

    def notify() -> None:
        author = (Membership.objects.for_org(organization).select_related("user", "organization")
                  .filter(pk=author_id, is_active=True).first())
        if author is not None:
            notification_create(organization=organization, recipient=author,
                                kind=NotificationKind.STORY, title=title, body=story.title,
                                url=story_url(organization=organization, story=story))

    on_commit_in_organization(organization, notify)


def _require_subject(actor: Membership, story: SuccessStory) -> None:
    if story.subject_id != actor.pk:
        raise PermissionDenied(_("Only the colleague a story is about gives or withdraws "
                                 "consent."))


@transaction.atomic
def story_consent_give(*, organization: Organization, actor: Membership,
                       story: SuccessStory) -> SuccessStory:
    """The member agrees that the story, as written now, may be published."""
    require_active_member(organization, actor)
    _require_subject(actor, story)
    _locked(organization, story)
    if story.consent_requested_at is None:
        raise ValidationError(_("You have not been asked about this story yet."))
    if has_consent(story):
        raise ValidationError(_("You have already agreed to this story."))
    story.status = StoryStatus.DRAFT
    story.consent_given_at = timezone.now()
    story.save(update_fields=["status", "consent_given_at", "updated_at"])
    audit(organization=organization, actor=actor, action="stories.consent_given",
          subject=actor, story=story.pk)
    name = actor.display_name
    _notify_author(organization, story,
                   lambda: _("%(name)s agreed: the story can be published") % {"name": name})
    return story


@transaction.atomic
def story_consent_decline(*, organization: Organization, actor: Membership,
                          story: SuccessStory) -> SuccessStory:
    """The member says no to a story they were asked about. The time is recorded."""
    require_active_member(organization, actor)
    _require_subject(actor, story)
    _locked(organization, story)
    if story.status != StoryStatus.AWAITING_CONSENT:
        if has_consent(story):
            raise ValidationError(_("You agreed to this story: withdraw your consent instead."))
        raise ValidationError(_("This story is not waiting for your answer."))
    story.status = StoryStatus.DECLINED
    story.consent_withdrawn_at = timezone.now()
    story.save(update_fields=["status", "consent_withdrawn_at", "updated_at"])
    audit(organization=organization, actor=actor, action="stories.consent_declined",
          subject=actor, story=story.pk)
    name = actor.display_name
    _notify_author(organization, story,
                   lambda: _("%(name)s would rather the story was not published") % {
                       "name": name})
    return story


@transaction.atomic
def story_consent_withdraw(*, organization: Organization, actor: Membership,
                           story: SuccessStory) -> SuccessStory:
    """The member withdraws consent they gave: a published story is unpublished at once."""
    require_active_member(organization, actor)
    _require_subject(actor, story)
    _locked(organization, story)
    if not has_consent(story):
        raise ValidationError(_("You have not agreed to this story, so there is nothing to "
                                "withdraw."))
    was_published = story.status == StoryStatus.PUBLISHED
    story.status = StoryStatus.WITHDRAWN
    story.consent_given_at = None
    story.published_at = None
    story.consent_withdrawn_at = timezone.now()
    story.save(update_fields=["status", "consent_given_at", "published_at",
                              "consent_withdrawn_at", "updated_at"])
    audit(organization=organization, actor=actor, action="stories.consent_withdrawn",
          subject=actor, story=story.pk, was_published=was_published)
    name = actor.display_name
    _notify_author(organization, story,
                   lambda: _("%(name)s withdrew consent: the story is no longer published")
                   % {"name": name})
    return story


def story_consent_answer(*, organization: Organization, actor: Membership, story: SuccessStory,
                         decision: str) -> SuccessStory:
    """``decision`` is ``give``, ``decline`` or ``withdraw``."""
    actions = {"give": story_consent_give, "decline": story_consent_decline,
               "withdraw": story_consent_withdraw}
    if decision not in actions:
        raise ValidationError({"decision": _("Choose whether you agree, decline or withdraw "
                                             "your consent.")})
    return actions[decision](organization=organization, actor=actor, story=story)


# --- Publishing ---------------------------------------------------------------------------------


@transaction.atomic
def story_publish(*, organization: Organization, actor: Membership,
                  story: SuccessStory) -> SuccessStory:
    """Publish a story whose member has agreed to it, as it is written now. Refused without
    that consent, whoever asks."""
    require_active_member(organization, actor)
    _require_writer(actor)
    if story.organization_id != organization.pk:
        raise ValidationError(_("Choose a story of this organisation."))
    _locked(organization, story)
    name = _name(story.subject)
    if story.status == StoryStatus.PUBLISHED:
        raise ValidationError(_("This story is already published."))
    if not has_consent(story):
        if story.status == StoryStatus.AWAITING_CONSENT:
            message = _("%(name)s has not agreed yet: a story is published only with the "
                        "consent of the colleague it is about.")
        elif story.status in (StoryStatus.DECLINED, StoryStatus.WITHDRAWN):
            message = _("%(name)s has not agreed to this story being published.")
        else:
            message = _("Ask %(name)s for consent first: a story is published only with the "
                        "consent of the colleague it is about.")
        raise ValidationError({"status": message % {"name": name}})
    if not story.subject.is_active:
        raise ValidationError(_("%(name)s is no longer an active member.") % {"name": name})
    story.status = StoryStatus.PUBLISHED
    story.published_at = timezone.now()
    with tenancy.organization_scope(organization):
        story.full_clean(exclude=["author"])
    story.save(update_fields=["status", "published_at", "updated_at"])
    audit(organization=organization, actor=actor, action="stories.published",
          subject=story.subject, story=story.pk)
    subject_id = story.subject_id

    def notify() -> None:
        member = (Membership.objects.for_org(organization).select_related("user", "organization")
                  .filter(pk=subject_id).first())
        if member is not None:
            notification_create(
                organization=organization, recipient=member, kind=NotificationKind.STORY,
                title=lambda: _("Your success story is published"), body=story.title,
                url=story_url(organization=organization, story=story))

    on_commit_in_organization(organization, notify)
    return story


@transaction.atomic
def story_unpublish(*, organization: Organization, actor: Membership,
                    story: SuccessStory) -> SuccessStory:
    """Take a published story down (HR or a leader). The member's consent stands."""
    require_active_member(organization, actor)
    _require_writer(actor)
    if story.organization_id != organization.pk:
        raise ValidationError(_("Choose a story of this organisation."))
    _locked(organization, story)
    if story.status != StoryStatus.PUBLISHED:
        raise ValidationError(_("This story is not published."))
    story.status = StoryStatus.DRAFT
    story.published_at = None
    story.save(update_fields=["status", "published_at", "updated_at"])
    audit(organization=organization, actor=actor, action="stories.unpublished",
          subject=story.subject, story=story.pk)
    return story
