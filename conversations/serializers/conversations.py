"""Input and output shapes of the conversations API. Outputs read the selectors' results.

Ids in a request body are scoped fields: their querysets come from the organisation in the
serializer context (and, for reflections, from the caller's own), so another organisation's id
is a 400 with a message on that field and never reaches a service.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from careers.models import ActionKind, Reflection, ReflectionArea
from careers.selectors.plan import plan_skill_choices
from careers.serializers.reflections import AreaViewSerializer
from organizations.models import Membership
from organizations.serializers import MemberRefSerializer
from skills.models import Skill

from .. import guide
from ..models import TEXT_MAX_LENGTH, TOPIC_MAX_LENGTH, PartnerKind
from ..selectors.conversations import organization_zone
from ..services.conversations import MAX_DURATION, MIN_DURATION, RATING_MAX, RATING_MIN


class OrganizationDateTimeField(serializers.DateTimeField):
    """A date and time; without an offset it is read in the organisation's time zone."""

    def default_timezone(self):
        organization = self.context.get("organization")
        if organization is not None:
            return organization_zone(organization)
        return super().default_timezone()


class _ScopedMixin:
    def _org(self):
        return self.context["organization"]

    def _me(self):
        return self.context["membership"]


def _members(organization):
    return Membership.objects.for_org(organization).filter(is_active=True)


# --- Inputs -------------------------------------------------------------------------------------


class ScheduleInputSerializer(_ScopedMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects_unscoped.none(), required=False,
        help_text=_("The employee; the caller when left out."))
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects_unscoped.none(), required=False,
        help_text=_("The career partner (line manager, mentor or coach); the caller when left "
                    "out."))
    scheduled_at = OrganizationDateTimeField(
        help_text=_("ISO 8601. Without an offset, in the organisation's time zone."))
    duration_minutes = serializers.IntegerField(min_value=MIN_DURATION, max_value=MAX_DURATION,
                                                default=45)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                     default="")
    video_url = serializers.URLField(max_length=200, required=False, allow_blank=True,
                                     default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.context:
            for name in ("member", "partner"):
                self.fields[name].queryset = _members(self._org())

    def validate(self, data):
        me = self._me()
        data.setdefault("member", me)
        data.setdefault("partner", me)
        return data


class RescheduleInputSerializer(serializers.Serializer):
    scheduled_at = OrganizationDateTimeField(required=False)
    duration_minutes = serializers.IntegerField(min_value=MIN_DURATION, max_value=MAX_DURATION,
                                                required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    video_url = serializers.URLField(max_length=200, required=False, allow_blank=True)


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TopicInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TOPIC_MAX_LENGTH)


class TopicUpdateSerializer(serializers.Serializer):
    is_done = serializers.BooleanField(help_text=_("Whether it has been discussed."))


class PreparationInputSerializer(serializers.Serializer):
    journey = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True,
                                    default="", help_text=str(guide.PREPARATION[0].help))
    to_ask = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True,
                                   default="", help_text=str(guide.PREPARATION[1].help))
    to_share = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False,
                                     allow_blank=True, default="",
                                     help_text=str(guide.PREPARATION[2].help))


class AreaInputSerializer(_ScopedMixin, serializers.Serializer):
    reflection = serializers.PrimaryKeyRelatedField(
        queryset=Reflection.objects_unscoped.none(), help_text=_("One of your reflections."))
    area = serializers.PrimaryKeyRelatedField(
        queryset=ReflectionArea.objects_unscoped.none(),
        help_text=_("An area of that reflection's template version."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.context:
            self.fields["reflection"].queryset = Reflection.objects.for_org(
                self._org()).filter(member=self._me())
            self.fields["area"].queryset = ReflectionArea.objects.for_org(self._org())


class TextInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True,
                                 trim_whitespace=False)


@extend_schema_field({"type": "string", "enum": list(ActionKind.values),
                      "description": "The kind of development action (as in the plan)."})
class ActionKindField(serializers.ChoiceField):
    """A plan action's kind. Its schema is written inline: the set of choices belongs to the
    careers ``DevelopmentAction`` component, and a second component holding it would make the
    enum's name ambiguous."""

    def __init__(self, **kwargs):
        super().__init__(choices=ActionKind.choices, **kwargs)


class AgreedActionInputSerializer(_ScopedMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = ActionKindField(default=ActionKind.ON_THE_JOB)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    skill = serializers.PrimaryKeyRelatedField(queryset=Skill.objects_unscoped.none(),
                                               required=False, allow_null=True, default=None)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0,
                                     required=False, allow_null=True, default=None)

    def __init__(self, *args, employee=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.context and employee is not None:
            self.fields["skill"].queryset = plan_skill_choices(organization=self._org(),
                                                               member=employee)


class OutcomeInputSerializer(serializers.Serializer):
    direction = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX,
                                         help_text=str(guide.OUTCOMES[0].label))
    self_insight = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX,
                                            help_text=str(guide.OUTCOMES[1].label))
    options = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX,
                                       help_text=str(guide.OUTCOMES[2].label))
    confidence = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX,
                                          help_text=str(guide.OUTCOMES[3].label))
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                    default="")


