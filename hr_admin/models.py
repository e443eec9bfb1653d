"""What HR runs: people imports, career moves, internal opportunities, succession, Office Career
Champions, success stories, the health check and leaders' goals and metric snapshots.

Privacy, following DESIGN.md: succession nominations are seen by HR and leaders, and by the
manager who wrote them (their own only); employees never see them. An import's uploaded file is
kept only while the run needs it; once applied (or abandoned) only counts and line-numbered
problems remain, and those are scrubbed when a leaver is erased. A success story is published
only with its subject's recorded consent, and withdrawing consent unpublishes it.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conversations.models import Recommendation
from organizations.models import Membership, Team
from organizations.tenancy import TenantModel
from skills.models import RoleProfile, Skill

TEXT_MAX_LENGTH = 10_000
TITLE_MAX_LENGTH = 200


# --- People import ------------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Checked, not applied")
    INVALID = "invalid", _("Has problems")
    QUEUED = "queued", _("Waiting to apply")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class PeopleImport(TenantModel):
    """One uploaded HRIS export: checked whole in a dry run, then applied by a Celery task.

    ``content`` holds the file only while it can still be applied; ``problems`` is the dry run's
    list of ``{"line", "column", "message"}``; ``summary`` the counts of what applying does (or
    did): created, updated, unchanged, deactivated, invited, moves.
    """

    uploaded_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    is_full = models.BooleanField(
        _("this file lists everyone"), default=False,
        help_text=_("Members missing from a full import can be deactivated."))
    deactivate_missing = models.BooleanField(_("deactivate members missing from the file"),
                                             default=False)
    send_invitations = models.BooleanField(_("invite new people"), default=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.VALIDATED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_org_time")]

    def __str__(self) -> str:
        return self.file_name or str(self.pk)


# --- Career moves -------------------------------------------------------------------------------


class MoveKind(models.TextChoices):
    HIRE = "hire", _("Hire")
    PROMOTION = "promotion", _("Promotion")
    LATERAL = "lateral", _("Lateral move")
    CROSS_FUNCTIONAL = "cross_functional", _("Cross-functional move")
    ASSIGNMENT = "assignment", _("Project or gig")
    EXIT = "exit", _("Exit")


class MoveSource(models.TextChoices):
    IMPORT = "import", _("People import")
    PROFILE = "profile", _("Profile change")
    OPPORTUNITY = "opportunity", _("Internal opportunity")
    RECOMMENDATION = "recommendation", _("Recommendation")
    MANUAL = "manual", _("Recorded by HR")
    DEMO = "demo", _("Demo data")


class Move(TenantModel):
    """A change of a member's role profile, grade or team, or their arrival or exit.

    The ground truth for mobility metrics: one row per change, with what it changed from and to.
    Rows are never edited to tell a different story; a wrong one is deleted by HR and recorded
    again.
    """

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("kind"), max_length=16, choices=MoveKind.choices)
    effective_on = models.DateField(_("date"))
    from_role = models.ForeignKey(RoleProfile, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("from role"))
    to_role = models.ForeignKey(RoleProfile, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("to role"))
    from_grade = models.CharField(_("from grade"), max_length=20, blank=True)
    to_grade = models.CharField(_("to grade"), max_length=20, blank=True)
    from_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("from team"))
    to_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("to team"))
    is_internal_fill = models.BooleanField(default=False)
    # An exit only: whether the organisation wanted to keep this person; None while unknown.
    regretted = models.BooleanField(
        _("regretted leaver"), null=True, blank=True,
        help_text=_("For an exit: would the organisation have kept this person if it could?"))
    source = models.CharField(max_length=16, choices=MoveSource.choices,
                              default=MoveSource.MANUAL)
    opportunity = models.ForeignKey("Opportunity", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="moves")
    recommendation = models.ForeignKey(Recommendation, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-created_at"]
        indexes = [
            models.Index(fields=["organization", "member", "-effective_on"], name="move_member"),
            models.Index(fields=["organization", "kind", "effective_on"], name="move_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"


# --- Internal opportunities ---------------------------------------------------------------------


class OpportunityKind(models.TextChoices):
    ROLE = "role", _("Role")
    PROJECT = "project", _("Project")
    GIG = "gig", _("Gig")
    MENTORING = "mentoring", _("Mentoring")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("opportunity status", "Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed without filling")


class Opportunity(TenantModel):
    """An opening posted by HR or a manager: a role (a role profile), a project or gig (a share
    of time for a while) or mentoring, with the skills it asks for."""

    kind = models.CharField(_("kind"), max_length=10, choices=OpportunityKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    role = models.ForeignKey(RoleProfile, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="opportunities", verbose_name=_("role profile"))
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("team"))
    posted_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                  related_name="opportunities_posted")
    time_share = models.PositiveSmallIntegerField(
        _("share of time (%)"), null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(100)])
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(260)])
    location = models.CharField(_("location"), max_length=120, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    closes_on = models.DateField(_("applications close"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=OpportunityStatus.choices,
                              default=OpportunityStatus.OPEN)
    filled_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="opportunities_filled")
    filled_internally = models.BooleanField(null=True, blank=True)
    filled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [models.Index(fields=["organization", "status", "-created_at"],
                                name="opportunity_status")]

    def __str__(self) -> str:
        return self.title


class OpportunitySkill(TenantModel):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE,
                                    related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    is_core = models.BooleanField(_("essential"), default=True)

    class Meta:
        ordering = ["opportunity", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "opportunity", "skill"],
                                    name="opportunity_skill_once"),
        ]


class OpportunityBookmark(TenantModel):
    """A member saved an opportunity to come back to."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE,
                                    related_name="bookmarks")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "opportunity", "member"],
                                    name="opportunity_bookmark_once"),
        ]


