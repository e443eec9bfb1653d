"""Succession planning in the API, under /api/v1/o/<org_slug>/hr/succession/.

Each view is parse → access → service or selector → serialise, with the rule of
``access_succession``: HR admins and leaders read every position with its bench and every
nomination but those about themselves; a manager lists the active positions by name only (to
nominate for them), and reads, changes and withdraws only the nominations they wrote; anyone
else gets 404 from every endpoint. An object named in the URL is looked up in ``initial``, so
another organisation's id, or one the caller may not read, is 404 whatever the method.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.services import audit

from . import access_succession as access
from . import serializers_succession as s
from .selectors import succession as selectors
from .services import succession as services

TAG = "hr: succession"

# A page of positions: each with its bench for HR and leaders, by name only for a manager.
POSITION_PAGE = Pagination().get_paginated_response_schema({"type": "array", "items": {"anyOf": [
    {"$ref": "#/components/schemas/KeyPosition"},
    {"$ref": "#/components/schemas/KeyPositionRef"},
]}})


class _View(ScopedAPIView):
    pagination_class = Pagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require_succession_access(self.membership)


class PositionListView(_View):
    serializer_class = s.KeyPositionInputSerializer

    @extend_schema(operation_id="hr_succession_positions_list", tags=[TAG],
                   parameters=[s.KeyPositionListQuerySerializer],
                   responses={200: POSITION_PAGE, **error_responses(400)})
    def get(self, request, org_slug):
        """Key positions with their bench, most critical and weakest first (HR and leaders).
        A manager gets the active positions by name only (``PositionRef``), to nominate."""
        query = self.parse(s.KeyPositionListQuerySerializer, request.query_params)
        if not access.plans_succession(self.membership):
            rows = selectors.position_choices(organization=self.organization)
            return self.paginated(rows, s.KeyPositionRefSerializer)
        rows = selectors.position_list(organization=self.organization, viewer=self.membership,
                                       criticality=query.get("criticality"),
                                       weak_only=query["weak"],
                                       include_retired=query["include_retired"])
        return self.paginated(rows, s.KeyPositionSerializer)

    @extend_schema(operation_id="hr_succession_positions_create", tags=[TAG],
                   request=s.KeyPositionInputSerializer,
                   responses={201: s.KeyPositionSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Add a key position (HR admins and leaders)."""
        access.require_planner(self.membership)
        data = self.parse(s.KeyPositionInputSerializer, request.data)
        position = services.key_position_create(**self.service_context, **data)
        fresh = selectors.position_get(organization=self.organization, viewer=self.membership,
                                       position_id=position.pk)
        return Response(s.KeyPositionSerializer(fresh).data, status=status.HTTP_201_CREATED)


