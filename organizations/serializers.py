"""Input and output serializers of the organisations API.

Output serializers only read attributes that the selectors have already joined
(``select_related``/annotations), so serialising a page costs no query per row. Input serializers
check shape; the services enforce the rules. Every foreign key a client may send is a
``ScopedPrimaryKeyRelatedField`` whose choices come from a selector of the caller's
organisation, so another organisation's id is rejected as "Invalid pk" and never reaches a
service.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import selectors
from .models import Invitation, Membership, Role, Team
from .navigation import roles_of

# --- Fields -------------------------------------------------------------------------------------


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose valid ids are the rows a selector returns for the caller's organisation.

    Security invariant: the choices are ``selector(organization=context["organization"])``; with
    no organisation in the serializer's context there are no valid choices at all, so an id from
    another organisation, or any id when the context is missing, is a validation error.
    """

    def __init__(self, model, selector, *, exclude_context_key: str | None = None, **kwargs):
        self.selector = selector
        # Excludes, e.g., the member being edited from the choices of their own manager.
        self.exclude_context_key = exclude_context_key
        # A plain empty queryset: it names the model for the schema and is never queried for data.
        kwargs["queryset"] = model._base_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        organization = self.context.get("organization")
        if organization is None:
            return self.queryset.none()
        queryset = self.selector(organization=organization)
        excluded = self.context.get(self.exclude_context_key) if self.exclude_context_key else None
        if excluded is not None:
            queryset = queryset.exclude(pk=excluded.pk)
        return queryset


# --- Output -------------------------------------------------------------------------------------