class InterestStatus(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class ManagerApproval(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Waiting for the manager")
    APPROVED = "approved", _("Approved by the manager")
    DECLINED = "declined", _("Declined by the manager")


class OpportunityInterest(TenantModel):
    """A member's expression of interest. For a gig, their line manager approves the time."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE,
                                    related_name="interests")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE,
                               related_name="opportunity_interests")
    message = models.TextField(_("message to the poster"), max_length=4000, blank=True)
    status = models.CharField(max_length=12, choices=InterestStatus.choices,
                              default=InterestStatus.INTERESTED)
    approval = models.CharField(max_length=10, choices=ManagerApproval.choices,
                                default=ManagerApproval.NOT_NEEDED)
    approval_by = models.ForeignKey(Membership, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approval_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(_("note"), max_length=4000, blank=True)
    match_score = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "opportunity", "member"],
                                    name="opportunity_interest_once"),
        ]
        indexes = [models.Index(fields=["organization", "member"], name="interest_member")]


# --- Succession ---------------------------------------------------------------------------------


class Criticality(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")


class KeyPosition(TenantModel):
    """A position whose vacancy would hurt: a role profile, who holds it and how critical it is."""

    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="key_positions",
                             verbose_name=_("role profile"))
    title = models.CharField(_("position"), max_length=TITLE_MAX_LENGTH, blank=True,
                             help_text=_("Leave empty to use the role profile's title."))
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("team"))
    incumbent = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="key_positions_held",
                                  verbose_name=_("incumbent"))
    criticality = models.CharField(_("criticality"), max_length=8, choices=Criticality.choices,
                                   default=Criticality.HIGH)
    notes = models.TextField(_("notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["criticality", "title"]
        verbose_name = _("key position")
        verbose_name_plural = _("key positions")

    def __str__(self) -> str:
        return self.title or str(self.role)


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", _("Ready now")
    ONE_TWO_YEARS = "one_two_years", _("Ready in 1–2 years")  # noqa: RUF001
    THREE_PLUS = "three_plus", _("Ready in 3+ years")


class SuccessorNomination(TenantModel):
    position = models.ForeignKey(KeyPosition, on_delete=models.CASCADE,
                                 related_name="nominations")
    candidate = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                  related_name="successor_nominations")
    readiness = models.CharField(_("readiness"), max_length=14, choices=Readiness.choices)
    notes = models.TextField(_("notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    nominated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                     related_name="successor_nominations_made")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["readiness", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "position", "candidate"],
                                    name="successor_once_per_position"),
        ]
        indexes = [models.Index(fields=["organization", "nominated_by"],
                                name="successor_nominated_by")]


# --- Office Career Champions --------------------------------------------------------------------


class ChampionCriterion(models.TextChoices):
    COMMITMENT = "commitment", _("Demonstrates commitment to the organisation and its values")
    MENTORING = "mentoring", _("Mentors and supports people to get the best out of them")
    ADVOCACY = "advocacy", _("Champions career development within the organisation")
    OWN_CAREER = "own_career", _("Takes and creates opportunities to progress their own career")
    CONVERSATIONS = "conversations", _("Has regular career conversations with their team members")


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for HR")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Not confirmed")


class ChampionNomination(TenantModel):
    """Anyone nominates a colleague as an Office Career Champion, with evidence per criterion
    (``evidence`` maps a ``ChampionCriterion`` value to what they saw); HR confirms."""

    nominee = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                related_name="champion_nominations")
    nominated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                     related_name="champion_nominations_made")
    evidence = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=NominationStatus.choices,
                              default=NominationStatus.PENDING)
    decided_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "nominee", "nominated_by"],
                                    condition=Q(status="pending"),
                                    name="champion_nomination_one_pending"),
            models.CheckConstraint(condition=~Q(nominee=F("nominated_by")),
                                   name="champion_not_self"),
        ]


class Champion(TenantModel):
    """A confirmed Office Career Champion: a badge in the directory and a page of their own."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    since = models.DateField(_("champion since"))
    statement = models.TextField(
        _("how I can help"), max_length=4000, blank=True,
        help_text=_("What colleagues can come to you for: career conversations, mentoring, "
                    "finding opportunities …"))
    confirmed_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "member"],
                                    condition=Q(ended_at__isnull=True),
                                    name="champion_one_active"),
        ]


