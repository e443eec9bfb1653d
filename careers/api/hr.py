"""Reflection template and participation API.

Any member reads the organisation's current template (the questions are no secret); HR admins
change it, through ``careers.services.templates``, which keeps versions copy-on-write. An area or
prompt named in the URL is looked up in ``initial``, filtered on the caller's organisation,
before the method is dispatched: another organisation's id is 404 whatever the method. Role
checks come after that lookup (403).

Participation is counts only (DESIGN.md's privacy matrix): HR admins read each member's
completion and the aggregates, leaders the aggregates alone.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations import access as org_access
from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.services import audit

from ..models import ReflectionArea, ReflectionPrompt
from ..selectors import participation as participation_selectors
from ..selectors import templates as selectors
from ..serializers import hr as s
from ..services import templates as services

TAG = "career: reflection template"
PARTICIPATION_TAG = "career: participation"


class _TemplateView(ScopedAPIView):
    pagination_class = Pagination

    def current(self):
        # The first read makes version 1; it is credited to HR only when HR made it.
        actor = self.membership if self.membership.is_hr_admin else None
        template = services.reflection_template_current(organization=self.organization,
                                                        actor=actor)
        return selectors.template_detail(organization=self.organization, template=template)

    def answer(self, change: services.TemplateChange, *, created: bool = False) -> Response:
        """The current template after a change, and the changed area or prompt in it."""
        template = selectors.template_detail(organization=self.organization,
                                             template=change.template)
        area = prompt = None
        item = change.item
        for a in template.area_list:
            if isinstance(item, ReflectionArea) and a.pk == item.pk:
                area = a
            for p in a.prompt_list:
                if isinstance(item, ReflectionPrompt) and p.pk == item.pk:
                    area, prompt = a, p
        data = s.TemplateChangeSerializer({
            "template": template, "area": area, "prompt": prompt,
            "new_version": change.new_version, "changed": change.changed,
        }).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class _AreaView(_TemplateView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.area = selectors.template_area_get(organization=self.organization,
                                                area_id=kwargs["area_id"])
        if self.area is None:
            raise Http404


class _PromptView(_TemplateView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.prompt = selectors.template_prompt_get(organization=self.organization,
                                                    prompt_id=kwargs["prompt_id"])
        if self.prompt is None:
            raise Http404


# --- The template -------------------------------------------------------------------------------


class TemplateView(_TemplateView):
    @extend_schema(operation_id="career_template_retrieve", tags=[TAG],
                   responses={200: s.TemplateSerializer, **error_responses()})
    def get(self, request, org_slug):
        """The current version of the reflection template: areas in order, each with its
        questions. Every member may read it."""
        return Response(s.TemplateSerializer(self.current()).data)


class TemplateResetView(_TemplateView):
    @extend_schema(operation_id="career_template_reset", tags=[TAG], request=None,
                   responses={200: s.TemplateChangeSerializer, **error_responses(403)})
    def post(self, request, org_slug):
        """Put back the template Trellis ships (HR admins). Reflections already written keep
        their questions."""
        org_access.require_hr(self.membership)
        return self.answer(services.template_reset_to_default(**self.service_context))


class TemplateVersionListView(_TemplateView):
    @extend_schema(operation_id="career_template_versions_list", tags=[TAG],
                   responses={200: s.TemplateVersionSerializer(many=True),
                              **error_responses(403)})
    def get(self, request, org_slug):
        """Every version of the template, newest first, with the number of reflections written
        against each (HR admins)."""
        org_access.require_hr(self.membership)
        return self.paginated(selectors.template_versions(organization=self.organization),
                              s.TemplateVersionSerializer)


class TemplateAreaListView(_TemplateView):
    serializer_class = s.TemplateAreaInputSerializer

    @extend_schema(operation_id="career_template_areas_create", tags=[TAG],
                   request=s.TemplateAreaInputSerializer,
                   responses={201: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Add an area after the others (HR admins)."""
        org_access.require_hr(self.membership)
        data = self.parse(s.TemplateAreaInputSerializer, request.data)
        change = services.template_area_add(**self.service_context, **data)
        return self.answer(change, created=True)