@extend_schema_field({"anyOf": [
    {"type": "array", "items": {"type": "string"}},
    {"type": "object", "additionalProperties": True},
    {"type": "array", "items": {"type": "object", "additionalProperties": True}},
]})
class FieldErrorsField(serializers.JSONField):
    """One field's messages; for a nested object, its own fields' messages (the same shape
    again); for a list of objects, one such object per item, ``{}`` for an item without errors."""


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a message, and messages by field when the input was not valid."""

    detail = serializers.CharField(help_text=_("What went wrong, in the caller's language."))
    errors = serializers.DictField(
        child=FieldErrorsField(),
        help_text=_("Messages by field name; empty when the error is not about a field."),
    )


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class MemberRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class OrganizationSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    default_language = serializers.CharField(read_only=True)
    time_zone = serializers.CharField(read_only=True)


class MeSerializer(serializers.Serializer):
    """The caller's own membership of the organisation, with their roles in it."""

    # Reads the membership ``enter_organization`` loaded (user, team, manager joined).

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    language = serializers.CharField(
        source="user.language", read_only=True,
        help_text=_("The member's own language; empty when they follow the organisation's."),
    )
    job_title = serializers.CharField(read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    manager = MemberRefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()
    organization = OrganizationSummarySerializer(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Role.choices)))
    def get_roles(self, membership: Membership) -> list[str]:
        order = list(Role.values)
        return sorted(roles_of(membership), key=order.index)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    job_title = serializers.CharField(read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    manager = MemberRefSerializer(read_only=True, allow_null=True)
    is_hr_admin = serializers.BooleanField(read_only=True)
    is_leader = serializers.BooleanField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    started_on = serializers.DateField(read_only=True, allow_null=True)


class TeamSerializer(serializers.Serializer):
    """A team of the organisation, with its parent and number of active members."""

    # Reads a team from ``selectors.team_list``: parent joined, ``member_count`` annotated.

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    parent = TeamRefSerializer(read_only=True, allow_null=True)
    member_count = serializers.IntegerField(
        read_only=True, help_text=_("Active members whose team this is.")
    )


class InvitationSerializer(serializers.Serializer):
    """An invitation as HR sees it. The one-time token is never part of it."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    job_title = serializers.CharField(read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    manager = MemberRefSerializer(read_only=True, allow_null=True)
    is_hr_admin = serializers.BooleanField(read_only=True)
    is_leader = serializers.BooleanField(read_only=True)
    status = serializers.ChoiceField(Invitation.Status.choices, read_only=True)
    invited_by = MemberRefSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    sent_at = serializers.DateTimeField(read_only=True, allow_null=True)
    accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)


# --- Input --------------------------------------------------------------------------------------
# Labels and help texts match the forms of the pages, so they share their translations.


class MemberListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        label=_("Search"), required=False, allow_blank=True, max_length=100,
        help_text=_("Words to look for in the name, email address or job title."),
    )
    team = ScopedPrimaryKeyRelatedField(
        Team, selectors.team_choices, label=_("Team"), required=False,
        help_text=_("Only members of this team (a team id)."),
    )
    is_active = serializers.BooleanField(
        label=_("Active"), required=False,
        help_text=_("Only active (true) or inactive (false) members. Only HR admins see "
                    "inactive members."),
    )


class MemberUpdateSerializer(serializers.Serializer):
    """HR's edit of a member. Every field is optional: only those sent change."""

    first_name = serializers.CharField(label=_("First name"), required=False, allow_blank=True,
                                       max_length=150)
    last_name = serializers.CharField(label=_("Last name"), required=False, allow_blank=True,
                                      max_length=150)
    job_title = serializers.CharField(label=_("Job title"), required=False, allow_blank=True,
                                      max_length=120)
    team = ScopedPrimaryKeyRelatedField(Team, selectors.team_choices, label=_("Team"),
                                        required=False, allow_null=True)
    manager = ScopedPrimaryKeyRelatedField(
        Membership, selectors.manager_choices, exclude_context_key="member", label=_("Manager"),
        required=False, allow_null=True, help_text=_("Their line manager in Trellis."),
    )
    is_hr_admin = serializers.BooleanField(label=_("HR admin"), required=False)
    is_leader = serializers.BooleanField(label=_("Leader"), required=False)
    is_active = serializers.BooleanField(
        label=_("Active"), required=False,
        help_text=_("An inactive member can no longer sign in to this organisation."),
    )

    def validate(self, attrs):
        member, actor = self.context.get("member"), self.context.get("membership")
        if member is not None and actor is not None and member.pk == actor.pk:
            errors = {}
            if attrs.get("is_hr_admin") is False:
                errors["is_hr_admin"] = [_("You cannot remove your own HR admin role.")]
            if attrs.get("is_active") is False:
                errors["is_active"] = [_("You cannot deactivate yourself.")]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class TeamInputSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("Team name"), max_length=120)
    parent = ScopedPrimaryKeyRelatedField(
        Team, selectors.team_choices, label=_("Part of"), required=False, allow_null=True,
        help_text=_("Leave empty for a top-level team."),
    )


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(
        label=_("Email address"), max_length=254,
        help_text=_("The invitation link is sent here and works once."),
    )
    first_name = serializers.CharField(label=_("First name"), required=False, allow_blank=True,
                                       max_length=150)
    last_name = serializers.CharField(label=_("Last name"), required=False, allow_blank=True,
                                      max_length=150)
    job_title = serializers.CharField(label=_("Job title"), required=False, allow_blank=True,
                                      max_length=120)
    team = ScopedPrimaryKeyRelatedField(Team, selectors.team_choices, label=_("Team"),
                                        required=False, allow_null=True)
    manager = ScopedPrimaryKeyRelatedField(Membership, selectors.manager_choices,
                                           label=_("Manager"), required=False, allow_null=True)
    is_hr_admin = serializers.BooleanField(
        label=_("HR admin"), required=False, default=False,
        help_text=_("Maintains people, frameworks and settings."),
    )
    is_leader = serializers.BooleanField(
        label=_("Leader"), required=False, default=False,
        help_text=_("Sets organisation goals and sees dashboards."),
    )
