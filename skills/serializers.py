"""Input and output serializers of the skills API.

Output serializers read only what the API's querysets have joined or prefetched, so a page of rows
costs no query per row. Input serializers check shape; the services enforce the rules. Every
foreign key a client may send is an ``organizations.serializers.ScopedPrimaryKeyRelatedField``
whose choices are the caller's organisation's rows, so another organisation's id is "Invalid pk"
and never reaches a service.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from organizations import selectors as org_selectors
from organizations.models import Membership, Team
from organizations.serializers import MemberRefSerializer, ScopedPrimaryKeyRelatedField

from . import selectors
from .models import (
    CheckInStatus,
    Framework,
    Importance,
    Level,
    PathKind,
    RatingChange,
    ResourceKind,
    RoleProfile,
    Skill,
    SkillCategory,
    Track,
)

LEVEL_RANK_MAX = 12

# --- Choices for foreign keys: always the caller's organisation's rows --------------------------


def framework_choices(*, organization):
    return Framework.objects.for_org(organization)


def level_choices(*, organization):
    return Level.objects.for_org(organization)


def category_choices(*, organization):
    return SkillCategory.objects.for_org(organization)


def skill_choices(*, organization):
    return Skill.objects.for_org(organization)


def role_choices(*, organization):
    return RoleProfile.objects.for_org(organization)


def member_choices(*, organization):
    return Membership.objects.for_org(organization).filter(is_active=True)


# --- References ---------------------------------------------------------------------------------


# The texts of organisation content in other languages; names and descriptions themselves are
# the text as written (in the organisation's default language).
TRANSLATIONS_HELP = _('The texts in other languages, by language code: {"fr": {"name": "…"}}. '
                      "A text not given there reads as written.")


class FrameworkRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SkillCategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SkillRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class RoleProfileRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


# --- Frameworks, levels, categories -------------------------------------------------------------


class FrameworkLevelSerializer(serializers.Serializer):
    """One step of a framework's scale; ``rank`` is what ratings and requirements store."""

    id = serializers.IntegerField(read_only=True)
    rank = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    descriptor = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=TRANSLATIONS_HELP)


class FrameworkSerializer(serializers.Serializer):
    """A skills framework with its scale of levels, lowest rank first."""

    # Reads a framework from the API's queryset: levels prefetched, counts annotated.

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=TRANSLATIONS_HELP)
    levels = FrameworkLevelSerializer(many=True, read_only=True)
    skill_count = serializers.IntegerField(read_only=True, help_text=_("Skills not retired."))
    role_count = serializers.IntegerField(read_only=True,
                                          help_text=_("Role profiles based on it."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class SkillCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    framework = FrameworkRefSerializer(read_only=True)
    name = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=TRANSLATIONS_HELP)
    parent = SkillCategoryRefSerializer(read_only=True, allow_null=True)


# --- Skills, descriptors, resources -------------------------------------------------------------


class SkillSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    framework = FrameworkRefSerializer(read_only=True)
    category = SkillCategoryRefSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    is_emerging = serializers.BooleanField(read_only=True)
    emerging_note = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=TRANSLATIONS_HELP)
    emerging_since = serializers.DateField(read_only=True, allow_null=True)
    is_retired = serializers.BooleanField(read_only=True)
    external_uri = serializers.CharField(read_only=True)


class SkillLevelDescriptorSerializer(serializers.Serializer):
    """What one level of the framework means for this skill."""

    level = FrameworkLevelSerializer(read_only=True)
    description = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=TRANSLATIONS_HELP)


class LearningResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    skill = serializers.IntegerField(source="skill_id", read_only=True,
                                     help_text=_("The skill's id."))
    title = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, allow_blank=True)
    kind = serializers.ChoiceField(ResourceKind.choices, read_only=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True,
                                     allow_null=True)


class SkillDetailSerializer(SkillSerializer):
    """A skill with what each level means for it and where to learn it."""

    descriptors = SkillLevelDescriptorSerializer(many=True, read_only=True)
    resources = LearningResourceSerializer(many=True, read_only=True)


# --- Role profiles, requirements, career paths --------------------------------------------------


class RoleProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    framework = FrameworkRefSerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    family = serializers.CharField(read_only=True)
    track = serializers.ChoiceField(Track.choices, read_only=True)
    grade = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=TRANSLATIONS_HELP)
    is_active = serializers.BooleanField(read_only=True)
    external_uri = serializers.CharField(read_only=True)
    requirement_count = serializers.IntegerField(read_only=True)
    holder_count = serializers.IntegerField(read_only=True,
                                            help_text=_("Active members in this role."))


class RoleRequirementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    role = RoleProfileRefSerializer(read_only=True)
    skill = SkillRefSerializer(read_only=True)
    min_level = serializers.IntegerField(read_only=True,
                                         help_text=_("Rank of a level of the role's framework."))
    importance = serializers.ChoiceField(Importance.choices, read_only=True)


class CareerPathSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    from_role = RoleProfileRefSerializer(read_only=True)
    to_role = RoleProfileRefSerializer(read_only=True)
    kind = serializers.ChoiceField(PathKind.choices, read_only=True)
    typical_months = serializers.IntegerField(read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True)
    translations = serializers.JSONField(read_only=True, help_text=TRANSLATIONS_HELP)


class RoleProfileDetailSerializer(RoleProfileSerializer):
    """A role profile with its required skills and the moves into and out of it."""

    requirements = RoleRequirementSerializer(many=True, read_only=True)
    paths_out = CareerPathSerializer(many=True, read_only=True,
                                     help_text=_("Moves from this role to others."))
    paths_in = CareerPathSerializer(many=True, read_only=True,
                                    help_text=_("Moves from other roles to this one."))


class MemberRoleSerializer(serializers.Serializer):
    """A member's current role profile; ``role`` is null when none is set."""

    member = MemberRefSerializer(read_only=True)
    role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    since = serializers.DateField(read_only=True, allow_null=True)


# --- Check-ins ----------------------------------------------------------------------------------


class SkillCheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    member = MemberRefSerializer(read_only=True)
    role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    role_title = serializers.CharField(
        read_only=True, help_text=_("The role's title when the check-in started.")
    )
    status = serializers.ChoiceField(CheckInStatus.choices, read_only=True)
    item_count = serializers.IntegerField(read_only=True, help_text=_("Skills to rate."))
    rated_count = serializers.IntegerField(read_only=True,
                                           help_text=_("Skills the member has rated."))
    created_at = serializers.DateTimeField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    validated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    validated_by = MemberRefSerializer(read_only=True, allow_null=True)
    manager_comment = serializers.CharField(read_only=True)


class RatingChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(RatingChange.Field.choices, read_only=True)
    changed_by = MemberRefSerializer(read_only=True, allow_null=True)
    from_level = serializers.IntegerField(read_only=True, allow_null=True)
    to_level = serializers.IntegerField(read_only=True, allow_null=True)
    changed_at = serializers.DateTimeField(read_only=True)


class SkillCheckInItemSerializer(serializers.Serializer):
    """One skill of a check-in: the requirement it copied, both ratings side by side."""

    id = serializers.IntegerField(read_only=True)
    skill = SkillRefSerializer(read_only=True, allow_null=True,
                               help_text=_("Null when the skill has since been deleted."))
    skill_name = serializers.CharField(read_only=True)
    required_level = serializers.IntegerField(read_only=True, allow_null=True)
    importance = serializers.ChoiceField(Importance.choices, read_only=True)
    self_level = serializers.IntegerField(read_only=True, allow_null=True)
    manager_level = serializers.IntegerField(read_only=True, allow_null=True)
    difference = serializers.SerializerMethodField(
        help_text=_("The manager's level minus the self level, when both exist.")
    )
    comment = serializers.CharField(read_only=True, help_text=_("The manager's comment."))
    history = RatingChangeSerializer(source="history_list", many=True, read_only=True,
                                     help_text=_("Every change of either level, oldest first."))

    def get_difference(self, item) -> int | None:
        if item.self_level is None or item.manager_level is None:
            return None
        return item.manager_level - item.self_level


class SkillCheckInDetailSerializer(serializers.Serializer):
    """A check-in, the scale it is rated on and its skills with both ratings side by side."""

    check_in = SkillCheckInSerializer(read_only=True)
    levels = FrameworkLevelSerializer(many=True, read_only=True)
    items = SkillCheckInItemSerializer(many=True, read_only=True)


