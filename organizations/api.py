"""REST API of the organisations app: the caller, members, teams and invitations.

Each view is parse → access → service or selector → serialise. An object named in the URL is
resolved in ``initial``, before the method is dispatched, so an id the caller may not see is 404
whatever the method: answering 405 first would confirm that the object exists. Role checks come
after that lookup: a member who is not an HR admin gets 403 on an HR-only write, because the
organisation and its objects are no secret to its own members.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from . import access, selectors, services
from .api_base import OrganizationAPIView
from .api_errors import error_response
from .pagination import Pagination
from .serializers import (
    ErrorSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    MemberListQuerySerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    MeSerializer,
    TeamInputSerializer,
    TeamSerializer,
)

# --- Documentation of the error answers ---------------------------------------------------------

_ERROR_DESCRIPTIONS = {
    400: gettext_lazy("The data is not valid; `errors` gives the messages by field."),
    401: gettext_lazy("Not signed in, or the API token is unknown or revoked."),
    403: gettext_lazy("Only HR admins may do this."),
    404: gettext_lazy(
        "No such organisation among the caller's, or no such object in it that the caller may see."
    ),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {
        code: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in (401, 404, *codes)
    }


# --- Base ---------------------------------------------------------------------------------------


class _OrganizationView(OrganizationAPIView):
    """Shared plumbing: serializer context carries the organisation, explicit pagination.

    Filtering is explicit (a query serializer and the selectors), so no filter backend runs.
    """

    filter_backends = ()
    pagination_class = Pagination

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = self.organization
        context["membership"] = self.membership
        return context

    def parse(self, serializer_class, data, *, partial: bool = False, **context) -> dict:
        """Validate ``data``; a bad value is a 400 with messages by field."""
        serializer = serializer_class(
            data=data, partial=partial, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def paginated(self, queryset, serializer_class) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


# --- The caller ---------------------------------------------------------------------------------


class MeView(_OrganizationView):
    serializer_class = MeSerializer

    @extend_schema(
        operation_id="me_retrieve", tags=["me"], responses={200: MeSerializer, **_errors()}
    )
    def get(self, request, org_slug):
        """The caller's own membership of this organisation, with their roles."""
        membership = self.membership
        # Already loaded for this request; saves a query.
        membership.organization = self.organization
        return Response(MeSerializer(membership).data)


# --- Members ------------------------------------------------------------------------------------


class MemberListView(_OrganizationView):
    serializer_class = MemberSerializer

    def get_queryset(self):
        return selectors.members_visible_to(organization=self.organization, viewer=self.membership)

    @extend_schema(
        operation_id="members_list",
        tags=["members"],
        parameters=[MemberListQuerySerializer],
        responses={200: MemberSerializer(many=True), **_errors(400)},
    )
    def get(self, request, org_slug):
        """Members the caller may see, by last name.

        HR admins and leaders see everyone (HR admins inactive members too); anyone else sees
        themselves, their manager and their direct reports.
        """
        params = self.parse(MemberListQuerySerializer, request.query_params.dict())
        members = self.get_queryset()
        query, team = params.get("q", "").strip(), params.get("team")
        if team is not None:
            members = members.filter(team=team)
        if query:
            members = selectors.member_search(members, organization=self.organization,
                                              query=query)
        if "is_active" in params:
            members = members.filter(is_active=params["is_active"])
        return self.paginated(members, MemberSerializer)


class MemberDetailView(_OrganizationView):
    serializer_class = MemberUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.member = access.access_member_by_id(
            membership=self.membership, member_id=kwargs["member_id"]
        )

    @extend_schema(
        operation_id="members_retrieve",
        tags=["members"],
        responses={200: MemberSerializer, **_errors()},
    )
    def get(self, request, org_slug, member_id):
        """One member the caller may see. Reading someone else's record is audit-logged."""
        if self.member.pk != self.membership.pk:
            services.audit(
                organization=self.organization,
                actor=self.membership,
                action="member.profile_viewed",
                subject=self.member,
            )
        return Response(MemberSerializer(self.member).data)

    @extend_schema(
        operation_id="members_partial_update",
        tags=["members"],
        request=MemberUpdateSerializer,
        responses={200: MemberSerializer, **_errors(400, 403)},
    )
    def patch(self, request, org_slug, member_id):
        """Change a member's job, team, manager, roles or name (HR admins)."""
        access.require_hr(self.membership)
        member = self.member
        data = self.parse(MemberUpdateSerializer, request.data, partial=True, member=member)
        first_name = data.pop("first_name", member.user.first_name)
        last_name = data.pop("last_name", member.user.last_name)
        member = services.member_profile_update(
            member=member, actor=self.membership, first_name=first_name, last_name=last_name, **data
        )
        return Response(MemberSerializer(member).data)


# --- Teams --------------------------------------------------------------------------------------


