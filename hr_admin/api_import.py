"""The people import in the API: upload a file for a dry run, read a run's status, summary and
problems, apply it, check it again or discard it. HR admins only; for anyone else every endpoint
is 404, as for a run that does not exist.

Each view is parse → access → service or selector → serialise. A run named in the URL is looked
up in ``initial`` (``access_people_import_by_id``: filtered on the caller's organisation first),
so another organisation's id is 404 whatever the method.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.serializers import MemberRefSerializer

from .selectors import people_import as selectors
from .services import people_import as services

TAG = "hr: people import"
STATUS_HELP = gettext_lazy(
    "validated (checked, no problems), invalid (has problems), queued, applying, applied, "
    "failed or discarded.")


# --- Serializers --------------------------------------------------------------------------------


class PeopleImportUploadSerializer(serializers.Serializer):
    """A file to check: ``file`` (multipart) or ``content`` (the CSV as text, in JSON)."""

    file = serializers.FileField(required=False, help_text=gettext_lazy(
        "The CSV file (multipart/form-data). UTF-8, comma or semicolon separated."))
    content = serializers.CharField(required=False, trim_whitespace=False,
                                    help_text=gettext_lazy("The CSV as text, instead of a file."))
    file_name = serializers.CharField(required=False, allow_blank=True, max_length=255,
                                      default="")
    is_full = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy(
        "The file lists everyone in the organisation."))
    deactivate_missing = serializers.BooleanField(
        required=False, default=False,
        help_text=gettext_lazy("Deactivate active members missing from a full file."))
    create_teams = serializers.BooleanField(
        required=False, default=False,
        help_text=gettext_lazy("Create the teams of unknown team paths."))
    send_invitations = serializers.BooleanField(
        required=False, default=True,
        help_text=gettext_lazy("Invite people new to Trellis by email."))

    def validate_file(self, upload):
        if upload.size > services.MAX_FILE_BYTES:
            raise serializers.ValidationError(
                _("The file is larger than %(limit)s MB; split it into several files.")
                % {"limit": services.MAX_FILE_BYTES // (1024 * 1024)})
        try:
            self._text = services.decode_upload(upload.read())
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return upload

    def validate_content(self, value):
        try:
            return services.clean_text(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, data):
        has_file, has_content = "file" in data, "content" in data
        if has_file == has_content:
            raise serializers.ValidationError({"file": [
                _("Send the CSV either as a file or as “content”.") if not has_file
                else _("Send the CSV as a file or as “content”, not both.")]})
        if data["deactivate_missing"] and not data["is_full"]:
            raise serializers.ValidationError({"deactivate_missing": [
                _("Only a file that lists everyone (is_full) can deactivate the people missing "
                  "from it.")]})
        text = self._text if has_file else data["content"]
        name = data["file_name"] or (data["file"].name if has_file else "")
        return {"text": text, "file_name": name, "is_full": data["is_full"],
                "deactivate_missing": data["deactivate_missing"],
                "create_teams": data["create_teams"],
                "send_invitations": data["send_invitations"]}


class ProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "The line of the file; the header is line 1."))
    column = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The column as the file names it; empty for the whole line."))
    message = serializers.CharField(read_only=True)


class CountsSerializer(serializers.Serializer):
    created = serializers.IntegerField(read_only=True, default=0)
    reactivated = serializers.IntegerField(read_only=True, default=0)
    updated = serializers.IntegerField(read_only=True, default=0)
    deactivated = serializers.IntegerField(read_only=True, default=0)
    invitations = serializers.IntegerField(read_only=True, default=0)


class SummarySerializer(CountsSerializer):
    """What applying does (for a checked run) or would have done."""

    unchanged = serializers.IntegerField(read_only=True, default=0)
    updated_fields = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                           default=dict)
    moves = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                  default=dict)
    teams_to_create = serializers.ListField(child=serializers.CharField(), read_only=True,
                                            default=list)
    missing = serializers.IntegerField(read_only=True, default=0)
    ignored_columns = serializers.ListField(child=serializers.CharField(), read_only=True,
                                            default=list)


class ResultSerializer(CountsSerializer):
    """What applying did."""

    moves = serializers.IntegerField(read_only=True, default=0)
    teams_created = serializers.IntegerField(read_only=True, default=0)


def _part(value: dict, serializer_class) -> dict:
    return {name: value.get(name, f.default() if callable(f.default) else f.default)
            for name, f in serializer_class().fields.items()}


class PeopleImportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    file_name = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_full = serializers.BooleanField(read_only=True)
    deactivate_missing = serializers.BooleanField(read_only=True)
    create_teams = serializers.SerializerMethodField()
    send_invitations = serializers.BooleanField(read_only=True)
    total_rows = serializers.IntegerField(read_only=True)
    processed_rows = serializers.IntegerField(read_only=True)
    percent = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    problem_count = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    error = serializers.CharField(read_only=True)
    uploaded_by = MemberRefSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_create_teams(self, run) -> bool:
        return bool((run.summary or {}).get("options", {}).get("create_teams"))

    def get_percent(self, run) -> int:
        return services.progress_percent(run)

    def get_phase(self, run) -> str:
        return services.phase_label(run)

    def get_problem_count(self, run) -> int:
        return int((run.summary or {}).get("problem_count", 0))

    @extend_schema(responses=SummarySerializer)
    def get_summary(self, run) -> dict:
        return _part(run.summary or {}, SummarySerializer)

    @extend_schema(responses=ResultSerializer)
    def get_result(self, run) -> dict | None:
        result = (run.summary or {}).get("result")
        return _part(result, ResultSerializer) if result else None


# --- Views --------------------------------------------------------------------------------------


class _View(ScopedAPIView):
    pagination_class = Pagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "import_id" in kwargs:
            self.run = selectors.access_people_import_by_id(membership=self.membership,
                                                            import_id=kwargs["import_id"])
        else:
            selectors.require_import_access(self.membership)

    def answer(self, run, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.access_people_import_by_id(membership=self.membership,
                                                     import_id=run.pk)
        return Response(PeopleImportSerializer(fresh).data, status=code)


class PeopleImportListView(_View):
    serializer_class = PeopleImportUploadSerializer
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    @extend_schema(operation_id="hr_people_imports_list", tags=[TAG],
                   responses={200: PeopleImportSerializer(many=True), **error_responses()})
    def get(self, request, org_slug):
        """The organisation's imports, newest first."""
        return self.paginated(selectors.people_import_list(organization=self.organization),
                              PeopleImportSerializer)

    @extend_schema(operation_id="hr_people_imports_check", tags=[TAG],
                   request={"application/json": PeopleImportUploadSerializer,
                            "multipart/form-data": PeopleImportUploadSerializer},
                   responses={201: PeopleImportSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Check a file (the dry run). Writes nothing but the run: its status is ``invalid``
        with every problem, or ``validated`` with the summary of what applying would do."""
        data = self.parse(PeopleImportUploadSerializer, request.data)
        run = services.people_import_check(**self.service_context, **data)
        return self.answer(run, status.HTTP_201_CREATED)


class PeopleImportDetailView(_View):
    @extend_schema(operation_id="hr_people_imports_retrieve", tags=[TAG],
                   responses={200: PeopleImportSerializer, **error_responses()})
    def get(self, request, org_slug, import_id):
        """A run's status, progress, summary and result (its problems: ``…/problems/``)."""
        return Response(PeopleImportSerializer(self.run).data)


class PeopleImportProblemsView(_View):
    @extend_schema(operation_id="hr_people_imports_problems", tags=[TAG],
                   responses={200: ProblemSerializer(many=True), **error_responses()})
    def get(self, request, org_slug, import_id):
        """Every problem of the run, in the order of the file."""
        return self.paginated(self.run.problems or [], ProblemSerializer)


class _ActionView(_View):
    service = None
    code = status.HTTP_200_OK

    def post(self, request, org_slug, import_id):
        run = type(self).service(**self.service_context, people_import=self.run)
        return self.answer(run, self.code)


class PeopleImportApplyView(_ActionView):
    service = staticmethod(services.people_import_queue)
    code = status.HTTP_202_ACCEPTED

    @extend_schema(operation_id="hr_people_imports_apply", tags=[TAG], request=None,
                   responses={202: PeopleImportSerializer, **error_responses(400)})
    def post(self, request, org_slug, import_id):
        """Apply a checked run (status ``validated``). It is queued and applied by a worker;
        follow ``processed_rows`` / ``percent`` until the status is ``applied`` (or
        ``failed``, with the problems, when the organisation changed and the file no longer
        passes: nothing is then written)."""
        return super().post(request, org_slug, import_id)


class PeopleImportRecheckView(_ActionView):
    service = staticmethod(services.people_import_recheck)

    @extend_schema(operation_id="hr_people_imports_recheck", tags=[TAG], request=None,
                   responses={200: PeopleImportSerializer, **error_responses(400)})
    def post(self, request, org_slug, import_id):
        """Check the kept file again against the organisation as it is now."""
        return super().post(request, org_slug, import_id)


class PeopleImportDiscardView(_ActionView):
    service = staticmethod(services.people_import_discard)

    @extend_schema(operation_id="hr_people_imports_discard", tags=[TAG], request=None,
                   responses={200: PeopleImportSerializer, **error_responses(400)})
    def post(self, request, org_slug, import_id):
        """Give up a run that was not applied; its file is deleted."""
        return super().post(request, org_slug, import_id)
