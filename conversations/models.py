"""Career conversations and what surrounds them: partners, agenda, preparation, notes, agreed
actions, outcomes, feedback, recommendations, cadence, reminders and notifications.

Privacy, following DESIGN.md: shared notes and agreed actions belong to both participants; a
private note belongs to its author alone (its own table, so no query for a conversation's shared
content can pick it up by mistake); the employee's preparation is theirs, except the reflection
areas they attach, which the partner reads with the conversation; HR knows that a conversation
happened, and when.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from careers.models import DevelopmentAction, Reflection, ReflectionArea
from organizations.models import Membership
from organizations.tenancy import TenantModel
from skills.models import RoleProfile

TEXT_MAX_LENGTH = 10_000
TOPIC_MAX_LENGTH = 300


class PartnerKind(models.TextChoices):
    MANAGER = "manager", _("Line manager")
    MENTOR = "mentor", _("Mentor")
    COACH = "coach", _("Coach")


class CareerPartner(TenantModel):
    """A mentor or coach of a member, added by the member or by HR. The line manager is a
    partner by virtue of the manager line and needs no row here."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE,
                               related_name="career_partners")
    partner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="partnering",
                                verbose_name=_("mentor or coach"))
    kind = models.CharField(_("kind"), max_length=8, choices=PartnerKind.choices,
                            default=PartnerKind.MENTOR)
    added_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "member", "partner"],
                                    condition=Q(ended_at__isnull=True),
                                    name="career_partner_one_active"),
            models.CheckConstraint(condition=~Q(member=F("partner")),
                                   name="career_partner_not_self"),
        ]


class ConversationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Conversation(TenantModel):
    """A career conversation between a member and a career partner."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE,
                               related_name="career_conversations", verbose_name=_("employee"))
    partner = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                related_name="partner_conversations",
                                verbose_name=_("career partner"))
    partner_kind = models.CharField(max_length=8, choices=PartnerKind.choices,
                                    default=PartnerKind.MANAGER)
    scheduled_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=45,
        validators=[MinValueValidator(10), MaxValueValidator(480)])
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(max_length=10, choices=ConversationStatus.choices,
                              default=ConversationStatus.SCHEDULED)
    held_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Shared notes: one text both participants write.
    shared_notes = models.TextField(_("shared notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    shared_notes_updated_at = models.DateTimeField(null=True, blank=True)
    shared_notes_updated_by = models.ForeignKey(Membership, null=True, blank=True,
                                                on_delete=models.SET_NULL, related_name="+")
    scheduled_by = models.ForeignKey(Membership, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_at"]
        indexes = [
            models.Index(fields=["organization", "member", "-scheduled_at"],
                         name="conversation_member"),
            models.Index(fields=["organization", "partner", "-scheduled_at"],
                         name="conversation_partner"),
            models.Index(fields=["organization", "status", "scheduled_at"],
                         name="conversation_status_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(member=F("partner")),
                                   name="conversation_not_with_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.partner} · {self.scheduled_at:%Y-%m-%d}"


class AgendaTopic(TenantModel):
    """A topic either participant adds before the conversation. Topics left open when a
    conversation is held carry over to the next one between the same two people."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="topics")
    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.CharField(_("topic"), max_length=TOPIC_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(default=0)
    is_done = models.BooleanField(_("discussed"), default=False)
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]


class Preparation(TenantModel):
    """The employee's own preparation, following the article's advice. Private to them."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE,
                                        related_name="preparation")
    journey = models.TextField(_("my journey so far"), blank=True, max_length=TEXT_MAX_LENGTH)
    to_ask = models.TextField(_("what I want to ask"), blank=True, max_length=TEXT_MAX_LENGTH)
    to_share = models.TextField(_("what I want to share"), blank=True,
                                max_length=TEXT_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)


class ConversationArea(TenantModel):
    """A reflection area the employee shares with the partner for this conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="shared_areas")
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(ReflectionArea, on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "conversation", "reflection", "area"],
                                    name="conversation_area_once"),
        ]


class PrivateNote(TenantModel):
    """A participant's private notes on a conversation. Only the author ever reads them."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="private_notes")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "conversation", "author"],
                                    name="private_note_one_per_author"),
        ]


class AgreedAction(TenantModel):
    """An action agreed in a conversation; it lives on as an item of the employee's plan."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="agreed_actions")
    action = models.OneToOneField(DevelopmentAction, on_delete=models.CASCADE,
                                  related_name="agreed_in")
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


def _rating(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])