# --- Gap analysis, readiness, pathway, team matrix ----------------------------------------------


class SkillGapItemSerializer(serializers.Serializer):
    skill = SkillRefSerializer(read_only=True)
    required_level = serializers.IntegerField(read_only=True)
    required_level_name = serializers.CharField(read_only=True)
    importance = serializers.ChoiceField(Importance.choices, read_only=True)
    self_level = serializers.IntegerField(read_only=True, allow_null=True)
    validated_level = serializers.IntegerField(read_only=True, allow_null=True)
    effective_level = serializers.IntegerField(
        read_only=True, help_text=_("The validated level, else the self level, else 0.")
    )
    effective_level_name = serializers.CharField(read_only=True)
    source = serializers.CharField(
        read_only=True,
        help_text=_("Where the effective level comes from: validated, self, or empty when the "
                    "skill is not rated yet."),
    )
    gap = serializers.IntegerField(read_only=True,
                                   help_text=_("Levels still to go; 0 when the level is met."))
    resources = LearningResourceSerializer(
        many=True, read_only=True, help_text=_("Ways to learn the skill, for a gap."),
    )


class SkillGapAnalysisSerializer(serializers.Serializer):
    """How far a member is from a role, skill by skill: core skills first, largest gaps first."""

    member = MemberRefSerializer(read_only=True)
    role = RoleProfileRefSerializer(read_only=True)
    readiness = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text=_("0 to 100; core skills weigh twice as much as desirable ones. Null when the "
                    "role requires no skills."),
    )
    met_count = serializers.IntegerField(read_only=True)
    core_gap_count = serializers.IntegerField(read_only=True)
    total_gap = serializers.IntegerField(read_only=True)
    levels = FrameworkLevelSerializer(many=True, read_only=True)
    items = SkillGapItemSerializer(many=True, read_only=True)


class RoleReadinessSerializer(serializers.Serializer):
    """A member's readiness for one role profile."""

    role = RoleProfileRefSerializer(read_only=True)
    readiness = serializers.IntegerField(read_only=True, allow_null=True,
                                         help_text=_("0 to 100; null when the role requires "
                                                     "no skills."))
    requirement_count = serializers.IntegerField(read_only=True)
    met_count = serializers.IntegerField(read_only=True)
    gap_count = serializers.IntegerField(read_only=True)
    core_gap_count = serializers.IntegerField(read_only=True)
    total_gap = serializers.IntegerField(read_only=True)
    is_current = serializers.BooleanField(read_only=True,
                                          help_text=_("The member's current role."))


class PathwayViaSerializer(serializers.Serializer):
    """One way into a role two moves away."""

    role = RoleProfileRefSerializer(read_only=True, help_text=_("The role in between."))
    first = CareerPathSerializer(read_only=True)
    path = CareerPathSerializer(read_only=True)
    total_months = serializers.IntegerField(read_only=True, allow_null=True)


class PathwayStepSerializer(serializers.Serializer):
    role = RoleProfileRefSerializer(read_only=True)
    readiness = RoleReadinessSerializer(read_only=True)
    path = CareerPathSerializer(read_only=True, allow_null=True,
                                help_text=_("The move from the current role (one move away)."))
    via = PathwayViaSerializer(many=True, read_only=True,
                               help_text=_("The ways in (two moves away)."))
    typical_months = serializers.IntegerField(read_only=True, allow_null=True)


class PathwaySerializer(serializers.Serializer):
    """Where the member can go from their current role: one move away and two moves away."""

    current = RoleProfileRefSerializer(read_only=True, allow_null=True)
    current_readiness = RoleReadinessSerializer(read_only=True, allow_null=True)
    one_move = PathwayStepSerializer(many=True, read_only=True)
    two_moves = PathwayStepSerializer(many=True, read_only=True)


class TeamMatrixSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    framework = serializers.IntegerField(source="framework_id", read_only=True)


