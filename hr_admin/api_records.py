"""The audit log and leavers' erasure in the API (HR admins only; 404 for everyone else).

Each view is parse → access → selector or service → serialise. The caller's role is checked in
``initial`` before anything else (``require_records_reader``), so a non-HR caller learns nothing,
not even that the endpoint exists; a member named in the URL is looked up in the caller's
organisation (``access_member_record_by_id``): another organisation's id is 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.erasure import is_erased_user
from organizations.models import Membership
from organizations.pagination import Pagination
from organizations.serializers import MemberRefSerializer
from organizations.services import audit

from .access_records import access_member_record_by_id, require_records_reader
from .forms_records import ROLE_CHOICES
from .selectors import audit as selectors
from .selectors import erasure as leaver_selectors
from .services import erasure as services

AUDIT_TAG = "hr: audit log"
ERASURE_TAG = "hr: leavers"


# --- Serializers --------------------------------------------------------------------------------


class AuditQuerySerializer(serializers.Serializer):
    member = serializers.IntegerField(required=False, min_value=1,
                                      help_text=_("One member's events (see ``role``)."))
    person = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                   help_text=_("Members whose name or email contains this."))
    role = serializers.ChoiceField(choices=[c for c, _l in ROLE_CHOICES], default="either",
                                   help_text=_("The person as the subject, the actor, or either."))
    family = serializers.ChoiceField(choices=[k for k, _l, _p in selectors.FAMILIES],
                                     required=False, allow_blank=True)
    since = serializers.DateField(required=False, help_text=_("First day, inclusive."))
    until = serializers.DateField(required=False, help_text=_("Last day, inclusive."))
    before = serializers.CharField(required=False, max_length=40,
                                   help_text=_("Cursor: the page of events older than this."))
    after = serializers.CharField(required=False, max_length=40,
                                  help_text=_("Cursor: the page of events newer than this."))

    def validate_member(self, value):
        member = (Membership.objects.for_org(self.context["organization"])
                  .select_related("user").filter(pk=value).first())
        if member is None:
            raise serializers.ValidationError(_("No such member in this organisation."))
        return member

    def validate(self, data):
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise serializers.ValidationError(
                {"until": [_("The end date comes before the start date.")]})
        for name in ("before", "after"):
            if data.get(name) and selectors.decode_cursor(data[name]) is None:
                raise serializers.ValidationError({name: [_("Not a cursor from this log.")]})
        return data

    def filters(self) -> selectors.AuditFilters:
        data = self.validated_data
        return selectors.AuditFilters(
            member=data.get("member"), person=(data.get("person") or "").strip(),
            role=data["role"], family=data.get("family") or "", since=data.get("since"),
            until=data.get("until"))


class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="event.pk")
    created_at = serializers.DateTimeField(source="event.created_at")
    action = serializers.CharField(source="event.action")
    family = serializers.CharField()
    description = serializers.CharField(allow_null=True,
                                        help_text=_("The action in words; null when unknown."))
    actor = MemberRefSerializer(source="event.actor", allow_null=True)
    subject = MemberRefSerializer(source="event.subject", allow_null=True)
    detail = serializers.JSONField(source="event.detail")


class AuditPageSerializer(serializers.Serializer):
    older = serializers.CharField(allow_null=True,
                                  help_text=_("Pass as ``before`` for the next page."))
    newer = serializers.CharField(allow_null=True,
                                  help_text=_("Pass as ``after`` for the previous page."))
    results = AuditEventSerializer(many=True)


class LeaverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    email = serializers.SerializerMethodField()
    left_on = serializers.DateField(allow_null=True)
    erased = serializers.SerializerMethodField()

    def get_email(self, member) -> str | None:
        return None if is_erased_user(member.user) else member.user.email

    def get_erased(self, member) -> bool:
        return is_erased_user(member.user)


class LeaverQuerySerializer(serializers.Serializer):
    erased = serializers.BooleanField(default=False,
                                      help_text=_("List those already erased instead."))


class ErasureLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ErasureSectionSerializer(serializers.Serializer):
    key = serializers.CharField(source="section.key")
    title = serializers.CharField(source="section.title")
    kept = serializers.CharField(source="section.kept")
    total = serializers.IntegerField()
    changes = ErasureLineSerializer(source="lines", many=True)


class ErasureSerializer(serializers.Serializer):
    member = MemberRefSerializer()
    erased = serializers.BooleanField(help_text=_("True once the data has been erased."))
    total = serializers.IntegerField()
    sections = ErasureSectionSerializer(many=True)


class ErasureInputSerializer(serializers.Serializer):
    confirmation = serializers.CharField(
        max_length=320, help_text=_("The person's full name or email address, as confirmation."))


# --- Views --------------------------------------------------------------------------------------


class _View(ScopedAPIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_records_reader(self.membership)


class AuditLogView(_View):
    @extend_schema(operation_id="hr_audit_log", tags=[AUDIT_TAG],
                   parameters=[AuditQuerySerializer],
                   responses={200: AuditPageSerializer, **error_responses(400)})
    def get(self, request, org_slug):
        """The organisation's audit log, newest first, 50 events a page (keyset: follow
        ``older``). Looking up one person's trail is itself recorded."""
        query = AuditQuerySerializer(data=request.query_params,
                                     context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        filters = query.filters()
        rows = selectors.audit_events(organization=self.organization, filters=filters)
        page = selectors.audit_page(rows, before=query.validated_data.get("before"),
                                    after=query.validated_data.get("after"))
        first = not (query.validated_data.get("before") or query.validated_data.get("after"))
        if first and (filters.member or filters.person):
            audit(organization=self.organization, actor=self.membership,
                  action="audit.log_viewed", subject=filters.member, via="api",
                  **filters.as_detail())
        return Response(AuditPageSerializer({
            "older": page.older, "newer": page.newer,
            "results": selectors.audit_rows(page.rows),
        }).data)


class LeaverListView(_View):
    pagination_class = Pagination

    @extend_schema(operation_id="hr_leavers_list", tags=[ERASURE_TAG],
                   parameters=[LeaverQuerySerializer],
                   responses={200: LeaverSerializer(many=True), **error_responses(400)})
    def get(self, request, org_slug):
        """Former members whose personal data is still held (or, ``erased=true``, erased)."""
        query = self.parse(LeaverQuerySerializer, request.query_params)
        rows = leaver_selectors.leaver_list(organization=self.organization,
                                            erased=query["erased"])
        return self.paginated(rows, LeaverSerializer)


def _erasure_data(member, result=None, sections=None) -> dict:
    if result is not None:
        sections = result.sections
    return {"member": member, "erased": services.is_erased(member),
            "total": sum(s.total for s in sections or []), "sections": sections or []}


class ErasureView(_View):
    serializer_class = ErasureInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.member = access_member_record_by_id(membership=self.membership,
                                                 member_id=kwargs["member_id"])

    @extend_schema(operation_id="hr_leaver_erasure_retrieve", tags=[ERASURE_TAG],
                   responses={200: ErasureSerializer, **error_responses(400)})
    def get(self, request, org_slug, member_id):
        """What erasing this former member would change (counted now, nothing written), or,
        once erased, what the erasure changed. An active member is a 400."""
        if services.is_erased(self.member):
            return Response(self._erased())
        result = services.erasure_preview(**self.service_context, member=self.member)
        return Response(ErasureSerializer(_erasure_data(self.member, result)).data)

    @extend_schema(operation_id="hr_leaver_erasure_create", tags=[ERASURE_TAG],
                   request=ErasureInputSerializer,
                   responses={200: ErasureSerializer, **error_responses(400)})
    def post(self, request, org_slug, member_id):
        """Erase this former member's personal data, confirmed by their full name or email
        address. Erasing again changes nothing."""
        data = self.parse(ErasureInputSerializer, request.data)
        result = services.member_erase(**self.service_context, member=self.member,
                                       confirmation=data["confirmation"])
        if result.already_erased:
            return Response(self._erased())
        return Response(ErasureSerializer(_erasure_data(result.member, result)).data)

    def _erased(self) -> dict:
        event = services.previous_result(organization=self.organization, member=self.member)
        counts = (event.detail or {}).get("counts", {}) if event else {}
        return ErasureSerializer(_erasure_data(
            self.member, sections=services.result_sections(counts))).data
