"""Career conversations API: my conversations and scheduling, one conversation (agenda,
preparation, attached reflection areas, shared and private notes, agreed actions, outcome),
my team's cadence, mentors and coaches, the guide.

Every object named in the URL is looked up in ``initial``, before the method is dispatched: a
conversation through ``conversations.access`` (its two participants only), everything else
through ``conversations.access_conversations``; another organisation's id, someone else's
conversation and an absent id are all 404 whatever the method. Writes go through
``conversations.services.conversations``; a service's ``ValidationError`` is a 400 with the
messages by field, its ``PermissionDenied`` a 403 that says why.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations import access as org_access
from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.services import audit

from .. import access, access_conversations, guide
from ..models import AgendaTopic, ConversationStatus, MemberCadence
from ..selectors import conversations as selectors
from ..serializers import conversations as s
from ..services import conversations as services

TAG = "conversations"
TEAM_TAG = "conversations: team"
PARTNERS_TAG = "conversations: mentors and coaches"

_errors = error_responses


class _ConversationView(ScopedAPIView):
    """A view on one conversation the caller takes part in (``conversation_id``)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.conversation = access.access_conversation_by_id(
            membership=self.membership, conversation_id=kwargs["conversation_id"])

    def detail(self):
        return selectors.conversation_detail(organization=self.organization,
                                             conversation=self.conversation,
                                             viewer=self.membership)

    def reload(self):
        self.conversation = access.access_conversation_by_id(
            membership=self.membership, conversation_id=self.conversation.pk)
        return self.conversation

    def detail_response(self, code=status.HTTP_200_OK) -> Response:
        self.reload()
        return Response(s.ConversationDetailSerializer(
            self.detail(), context=self.get_serializer_context()).data, status=code)

    def audit_partner_read(self, part: str) -> None:
        """The partner's read of a part of the conversation is audit-logged, as the whole
        conversation's is (the employee's attached areas, ratings and what they agreed)."""
        if self.membership.pk != self.conversation.member_id:
            audit(organization=self.organization, actor=self.membership,
                  action="conversations.conversation_viewed", subject=self.conversation.member,
                  conversation=self.conversation.pk, part=part, via="api")

    def require_employee(self) -> None:
        if self.membership.pk != self.conversation.member_id:
            raise PermissionDenied(_("Only the employee whose career conversation this is can "
                                     "do this."))


# --- Conversations ------------------------------------------------------------------------------


WHEN = OpenApiParameter("when", OpenApiTypes.STR, enum=["upcoming", "past"],
                        description="upcoming: scheduled (soonest first); past: held or "
                                    "cancelled (newest first). Both when absent.")
ROLE = OpenApiParameter("role", OpenApiTypes.STR, enum=["employee", "partner"],
                        description="Only those where the caller is the employee, or the "
                                    "partner.")