class TeamListView(_OrganizationView):
    serializer_class = TeamInputSerializer

    def get_queryset(self):
        return selectors.team_list(organization=self.organization)

    @extend_schema(
        operation_id="teams_list",
        tags=["teams"],
        responses={200: TeamSerializer(many=True), **_errors()},
    )
    def get(self, request, org_slug):
        """Every team of the organisation, by name."""
        return self.paginated(self.get_queryset(), TeamSerializer)

    @extend_schema(
        operation_id="teams_create",
        tags=["teams"],
        request=TeamInputSerializer,
        responses={201: TeamSerializer, **_errors(400, 403)},
    )
    def post(self, request, org_slug):
        """Add a team (HR admins)."""
        access.require_hr(self.membership)
        data = self.parse(TeamInputSerializer, request.data)
        team = services.team_create(
            organization=self.organization,
            actor=self.membership,
            name=data["name"],
            parent=data.get("parent"),
        )
        team = selectors.team_list(organization=self.organization).get(pk=team.pk)
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


class TeamDetailView(_OrganizationView):
    serializer_class = TeamInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.team = access.access_team_by_id(membership=self.membership, team_id=kwargs["team_id"])

    def _output(self) -> Response:
        team = selectors.team_list(organization=self.organization).get(pk=self.team.pk)
        return Response(TeamSerializer(team).data)

    @extend_schema(
        operation_id="teams_retrieve", tags=["teams"], responses={200: TeamSerializer, **_errors()}
    )
    def get(self, request, org_slug, team_id):
        """One team, with its parent and number of active members."""
        return self._output()

    @extend_schema(
        operation_id="teams_partial_update",
        tags=["teams"],
        request=TeamInputSerializer,
        responses={200: TeamSerializer, **_errors(400, 403)},
    )
    def patch(self, request, org_slug, team_id):
        """Rename a team or move it under another one (HR admins)."""
        access.require_hr(self.membership)
        data = self.parse(TeamInputSerializer, request.data, partial=True)
        if data:
            services.team_update(
                organization=self.organization, team=self.team, actor=self.membership, **data
            )
        return self._output()

    @extend_schema(
        operation_id="teams_destroy", tags=["teams"], responses={204: None, **_errors(400, 403)}
    )
    def delete(self, request, org_slug, team_id):
        """Delete a team that has no active members and no sub-teams (HR admins)."""
        access.require_hr(self.membership)
        try:
            services.team_delete(
                organization=self.organization, team=self.team, actor=self.membership
            )
        except DjangoValidationError as e:
            return error_response(status.HTTP_400_BAD_REQUEST, " ".join(e.messages))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Invitations --------------------------------------------------------------------------------


class InvitationListView(_OrganizationView):
    serializer_class = InvitationCreateSerializer

    def get_queryset(self):
        return selectors.invitation_list(organization=self.organization)

    @extend_schema(
        operation_id="invitations_list",
        tags=["invitations"],
        responses={200: InvitationSerializer(many=True), **_errors(403)},
    )
    def get(self, request, org_slug):
        """Invitations of the organisation, newest first (HR admins)."""
        access.require_hr(self.membership)
        return self.paginated(self.get_queryset(), InvitationSerializer)

    @extend_schema(
        operation_id="invitations_create",
        tags=["invitations"],
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer, **_errors(400, 403)},
    )
    def post(self, request, org_slug):
        """Invite someone by email (HR admins). The link is emailed; it is never returned."""
        access.require_hr(self.membership)
        data = self.parse(InvitationCreateSerializer, request.data)
        invitation, _token = services.invitation_create(
            organization=self.organization, actor=self.membership, **data
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class _InvitationObjectView(_OrganizationView):
    serializer_class = InvitationSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.invitation = access.access_invitation_by_id(
            membership=self.membership, invitation_id=kwargs["invitation_id"]
        )


class InvitationDetailView(_InvitationObjectView):
    @extend_schema(
        operation_id="invitations_retrieve",
        tags=["invitations"],
        responses={200: InvitationSerializer, **_errors(403)},
    )
    def get(self, request, org_slug, invitation_id):
        """One invitation (HR admins)."""
        return Response(InvitationSerializer(self.invitation).data)

    @extend_schema(
        operation_id="invitations_revoke",
        tags=["invitations"],
        responses={204: None, **_errors(403)},
    )
    def delete(self, request, org_slug, invitation_id):
        """Revoke an invitation: its link stops working. Revoking twice changes nothing."""
        services.invitation_revoke(invitation=self.invitation, actor=self.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationResendView(_InvitationObjectView):
    @extend_schema(
        operation_id="invitations_resend",
        tags=["invitations"],
        request=None,
        responses={200: InvitationSerializer, **_errors(400, 403)},
    )
    def post(self, request, org_slug, invitation_id):
        """Email a fresh link with a new expiry; the previous link stops working."""
        invitation, _token = services.invitation_resend(
            invitation=self.invitation, actor=self.membership
        )
        return Response(InvitationSerializer(invitation).data)