# --- Success stories ----------------------------------------------------------------------------


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_CONSENT = "awaiting_consent", _("Waiting for consent")
    DECLINED = "declined", _("Consent declined")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SuccessStory(TenantModel):
    """A story about a member's move, written by HR or a leader, published only with the
    member's recorded consent."""

    subject = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                related_name="success_stories")
    move = models.ForeignKey(Move, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("story"), max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    status = models.CharField(max_length=16, choices=StoryStatus.choices,
                              default=StoryStatus.DRAFT)
    consent_requested_at = models.DateTimeField(null=True, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = _("success stories")
        indexes = [models.Index(fields=["organization", "status", "-published_at"],
                                name="story_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(consent_given_at__isnull=False),
                name="story_published_with_consent"),
        ]

    def __str__(self) -> str:
        return self.title


# --- Career Management Culture Health Check -----------------------------------------------------
#
# Anonymity by construction: who took part (``SurveyParticipation``) and what was answered
# (``SurveyResponse``, ``SurveyAnswer``, ``SurveyComment``) share no column, no foreign key and no
# time: a response has a random UUID key (no insertion order to line up with participation) and
# no timestamp, and keeps only the coarse attributes results are sliced by (team at launch,
# tenure band). Comments are kept apart from the response they came with.


class HealthQuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 to 5")
    ENPS = "enps", _("Career eNPS, 0 to 10")
    COMMENT = "comment", _("Comment")


class HealthQuestion(TenantModel):
    """A question of the organisation's current health-check set. ``key`` names a shipped
    question (its text then follows the reader's language until HR rewords it); ``dimension``
    is one of the shipped dimension keys (hr_admin.health_content.DIMENSIONS)."""

    key = models.SlugField(max_length=60, blank=True)
    dimension = models.SlugField(_("dimension"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=HealthQuestionKind.choices,
                            default=HealthQuestionKind.LIKERT)
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], condition=~Q(key=""),
                                    name="health_question_key"),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyMode(models.TextChoices):
    QUICK = "quick", _("Quick self-assessment")
    SURVEY = "survey", _("Organisation-wide survey")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey status", "Open")
    CLOSED = "closed", _("Closed")


class Survey(TenantModel):
    """One health check: a quick self-assessment one person fills in, or a survey of the
    organisation (or chosen teams) between two dates. The anonymity thresholds are copied from
    the organisation at launch and never change afterwards."""

    mode = models.CharField(max_length=8, choices=SurveyMode.choices,
                            default=SurveyMode.SURVEY)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    status = models.CharField(max_length=8, choices=SurveyStatus.choices,
                              default=SurveyStatus.DRAFT)
    teams = models.ManyToManyField(Team, blank=True, related_name="+",
                                   verbose_name=_("teams"),
                                   help_text=_("Leave empty to ask the whole organisation."))
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"), default=5, validators=[MinValueValidator(3)])
    comment_min_group_size = models.PositiveSmallIntegerField(
        _("smallest group whose comments are shown"), default=10,
        validators=[MinValueValidator(3)])
    invited_count = models.PositiveIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status", "-created_at"],
                                name="survey_status")]
        constraints = [
            models.CheckConstraint(condition=Q(min_group_size__gte=3),
                                   name="survey_min_group_at_least_3"),
            models.CheckConstraint(condition=Q(comment_min_group_size__gte=3),
                                   name="survey_comment_min_group_at_least_3"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(TenantModel):
    """A question as the survey asked it: copied from the set at launch, so later edits to the
    set leave launched surveys alone, and keys let results compare with earlier surveys."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60, blank=True)
    dimension = models.SlugField(max_length=40, blank=True)
    kind = models.CharField(max_length=8, choices=HealthQuestionKind.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "position", "pk"]


class SurveyParticipation(TenantModel):
    """Who was asked, whether they have answered and when they were reminded. Nothing here
    leads to their answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE,
                               related_name="survey_participations")
    has_responded = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "survey", "member"],
                                    name="survey_participation_once"),
        ]
        indexes = [models.Index(fields=["organization", "survey", "has_responded"],
                                name="participation_pending")]


