"""Input and output serializers of the Office Career Champions API.

Output serializers read only what the selectors joined (and counts the view computed for the
whole page), so a page of rows costs no query per row. Input serializers check shape; the
services hold the rules. The colleague a nomination names is an ``AuthorScopedField`` over
``selectors.champions.colleagues``: another organisation's id is a field error that says
nothing about whether it exists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from conversations.serializers.feedback import AuthorScopedField
from organizations.models import Membership
from organizations.serializers import MemberRefSerializer

from .models import ChampionCriterion, NominationStatus
from .selectors import champions as selectors
from .services import champions as services


def choice_field(choices, *, description: str = "", **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum is written inline in the schema: the same field name
    ("status", "decision", "kind") carries other choices in other apps, and a shared enum
    component would make those names ambiguous."""
    values = [value for value, _label in choices]
    schema = {"type": "string", "enum": values}
    if description:
        schema["description"] = description

    @extend_schema_field(schema)
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices, **kwargs)


def _colleagues(*, organization, author):
    return selectors.colleagues(organization=organization, viewer=author)


@extend_schema_serializer(component_name="ChampionCriterionCount")
class CriterionCountSerializer(serializers.Serializer):
    criterion = choice_field(ChampionCriterion.choices, source="value")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=_("How many colleagues cited it."))


@extend_schema_serializer(component_name="ChampionCitation")
class CitationSerializer(serializers.Serializer):
    criterion = choice_field(ChampionCriterion.choices, source="value")
    label = serializers.CharField()
    quotes = serializers.ListField(child=serializers.CharField(),
                                   help_text=_("What colleagues saw, without who or when."))


@extend_schema_serializer(component_name="ChampionMember")
class ChampionMemberSerializer(MemberRefSerializer):
    job_title = serializers.CharField(read_only=True)
    team = serializers.CharField(source="team.name", read_only=True, allow_null=True,
                                 default=None)


@extend_schema_serializer(component_name="Champion")
class ChampionSerializer(serializers.Serializer):
    """An Office Career Champion, as every member reads them."""

    id = serializers.IntegerField(read_only=True)
    member = ChampionMemberSerializer(read_only=True)
    since = serializers.DateField(read_only=True)
    ended_at = serializers.DateTimeField(read_only=True, allow_null=True)
    statement = serializers.CharField(read_only=True, help_text=_("How I can help."))
    cited = serializers.SerializerMethodField(
        help_text=_("The criteria colleagues cited in the confirmed nominations, most cited "
                    "first; never who cited them."))
    cited_by = serializers.SerializerMethodField(
        help_text=_("How many colleagues' nominations HR confirmed."))

    @extend_schema_field(CriterionCountSerializer(many=True))
    def get_cited(self, champion) -> list:
        return CriterionCountSerializer(getattr(champion, "cited", []), many=True).data

    @extend_schema_field(serializers.IntegerField())
    def get_cited_by(self, champion) -> int:
        return getattr(champion, "cited_by", 0)


@extend_schema_serializer(component_name="ChampionDetail")
class ChampionDetailSerializer(ChampionSerializer):
    citations = serializers.SerializerMethodField(
        help_text=_("What colleagues saw, by criterion and without names: for the champion "
                    "and HR only (null for anyone else)."))

    @extend_schema_field(CitationSerializer(many=True, allow_null=True))
    def get_citations(self, champion):
        citations = getattr(champion, "citations", None)
        return None if citations is None else CitationSerializer(citations, many=True).data


@extend_schema_serializer(component_name="ChampionStatementInput")
class StatementInputSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=services.STATEMENT_MAX_LENGTH,
                                      allow_blank=True,
                                      help_text=_("How I can help, in the champion's words."))


@extend_schema_serializer(component_name="ChampionNoteInput")
class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=services.NOTE_MAX_LENGTH, allow_blank=True,
                                 required=False, default="")


@extend_schema_serializer(component_name="ChampionRequiredNoteInput")
class RequiredNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=services.NOTE_MAX_LENGTH,
                                 help_text=_("For the colleague who made the nomination."))


class ChampionListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                              help_text=_("Words of a name, job title or statement."))


# --- Nominations --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ChampionNomination")
class NominationSerializer(serializers.Serializer):
    """A nomination, as its author and HR read it."""

    id = serializers.IntegerField(read_only=True)
    nominee = MemberRefSerializer(read_only=True)
    nominated_by = MemberRefSerializer(read_only=True, allow_null=True)
    evidence = serializers.DictField(
        child=serializers.CharField(), read_only=True,
        help_text=_("What the nominator saw, by criterion (commitment, mentoring, advocacy, "
                    "own_career, conversations)."))
    status = choice_field(NominationStatus.choices, read_only=True)
    decision_note = serializers.CharField(read_only=True)
    decided_by = MemberRefSerializer(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(component_name="ChampionNominationInput")
class NominationInputSerializer(serializers.Serializer):
    nominee = AuthorScopedField(Membership, _colleagues,
                                help_text=_("An active colleague (not the caller)."))
    evidence = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=services.EVIDENCE_MAX_LENGTH),
        help_text=_("What you saw, for each criterion the colleague meets: keys among "
                    "commitment, mentoring, advocacy, own_career, conversations; at least "
                    "one. Errors come back as ``evidence`` and ``evidence.<criterion>``."))


class NominationListQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(
        required=False, default=False,
        help_text=_("Only the nominations the caller made (anyone but HR sees only those)."))
    status = choice_field(NominationStatus.choices, required=False)


@extend_schema_serializer(component_name="ChampionNomineeGroup")
class NomineeGroupSerializer(serializers.Serializer):
    """A nominee and their nominations with one status, grouped (HR)."""

    nominee = ChampionMemberSerializer(read_only=True)
    count = serializers.IntegerField(read_only=True,
                                     help_text=_("How many colleagues nominated them."))
    criteria = CriterionCountSerializer(many=True, read_only=True,
                                        help_text=_("Criteria cited, most cited first."))
    first_at = serializers.DateTimeField(read_only=True)
    last_at = serializers.DateTimeField(read_only=True)


class NomineeQuerySerializer(serializers.Serializer):
    status = choice_field(NominationStatus.choices, required=False,
                          default=NominationStatus.PENDING)


@extend_schema_serializer(component_name="ChampionDecisionInput")
class DecisionInputSerializer(serializers.Serializer):
    outcome = choice_field([(d, NominationStatus(d).label) for d in services.DECISIONS],
                           help_text=_("confirmed (they become a champion) or declined."))
    note = serializers.CharField(
        max_length=services.NOTE_MAX_LENGTH, allow_blank=True, required=False, default="",
        help_text=_("For the colleagues who nominated them; needed when declining."))


@extend_schema_serializer(component_name="ChampionDecision")
class DecisionSerializer(serializers.Serializer):
    outcome = choice_field([(d, NominationStatus(d).label) for d in services.DECISIONS])
    champion = ChampionSerializer(allow_null=True)