class ConversationListView(ScopedAPIView):
    pagination_class = Pagination
    serializer_class = s.ScheduleInputSerializer

    @extend_schema(operation_id="conversations_list", tags=[TAG], parameters=[WHEN, ROLE],
                   responses={200: s.ConversationSerializer(many=True), **_errors()})
    def get(self, request, org_slug):
        """The caller's career conversations, as the employee and as a partner."""
        rows = selectors.conversation_list(organization=self.organization,
                                           member=self.membership)
        when = request.query_params.get("when")
        if when == "upcoming":
            rows = rows.filter(status=ConversationStatus.SCHEDULED).order_by("scheduled_at",
                                                                               "pk")
        elif when == "past":
            rows = rows.exclude(status=ConversationStatus.SCHEDULED)
        role = request.query_params.get("role")
        if role == "employee":
            rows = rows.filter(member=self.membership)
        elif role == "partner":
            rows = rows.filter(partner=self.membership)
        return self.paginated(rows, s.ConversationSerializer)

    @extend_schema(operation_id="conversations_create", tags=[TAG],
                   request=s.ScheduleInputSerializer,
                   responses={201: s.ConversationDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Schedule a conversation. The caller is the employee (give ``partner``: their line
        manager, a mentor or coach) or the partner (give ``member``: a direct report, or
        someone they mentor or coach). The time must be in the future and free for both."""
        data = self.parse(s.ScheduleInputSerializer, request.data)
        conversation = services.conversation_schedule(**self.service_context, **data)
        conversation = access.access_conversation_by_id(membership=self.membership,
                                                        conversation_id=conversation.pk)
        detail = selectors.conversation_detail(organization=self.organization,
                                               conversation=conversation,
                                               viewer=self.membership)
        return Response(s.ConversationDetailSerializer(
            detail, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)


class ConversationDetailView(_ConversationView):
    serializer_class = s.RescheduleInputSerializer

    @extend_schema(operation_id="conversations_retrieve", tags=[TAG],
                   responses={200: s.ConversationDetailSerializer, **_errors()})
    def get(self, request, org_slug, conversation_id):
        """One conversation: agenda, shared notes, the caller's own private note, the
        employee's preparation (for the employee only), attached reflection areas with their
        answers, agreed actions, the outcome, the suggested step of the guide.

        The partner's read is recorded in the audit log."""
        detail = self.detail()
        if detail.is_partner:
            audit(organization=self.organization, actor=self.membership,
                  action="conversations.conversation_viewed", subject=self.conversation.member,
                  conversation=self.conversation.pk, areas=len(detail.areas), via="api")
        return Response(s.ConversationDetailSerializer(
            detail, context=self.get_serializer_context()).data)

    @extend_schema(operation_id="conversations_partial_update", tags=[TAG],
                   request=s.RescheduleInputSerializer,
                   responses={200: s.ConversationDetailSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, conversation_id):
        """Move a scheduled conversation, or change its length, place or video link."""
        data = self.parse(s.RescheduleInputSerializer, request.data, partial=True)
        data.setdefault("scheduled_at", self.conversation.scheduled_at)
        services.conversation_reschedule(**self.service_context, conversation=self.conversation,
                                         **data)
        return self.detail_response()


class ConversationCancelView(_ConversationView):
    serializer_class = s.CancelInputSerializer

    @extend_schema(operation_id="conversations_cancel", tags=[TAG],
                   request=s.CancelInputSerializer,
                   responses={200: s.ConversationDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, conversation_id):
        """Cancel a scheduled conversation; the other person is told, with the reason."""
        data = self.parse(s.CancelInputSerializer, request.data)
        services.conversation_cancel(**self.service_context, conversation=self.conversation,
                                     reason=data["reason"])
        return self.detail_response()


class ConversationHeldView(_ConversationView):
    @extend_schema(operation_id="conversations_mark_held", tags=[TAG], request=None,
                   responses={200: s.ConversationDetailSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, conversation_id):
        """Record that the conversation took place (from its start time on). Open topics
        carry over to the two people's next conversation."""
        services.conversation_mark_held(**self.service_context, conversation=self.conversation)
        return self.detail_response()


# --- Agenda -------------------------------------------------------------------------------------


class TopicListView(_ConversationView):
    pagination_class = None
    serializer_class = s.TopicInputSerializer

    @extend_schema(operation_id="conversations_topics_list", tags=[TAG],
                   responses={200: s.TopicSerializer(many=True), **_errors()})
    def get(self, request, org_slug, conversation_id):
        """The agenda, in order."""
        self.audit_partner_read("topics")
        return Response(s.TopicSerializer(self.detail().topics, many=True).data)

    @extend_schema(operation_id="conversations_topics_create", tags=[TAG],
                   request=s.TopicInputSerializer,
                   responses={201: s.TopicSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, conversation_id):
        """Add a topic (either participant, while the conversation is scheduled)."""
        data = self.parse(s.TopicInputSerializer, request.data)
        topic = services.topic_add(**self.service_context, conversation=self.conversation,
                                   text=data["text"])
        topic = (AgendaTopic.objects.for_org(self.organization).select_related("author__user")
                 .get(pk=topic.pk))
        return Response(s.TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


class TopicDetailView(_ConversationView):
    serializer_class = s.TopicUpdateSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.topic = access_conversations.access_topic_of(conversation=self.conversation,
                                                          topic_id=kwargs["topic_id"])

    @extend_schema(operation_id="conversations_topics_partial_update", tags=[TAG],
                   request=s.TopicUpdateSerializer,
                   responses={200: s.TopicSerializer, **_errors(400, 403)})
    def patch(self, request, org_slug, conversation_id, topic_id):
        """Mark a topic as discussed, or not yet."""
        data = self.parse(s.TopicUpdateSerializer, request.data)
        topic = services.topic_toggle_done(**self.service_context, topic=self.topic,
                                           is_done=data["is_done"])
        return Response(s.TopicSerializer(topic).data)

    @extend_schema(operation_id="conversations_topics_destroy", tags=[TAG],
                   responses={204: None, **_errors(400, 403)})
    def delete(self, request, org_slug, conversation_id, topic_id):
        """Remove a topic: its author only, before the conversation is held."""
        services.topic_remove(**self.service_context, topic=self.topic)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The employee's preparation and attached areas ----------------------------------------------


class PreparationView(_ConversationView):
    serializer_class = s.PreparationInputSerializer

    @extend_schema(operation_id="conversations_preparation_retrieve", tags=[TAG],
                   responses={200: s.PreparationSerializer, **_errors(403)})
    def get(self, request, org_slug, conversation_id):
        """The employee's own preparation (403 for the partner: it is private)."""
        self.require_employee()
        prep = self.detail().preparation
        return Response(s.PreparationSerializer(prep).data if prep is not None else
                        {"journey": "", "to_ask": "", "to_share": "", "updated_at": None})

    @extend_schema(operation_id="conversations_preparation_update", tags=[TAG],
                   request=s.PreparationInputSerializer,
                   responses={200: s.PreparationSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, conversation_id):
        """Save the preparation: the journey so far, what to ask, what to share."""
        data = self.parse(s.PreparationInputSerializer, request.data)
        prep = services.preparation_save(**self.service_context, conversation=self.conversation,
                                         **data)
        return Response(s.PreparationSerializer(prep).data)


class AreaListView(_ConversationView):
    pagination_class = None
    serializer_class = s.AreaInputSerializer

    @extend_schema(operation_id="conversations_areas_list", tags=[TAG],
                   responses={200: s.AttachedAreaSerializer(many=True), **_errors()})
    def get(self, request, org_slug, conversation_id):
        """The reflection areas the employee attached, with their answers."""
        self.audit_partner_read("areas")
        return Response(s.AttachedAreaSerializer(self.detail().areas, many=True).data)

    @extend_schema(operation_id="conversations_areas_create", tags=[TAG],
                   request=s.AreaInputSerializer,
                   responses={201: s.AttachedAreaSerializer(many=True), **_errors(400, 403)})
    def post(self, request, org_slug, conversation_id):
        """Attach an area of one of my reflections (the employee): the partner reads it with
        this conversation."""
        self.require_employee()
        data = self.parse(s.AreaInputSerializer, request.data)
        services.conversation_area_attach(**self.service_context, conversation=self.conversation,
                                          **data)
        return Response(s.AttachedAreaSerializer(self.detail().areas, many=True).data,
                        status=status.HTTP_201_CREATED)


class AreaDetailView(_ConversationView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.attached = access_conversations.access_attached_area_of(
            conversation=self.conversation, reflection_id=kwargs["reflection_id"],
            area_id=kwargs["area_id"])

    @extend_schema(operation_id="conversations_areas_destroy", tags=[TAG],
                   responses={204: None, **_errors(403)})
    def delete(self, request, org_slug, conversation_id, reflection_id, area_id):
        """Withdraw an attached area: the partner no longer reads it."""
        services.conversation_area_detach(**self.service_context, conversation=self.conversation,
                                          reflection=self.attached.reflection,
                                          area=self.attached.area)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Notes --------------------------------------------------------------------------------------


class SharedNotesView(_ConversationView):
    serializer_class = s.TextInputSerializer

    @extend_schema(operation_id="conversations_shared_notes_retrieve", tags=[TAG],
                   responses={200: s.SharedNotesSerializer, **_errors()})
    def get(self, request, org_slug, conversation_id):
        """The notes both participants see."""
        self.audit_partner_read("shared_notes")
        return Response(s.SharedNotesSerializer(self.conversation).data)

    @extend_schema(operation_id="conversations_shared_notes_update", tags=[TAG],
                   request=s.TextInputSerializer,
                   responses={200: s.SharedNotesSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, conversation_id):
        """Replace the shared notes (the last writer is recorded)."""
        data = self.parse(s.TextInputSerializer, request.data)
        services.shared_notes_save(**self.service_context, conversation=self.conversation,
                                   text=data["text"])
        return Response(s.SharedNotesSerializer(self.reload()).data)


class PrivateNoteView(_ConversationView):
    serializer_class = s.TextInputSerializer

    @extend_schema(operation_id="conversations_private_note_retrieve", tags=[TAG],
                   responses={200: s.PrivateNoteSerializer, **_errors()})
    def get(self, request, org_slug, conversation_id):
        """The caller's own private note: nobody else ever reads it."""
        note = self.detail().private_note
        return Response(s.PrivateNoteSerializer(note).data if note is not None else
                        {"text": "", "updated_at": None})

    @extend_schema(operation_id="conversations_private_note_update", tags=[TAG],
                   request=s.TextInputSerializer,
                   responses={200: s.PrivateNoteSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, conversation_id):
        """Save the caller's private note; an empty text deletes it."""
        data = self.parse(s.TextInputSerializer, request.data)
        note = services.private_note_save(**self.service_context,
                                          conversation=self.conversation, text=data["text"])
        return Response(s.PrivateNoteSerializer(note).data if note is not None else
                        {"text": "", "updated_at": None})


# --- Agreed actions and outcome -----------------------------------------------------------------


class ActionListView(_ConversationView):
    pagination_class = None
    serializer_class = s.AgreedActionInputSerializer

    @extend_schema(operation_id="conversations_actions_list", tags=[TAG],
                   responses={200: s.AgreedActionSerializer(many=True), **_errors()})
    def get(self, request, org_slug, conversation_id):
        """The actions agreed in this conversation, each an item of the employee's plan."""
        self.audit_partner_read("actions")
        return Response(s.AgreedActionSerializer(self.detail().actions, many=True).data)

    @extend_schema(operation_id="conversations_actions_create", tags=[TAG],
                   request=s.AgreedActionInputSerializer,
                   responses={201: s.AgreedActionSerializer, **_errors(400, 403)})
    def post(self, request, org_slug, conversation_id):
        """Record an agreed action (either participant, once the conversation has started):
        it becomes an item of the employee's development plan, shared with their manager."""
        serializer = s.AgreedActionInputSerializer(data=request.data,
                                                   context=self.get_serializer_context(),
                                                   employee=self.conversation.member)
        serializer.is_valid(raise_exception=True)
        agreed = services.agreed_action_add(**self.service_context,
                                            conversation=self.conversation,
                                            **serializer.validated_data)
        found = next(a for a in self.detail().actions if a.pk == agreed.pk)
        return Response(s.AgreedActionSerializer(found).data, status=status.HTTP_201_CREATED)


class OutcomeView(_ConversationView):
    serializer_class = s.OutcomeInputSerializer

    @extend_schema(operation_id="conversations_outcome_retrieve", tags=[TAG],
                   responses={200: s.OutcomeSerializer, **_errors()})
    def get(self, request, org_slug, conversation_id):
        """The employee's ratings (404 while there are none)."""
        outcome = self.detail().outcome
        if outcome is None:
            raise Http404
        self.audit_partner_read("outcome")
        return Response(s.OutcomeSerializer(outcome).data)

    @extend_schema(operation_id="conversations_outcome_update", tags=[TAG],
                   request=s.OutcomeInputSerializer,
                   responses={200: s.OutcomeSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, conversation_id):
        """Rate, from 1 to 5, what the held conversation gave me (the employee): direction,
        self-insight, options and resources, confidence and motivation."""
        data = self.parse(s.OutcomeInputSerializer, request.data)
        outcome = services.outcome_rate(**self.service_context, conversation=self.conversation,
                                        **data)
        return Response(s.OutcomeSerializer(outcome).data)


# --- Guide, summary -----------------------------------------------------------------------------


class GuideView(ScopedAPIView):
    @extend_schema(operation_id="conversations_guide", tags=[TAG],
                   responses={200: s.GuideSerializer, **_errors()})
    def get(self, request, org_slug):
        """The suggested series of four career conversations, the four outcomes the employee
        rates, and the employee's preparation prompts."""
        return Response(s.GuideSerializer({"steps": guide.STEPS, "outcomes": guide.OUTCOMES,
                                           "preparation": guide.PREPARATION}).data)


class SummaryView(ScopedAPIView):
    @extend_schema(operation_id="conversations_summary", tags=[TAG],
                   responses={200: s.SummarySerializer, **_errors()})
    def get(self, request, org_slug):
        """My next conversation, my last held one, my cadence; for managers, the team at a
        glance."""
        org, me = self.organization, self.membership
        team = None
        if getattr(me, "is_manager", False):
            team = selectors.team_summary(selectors.team_overview(organization=org, manager=me))
        return Response(s.SummarySerializer({
            "next": selectors.next_conversation(organization=org, member=me),
            "last_held": selectors.last_held(organization=org, member=me),
            "cadence_days": selectors.cadence_days(organization=org, member=me),
            "team": team,
        }, context=self.get_serializer_context()).data)


# --- Team and cadence ---------------------------------------------------------------------------


class TeamView(ScopedAPIView):
    pagination_class = None

    @extend_schema(operation_id="conversations_team", tags=[TEAM_TAG],
                   responses={200: s.ReportConversationsSerializer(many=True),
                              **_errors(403)})
    def get(self, request, org_slug):
        """My direct reports (managers): last held and next conversation, cadence, due date,
        overdue."""
        org_access.require_manager(self.membership)
        rows = selectors.team_overview(organization=self.organization, manager=self.membership)
        return Response(s.ReportConversationsSerializer(rows, many=True).data)


class CadenceView(ScopedAPIView):
    serializer_class = s.CadenceInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # HR sets anyone's cadence; a manager their direct reports'.
        lookup = (access_conversations.access_member_for_hr if self.membership.is_hr_admin
                  else access_conversations.access_report_by_id)
        self.member = lookup(membership=self.membership, member_id=kwargs["member_id"])

    def _answer(self) -> Response:
        days = selectors.cadence_days(organization=self.organization, member=self.member)
        override = self.member_override()
        return Response(s.CadenceSerializer({"member": self.member, "days": days,
                                             "is_default": override is None}).data)

    def member_override(self):
        return MemberCadence.objects.for_org(self.organization).filter(
            member=self.member).first()

    @extend_schema(operation_id="conversations_cadence_retrieve", tags=[TEAM_TAG],
                   responses={200: s.CadenceSerializer, **_errors()})
    def get(self, request, org_slug, member_id):
        """How often one of my reports (or, for HR, any member) has a career
        conversation."""
        return self._answer()

    @extend_schema(operation_id="conversations_cadence_update", tags=[TEAM_TAG],
                   request=s.CadenceInputSerializer,
                   responses={200: s.CadenceSerializer, **_errors(400, 403)})
    def put(self, request, org_slug, member_id):
        """Set the report's own rhythm in days (null: the organisation's default)."""
        data = self.parse(s.CadenceInputSerializer, request.data)
        services.cadence_set(**self.service_context, member=self.member, days=data["days"])
        return self._answer()

    @extend_schema(operation_id="conversations_cadence_destroy", tags=[TEAM_TAG],
                   responses={200: s.CadenceSerializer, **_errors(403)})
    def delete(self, request, org_slug, member_id):
        """Back to the organisation's default."""
        services.cadence_set(**self.service_context, member=self.member, days=None)
        return self._answer()


# --- Mentors and coaches ------------------------------------------------------------------------


class PartnerListView(ScopedAPIView):
    serializer_class = s.PartnerInputSerializer

    @extend_schema(operation_id="conversations_partners_list", tags=[PARTNERS_TAG],
                   responses={200: s.PartnersSerializer, **_errors()})
    def get(self, request, org_slug):
        """My career partners (line manager, mentors, coaches) and whom I mentor or coach."""
        org, me = self.organization, self.membership
        return Response(s.PartnersSerializer({
            "partners": selectors.partners_of(organization=org, member=me),
            "mentees": selectors.mentees_of(organization=org, partner=me),
        }).data)

    @extend_schema(operation_id="conversations_partners_create", tags=[PARTNERS_TAG],
                   request=s.PartnerInputSerializer,
                   responses={201: s.CareerPartnerSerializer, **_errors(400, 403)})
    def post(self, request, org_slug):
        """Add a mentor or coach: mine, or (HR) any member's (``member``)."""
        data = self.parse(s.PartnerInputSerializer, request.data)
        row = services.partner_add(**self.service_context, **data)
        return Response(s.CareerPartnerSerializer(row).data, status=status.HTTP_201_CREATED)


class PartnerDetailView(ScopedAPIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.partnership = access_conversations.access_partnership_by_id(
            membership=self.membership, partner_id=kwargs["partner_id"])

    @extend_schema(operation_id="conversations_partners_retrieve", tags=[PARTNERS_TAG],
                   responses={200: s.CareerPartnerSerializer, **_errors()})
    def get(self, request, org_slug, partner_id):
        """One partnership (its two people, or HR)."""
        return Response(s.CareerPartnerSerializer(self.partnership).data)

    @extend_schema(operation_id="conversations_partners_destroy", tags=[PARTNERS_TAG],
                   responses={200: s.CareerPartnerSerializer, **_errors(403)})
    def delete(self, request, org_slug, partner_id):
        """End the partnership. Past conversations stay."""
        row = services.partner_end(**self.service_context, career_partner=self.partnership)
        return Response(s.CareerPartnerSerializer(row).data)
