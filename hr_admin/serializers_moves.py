"""Input and output serializers of the career moves API.

Output serializers read only what ``selectors.moves`` joined. Input serializers check shape;
``services.moves`` holds the rules. Every id a client may send is scoped to the caller's
organisation.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organizations import selectors as org_selectors
from organizations.models import Membership, Team
from organizations.serializers import (
    MemberRefSerializer,
    ScopedPrimaryKeyRelatedField,
    TeamRefSerializer,
)
from skills.models import RoleProfile
from skills.serializers import RoleProfileRefSerializer

from .models import Move, MoveKind, MoveSource


def _roles(*, organization):
    return RoleProfile.objects.for_org(organization)


def _members(*, organization):
    return Membership.objects.for_org(organization)


class MoveOpportunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class MoveSerializer(serializers.Serializer):
    """A career move: who, when, what kind, from where to where."""

    id = serializers.IntegerField(read_only=True)
    member = MemberRefSerializer(read_only=True)
    kind = serializers.ChoiceField(MoveKind.choices, read_only=True)
    kind_label = serializers.SerializerMethodField()
    effective_on = serializers.DateField(read_only=True)
    from_role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    from_grade = serializers.CharField(read_only=True)
    from_team = TeamRefSerializer(read_only=True, allow_null=True)
    to_role = RoleProfileRefSerializer(read_only=True, allow_null=True)
    to_grade = serializers.CharField(read_only=True)
    to_team = TeamRefSerializer(read_only=True, allow_null=True)
    opportunity = MoveOpportunityRefSerializer(
        read_only=True, allow_null=True,
        help_text=_("The internal opportunity it filled, for a move made through one."))
    is_internal_fill = serializers.BooleanField(read_only=True)
    regretted = serializers.BooleanField(
        read_only=True, allow_null=True,
        help_text=_("For an exit: whether HR marked the leaver as regretted (true) or not "
                    "(false); null while not known, and for every other kind."))
    source = serializers.ChoiceField(MoveSource.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_kind_label(self, move: Move) -> str:
        return str(move.get_kind_display())


class MoveKindCountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(MoveKind.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)


class MoveListQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(MoveKind.choices, required=False)
    team = ScopedPrimaryKeyRelatedField(Team, org_selectors.team_choices, required=False,
                                        help_text=_("Moves into or out of this team."))
    member = ScopedPrimaryKeyRelatedField(Membership, _members, required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="",
                              help_text=_("Part of the member's name or email."))
    start = serializers.DateField(required=False, allow_null=True,
                                  help_text=_("From this date (inclusive); every date when "
                                              "left out."))
    end = serializers.DateField(required=False, allow_null=True)

    def validate(self, data):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError({"end": _("Choose an end on or after the start.")})
        return data


class MoveInputSerializer(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(Membership, _members)
    kind = serializers.ChoiceField(MoveKind.choices, required=False, allow_null=True,
                                   default=None,
                                   help_text=_("Null to work it out from the roles and teams."))
    to_role = ScopedPrimaryKeyRelatedField(RoleProfile, _roles, required=False, allow_null=True,
                                           default=None)
    to_team = ScopedPrimaryKeyRelatedField(Team, org_selectors.team_choices, required=False,
                                           allow_null=True, default=None)
    from_role = ScopedPrimaryKeyRelatedField(
        RoleProfile, _roles, required=False, allow_null=True, default=None,
        help_text=_("Leave from_role and from_team out to move from the current ones."))
    from_team = ScopedPrimaryKeyRelatedField(Team, org_selectors.team_choices, required=False,
                                             allow_null=True, default=None)
    effective_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text=_("Today or earlier; today when left out."))
    update_profile = serializers.BooleanField(
        required=False, default=True,
        help_text=_("Also make the new role profile and team the member's current ones."))
    regretted = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text=_("For an exit only: whether the organisation regrets the leaver; null (the "
                    "default) while not known."))


class MoveRegrettedSerializer(serializers.Serializer):
    """HR's mark on an exit: the only part of a recorded move that may change."""

    regretted = serializers.BooleanField(
        allow_null=True,
        help_text=_("True: a regretted leaver; false: not regretted; null: not known."))