class TeamMatrixCellSerializer(serializers.Serializer):
    level = serializers.IntegerField(read_only=True, allow_null=True,
                                     help_text=_("Validated, else self-assessed; null if not "
                                                 "rated."))
    level_name = serializers.CharField(read_only=True)
    validated = serializers.BooleanField(read_only=True)
    required = serializers.IntegerField(read_only=True, allow_null=True)
    below = serializers.BooleanField(read_only=True,
                                     help_text=_("Below the level the row's role requires."))
    tone = serializers.IntegerField(read_only=True,
                                    help_text=_("Colour step, 1 (lowest) to 7; 0 if not rated."))


class TeamMatrixRowSerializer(serializers.Serializer):
    member = MemberRefSerializer(read_only=True)
    role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    readiness = serializers.IntegerField(read_only=True, allow_null=True)
    cells = TeamMatrixCellSerializer(many=True, read_only=True,
                                     help_text=_("One per skill, in the order of ``skills``."))


class TeamMatrixScaleSerializer(serializers.Serializer):
    framework = serializers.IntegerField(read_only=True)
    levels = FrameworkLevelSerializer(many=True, read_only=True)


class TeamMatrixSerializer(serializers.Serializer):
    """Members (rows, one page of them) by skills (columns) with each member's level."""

    count = serializers.IntegerField(read_only=True, help_text=_("Members in all pages."))
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    role = RoleProfileRefSerializer(read_only=True, allow_null=True,
                                    help_text=_("The role the columns come from, if chosen."))
    skills = TeamMatrixSkillSerializer(many=True, read_only=True)
    scales = TeamMatrixScaleSerializer(many=True, read_only=True)
    rows = TeamMatrixRowSerializer(many=True, read_only=True)


# --- Import -------------------------------------------------------------------------------------


class ImportProblemSerializer(serializers.Serializer):
    location = serializers.CharField(read_only=True,
                                     help_text=_("A CSV line and column, or a JSON pointer."))
    message = serializers.CharField(read_only=True)


class ImportSummarySerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    created = serializers.IntegerField(read_only=True)
    updated = serializers.IntegerField(read_only=True)
    unchanged = serializers.IntegerField(read_only=True)


class FrameworkImportReportSerializer(serializers.Serializer):
    """What an import did or, in a dry run, would do."""

    format = serializers.CharField(source="fmt", read_only=True)
    dry_run = serializers.BooleanField(read_only=True)
    applied = serializers.BooleanField(read_only=True,
                                       help_text=_("True when the changes were saved."))
    framework = FrameworkRefSerializer(read_only=True, allow_null=True)
    framework_name = serializers.CharField(read_only=True)
    framework_created = serializers.BooleanField(read_only=True)
    summary = ImportSummarySerializer(many=True, read_only=True)
    warnings = ImportProblemSerializer(many=True, read_only=True)


# --- Input --------------------------------------------------------------------------------------
# Labels match the models' verbose names, so pages and API share their translations.


class LevelInputSerializer(serializers.Serializer):
    """A level of a scale. New levels go on top: their rank is the next one up."""

    name = serializers.CharField(label=_("name"), max_length=80)
    descriptor = serializers.CharField(label=_("generic descriptor"), required=False,
                                       allow_blank=True)


class FrameworkInputSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("name"), max_length=120)
    description = serializers.CharField(label=_("description"), required=False,
                                        allow_blank=True)


class FrameworkUpdateSerializer(FrameworkInputSerializer):
    translations = serializers.JSONField(label=_("translations"), required=False,
                                         help_text=TRANSLATIONS_HELP)


class LevelUpdateSerializer(LevelInputSerializer):
    translations = serializers.JSONField(label=_("translations"), required=False,
                                         help_text=TRANSLATIONS_HELP)


class FrameworkCreateSerializer(FrameworkInputSerializer):
    levels = LevelInputSerializer(
        many=True, required=False, max_length=LEVEL_RANK_MAX,
        help_text=_("The scale, lowest level first; they become ranks 1, 2, …"),
    )


class CategoryInputSerializer(serializers.Serializer):
    framework = ScopedPrimaryKeyRelatedField(Framework, framework_choices, label=_("framework"))
    name = serializers.CharField(label=_("name"), max_length=120)
    parent = ScopedPrimaryKeyRelatedField(SkillCategory, category_choices,
                                          label=_("parent category"), required=False,
                                          allow_null=True)


class CategoryUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("name"), max_length=120, required=False)
    parent = ScopedPrimaryKeyRelatedField(SkillCategory, category_choices,
                                          label=_("parent category"), required=False,
                                          allow_null=True)
    translations = serializers.JSONField(label=_("translations"), required=False,
                                         help_text=TRANSLATIONS_HELP)


class CategoryListQuerySerializer(serializers.Serializer):
    framework = ScopedPrimaryKeyRelatedField(
        Framework, framework_choices, label=_("framework"), required=False,
        help_text=_("Only the categories of this framework (a framework id)."),
    )


class SkillListQuerySerializer(serializers.Serializer):
    framework = ScopedPrimaryKeyRelatedField(
        Framework, framework_choices, label=_("framework"), required=False,
        help_text=_("Only the skills of this framework (a framework id)."),
    )
    q = serializers.CharField(label=_("Search"), required=False, allow_blank=True,
                              max_length=100,
                              help_text=_("Words to look for in the name or description."))
    emerging = serializers.BooleanField(label=_("emerging"), required=False, allow_null=True,
                                        default=None,
                                        help_text=_("Only emerging (true) or other (false) "
                                                    "skills."))
    retired = serializers.BooleanField(label=_("retired"), required=False, allow_null=True,
                                       default=None,
                                       help_text=_("Only retired (true) or current (false) "
                                                   "skills. All skills when absent."))


class SkillCreateSerializer(serializers.Serializer):
    framework = ScopedPrimaryKeyRelatedField(Framework, framework_choices, label=_("framework"))
    category = ScopedPrimaryKeyRelatedField(SkillCategory, category_choices,
                                            label=_("category"), required=False,
                                            allow_null=True)
    name = serializers.CharField(label=_("name"), max_length=120)
    description = serializers.CharField(label=_("description"), required=False,
                                        allow_blank=True)
    external_uri = serializers.CharField(label=_("external identifier"), required=False,
                                         allow_blank=True, max_length=255)


class SkillUpdateSerializer(serializers.Serializer):
    """HR's edit of a skill. Only the fields sent change.

    ``is_emerging`` and ``emerging_note`` go through the emerging-skill flag, which tells the
    members whose roles need the skill.
    """

    category = ScopedPrimaryKeyRelatedField(SkillCategory, category_choices,
                                            label=_("category"), required=False,
                                            allow_null=True)
    name = serializers.CharField(label=_("name"), max_length=120, required=False)
    description = serializers.CharField(label=_("description"), required=False,
                                        allow_blank=True)
    is_retired = serializers.BooleanField(label=_("retired"), required=False)
    external_uri = serializers.CharField(label=_("external identifier"), required=False,
                                         allow_blank=True, max_length=255)
    is_emerging = serializers.BooleanField(label=_("emerging"), required=False)
    emerging_note = serializers.CharField(label=_("why it is emerging"), required=False,
                                          allow_blank=True)
    translations = serializers.JSONField(label=_("translations"), required=False,
                                         help_text=TRANSLATIONS_HELP)


class DescriptorInputSerializer(serializers.Serializer):
    level = ScopedPrimaryKeyRelatedField(Level, level_choices, label=_("level"))
    description = serializers.CharField(
        label=_("description"), allow_blank=True,
        help_text=_("What this level means for the skill; empty removes it."),
    )


class DescriptorsInputSerializer(serializers.Serializer):
    descriptors = DescriptorInputSerializer(
        many=True, allow_empty=False, label=_("descriptors"),
        help_text=_("What each level means for the skill; levels not listed stay as they are."),
    )


# The request bodies of resources and paths are named after what they create, so each choice set
# (resource kind, path kind) belongs to one schema component and keeps a stable enum name.
@extend_schema_serializer(component_name="LearningResource")
class ResourceInputSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("title"), max_length=200)
    url = serializers.URLField(label=_("link"), required=False, allow_blank=True,
                               max_length=200)
    kind = serializers.ChoiceField(ResourceKind.choices, label=_("kind"), required=False,
                                   default=ResourceKind.COURSE)
    hours = serializers.DecimalField(label=_("hours"), max_digits=6, decimal_places=1,
                                     min_value=0, required=False, allow_null=True)


