"""The employee's own career work: reflections, goals, options and the development plan."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership
from organizations.tenancy import TenantModel
from skills.models import LearningResource, RoleProfile, Skill

from .content import shipped_text

ANSWER_MAX_LENGTH = 10_000


class ReflectionTemplate(TenantModel):
    """One version of the organisation's reflection template. Edits make a new version, so a
    reflection keeps the prompts it was written against."""

    version = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"],
                                    name="reflection_template_version"),
            models.UniqueConstraint(fields=["organization"], condition=models.Q(is_current=True),
                                    name="reflection_template_one_current"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class ReflectionArea(TenantModel):
    """One of the eight areas (where I'm at, what's important to me, …) in one template version."""

    template = models.ForeignKey(ReflectionTemplate, on_delete=models.CASCADE,
                                 related_name="areas")
    key = models.SlugField(max_length=40)
    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "template", "key"],
                                    name="reflection_area_key"),
        ]

    def __str__(self) -> str:
        return self.title

    # What readers see: the shipped texts in their own language (careers.content.shipped_text).
    @property
    def shown_title(self) -> str:
        return shipped_text(self.title)

    @property
    def shown_intro(self) -> str:
        return shipped_text(self.intro)


class ReflectionPrompt(TenantModel):
    """One question of an area. ``key`` stays the same across template versions when HR rewords a
    prompt, so two reflections written against different versions can still be compared."""

    area = models.ForeignKey(ReflectionArea, on_delete=models.CASCADE, related_name="prompts")
    key = models.SlugField(max_length=40, blank=True)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area", "position"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "area", "key"],
                                    condition=~models.Q(key=""), name="reflection_prompt_key"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def shown_text(self) -> str:
        return shipped_text(self.text)

    @property
    def shown_help_text(self) -> str:
        return shipped_text(self.help_text)


class Reflection(TenantModel):
    """A dated reflection of one member, written against one template version."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reflections")
    template = models.ForeignKey(ReflectionTemplate, on_delete=models.RESTRICT,
                                 related_name="reflections")
    title = models.CharField(_("title"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "member", "-created_at"],
                                name="reflection_member")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The member's title, else the day it was started (in the reader's language)."""
        if self.title:
            return self.title
        if self.created_at is None:
            return gettext("Reflection")
        day = formats.date_format(timezone.localtime(self.created_at), "DATE_FORMAT")
        return gettext("Reflection of %(date)s") % {"date": day}


class ReflectionAnswer(TenantModel):
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(ReflectionPrompt, on_delete=models.RESTRICT, related_name="+")
    text = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "reflection", "prompt"],
                                    name="reflection_answer_prompt"),
        ]


class ReflectionShare(TenantModel):
    """An area of a reflection the member shares with their manager. Withdrawing deletes it."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="shares")
    area = models.ForeignKey(ReflectionArea, on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "reflection", "area"],
                                    name="reflection_share_area"),
        ]


class GoalHorizon(models.TextChoices):
    SIX_MONTHS = "6m", _("Within 6 months")
    ONE_YEAR = "1y", _("Within a year")
    TWO_YEARS = "2y", _("In 2 to 3 years")
    FIVE_YEARS = "5y", _("In about 5 years")


class GoalStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    ACTIVE = "active", _("Working towards it")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Set aside")


class CareerGoal(TenantModel):
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="career_goals")
    target_role = models.ForeignKey(RoleProfile, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("target role"))
    title = models.CharField(_("goal"), max_length=200, blank=True,
                             help_text=_("In your own words, if no role profile fits."))
    horizon = models.CharField(_("horizon"), max_length=4, choices=GoalHorizon.choices,
                               default=GoalHorizon.ONE_YEAR)
    motivation = models.TextField(_("why it matters to me"), blank=True, max_length=4000)
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices,
                              default=GoalStatus.EXPLORING)
    shared_with_manager = models.BooleanField(_("share with my manager"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or str(self.target_role or "")


class OptionDecision(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    PURSUE = "pursue", _("Pursue it")
    LATER = "later", _("Keep for later")
    REJECT = "reject", _("Not for me")


class CareerOption(TenantModel):
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="career_options")
    title = models.CharField(_("option"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    pros = models.TextField(_("pros"), blank=True, max_length=4000)
    cons = models.TextField(_("cons"), blank=True, max_length=4000)
    decision = models.CharField(_("decision"), max_length=12, choices=OptionDecision.choices,
                                default=OptionDecision.UNDECIDED)
    decision_note = models.TextField(_("what I decided and why"), blank=True, max_length=4000)
    shared_with_manager = models.BooleanField(_("share with my manager"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class OptionCriterion(TenantModel):
    """What matters to the member when weighing options: values, skills, interest …"""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("criterion"), max_length=80)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "member", "name"],
                                    name="option_criterion_name"),
        ]

    def __str__(self) -> str:
        return self.name


class OptionRating(TenantModel):
    option = models.ForeignKey(CareerOption, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(OptionCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "option", "criterion"],
                                    name="option_rating_criterion"),
        ]


class ActionKind(models.TextChoices):
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring")
    ON_THE_JOB = "on_the_job", _("On-the-job learning")
    STRETCH = "stretch", _("Stretch project")
    CROSS_FUNCTIONAL = "cross_functional", _("Cross-functional project")
    CONFERENCE = "conference", _("Conference")
    READING = "reading", _("Reading")
    SHADOWING = "shadowing", _("Shadowing")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class DevelopmentAction(TenantModel):
    """An item of the member's development plan. Done training hours feed leadership metrics."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE,
                               related_name="development_actions")
    title = models.CharField(_("action"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices,
                            default=ActionKind.TRAINING)
    skill = models.ForeignKey(Skill, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("skill it develops"))
    resource = models.ForeignKey(LearningResource, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True,
                                blank=True, validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000,
                                help_text=_("What you did or produced: a certificate, a link, "
                                            "a note."))
    completed_at = models.DateTimeField(null=True, blank=True)
    shared_with_manager = models.BooleanField(_("share with my manager"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        indexes = [models.Index(fields=["organization", "member", "status"],
                                name="action_member_status")]

    def __str__(self) -> str:
        return self.title