class TenureBand(models.TextChoices):
    UNDER_1 = "lt1", _("Less than a year")
    ONE_TO_3 = "1to3", _("1 to 3 years")
    THREE_TO_5 = "3to5", _("3 to 5 years")
    OVER_5 = "gt5", _("More than 5 years")
    UNKNOWN = "unknown", _("Not known")


class SurveyResponse(TenantModel):
    """One person's answers, with only the attributes results are sliced by."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    tenure_band = models.CharField(max_length=8, choices=TenureBand.choices,
                                   default=TenureBand.UNKNOWN)

    class Meta:
        indexes = [models.Index(fields=["organization", "survey", "team"],
                                name="response_survey_team")]


class SurveyAnswer(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
        ]
        indexes = [models.Index(fields=["organization", "question"], name="answer_question")]


class SurveyComment(TenantModel):
    """A free-text comment, kept apart from the response it came with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    tenure_band = models.CharField(max_length=8, choices=TenureBand.choices,
                                   default=TenureBand.UNKNOWN)
    text = models.TextField(max_length=4000)


class ScoreSlice(models.TextChoices):
    OVERALL = "overall", _("Overall")
    TEAM = "team", _("Team")
    TENURE = "tenure", _("Tenure")


class SurveyScore(TenantModel):
    """A computed figure: for one slice (overall, a team, a tenure band) and one question or
    dimension (or the index, or career eNPS). Rewritten whole by each scoring run; a suppressed
    figure is stored with why and without its numbers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="scores")
    slice_kind = models.CharField(max_length=8, choices=ScoreSlice.choices)
    slice_key = models.CharField(max_length=40, blank=True)
    # "question:<id>", "dimension:<key>", "index", "enps", "response_rate"
    measure = models.CharField(max_length=80)
    respondents = models.PositiveIntegerField(null=True, blank=True)
    favourable = models.FloatField(null=True, blank=True)
    mean = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    suppressed = models.CharField(max_length=16, blank=True)
    is_final = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "survey", "slice_kind", "slice_key",
                                            "measure"], name="survey_score_once"),
        ]
        # One measure of every team (the results page reads each team's index of thousands).
        indexes = [models.Index(fields=["organization", "survey", "measure", "slice_kind"],
                                name="survey_score_measure")]


class HealthAction(TenantModel):
    """A leader turns a recommended strategy into an action with an owner and a due date."""

    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="actions")
    dimension = models.SlugField(max_length=40, blank=True)
    strategy = models.SlugField(max_length=60, blank=True)
    title = models.CharField(_("action"), max_length=TITLE_MAX_LENGTH)
    notes = models.TextField(_("notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    owner = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="health_actions", verbose_name=_("owner"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["is_done", "due_on", "pk"]


class PublicHealthCheck(models.Model):
    """The quick self-assessment taken from the front page without an account. Not a tenant
    row: it belongs to nobody until its taker creates an organisation with it (by its token,
    kept only as a hash), and unclaimed ones are deleted after a while."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(max_length=8, default="en")
    answers = models.JSONField(default=dict)  # question key → value (and "comment")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


# --- Leadership metrics and goals ---------------------------------------------------------------


class MetricSnapshot(TenantModel):
    """One night's figure of one metric, for the whole organisation (``team`` empty) or for one
    team and everything under it. Written whole for a day by the nightly task, so dashboards read
    stored figures instead of counting members. ``numerator`` and ``denominator`` are what the
    value was worked out from (e.g. members covered and active members); the value is empty when
    the metric has nothing to measure yet (no key position, no closed survey …)."""

    day = models.DateField()
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    metric = models.CharField(max_length=40)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "metric", "day"],
                                    condition=Q(team__isnull=True),
                                    name="metric_snapshot_once_org"),
            models.UniqueConstraint(fields=["organization", "team", "metric", "day"],
                                    condition=Q(team__isnull=False),
                                    name="metric_snapshot_once_team"),
        ]
        indexes = [models.Index(fields=["organization", "day", "metric"],
                                name="metric_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.value}"


class GoalComparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class MetricGoal(TenantModel):
    """A leader's target for one metric over a period: "internal promotion rate at least 30 %
    in 2027". For the whole organisation, or for one team (and everything under it)."""

    metric = models.CharField(_("metric"), max_length=40)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("team"),
                             help_text=_("Leave empty for the whole organisation."))
    comparison = models.CharField(_("the figure should be"), max_length=8,
                                  choices=GoalComparison.choices,
                                  default=GoalComparison.AT_LEAST)
    target = models.FloatField(_("target"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.TextField(_("why this goal"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ends_on", "metric", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="metric_goal_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.get_comparison_display()} {self.target:g}"