class RoleListQuerySerializer(serializers.Serializer):
    framework = ScopedPrimaryKeyRelatedField(
        Framework, framework_choices, label=_("framework"), required=False,
        help_text=_("Only the role profiles of this framework (a framework id)."),
    )
    q = serializers.CharField(label=_("Search"), required=False, allow_blank=True,
                              max_length=100,
                              help_text=_("Words to look for in the title or job family."))
    family = serializers.CharField(label=_("job family"), required=False, allow_blank=True,
                                   max_length=80)
    track = serializers.ChoiceField(Track.choices, label=_("track"), required=False)
    is_active = serializers.BooleanField(label=_("active"), required=False, allow_null=True,
                                         default=None)


class RoleInputSerializer(serializers.Serializer):
    framework = ScopedPrimaryKeyRelatedField(Framework, framework_choices, label=_("framework"))
    title = serializers.CharField(label=_("title"), max_length=120)
    family = serializers.CharField(label=_("job family"), required=False, allow_blank=True,
                                   max_length=80)
    track = serializers.ChoiceField(Track.choices, label=_("track"), required=False,
                                    default=Track.INDIVIDUAL)
    grade = serializers.CharField(label=_("grade"), required=False, allow_blank=True,
                                  max_length=20)
    description = serializers.CharField(label=_("description"), required=False,
                                        allow_blank=True)
    external_uri = serializers.CharField(label=_("external identifier"), required=False,
                                         allow_blank=True, max_length=255)


class RoleUpdateSerializer(serializers.Serializer):
    """HR's edit of a role profile. Only the fields sent change.

    ``framework`` changes only while the role requires no skills; ``is_active`` false withdraws
    the role (kept for its holders and history).
    """

    framework = ScopedPrimaryKeyRelatedField(Framework, framework_choices, label=_("framework"),
                                             required=False)
    title = serializers.CharField(label=_("title"), max_length=120, required=False)
    family = serializers.CharField(label=_("job family"), required=False, allow_blank=True,
                                   max_length=80)
    track = serializers.ChoiceField(Track.choices, label=_("track"), required=False)
    grade = serializers.CharField(label=_("grade"), required=False, allow_blank=True,
                                  max_length=20)
    description = serializers.CharField(label=_("description"), required=False,
                                        allow_blank=True)
    external_uri = serializers.CharField(label=_("external identifier"), required=False,
                                         allow_blank=True, max_length=255)
    is_active = serializers.BooleanField(label=_("active"), required=False)
    translations = serializers.JSONField(label=_("translations"), required=False,
                                         help_text=TRANSLATIONS_HELP)


class RequirementInputSerializer(serializers.Serializer):
    skill = ScopedPrimaryKeyRelatedField(Skill, skill_choices, label=_("skill"))
    min_level = serializers.IntegerField(
        label=_("minimum level"), min_value=1, max_value=LEVEL_RANK_MAX,
        help_text=_("Rank of a level of the role's framework."),
    )
    importance = serializers.ChoiceField(Importance.choices, label=_("importance"),
                                         required=False, default=Importance.CORE)


class RequirementUpdateSerializer(serializers.Serializer):
    min_level = serializers.IntegerField(label=_("minimum level"), min_value=1,
                                         max_value=LEVEL_RANK_MAX, required=False)
    importance = serializers.ChoiceField(Importance.choices, label=_("importance"),
                                         required=False)


class PathListQuerySerializer(serializers.Serializer):
    role = ScopedPrimaryKeyRelatedField(
        RoleProfile, role_choices, label=_("role"), required=False,
        help_text=_("Only the moves into or out of this role profile (a role id)."),
    )
    kind = serializers.ChoiceField(PathKind.choices, label=_("kind of move"), required=False)