class Outcome(TenantModel):
    """The employee's rating, from 1 to 5, of the four things a good career conversation gives."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE,
                                        related_name="outcome")
    direction = _rating(_("a clearer sense of career direction"))
    self_insight = _rating(_("increased self-insight"))
    options = _rating(_("a broader understanding of options and resources"))
    confidence = _rating(_("increased confidence and motivation"))
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    rated_at = models.DateTimeField(auto_now=True)


class FeedbackKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    ATTRIBUTE = "attribute", _("Attribute")
    ACHIEVEMENT = "achievement", _("Achievement")


class Feedback(TenantModel):
    """Positive feedback: a manager spotlights a strength, attribute or achievement."""

    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                               related_name="feedback_given")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE,
                               related_name="feedback_received")
    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices,
                            default=FeedbackKind.STRENGTH)
    text = models.TextField(_("feedback"), max_length=4000)
    conversation = models.ForeignKey(Conversation, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="feedback")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "member", "-created_at"],
                                name="feedback_member")]


class RecommendationKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    ROLE = "role", _("A role")
    OPPORTUNITY = "opportunity", _("An opportunity")


class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for HR")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Recommendation(TenantModel):
    """A manager recommends a report for a promotion, a role or an opportunity; HR decides."""

    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                               related_name="recommendations_made")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE,
                               related_name="recommendations")
    kind = models.CharField(_("kind"), max_length=12, choices=RecommendationKind.choices,
                            default=RecommendationKind.PROMOTION)
    role = models.ForeignKey(RoleProfile, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("role profile"))
    opportunity = models.CharField(_("opportunity"), max_length=200, blank=True)
    rationale = models.TextField(_("why"), max_length=4000)
    status = models.CharField(max_length=10, choices=RecommendationStatus.choices,
                              default=RecommendationStatus.PENDING)
    decided_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status", "-created_at"],
                                name="recommendation_status")]


class MemberCadence(TenantModel):
    """A per-member override of the organisation's conversation cadence."""

    member = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="cadence")
    days = models.PositiveSmallIntegerField(
        _("cadence (days)"), validators=[MinValueValidator(7), MaxValueValidator(366)])
    set_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class NotificationKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Conversation scheduled")
    CHANGED = "changed", _("Conversation changed")
    CANCELLED = "cancelled", _("Conversation cancelled")
    REMINDER = "reminder", _("Conversation reminder")
    OUTCOME_PULSE = "outcome_pulse", _("How did it go?")
    DIGEST = "digest", _("Weekly digest")
    FEEDBACK = "feedback", _("Positive feedback")
    RECOMMENDATION = "recommendation", _("Recommendation")
    OPPORTUNITY = "opportunity", _("Internal opportunity")
    CHAMPION = "champion", _("Office Career Champion")
    STORY = "story", _("Success story")
    PEOPLE = "people", _("People and moves")


class Notification(TenantModel):
    """An in-app notification. Its text is written in the recipient's language when made."""

    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    conversation = models.ForeignKey(Conversation, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "recipient", "-created_at"],
                                name="notification_recipient"),
                   models.Index(fields=["organization", "recipient"],
                                condition=Q(read_at__isnull=True),
                                name="notification_unread")]


class ConversationEvent(TenantModel):
    """A conversation was scheduled, moved, cancelled or held, and its participants are to be
    told: written in the same transaction as the change, marked once they have been. What is
    still to tell lives here, not only in the queued task, so a lost task is found by
    ``tasks.conversation_events_scan`` and told late rather than never."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=16)
    actor = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], condition=Q(notified_at__isnull=True),
                                name="conversation_event_untold")]


class NotificationPreference(TenantModel):
    """What a member wants by email. In-app notifications are always kept."""

    member = models.OneToOneField(Membership, on_delete=models.CASCADE,
                                  related_name="notification_preference")
    email_reminders = models.BooleanField(_("reminders before my conversations"), default=True)
    email_digest = models.BooleanField(_("weekly digest of overdue conversations (managers)"),
                                       default=True)
    email_outcome_pulse = models.BooleanField(_("asking how a conversation went"), default=True)
    email_updates = models.BooleanField(_("when a conversation is scheduled, moved or "
                                          "cancelled"), default=True)
    updated_at = models.DateTimeField(auto_now=True)


class ReminderKind(models.TextChoices):
    EMPLOYEE = "employee", _("Employee, two days before")
    PARTNER = "partner", _("Partner, one day before")
    OUTCOME_PULSE = "outcome_pulse", _("Outcome pulse, after")


class ReminderDelivery(TenantModel):
    """One reminder to one person about one conversation at one scheduled time.

    The unique constraint is what makes reminders exactly-once: the row is claimed before the
    email goes, so a scan run twice, or two workers at once, find it taken. A moved conversation
    has a new ``scheduled_for`` and so gets its reminders again.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="reminders")
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    scheduled_for = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "conversation", "recipient", "kind", "scheduled_for"],
                name="reminder_once"),
        ]
        indexes = [models.Index(fields=["organization", "sent_at"], name="reminder_unsent",
                                condition=Q(sent_at__isnull=True))]


class DigestDelivery(TenantModel):
    """The weekly digest of one manager for one week (its Monday): sent once."""

    manager = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "manager", "week"],
                                    name="digest_once_a_week"),
        ]


class CalendarFeed(TenantModel):
    """A member's private calendar feed of their upcoming conversations: only the SHA-256 of
    its secret is stored; the link is shown to the member once, when made."""

    member = models.OneToOneField(Membership, on_delete=models.CASCADE,
                                  related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
