"""Reflections API: the member's own reflections, answers and shares; what reports share with
their manager; the member's career record and home summary.

Every object named in the URL is looked up in ``initial`` through ``careers.access`` (the caller's
own reflection, or a direct report), so another organisation's or another member's id is 404
whatever the method. Writes go through ``careers.services.reflections``.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations import access as org_access
from organizations.api_base import ScopedAPIView, error_responses
from organizations.personal_data import personal_data_export
from organizations.services import audit

from .. import access
from ..selectors import plan as plan_selectors
from ..selectors import reflections as selectors
from ..serializers import reflections as s
from ..services import reflections as services

TAG = "career: reflections"


class _OwnReflectionView(ScopedAPIView):
    """A view on one of the caller's own reflections (``reflection_id`` in the URL)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.reflection = access.access_reflection_by_id(membership=self.membership,
                                                         reflection_id=kwargs["reflection_id"])

    def detail(self):
        return selectors.reflection_detail(organization=self.organization,
                                           reflection=self.reflection)


class ReflectionListView(ScopedAPIView):
    serializer_class = s.ReflectionInputSerializer

    @extend_schema(operation_id="career_reflections_list", tags=[TAG],
                   responses={200: s.ReflectionSerializer(many=True), **error_responses()})
    def get(self, request, org_slug):
        """My reflections, newest first, with how many questions each has answered."""
        rows = selectors.reflection_list(organization=self.organization, member=self.membership)
        return self.paginated(rows, s.ReflectionSerializer)

    @extend_schema(operation_id="career_reflections_create", tags=[TAG],
                   request=s.ReflectionInputSerializer,
                   responses={201: s.ReflectionDetailSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Start a new reflection against the organisation's current template."""
        data = self.parse(s.ReflectionInputSerializer, request.data)
        reflection = services.reflection_start(**self.service_context,
                                               title=data.get("title", ""))
        view = selectors.reflection_detail(organization=self.organization, reflection=reflection)
        return Response(s.ReflectionDetailSerializer(view).data, status=status.HTTP_201_CREATED)


class ReflectionDetailView(_OwnReflectionView):
    serializer_class = s.ReflectionInputSerializer

    @extend_schema(operation_id="career_reflections_retrieve", tags=[TAG],
                   responses={200: s.ReflectionDetailSerializer, **error_responses()})
    def get(self, request, org_slug, reflection_id):
        """One of my reflections, area by area, with its own questions and my answers."""
        return Response(s.ReflectionDetailSerializer(self.detail()).data)

    @extend_schema(operation_id="career_reflections_partial_update", tags=[TAG],
                   request=s.ReflectionInputSerializer,
                   responses={200: s.ReflectionDetailSerializer, **error_responses(400)})
    def patch(self, request, org_slug, reflection_id):
        """Rename a reflection."""
        data = self.parse(s.ReflectionInputSerializer, request.data, partial=True)
        if "title" in data:
            services.reflection_rename(**self.service_context, reflection=self.reflection,
                                       title=data["title"])
        return Response(s.ReflectionDetailSerializer(self.detail()).data)

    @extend_schema(operation_id="career_reflections_destroy", tags=[TAG],
                   responses={204: None, **error_responses()})
    def delete(self, request, org_slug, reflection_id):
        """Delete a reflection with its answers and shares."""
        services.reflection_delete(**self.service_context, reflection=self.reflection)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReflectionAnswerView(_OwnReflectionView):
    serializer_class = s.AnswerInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.prompt = access.access_prompt_of(reflection=self.reflection,
                                              prompt_id=kwargs["prompt_id"])

    @extend_schema(operation_id="career_reflections_answer", tags=[TAG],
                   request=s.AnswerInputSerializer,
                   responses={200: s.AnswerSerializer, **error_responses(400)})
    def put(self, request, org_slug, reflection_id, prompt_id):
        """Save my answer to one question (as often as I like: the same text writes once)."""
        data = self.parse(s.AnswerInputSerializer, request.data)
        services.reflection_answer_save(**self.service_context, reflection=self.reflection,
                                        prompt=self.prompt, text=data["text"])
        view = self.detail()
        area = view.area(self.prompt.area_id)
        answer = next(p.text for p in area.prompts if p.prompt.pk == self.prompt.pk)
        return Response(s.AnswerSerializer({
            "prompt_id": self.prompt.pk, "answer": answer,
            "area_answered_count": area.answered_count, "area_prompt_count": area.prompt_count,
            "reflection_percent": view.percent,
        }).data)


class ReflectionShareView(_OwnReflectionView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.area = access.access_area_of(reflection=self.reflection, area_id=kwargs["area_id"])

    def _answer(self) -> Response:
        area = self.detail().area(self.area.pk)
        return Response(s.ShareSerializer({"area_id": self.area.pk, "shared": area.is_shared,
                                           "shared_at": area.shared_at}).data)

    @extend_schema(operation_id="career_reflections_share", tags=[TAG], request=None,
                   responses={200: s.ShareSerializer, **error_responses()})
    def put(self, request, org_slug, reflection_id, area_id):
        """Share this area of my reflection with my manager."""
        services.reflection_share_area(**self.service_context, reflection=self.reflection,
                                       area=self.area)
        return self._answer()

    @extend_schema(operation_id="career_reflections_unshare", tags=[TAG],
                   responses={200: s.ShareSerializer, **error_responses()})
    def delete(self, request, org_slug, reflection_id, area_id):
        """Withdraw the share: my manager no longer sees this area."""
        services.reflection_unshare_area(**self.service_context, reflection=self.reflection,
                                         area=self.area)
        return self._answer()


class ReflectionCompareView(_OwnReflectionView):
    @extend_schema(operation_id="career_reflections_compare", tags=[TAG],
                   parameters=[OpenApiParameter(
                       "with", OpenApiTypes.INT, description="Another of my reflections; the "
                       "previous one when absent.")],
                   responses={200: s.CompareSerializer, **error_responses()})
    def get(self, request, org_slug, reflection_id):
        """This reflection beside an earlier one, question by question (404 when there is no
        other reflection to compare with)."""
        if request.query_params.get("with"):
            other = access.access_reflection_by_id(membership=self.membership,
                                                   reflection_id=request.query_params["with"])
        else:
            other = selectors.reflection_previous(organization=self.organization,
                                                  reflection=self.reflection)
        if other is None or other.pk == self.reflection.pk:
            raise Http404
        before, after = sorted([self.reflection, other], key=lambda r: (r.created_at, r.pk))
        areas = selectors.reflection_compare(
            before=selectors.reflection_detail(organization=self.organization, reflection=before),
            after=selectors.reflection_detail(organization=self.organization, reflection=after))
        return Response(s.CompareSerializer({"before": before, "after": after,
                                             "areas": areas}).data)


# --- Managers: what reports share ---------------------------------------------------------------


class SharedListView(ScopedAPIView):
    pagination_class = None

    @extend_schema(operation_id="career_shared_list", tags=["career: shared with me"],
                   responses={200: s.ReportSharingSerializer(many=True),
                              **error_responses(403)})
    def get(self, request, org_slug):
        """My direct reports and how many reflection areas each shares with me (managers)."""
        org_access.require_manager(self.membership)
        rows = selectors.reports_sharing(organization=self.organization, manager=self.membership)
        return Response(s.ReportSharingSerializer(rows, many=True).data)


class SharedMemberView(ScopedAPIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.member = access.access_report_sharing(membership=self.membership,
                                                   member_id=kwargs["member_id"])

    @extend_schema(operation_id="career_shared_retrieve", tags=["career: shared with me"],
                   responses={200: s.SharedWorkSerializer, **error_responses()})
    def get(self, request, org_slug, member_id):
        """What one direct report shares with me: reflection areas, goals, options, actions.

        Only the line manager may read it; the read is recorded in the audit log.
        """
        org = self.organization
        areas = selectors.shared_reflection_areas(organization=org, member=self.member)
        plan = plan_selectors.plan_shared_with_manager(organization=org, member=self.member)
        audit(organization=org, actor=self.membership, action="careers.shared_viewed",
              subject=self.member, areas=len(areas), via="api")
        return Response(s.SharedWorkSerializer({
            "member": self.member,
            "areas": areas,
            "goals": [plan_selectors.goal_data(g) for g in plan["goals"]],
            "options": [plan_selectors.option_data(o) for o in plan["options"]],
            "actions": [plan_selectors.action_data(a) for a in plan["actions"]],
        }).data)


# --- The member's own record --------------------------------------------------------------------


class RecordView(ScopedAPIView):
    @extend_schema(operation_id="career_record_retrieve", tags=["career: my record"],
                   responses={200: OpenApiTypes.OBJECT, **error_responses()})
    def get(self, request, org_slug):
        """Everything Trellis holds about me in this organisation (my career record)."""
        return Response(personal_data_export(organization=self.organization,
                                             member=self.membership))