class TemplateAreaDetailView(_AreaView):
    serializer_class = s.TemplateAreaInputSerializer

    @extend_schema(operation_id="career_template_areas_retrieve", tags=[TAG],
                   responses={200: s.TemplateAreaSerializer, **error_responses()})
    def get(self, request, org_slug, area_id):
        """One area of any version, with its questions."""
        template = selectors.template_detail(organization=self.organization,
                                             template=self.area.template)
        area = next(a for a in template.area_list if a.pk == self.area.pk)
        return Response(s.TemplateAreaSerializer(area).data)

    @extend_schema(operation_id="career_template_areas_partial_update", tags=[TAG],
                   request=s.TemplateAreaInputSerializer,
                   responses={200: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, area_id):
        """Rename an area or change its introduction (HR admins). The area must be in the
        current version; the change may make a new version."""
        org_access.require_hr(self.membership)
        data = self.parse(s.TemplateAreaInputSerializer, request.data, partial=True)
        return self.answer(services.template_area_update(**self.service_context,
                                                         area=self.area, **data))

    @extend_schema(operation_id="career_template_areas_destroy", tags=[TAG],
                   responses={200: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def delete(self, request, org_slug, area_id):
        """Remove an area and its questions from the current version (HR admins); refused for
        the last area. Reflections already written keep it."""
        org_access.require_hr(self.membership)
        return self.answer(services.template_area_remove(**self.service_context,
                                                         area=self.area))


class TemplateAreaMoveView(_AreaView):
    serializer_class = s.TemplateMoveInputSerializer

    @extend_schema(operation_id="career_template_areas_move", tags=[TAG],
                   request=s.TemplateMoveInputSerializer,
                   responses={200: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, area_id):
        """Move an area one place ``up`` or ``down`` (HR admins)."""
        org_access.require_hr(self.membership)
        data = self.parse(s.TemplateMoveInputSerializer, request.data)
        return self.answer(services.template_area_move(**self.service_context, area=self.area,
                                                       **data))


class TemplatePromptListView(_AreaView):
    serializer_class = s.TemplatePromptInputSerializer

    @extend_schema(operation_id="career_template_prompts_create", tags=[TAG],
                   request=s.TemplatePromptInputSerializer,
                   responses={201: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, area_id):
        """Add a question at the end of an area of the current version (HR admins)."""
        org_access.require_hr(self.membership)
        data = self.parse(s.TemplatePromptInputSerializer, request.data)
        change = services.template_prompt_add(**self.service_context, area=self.area, **data)
        return self.answer(change, created=True)


class TemplatePromptDetailView(_PromptView):
    serializer_class = s.TemplatePromptInputSerializer

    @extend_schema(operation_id="career_template_prompts_retrieve", tags=[TAG],
                   responses={200: s.TemplatePromptSerializer, **error_responses()})
    def get(self, request, org_slug, prompt_id):
        """One question of any version."""
        return Response(s.TemplatePromptSerializer(self.prompt).data)

    @extend_schema(operation_id="career_template_prompts_partial_update", tags=[TAG],
                   request=s.TemplatePromptInputSerializer,
                   responses={200: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, prompt_id):
        """Reword a question or its hint (HR admins). It keeps its ``key``."""
        org_access.require_hr(self.membership)
        data = self.parse(s.TemplatePromptInputSerializer, request.data, partial=True)
        return self.answer(services.template_prompt_update(**self.service_context,
                                                           prompt=self.prompt, **data))

    @extend_schema(operation_id="career_template_prompts_destroy", tags=[TAG],
                   responses={200: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def delete(self, request, org_slug, prompt_id):
        """Remove a question from the current version (HR admins); refused for the last one
        of its area. ``area`` of the answer is the area it was in."""
        org_access.require_hr(self.membership)
        return self.answer(services.template_prompt_remove(**self.service_context,
                                                           prompt=self.prompt))


class TemplatePromptMoveView(_PromptView):
    serializer_class = s.TemplateMoveInputSerializer

    @extend_schema(operation_id="career_template_prompts_move", tags=[TAG],
                   request=s.TemplateMoveInputSerializer,
                   responses={200: s.TemplateChangeSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, prompt_id):
        """Move a question one place ``up`` or ``down`` within its area (HR admins)."""
        org_access.require_hr(self.membership)
        data = self.parse(s.TemplateMoveInputSerializer, request.data)
        return self.answer(services.template_prompt_move(**self.service_context,
                                                         prompt=self.prompt, **data))


# --- Participation ------------------------------------------------------------------------------


class ParticipationView(ScopedAPIView):
    pagination_class = None

    @extend_schema(operation_id="career_participation_retrieve", tags=[PARTICIPATION_TAG],
                   responses={200: s.ParticipationSummarySerializer, **error_responses(403)})
    def get(self, request, org_slug):
        """Aggregates of reflection participation over active members (HR admins and
        leaders). Small teams are counted together; nothing is shown for fewer than five
        active members."""
        org_access.require_hr_or_leader(self.membership)
        summary = participation_selectors.participation_summary(organization=self.organization)
        return Response(s.ParticipationSummarySerializer(summary).data)


class ParticipationMemberListView(ScopedAPIView):
    pagination_class = Pagination

    @extend_schema(operation_id="career_participation_members_list", tags=[PARTICIPATION_TAG],
                   parameters=[s.ParticipationQuerySerializer],
                   responses={200: s.ParticipationMemberSerializer(many=True),
                              **error_responses(400, 403)})
    def get(self, request, org_slug):
        """Each active member's completion, from their latest reflection: counts only, never
        an answer (HR admins)."""
        org_access.require_hr(self.membership)
        params = self.parse(s.ParticipationQuerySerializer, request.query_params.dict())
        members = participation_selectors.participation_members(
            organization=self.organization, query=params.get("q", "").strip(),
            status=params.get("status", ""))
        page = self.paginate_queryset(members)
        audit(organization=self.organization, actor=self.membership,
              action="careers.participation_viewed", members=[m.pk for m in page])
        return self.get_paginated_response(s.ParticipationMemberSerializer(page, many=True).data)
