"""The API's one error format."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """One error shape: ``{"detail": "…", "errors": {"field": ["message", …]}}``."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        # A service's refusal says why ("You cannot validate your own check-in"); keep it.
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        if isinstance(data, list):
            data = {"non_field_errors": data}
        elif isinstance(data, dict) and "__all__" in data:
            data = {("non_field_errors" if k == "__all__" else k): v for k, v in data.items()}
        response.data = {"detail": str(_("Some of the data is not valid.")), "errors": data}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "errors": {}}
    return response


def error_response(status: int, detail: str) -> Response:
    return Response({"detail": detail, "errors": {}}, status=status)