class PartnerInputSerializer(_ScopedMixin, serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Membership.objects_unscoped.none(),
                                                 help_text=_("The mentor or coach."))
    kind = serializers.ChoiceField(choices=[(PartnerKind.MENTOR, PartnerKind.MENTOR.label),
                                            (PartnerKind.COACH, PartnerKind.COACH.label)],
                                   default=PartnerKind.MENTOR)
    member = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects_unscoped.none(), required=False,
        help_text=_("Whose mentor or coach (HR only); the caller when left out."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.context:
            for name in ("member", "partner"):
                self.fields[name].queryset = _members(self._org())

    def validate(self, data):
        data.setdefault("member", self._me())
        return data


class CadenceInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=7, max_value=366, allow_null=True,
                                    help_text=_("Days between career conversations; null for "
                                                "the organisation's default."))


# --- Outputs ------------------------------------------------------------------------------------


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    member = MemberRefSerializer(help_text=_("The employee."))
    partner = MemberRefSerializer()
    partner_kind = serializers.CharField()
    scheduled_at = serializers.DateTimeField()
    ends_at = serializers.SerializerMethodField()
    duration_minutes = serializers.IntegerField()
    location = serializers.CharField()
    video_url = serializers.CharField()
    status = serializers.CharField()
    held_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    my_role = serializers.SerializerMethodField(
        help_text=_("``employee`` or ``partner``: the caller's part in it."))
    topic_count = serializers.SerializerMethodField()
    open_topic_count = serializers.SerializerMethodField()
    action_count = serializers.SerializerMethodField()
    is_rated = serializers.SerializerMethodField()
    is_prepared = serializers.SerializerMethodField(
        help_text=_("Whether the employee has written a preparation: for the employee only, "
                    "null for the partner."))

    def get_ends_at(self, obj) -> str:
        return serializers.DateTimeField().to_representation(
            obj.scheduled_at + timedelta(minutes=obj.duration_minutes))

    # Counts come with lists (``selectors.conversation_list``); a single conversation's
    # detail carries its topics and actions themselves.
    def get_topic_count(self, obj) -> int | None:
        return getattr(obj, "topic_count", None)

    def get_open_topic_count(self, obj) -> int | None:
        return getattr(obj, "open_topic_count", None)

    def get_action_count(self, obj) -> int | None:
        return getattr(obj, "action_count", None)

    def get_is_rated(self, obj) -> bool | None:
        return getattr(obj, "is_rated", None)

    def get_my_role(self, obj) -> str:
        me = self.context.get("membership")
        return "employee" if me is not None and obj.member_id == me.pk else "partner"

    def get_is_prepared(self, obj) -> bool | None:
        me = self.context.get("membership")
        if me is None or obj.member_id != me.pk:
            return None
        return bool(getattr(obj, "is_prepared", False))


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    author = MemberRefSerializer(allow_null=True)
    is_done = serializers.BooleanField()
    position = serializers.IntegerField()
    carried_over = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_carried_over(self, obj) -> bool:
        return obj.carried_from_id is not None


class PreparationSerializer(serializers.Serializer):
    journey = serializers.CharField()
    to_ask = serializers.CharField()
    to_share = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)


class PrivateNoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)


