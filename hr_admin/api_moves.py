"""Career moves in the API, under /api/v1/o/<org_slug>/hr/moves/.

The organisation's moves and their counts by kind are for HR admins and leaders (403 for anyone
else); a member's own history is readable by the member, the managers above them, HR and
leaders (``can_read_moves_of``; 404 for anyone else). HR records a move by hand, marks an exit
as a regretted leaver or not, and removes a move recorded in error. Objects named in the URL are
looked up in ``initial``, so another organisation's id is 404 whatever the method.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.access import access_member_by_id, require_hr, require_hr_or_leader
from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.services import audit

from . import serializers_moves as s
from .selectors import moves as selectors
from .services import moves as services

TAG = "hr: moves"


class _View(ScopedAPIView):
    pagination_class = Pagination


def _filters(query: dict) -> selectors.MoveFilters:
    return selectors.MoveFilters(kind=query.get("kind"), team=query.get("team"),
                                 member=query.get("member"), query=query.get("q", ""),
                                 start=query.get("start"), end=query.get("end"))


class MoveListView(_View):
    serializer_class = s.MoveInputSerializer

    @extend_schema(operation_id="hr_moves_list", tags=[TAG],
                   parameters=[s.MoveListQuerySerializer],
                   responses={200: s.MoveSerializer(many=True), **error_responses(400, 403)})
    def get(self, request, org_slug):
        """Moves, newest first, filtered by kind, team, member, name and date (HR, leaders)."""
        require_hr_or_leader(self.membership)
        query = self.parse(s.MoveListQuerySerializer, request.query_params)
        rows = selectors.move_list(organization=self.organization, filters=_filters(query))
        return self.paginated(rows, s.MoveSerializer)

    @extend_schema(operation_id="hr_moves_create", tags=[TAG], request=s.MoveInputSerializer,
                   responses={201: s.MoveSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Record a move by hand (HR). The kind is worked out when left null."""
        require_hr(self.membership)
        data = self.parse(s.MoveInputSerializer, request.data)
        move = services.move_record_by_hand(**self.service_context, **data)
        move = selectors.move_get(organization=self.organization, move_id=move.pk)
        return Response(s.MoveSerializer(move).data, status=status.HTTP_201_CREATED)


class MoveCountsView(_View):
    pagination_class = None  # one row per kind, as a plain list

    @extend_schema(operation_id="hr_moves_counts", tags=[TAG],
                   parameters=[s.MoveListQuerySerializer],
                   responses={200: s.MoveKindCountSerializer(many=True),
                              **error_responses(400, 403)})
    def get(self, request, org_slug):
        """How many moves of each kind match the filters (the kind filter aside)."""
        require_hr_or_leader(self.membership)
        query = self.parse(s.MoveListQuerySerializer, request.query_params)
        counts = selectors.move_kind_counts(organization=self.organization,
                                            filters=_filters(query))
        return Response(s.MoveKindCountSerializer(counts, many=True).data)


class MoveDetailView(_View):
    serializer_class = s.MoveRegrettedSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.move = selectors.access_move_by_id(membership=self.membership,
                                                move_id=kwargs["move_id"])

    @extend_schema(operation_id="hr_moves_retrieve", tags=[TAG],
                   responses={200: s.MoveSerializer, **error_responses()})
    def get(self, request, org_slug, move_id):
        """One move: for the member, the managers above them, HR and leaders. Reading
        someone else's is audit-logged."""
        if self.move.member_id != self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="hr.moves_viewed", subject=self.move.member, move_id=self.move.pk,
                  via="api")
        return Response(s.MoveSerializer(self.move).data)

    @extend_schema(operation_id="hr_moves_partial_update", tags=[TAG],
                   request=s.MoveRegrettedSerializer,
                   responses={200: s.MoveSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, move_id):
        """Mark an exit as a regretted leaver (true), not regretted (false) or not known (null)
        (HR). The rest of a move does not change: one recorded wrongly is removed and
        recorded again."""
        if not self.membership.is_hr_admin:
            raise PermissionDenied(_("Only HR can mark a regretted leaver."))
        data = self.parse(s.MoveRegrettedSerializer, request.data)
        move = services.move_regretted_set(**self.service_context, move=self.move,
                                           regretted=data["regretted"])
        return Response(s.MoveSerializer(move).data)

    @extend_schema(operation_id="hr_moves_destroy", tags=[TAG],
                   responses={204: None, **error_responses(403)})
    def delete(self, request, org_slug, move_id):
        """Remove a move recorded in error (HR)."""
        if not self.membership.is_hr_admin:
            raise PermissionDenied(_("Only HR can remove a recorded move."))
        services.move_delete(organization=self.organization, actor=self.membership,
                             move=self.move)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberMovesView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.member = access_member_by_id(membership=self.membership,
                                          member_id=kwargs["member_id"])
        if not selectors.can_read_moves_of(viewer=self.membership, member=self.member):
            raise Http404

    @extend_schema(operation_id="hr_member_moves_list", tags=[TAG],
                   responses={200: s.MoveSerializer(many=True), **error_responses()})
    def get(self, request, org_slug, member_id):
        """A member's career history, newest first."""
        if self.member.pk != self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="hr.moves_viewed", subject=self.member, via="api")
        rows = selectors.member_moves(organization=self.organization, member=self.member)
        return self.paginated(rows, s.MoveSerializer)
