"""Input and output serializers of the opportunities API.

Output serializers read only what the selectors joined (the match is computed beforehand), so
a page costs no query per row. Input serializers check shape; the services hold the rules.
Every id a client may send is a ``ScopedPrimaryKeyRelatedField`` of the caller's organisation
(role profiles, teams, skills) or of the opportunity in the URL (a candidate), so another
organisation's id is a field error that says nothing about whether it exists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations.models import Team
from organizations.selectors import team_choices
from organizations.serializers import (
    MemberRefSerializer,
    ScopedPrimaryKeyRelatedField,
    TeamRefSerializer,
)
from skills import selectors as skills_selectors
from skills.models import RoleProfile, Skill
from skills.serializers import RoleProfileRefSerializer, SkillRefSerializer

from .models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    InterestStatus,
    ManagerApproval,
    OpportunityInterest,
    OpportunityKind,
    OpportunityStatus,
)
from .selectors import opportunities as selectors
from .services.opportunities import (
    DECISIONS,
    MAX_SKILLS,
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    STATUS_ACTIONS,
)

# --- Output -------------------------------------------------------------------------------------


class SkillMatchSerializer(serializers.Serializer):
    skill = serializers.SerializerMethodField()
    min_level = serializers.IntegerField(read_only=True)
    essential = serializers.BooleanField(source="is_core", read_only=True)
    validated_level = serializers.IntegerField(read_only=True, allow_null=True,
                                               help_text=_("The member's validated level; "
                                                           "null if never validated."))
    met = serializers.BooleanField(source="is_met", read_only=True)

    @extend_schema_field(SkillRefSerializer)
    def get_skill(self, item) -> dict:
        return {"id": item.skill_id, "name": item.skill_name}


class MatchSerializer(serializers.Serializer):
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text=_(
        "0 to 100 from validated skills: essential skills weigh twice as much as desirable ones; "
        "null when the opening lists no skill."))
    skills = SkillMatchSerializer(source="items", many=True, read_only=True)
    has_count = serializers.SerializerMethodField()
    lacks_count = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField())
    def get_has_count(self, match) -> int:
        return len(match.has)

    @extend_schema_field(serializers.IntegerField())
    def get_lacks_count(self, match) -> int:
        return len(match.lacks)


class MyInterestSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="my_interest_id", read_only=True)
    status = serializers.ChoiceField(InterestStatus.choices, source="my_interest_status",
                                     read_only=True)
    approval = serializers.ChoiceField(ManagerApproval.choices, source="my_interest_approval",
                                       read_only=True)


class OpportunitySerializer(serializers.Serializer):
    """An opportunity as a member browses it, with their match."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(OpportunityKind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    posted_by = MemberRefSerializer(read_only=True, allow_null=True)
    time_share = serializers.IntegerField(read_only=True, allow_null=True)
    duration_weeks = serializers.IntegerField(read_only=True, allow_null=True)
    location = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True, allow_null=True)
    closes_on = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(OpportunityStatus.choices, read_only=True)
    needs_manager_approval = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    match = MatchSerializer(read_only=True)
    is_saved = serializers.BooleanField(read_only=True)
    my_interest = serializers.SerializerMethodField(
        help_text=_("The caller's own interest, or null."))

    @extend_schema_field(serializers.BooleanField())
    def get_needs_manager_approval(self, opportunity) -> bool:
        return selectors.needs_manager_approval(opportunity.kind)

    @extend_schema_field(MyInterestSerializer(allow_null=True))
    def get_my_interest(self, opportunity) -> dict | None:
        if not getattr(opportunity, "my_interest_id", None):
            return None
        return MyInterestSerializer(opportunity).data


class OpportunityDetailSerializer(OpportunitySerializer):
    """One opportunity; who filled it is shown to those who manage it."""

    filled_internally = serializers.BooleanField(read_only=True, allow_null=True)
    filled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    filled_by = serializers.SerializerMethodField()
    can_manage = serializers.SerializerMethodField()

    @extend_schema_field(MemberRefSerializer(allow_null=True))
    def get_filled_by(self, opportunity) -> dict | None:
        membership = self.context.get("membership")
        if opportunity.filled_by is None or membership is None or \
                not selectors.can_manage(membership, opportunity):
            return None
        return MemberRefSerializer(opportunity.filled_by).data

    @extend_schema_field(serializers.BooleanField())
    def get_can_manage(self, opportunity) -> bool:
        membership = self.context.get("membership")
        return membership is not None and selectors.can_manage(membership, opportunity)


