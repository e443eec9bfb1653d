"""Input and output serializers of the succession API.

Output serializers read only what the selectors joined or annotated, so a page of positions or
nominations costs no query per row. Input serializers check shape; ``services.succession`` holds
the rules. Every id a client may send is scoped to the caller's organisation (and, for a
manager's nomination, to their reporting line), so another organisation's id is a field error
that says nothing about whether it exists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from conversations.serializers.feedback import AuthorScopedField
from organizations import selectors as org_selectors
from organizations.models import Membership, Team
from organizations.serializers import (
    MemberRefSerializer,
    ScopedPrimaryKeyRelatedField,
    TeamRefSerializer,
)
from skills.models import RoleProfile
from skills.serializers import RoleProfileRefSerializer

from .models import Criticality, KeyPosition, Readiness, SuccessorNomination
from .selectors import succession as selectors


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _roles(*, organization):
    return RoleProfile.objects.for_org(organization)


def _active_members(*, organization):
    return Membership.objects.for_org(organization).filter(is_active=True)


def _all_members(*, organization):
    return Membership.objects.for_org(organization)


def _positions(*, organization):
    return KeyPosition.objects.for_org(organization).filter(is_active=True)


def _candidates(*, organization, author):
    return selectors.nomination_candidates(organization=organization, nominator=author)


# --- Output -------------------------------------------------------------------------------------


class SuccessionBenchSerializer(serializers.Serializer):
    ready_now = serializers.IntegerField(read_only=True)
    one_two_years = serializers.IntegerField(read_only=True)
    three_plus = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    strength = serializers.ChoiceField(
        [(key, label) for key, label in selectors.STRENGTH_LABELS.items()], read_only=True,
        help_text=_("strong: at least one ready now and two or more in all; thin: someone "
                    "nominated, but not both; none: nobody nominated."))
    label = serializers.CharField(read_only=True)


class KeyPositionRefSerializer(serializers.Serializer):
    """A key position as a nomination names it: no incumbent, criticality or bench."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()
    team = TeamRefSerializer(read_only=True, allow_null=True)

    @extend_schema_field(serializers.CharField())
    def get_name(self, position: KeyPosition) -> str:
        return str(position)


class KeyPositionSerializer(serializers.Serializer):
    """A key position with its bench, as HR admins and leaders read it."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField(
        help_text=_("The title, or the role profile's title when it has none."))
    title = serializers.CharField(read_only=True)
    role = RoleProfileRefSerializer(read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    incumbent = MemberRefSerializer(read_only=True, allow_null=True)
    criticality = serializers.ChoiceField(Criticality.choices, read_only=True)
    notes = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    bench = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.CharField())
    def get_name(self, position: KeyPosition) -> str:
        return str(position)

    @extend_schema_field(SuccessionBenchSerializer)
    def get_bench(self, position: KeyPosition) -> dict:
        bench = selectors.Bench.of(position)
        return {"ready_now": bench.ready_now, "one_two_years": bench.one_two_years,
                "three_plus": bench.three_plus, "total": bench.total,
                "strength": bench.strength, "label": bench.label}


class SuccessorNominationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    position = KeyPositionRefSerializer(read_only=True)
    candidate = MemberRefSerializer(read_only=True)
    readiness = serializers.ChoiceField(Readiness.choices, read_only=True)
    notes = serializers.CharField(read_only=True)
    nominated_by = MemberRefSerializer(read_only=True, allow_null=True,
                                       help_text=_("Null once they have left."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class SuccessorSerializer(SuccessorNominationSerializer):
    """A successor on a position's bench, with how ready their rated skills make them."""

    skills_readiness = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text=_("0–100 against the position's role profile, from validated (else "  # noqa: RUF001
                    "self-assessed) levels; null when the role lists no skills."))


class KeyPositionDetailSerializer(KeyPositionSerializer):
    successors = SuccessorSerializer(many=True, read_only=True)


# --- Input --------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="KeyPositionInput")
class KeyPositionInputSerializer(serializers.Serializer):
    role = ScopedPrimaryKeyRelatedField(RoleProfile, _roles,
                                        help_text=_("An active role profile."))
    title = serializers.CharField(max_length=_max(KeyPosition, "title"), required=False,
                                  allow_blank=True, default="")
    team = ScopedPrimaryKeyRelatedField(Team, org_selectors.team_choices, required=False,
                                        allow_null=True, default=None)
    incumbent = ScopedPrimaryKeyRelatedField(Membership, _all_members, required=False,
                                             allow_null=True, default=None,
                                             help_text=_("An active member, or null: vacant."))
    criticality = serializers.ChoiceField(Criticality.choices, required=False,
                                          default=Criticality.HIGH)
    notes = serializers.CharField(max_length=_max(KeyPosition, "notes"), required=False,
                                  allow_blank=True, default="")


class KeyPositionUpdateSerializer(KeyPositionInputSerializer):
    is_active = serializers.BooleanField(
        required=False, help_text=_("False retires the position; true restores it."))


class KeyPositionListQuerySerializer(serializers.Serializer):
    criticality = serializers.ChoiceField(Criticality.choices, required=False)
    weak = serializers.BooleanField(required=False, default=False,
                                    help_text=_("Only positions whose bench is not strong."))
    include_retired = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(component_name="SuccessorNominationInput")
class SuccessorNominationInputSerializer(serializers.Serializer):
    position = ScopedPrimaryKeyRelatedField(KeyPosition, _positions,
                                            help_text=_("An active key position."))
    candidate = AuthorScopedField(
        Membership, _candidates,
        help_text=_("Anyone active for HR and leaders; someone in the caller's reporting line "
                    "for a manager."))
    readiness = serializers.ChoiceField(Readiness.choices)
    notes = serializers.CharField(max_length=_max(SuccessorNomination, "notes"),
                                  required=False, allow_blank=True, default="")


class SuccessorNominationUpdateSerializer(serializers.Serializer):
    readiness = serializers.ChoiceField(Readiness.choices)
    notes = serializers.CharField(max_length=_max(SuccessorNomination, "notes"),
                                  required=False, allow_blank=True)


class SuccessorNominationListQuerySerializer(serializers.Serializer):
    position = serializers.IntegerField(required=False, min_value=1,
                                        help_text=_("Only the nominations for this position."))
    mine = serializers.BooleanField(
        required=False, default=False,
        help_text=_("Only the nominations the caller wrote (HR and leaders otherwise read "
                    "every one, except those about themselves)."))
