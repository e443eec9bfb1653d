"""Success stories in the API.

Each view is parse → access → service or selector → serialise. A story named in the URL is
looked up in ``initial`` through ``access_stories`` (a published story for everyone; any other
for HR and leaders, and for its member once asked) before the method runs, so another
organisation's id, a draft the caller may not read and an absent id are all 404 whatever the
method. Publishing is refused without the member's consent, by the service.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination

from . import serializers_stories as s
from .access_stories import access_story_by_id
from .selectors import stories as selectors
from .services import stories as services

TAG = "hr: success stories"


class _View(ScopedAPIView):
    pagination_class = Pagination


def _require_writer(membership) -> None:
    if not services.can_write_stories(membership):
        raise PermissionDenied(_("Success stories are written by HR and leaders."))


class StoryListView(_View):
    serializer_class = s.StoryInputSerializer

    @extend_schema(operation_id="hr_stories_list", tags=[TAG],
                   parameters=[s.StoryListQuerySerializer],
                   responses={200: s.StorySerializer(many=True), **error_responses(400, 403)})
    def get(self, request, org_slug):
        """Published stories, newest first; ``view=in_progress`` for HR and leaders;
        ``view=about_me`` for the stories the caller was asked about."""
        query = self.parse(s.StoryListQuerySerializer, request.query_params)
        org, me = self.organization, self.membership
        if query["view"] == "in_progress":
            _require_writer(me)
            rows = selectors.stories_in_progress(organization=org, status=query.get("status"))
        elif query["view"] == "about_me":
            rows = selectors.stories_about(organization=org, member=me)
        else:
            rows = selectors.stories_published(organization=org)
        return self.paginated(rows, s.StorySerializer)

    @extend_schema(operation_id="hr_stories_create", tags=[TAG], request=s.StoryInputSerializer,
                   responses={201: s.StorySerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Write a draft story about a colleague's move (HR and leaders)."""
        _require_writer(self.membership)
        data = self.parse(s.StoryInputSerializer, request.data)
        story = services.story_create(**self.service_context, **data)
        story = access_story_by_id(membership=self.membership, story_id=story.pk)
        return Response(s.StorySerializer(story).data, status=status.HTTP_201_CREATED)


class _OneStoryView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.story = access_story_by_id(membership=self.membership,
                                        story_id=kwargs["story_id"])

    def answer(self) -> Response:
        fresh = access_story_by_id(membership=self.membership, story_id=self.story.pk)
        return Response(s.StorySerializer(fresh).data)


class StoryDetailView(_OneStoryView):
    serializer_class = s.StoryUpdateSerializer

    @extend_schema(operation_id="hr_stories_retrieve", tags=[TAG],
                   responses={200: s.StorySerializer, **error_responses()})
    def get(self, request, org_slug, story_id):
        """A story: published for everyone; otherwise HR, leaders and its member once asked."""
        return Response(s.StorySerializer(self.story).data)

    @extend_schema(operation_id="hr_stories_update", tags=[TAG],
                   request=s.StoryUpdateSerializer,
                   responses={200: s.StorySerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, story_id):
        """Change the words or the move (HR and leaders). Consent the member gave to the
        earlier words is cleared, and a published story unpublished."""
        _require_writer(self.membership)
        data = self.parse(s.StoryUpdateSerializer, request.data, partial=True)
        story = self.story
        services.story_update(**self.service_context, story=story,
                              title=data.get("title", story.title),
                              body=data.get("body", story.body),
                              move=data.get("move", story.move))
        return self.answer()

    @extend_schema(operation_id="hr_stories_destroy", tags=[TAG],
                   responses={204: None, **error_responses(403)})
    def delete(self, request, org_slug, story_id):
        """Delete a story (HR and leaders)."""
        _require_writer(self.membership)
        services.story_delete(**self.service_context, story=self.story)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _action_view(name: str, action, doc: str):
    class View(_OneStoryView):
        @extend_schema(operation_id=f"hr_stories_{name}", tags=[TAG], request=None,
                       responses={200: s.StorySerializer, **error_responses(400, 403)},
                       description=doc)
        def post(self, request, org_slug, story_id):
            _require_writer(self.membership)
            action(**self.service_context, story=self.story)
            return self.answer()

    View.__name__ = View.__qualname__ = f"Story{name.title().replace('_', '')}View"
    return View


StoryRequestConsentView = _action_view(
    "request_consent", services.story_request_consent,
    "Ask the member for consent; they are told in-app and can read the draft (HR, leaders).")
StoryPublishView = _action_view(
    "publish", services.story_publish,
    "Publish a story the member has agreed to (HR, leaders); refused without consent.")
StoryUnpublishView = _action_view(
    "unpublish", services.story_unpublish,
    "Take a published story down (HR, leaders); the member's consent stands.")


class StoryConsentView(_OneStoryView):
    serializer_class = s.ConsentInputSerializer

    @extend_schema(operation_id="hr_stories_consent", tags=[TAG],
                   request=s.ConsentInputSerializer,
                   responses={200: s.StorySerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, story_id):
        """The member's answer: give consent, decline, or withdraw consent (which unpublishes
        the story at once)."""
        data = self.parse(s.ConsentInputSerializer, request.data)
        services.story_consent_answer(**self.service_context, story=self.story,
                                      decision=data["answer"])
        return self.answer()
