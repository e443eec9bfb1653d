"""Skills frameworks, role profiles, career paths and check-in assessments."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership
from organizations.tenancy import TenantModel
from skills.translations import Translatable


class Framework(TenantModel, Translatable):
    """A skills framework: categories, skills and an ordered scale of levels."""

    TRANSLATED_FIELDS = ("name", "description")


    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skills framework")
        verbose_name_plural = _("skills frameworks")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="framework_unique_name",
                                    violation_error_message=_("A framework of this name exists.")),
        ]

    def __str__(self) -> str:
        return self.shown_name


class Level(TenantModel, Translatable):
    """One step of a framework's scale, e.g. 3 “Apply”. Higher rank = more responsibility."""

    TRANSLATED_FIELDS = ("name", "descriptor")


    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    name = models.CharField(_("name"), max_length=80)
    descriptor = models.TextField(_("generic descriptor"), blank=True)

    class Meta:
        ordering = ["framework", "rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["organization", "framework", "rank"],
                                    name="level_unique_rank",
                                    violation_error_message=_("This rank is already used.")),
        ]

    def __str__(self) -> str:
        return f"{self.rank} · {self.shown_name}"

    @property
    def shown_descriptor(self) -> str:
        return self.shown("descriptor")


class SkillCategory(TenantModel, Translatable):
    TRANSLATED_FIELDS = ("name",)

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", verbose_name=_("parent category"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "framework", "parent", "name"],
                name="category_unique_name", nulls_distinct=False,
                violation_error_message=_("A category of this name exists at this place."),
            ),
        ]

    def __str__(self) -> str:
        return self.shown_name


class Skill(TenantModel, Translatable):
    TRANSLATED_FIELDS = ("name", "description", "emerging_note")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="skills")
    category = models.ForeignKey(SkillCategory, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="skills", verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_emerging = models.BooleanField(
        _("emerging"), default=False,
        help_text=_("A skill the organisation will need more of; people whose roles need it are "
                    "told."),
    )
    emerging_note = models.TextField(_("why it is emerging"), blank=True)
    emerging_since = models.DateField(_("emerging since"), null=True, blank=True)
    is_retired = models.BooleanField(
        _("retired"), default=False,
        help_text=_("Kept for history; no longer offered for new requirements or check-ins."),
    )
    external_uri = models.CharField(
        _("external identifier"), max_length=255, blank=True,
        help_text=_("Where the skill was imported from, e.g. an ESCO concept URI."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["organization", "framework", "name"],
                                    name="skill_unique_name",
                                    violation_error_message=_("A skill of this name exists.")),
        ]
        indexes = [models.Index(fields=["organization", "is_emerging"], name="skill_emerging")]

    def __str__(self) -> str:
        return self.shown_name


class SkillLevelDescriptor(TenantModel, Translatable):
    """What a level means for one skill: “level 3 in Data Modelling means …”."""

    TRANSLATED_FIELDS = ("description",)


    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="+")
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["skill", "level__rank"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "skill", "level"],
                                    name="descriptor_unique_level"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} @ {self.level}"


class Track(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual contributor")
    MANAGEMENT = "management", _("Management")
    SPECIALIST = "specialist", _("Specialist")
    EXECUTIVE = "executive", _("Executive")


class RoleProfile(TenantModel, Translatable):
    """A role and what it asks for: required skills at minimum levels."""

    TRANSLATED_FIELDS = ("title", "family", "description")


    # Services refuse to delete a framework in use; CASCADE lets an organisation be erased whole.
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("title"), max_length=120)
    family = models.CharField(_("job family"), max_length=80, blank=True,
                              help_text=_("e.g. Engineering, Sales, People."))
    track = models.CharField(_("track"), max_length=16, choices=Track.choices,
                             default=Track.INDIVIDUAL)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    external_uri = models.CharField(_("external identifier"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "grade", "title"]
        verbose_name = _("role profile")
        verbose_name_plural = _("role profiles")
        constraints = [
            models.UniqueConstraint(fields=["organization", "title"], name="role_unique_title",
                                    violation_error_message=_("A role of this title exists.")),
        ]

    def __str__(self) -> str:
        return self.shown_title


class Importance(models.TextChoices):
    CORE = "core", _("Core")
    DESIRABLE = "desirable", _("Desirable")


class RoleRequirement(TenantModel):
    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="requirements")
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    importance = models.CharField(_("importance"), max_length=12, choices=Importance.choices,
                                  default=Importance.CORE)

    class Meta:
        ordering = ["role", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "role", "skill"],
                                    name="requirement_unique_skill",
                                    violation_error_message=_("This role already requires it.")),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.skill} ≥ {self.min_level}"


class MemberRole(TenantModel):
    """A member's current role profile (one at a time)."""

    member = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="role_link")
    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="holders")
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        indexes = [models.Index(fields=["organization", "role"], name="memberrole_org_role")]

    def __str__(self) -> str:
        return f"{self.member} → {self.role}"


class PathKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    LATERAL = "lateral", _("Lateral move")
    CROSS_FUNCTIONAL = "cross_functional", _("Cross-functional move")


class CareerPath(TenantModel, Translatable):
    """A directed move from one role profile to another."""

    TRANSLATED_FIELDS = ("notes",)


    from_role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE,
                                  related_name="paths_out", verbose_name=_("from role"))
    to_role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE,
                                related_name="paths_in", verbose_name=_("to role"))
    kind = models.CharField(_("kind of move"), max_length=20, choices=PathKind.choices,
                            default=PathKind.PROMOTION)
    typical_months = models.PositiveSmallIntegerField(
        _("typical time (months)"), null=True, blank=True,
        validators=[MaxValueValidator(240)],
        help_text=_("How long people usually spend in the first role before this move."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["from_role__title", "to_role__title"]
        verbose_name = _("career path")
        verbose_name_plural = _("career paths")
        constraints = [
            models.UniqueConstraint(fields=["organization", "from_role", "to_role"],
                                    name="path_unique_pair",
                                    violation_error_message=_("This path already exists.")),
            models.CheckConstraint(condition=~Q(from_role=F("to_role")),
                                   name="path_not_to_itself",
                                   violation_error_message=_("A path must lead to another role.")),
        ]

    def __str__(self) -> str:
        return f"{self.from_role} → {self.to_role}"


class ResourceKind(models.TextChoices):
    COURSE = "course", _("Course")
    BOOK = "book", _("Book")
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    MENTORING = "mentoring", _("Mentoring")
    PRACTICE = "practice", _("On-the-job practice")
    CONFERENCE = "conference", _("Conference")


class LearningResource(TenantModel, Translatable):
    TRANSLATED_FIELDS = ("title",)

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices,
                            default=ResourceKind.COURSE)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True,
                                blank=True, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["skill", "title"]
        verbose_name = _("learning resource")
        verbose_name_plural = _("learning resources")

    def __str__(self) -> str:
        return self.shown_title


class CheckInStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Waiting for manager")
    VALIDATED = "validated", _("Validated")


class CheckIn(TenantModel):
    """A skills check-in: the member rates skills against a role; the manager validates.

    Its items copy the role's requirements when it starts, so later edits of the framework do not
    move its goalposts.
    """

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="check_ins")
    role = models.ForeignKey(RoleProfile, null=True, on_delete=models.SET_NULL,
                             related_name="check_ins")
    role_title = models.CharField(max_length=120)
    status = models.CharField(max_length=12, choices=CheckInStatus.choices,
                              default=CheckInStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    manager_comment = models.TextField(_("manager's comment"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "member", "-created_at"], name="checkin_member"),
            models.Index(fields=["organization", "status"], name="checkin_status"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.role_title} · {self.created_at:%Y-%m-%d}"

    @property
    def shown_role_title(self) -> str:
        """The role's title in the reader's language; the copy kept at the start otherwise."""
        return self.role.shown_title if self.role is not None else self.role_title


class CheckInItem(TenantModel):
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="items")
    skill = models.ForeignKey(Skill, null=True, on_delete=models.SET_NULL, related_name="+")
    skill_name = models.CharField(max_length=120)
    required_level = models.PositiveSmallIntegerField(null=True, blank=True)
    importance = models.CharField(max_length=12, choices=Importance.choices,
                                  default=Importance.CORE)
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    manager_level = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["skill_name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "check_in", "skill"],
                                    name="checkin_item_unique_skill"),
        ]

    def __str__(self) -> str:
        return self.skill_name

    @property
    def shown_skill_name(self) -> str:
        """The skill's name in the reader's language; the copy kept at the start otherwise."""
        return self.skill.shown_name if self.skill is not None else self.skill_name


class RatingChange(TenantModel):
    """History of every rating change in a check-in: who, when, from, to."""

    class Field(models.TextChoices):
        SELF = "self", _("Self-assessment")
        MANAGER = "manager", _("Manager's rating")

    item = models.ForeignKey(CheckInItem, on_delete=models.CASCADE, related_name="history")
    field = models.CharField(max_length=8, choices=Field.choices)
    changed_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at"]


class SkillRating(TenantModel):
    """A member's current standing in one skill, kept by the check-in services.

    ``validated_level`` comes from the latest validated check-in, ``self_level`` from the latest
    submitted self-assessment. Gap analysis reads this table alone.
    """

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="skill_ratings")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="ratings")
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    validated_level = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "member", "skill"],
                                    name="rating_unique_skill"),
        ]

    @property
    def level(self) -> int | None:
        return self.validated_level if self.validated_level is not None else self.self_level


class EmergingSkillNotice(TenantModel):
    """A member told that a skill their role needs is emerging. One per member and skill."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="notices")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "skill", "member"],
                                    name="notice_unique_member"),
        ]


def validate_same_organization(*objs) -> None:
    orgs = {o.organization_id for o in objs if o is not None}
    if len(orgs) > 1:
        raise ValidationError(_("Everything must belong to the same organisation."))
