"""Serializers of HR's recommendations queue in the API: a recommendation with the member's
current role profile, and the decision (with the move it can record)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.models import Recommendation, RecommendationKind, RecommendationStatus
from conversations.serializers.feedback import DecisionInputSerializer, RecommendationSerializer
from organizations.serializers import ScopedPrimaryKeyRelatedField, TeamRefSerializer
from skills.models import RoleProfile

from .serializers_moves import MoveSerializer


class QueuedMemberRoleSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    grade = serializers.CharField(read_only=True)


class QueuedRecommendationSerializer(RecommendationSerializer):
    """A recommendation as HR's queue shows it."""

    member_team = TeamRefSerializer(source="member.team", read_only=True, allow_null=True)
    member_current_role = serializers.SerializerMethodField(
        help_text=_("The member's current role profile and grade, or null."))
    recommended_grade = serializers.SerializerMethodField()

    @extend_schema_field(QueuedMemberRoleSerializer(allow_null=True))
    def get_member_current_role(self, recommendation) -> dict | None:
        link = getattr(recommendation.member, "role_link", None)
        if link is None:
            return None
        role = link.role
        return {"id": role.pk, "title": role.title, "grade": role.grade}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recommended_grade(self, recommendation) -> str | None:
        return recommendation.role.grade if recommendation.role is not None else None


class QueueQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        [("", _("every status")), *RecommendationStatus.choices], required=False,
        default=RecommendationStatus.PENDING, allow_blank=True,
        help_text=_("Pending (the default: the longest-waiting first), another status, or "
                    "empty for every one."))
    kind = serializers.ChoiceField(RecommendationKind.choices, required=False)


def _roles(*, organization):
    return RoleProfile.objects.for_org(organization)


class QueueDecisionInputSerializer(DecisionInputSerializer):
    # Checked by the service, so that a missing note is reported with the move's problems.
    decision_note = serializers.CharField(
        max_length=Recommendation._meta.get_field("decision_note").max_length,
        required=False, allow_blank=True, default="",
        help_text=_("For the manager who wrote it: what happens next, or why not now "
                    "(required)."))
    record_move = serializers.BooleanField(
        required=False, default=False,
        help_text=_("Accepting a promotion or a role: also set the member's role profile and "
                    "record the move."))
    role = ScopedPrimaryKeyRelatedField(
        RoleProfile, _roles, required=False, allow_null=True, default=None,
        help_text=_("The role profile they move to; the recommended one when left out."))
    effective_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text=_("Today or earlier; today when left out."))


class QueueDecisionSerializer(serializers.Serializer):
    recommendation = QueuedRecommendationSerializer(read_only=True)
    move = MoveSerializer(read_only=True, allow_null=True)