@extend_schema_serializer(component_name="CareerPath")
class PathInputSerializer(serializers.Serializer):
    from_role = ScopedPrimaryKeyRelatedField(RoleProfile, role_choices, label=_("from role"))
    to_role = ScopedPrimaryKeyRelatedField(RoleProfile, role_choices, label=_("to role"))
    kind = serializers.ChoiceField(PathKind.choices, label=_("kind of move"), required=False,
                                   default=PathKind.PROMOTION)
    typical_months = serializers.IntegerField(label=_("typical time (months)"), min_value=0,
                                              max_value=240, required=False, allow_null=True)
    notes = serializers.CharField(label=_("notes"), required=False, allow_blank=True)

    def validate(self, attrs):
        if "from_role" in attrs and attrs.get("from_role") == attrs.get("to_role"):
            raise serializers.ValidationError(
                {"to_role": [_("A path must lead to another role.")]}
            )
        return attrs


class MemberRoleInputSerializer(serializers.Serializer):
    role = ScopedPrimaryKeyRelatedField(
        RoleProfile, selectors.role_choices, label=_("role"), allow_null=True,
        help_text=_("The member's current role profile; null clears it."),
    )


class CheckInListQuerySerializer(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(
        Membership, member_choices, label=_("member"), required=False,
        help_text=_("Only this member's check-ins (yourself or one of your reports)."),
    )
    status = serializers.ChoiceField(CheckInStatus.choices, label=_("status"), required=False)


class CheckInStartSerializer(serializers.Serializer):
    role = ScopedPrimaryKeyRelatedField(
        RoleProfile, selectors.role_choices, label=_("role"), required=False, allow_null=True,
        help_text=_("The role profile to rate yourself against; your current role when "
                    "absent."),
    )


class RatingsInputSerializer(serializers.Serializer):
    """Self levels: ``{"ratings": {"<item id>": <rank or null>, …}}``.

    The bare ``{"<item id>": <rank or null>, …}`` is accepted too.
    """

    ratings = serializers.DictField(
        label=_("ratings"),
        child=serializers.IntegerField(min_value=1, max_value=LEVEL_RANK_MAX, allow_null=True),
        allow_empty=False,
        help_text=_("Level rank by check-in item id; null clears a rating."),
    )

    def validate_ratings(self, value: dict) -> dict[int, int | None]:
        parsed = {}
        for key, level in value.items():
            try:
                parsed[int(key)] = level
            except (TypeError, ValueError):
                raise serializers.ValidationError(
                    _("“%(key)s” is not a check-in item id.") % {"key": key}
                ) from None
        return parsed


class ManagerRatingsInputSerializer(RatingsInputSerializer):
    """The manager's levels and comments by check-in item; either may be left out."""

    ratings = serializers.DictField(
        label=_("ratings"),
        child=serializers.IntegerField(min_value=1, max_value=LEVEL_RANK_MAX, allow_null=True),
        required=False, default=dict,
        help_text=_("Level rank by check-in item id; null clears a rating."),
    )
    comments = serializers.DictField(
        label=_("comments"), child=serializers.CharField(allow_blank=True), required=False,
        help_text=_("The manager's comment by check-in item id."),
    )

    def validate_comments(self, value: dict) -> dict[int, str]:
        parsed = {}
        for key, comment in value.items():
            try:
                parsed[int(key)] = comment
            except (TypeError, ValueError):
                raise serializers.ValidationError(
                    _("“%(key)s” is not a check-in item id.") % {"key": key}
                ) from None
        return parsed


class CheckInValidateSerializer(serializers.Serializer):
    comment = serializers.CharField(label=_("manager's comment"), required=False,
                                    allow_blank=True)


class TeamMatrixQuerySerializer(serializers.Serializer):
    team = ScopedPrimaryKeyRelatedField(
        Team, org_selectors.team_choices, label=_("Team"), required=False,
        help_text=_("HR admins: the team to show (a team id). Without it, your direct reports."),
    )
    role = ScopedPrimaryKeyRelatedField(
        RoleProfile, role_choices, label=_("role"), required=False,
        help_text=_("Compare everyone with this role profile (a role id); by default each "
                    "member with their own role."),
    )


FORMAT_CHOICES = [("json", "JSON"), ("csv", "CSV")]


class FrameworkExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(FORMAT_CHOICES, label=_("format"), required=False,
                                     default="json")


class FrameworkImportSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("file"))
    format = serializers.ChoiceField(FORMAT_CHOICES, label=_("format"))
    dry_run = serializers.BooleanField(
        label=_("dry run"), required=False, default=False,
        help_text=_("Check the file and report what would change, without saving anything."),
    )