class PositionDetailView(_View):
    serializer_class = s.KeyPositionUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.position = access.access_position_by_id(membership=self.membership,
                                                     position_id=kwargs["position_id"])

    def answer(self) -> Response:
        org, me = self.organization, self.membership
        position = selectors.position_get(organization=org, viewer=me,
                                          position_id=self.position.pk)
        successors = list(selectors.position_bench(organization=org, position=position,
                                                   viewer=me))
        readiness = selectors.candidate_readiness(
            organization=org, role=position.role, member_ids=[n.candidate_id for n in successors])
        for nomination in successors:
            nomination.skills_readiness = readiness.get(nomination.candidate_id)
        position.successors = successors
        if successors:
            audit(organization=org, actor=me, action="hr.succession_viewed",
                  position_id=position.pk, count=len(successors), via="api")
        return Response(s.KeyPositionDetailSerializer(position).data)

    @extend_schema(operation_id="hr_succession_positions_retrieve", tags=[TAG],
                   responses={200: s.KeyPositionDetailSerializer, **error_responses()})
    def get(self, request, org_slug, position_id):
        """A key position with its bench: each successor, their readiness and how ready their
        rated skills make them for the role profile."""
        return self.answer()

    @extend_schema(operation_id="hr_succession_positions_partial_update", tags=[TAG],
                   request=s.KeyPositionUpdateSerializer,
                   responses={200: s.KeyPositionDetailSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, position_id):
        """Change a position; ``is_active`` false retires it, true restores it."""
        data = self.parse(s.KeyPositionUpdateSerializer, request.data, partial=True)
        is_active = data.pop("is_active", None)
        if data:
            current = {"role": self.position.role, "title": self.position.title,
                       "team": self.position.team, "incumbent": self.position.incumbent,
                       "criticality": self.position.criticality, "notes": self.position.notes}
            services.key_position_update(**self.service_context, position=self.position,
                                         **{**current, **data})
        if is_active is not None:
            services.key_position_set_active(**self.service_context, position=self.position,
                                             is_active=is_active)
        return self.answer()


class NominationListView(_View):
    serializer_class = s.SuccessorNominationInputSerializer

    @extend_schema(operation_id="hr_succession_nominations_list", tags=[TAG],
                   parameters=[s.SuccessorNominationListQuerySerializer],
                   responses={200: s.SuccessorNominationSerializer(many=True),
                              **error_responses(400)})
    def get(self, request, org_slug):
        """The nominations the caller may read, newest first: every one (but those about
        themselves) for HR and leaders, only their own for a manager."""
        query = self.parse(s.SuccessorNominationListQuerySerializer, request.query_params)
        org, me = self.organization, self.membership
        if query["mine"] or not access.plans_succession(me):
            rows = selectors.nominations_made(organization=org, nominator=me)
        else:
            rows = selectors.visible_nominations(organization=org, viewer=me).order_by(
                "-created_at", "-pk")
            audit(organization=org, actor=me, action="hr.succession_listed", via="api")
        if query.get("position"):
            rows = rows.filter(position_id=query["position"])
        return self.paginated(rows, s.SuccessorNominationSerializer)

    @extend_schema(operation_id="hr_succession_nominations_create", tags=[TAG],
                   request=s.SuccessorNominationInputSerializer,
                   responses={201: s.SuccessorNominationSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Nominate a successor for a key position. They are not told."""
        if not access.may_nominate(self.membership):
            raise Http404
        data = self.parse(s.SuccessorNominationInputSerializer, request.data)
        made = services.successor_nominate(**self.service_context, **data)
        made = access.access_nomination_by_id(membership=self.membership, nomination_id=made.pk)
        return Response(s.SuccessorNominationSerializer(made).data, status=status.HTTP_201_CREATED)


class NominationDetailView(_View):
    serializer_class = s.SuccessorNominationUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.nomination = access.access_nomination_by_id(
            membership=self.membership, nomination_id=kwargs["nomination_id"])

    @extend_schema(operation_id="hr_succession_nominations_retrieve", tags=[TAG],
                   responses={200: s.SuccessorNominationSerializer, **error_responses()})
    def get(self, request, org_slug, nomination_id):
        """One nomination: for HR, leaders and the person who wrote it. Read by anyone but
        its writer, it is audit-logged."""
        if self.nomination.nominated_by_id != self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="hr.succession_viewed", subject=self.nomination.candidate,
                  nomination_id=self.nomination.pk, via="api")
        return Response(s.SuccessorNominationSerializer(self.nomination).data)

    @extend_schema(operation_id="hr_succession_nominations_partial_update", tags=[TAG],
                   request=s.SuccessorNominationUpdateSerializer,
                   responses={200: s.SuccessorNominationSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, nomination_id):
        """Change the readiness or the notes."""
        data = self.parse(s.SuccessorNominationUpdateSerializer, request.data, partial=True)
        services.successor_nomination_update(
            **self.service_context, nomination=self.nomination,
            readiness=data.get("readiness", self.nomination.readiness),
            notes=data.get("notes", self.nomination.notes))
        fresh = access.access_nomination_by_id(membership=self.membership,
                                               nomination_id=self.nomination.pk)
        return Response(s.SuccessorNominationSerializer(fresh).data)

    @extend_schema(operation_id="hr_succession_nominations_destroy", tags=[TAG],
                   responses={204: None, **error_responses(403)})
    def delete(self, request, org_slug, nomination_id):
        """Take the successor off the position's plan."""
        services.successor_nomination_delete(**self.service_context,
                                             nomination=self.nomination)
        return Response(status=status.HTTP_204_NO_CONTENT)