class SharedNotesSerializer(serializers.Serializer):
    text = serializers.CharField(source="shared_notes")
    updated_at = serializers.DateTimeField(source="shared_notes_updated_at", allow_null=True)
    updated_by = MemberRefSerializer(source="shared_notes_updated_by", allow_null=True)


class AttachedReflectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="display_title")


class AttachedAreaSerializer(serializers.Serializer):
    reflection = AttachedReflectionSerializer()
    area = AreaViewSerializer()


class ActionSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class PlanActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    kind = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    skill = ActionSkillSerializer(allow_null=True)


class AgreedActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    action = PlanActionSerializer(help_text=_("The item of the employee's development plan."))
    created_by = MemberRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class OutcomeSerializer(serializers.Serializer):
    direction = serializers.IntegerField(allow_null=True)
    self_insight = serializers.IntegerField(allow_null=True)
    options = serializers.IntegerField(allow_null=True)
    confidence = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()
    rated_at = serializers.DateTimeField()


class GuideStepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    purpose = serializers.CharField()
    prompts = serializers.ListField(child=serializers.CharField())
    tips = serializers.ListField(child=serializers.CharField())
    outcomes = serializers.ListField(child=serializers.CharField())


class GuideOutcomeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    question = serializers.CharField()


class PreparationPartSerializer(serializers.Serializer):
    field = serializers.CharField()
    title = serializers.CharField()
    help = serializers.CharField()
    prompts = serializers.ListField(child=serializers.CharField())


class GuideSerializer(serializers.Serializer):
    steps = GuideStepSerializer(many=True)
    outcomes = GuideOutcomeSerializer(many=True)
    preparation = PreparationPartSerializer(many=True)


class ConversationDetailSerializer(serializers.Serializer):
    conversation = ConversationSerializer()
    shared_notes = SharedNotesSerializer(source="conversation")
    topics = TopicSerializer(many=True)
    my_private_note = PrivateNoteSerializer(source="private_note", allow_null=True,
                                            help_text=_("The caller's own; nobody else's."))
    preparation = PreparationSerializer(allow_null=True,
                                        help_text=_("For the employee only; null for the "
                                                    "partner."))
    areas = AttachedAreaSerializer(many=True)
    actions = AgreedActionSerializer(many=True)
    outcome = OutcomeSerializer(allow_null=True)
    guide_step = GuideStepSerializer(source="guide_default",
                                     help_text=_("The suggested step of the guide's series."))


class ConversationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    scheduled_at = serializers.DateTimeField()
    status = serializers.CharField()
    partner = MemberRefSerializer()


class ReportConversationsSerializer(serializers.Serializer):
    member = MemberRefSerializer()
    cadence_days = serializers.IntegerField()
    cadence_override = serializers.IntegerField(allow_null=True)
    last_held = ConversationRefSerializer(allow_null=True)
    next = ConversationRefSerializer(allow_null=True)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    days_overdue = serializers.IntegerField()
    due_soon = serializers.BooleanField()
    state = serializers.CharField()


class CareerPartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    member = MemberRefSerializer()
    partner = MemberRefSerializer()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class PartnerChoiceSerializer(serializers.Serializer):
    member = MemberRefSerializer(source="membership")
    kind = serializers.CharField()
    partnership_id = serializers.SerializerMethodField()

    def get_partnership_id(self, obj) -> int | None:
        return obj.career_partner.pk if obj.career_partner is not None else None


class PartnersSerializer(serializers.Serializer):
    partners = PartnerChoiceSerializer(many=True,
                                       help_text=_("Line manager, mentors and coaches."))
    mentees = CareerPartnerSerializer(many=True,
                                      help_text=_("Whom the caller mentors or coaches."))


class CadenceSerializer(serializers.Serializer):
    member = MemberRefSerializer()
    days = serializers.IntegerField()
    is_default = serializers.BooleanField()


class TeamSummarySerializer(serializers.Serializer):
    reports = serializers.IntegerField()
    overdue = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    never_held = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    next = ConversationSerializer(allow_null=True)
    last_held = ConversationRefSerializer(allow_null=True)
    cadence_days = serializers.IntegerField()
    team = TeamSummarySerializer(allow_null=True)