class ManagedOpportunitySerializer(serializers.Serializer):
    """An opening as its poster and HR manage it."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(OpportunityKind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(OpportunityStatus.choices, read_only=True)
    role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    posted_by = MemberRefSerializer(read_only=True, allow_null=True)
    closes_on = serializers.DateField(read_only=True, allow_null=True)
    candidate_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)
    approved_count = serializers.IntegerField(read_only=True)
    filled_internally = serializers.BooleanField(read_only=True, allow_null=True)
    filled_by = MemberRefSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class InterestOpportunitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(OpportunityKind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(OpportunityStatus.choices, read_only=True)
    time_share = serializers.IntegerField(read_only=True, allow_null=True)
    duration_weeks = serializers.IntegerField(read_only=True, allow_null=True)


class InterestSerializer(serializers.Serializer):
    """An expression of interest: for the member, the poster, HR and, for a project or gig,
    the member's line manager."""

    id = serializers.IntegerField(read_only=True)
    opportunity = InterestOpportunitySerializer(read_only=True)
    member = MemberRefSerializer(read_only=True)
    message = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(InterestStatus.choices, read_only=True)
    approval = serializers.ChoiceField(ManagerApproval.choices, read_only=True)
    approval_by = MemberRefSerializer(read_only=True, allow_null=True)
    approval_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approval_note = serializers.CharField(read_only=True)
    match_score = serializers.IntegerField(read_only=True, allow_null=True, help_text=_(
        "The member's match when they expressed interest."))
    created_at = serializers.DateTimeField(read_only=True)


class CandidateSerializer(serializers.Serializer):
    """A candidate, ranked by their current match."""

    interest = InterestSerializer(read_only=True)
    current_match = MatchSerializer(source="match", read_only=True, help_text=_(
        "The match from the member's validated skills today."))


# --- Input --------------------------------------------------------------------------------------


def _skill_choices(*, organization):
    return selectors.skill_choices(organization=organization)


def _role_choices(*, organization):
    return skills_selectors.role_choices(organization=organization)


class SkillRequirementInputSerializer(serializers.Serializer):
    skill = ScopedPrimaryKeyRelatedField(Skill, _skill_choices,
                                         help_text=_("A skill that is not retired."))
    min_level = serializers.IntegerField(min_value=1, max_value=12)
    essential = serializers.BooleanField(default=True, help_text=_(
        "Essential skills weigh twice as much as desirable ones in the match."))


class OpportunityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(OpportunityKind.choices)
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False,
                                        allow_blank=True, default="")
    role = ScopedPrimaryKeyRelatedField(RoleProfile, _role_choices, required=False,
                                        allow_null=True, default=None, help_text=_(
                                            "An active role profile: required for a role, "
                                            "ignored otherwise."))
    team = ScopedPrimaryKeyRelatedField(Team, team_choices, required=False, allow_null=True,
                                        default=None)
    time_share = serializers.IntegerField(min_value=5, max_value=100, required=False,
                                          allow_null=True, default=None, help_text=_(
                                              "Percent of the week: required for a project "
                                              "or gig, ignored otherwise."))
    duration_weeks = serializers.IntegerField(min_value=1, max_value=260, required=False,
                                              allow_null=True, default=None, help_text=_(
                                                  "Required for a project or gig, ignored "
                                                  "otherwise."))
    location = serializers.CharField(max_length=120, required=False, allow_blank=True,
                                     default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)
    skills = SkillRequirementInputSerializer(many=True, required=False, default=list,
                                             max_length=MAX_SKILLS, help_text=_(
                                                 "Required skills. A role given none takes "
                                                 "its role profile's requirements."))


class OpportunityCreateSerializer(OpportunityInputSerializer):
    publish = serializers.BooleanField(default=True, help_text=_(
        "False keeps it as a draft that only its poster and HR see."))


class StatusInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField([(a, a) for a in STATUS_ACTIONS], help_text=_(
        "publish a draft, close without filling, or reopen a closed opening."))


class InterestInputSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, required=False,
                                    allow_blank=True, default="")


class ApprovalInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField([(d, ManagerApproval(d).label) for d in DECISIONS])
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True,
                                 default="", help_text=_("Required when declining."))


class CandidateField(serializers.PrimaryKeyRelatedField):
    """An interest in the opportunity of the serializer context's ``opportunity``.

    Security invariant: with no opportunity (or organisation) in the context there are no
    valid choices at all.
    """

    def __init__(self, **kwargs):
        kwargs["queryset"] = OpportunityInterest._base_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        organization = self.context.get("organization")
        opportunity = self.context.get("opportunity")
        if organization is None or opportunity is None:
            return self.queryset.none()
        return (OpportunityInterest.objects.for_org(organization)
                .filter(opportunity=opportunity).select_related("member__user"))


class FillInputSerializer(serializers.Serializer):
    interest = CandidateField(required=False, allow_null=True, default=None, help_text=_(
        "The internal candidate's interest id (for a project or gig, approved by their "
        "manager)."))
    external = serializers.BooleanField(default=False, help_text=_(
        "True to record that someone from outside the organisation was hired."))


class BrowseQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(OpportunityKind.choices, required=False)
    team = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "A team id: that team and the teams below it."))
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    min_match = serializers.IntegerField(required=False, min_value=1, max_value=100,
                                         help_text=_("Only opportunities the caller matches "
                                                     "at least this much (percent)."))
    saved = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField([(s, s) for s in selectors.SORTS], required=False,
                                   default="match")


class ManagedQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(OpportunityStatus.choices, required=False)
    mine = serializers.BooleanField(required=False, default=False, help_text=_(
        "HR: only the openings the caller posted."))
