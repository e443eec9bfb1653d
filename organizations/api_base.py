"""The base of every organisation-scoped API view, and the one error format."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from .access import enter_organization

ORG_SLUG_PARAMETER = OpenApiParameter(
    "org_slug", OpenApiTypes.STR, OpenApiParameter.PATH,
    description=str(_("The organisation's address, as in /o/<address>/.")),
)


@extend_schema(parameters=[ORG_SLUG_PARAMETER])
class OrganizationAPIView(generics.GenericAPIView):
    """Every ``/api/v1/o/<org_slug>/`` view derives from this.

    Security invariant: after DRF has authenticated the caller (session or personal token), the
    organisation in the URL and the caller's active membership in it are resolved exactly as for
    pages; a non-member, an unknown slug and an inactive organisation are all 404. Querysets must
    start from ``self.organization`` (selectors take it as a keyword).
    """

    organization = None
    membership = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # ``request._request`` carries the Django request that the middleware prepared.
        self.membership = enter_organization(request._request, kwargs["org_slug"])
        self.organization = request._request.organization
        request.organization = self.organization
        request.membership = self.membership


# --- Documented error answers, shared by every app's API ----------------------------------------

_ERROR_DESCRIPTIONS = {
    400: _("The data is not valid; `errors` gives the messages by field."),
    401: _("Not signed in, or the API token is unknown or revoked."),
    403: _("The caller's role does not allow this; `detail` says why."),
    404: _("No such organisation among the caller's, or no such object in it that the caller "
           "may see."),
}


def error_responses(*codes: int) -> dict:
    """``responses=`` entries for drf-spectacular: 401 and 404 always, plus ``codes``."""
    from drf_spectacular.utils import OpenApiResponse

    from .serializers import ErrorSerializer

    return {code: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
            for code in (401, 404, *codes)}


class ScopedAPIView(OrganizationAPIView):
    """Shared plumbing of the apps' API views: the organisation in the serializer context,
    explicit parsing into a 400 with field messages, explicit pagination, scoped lookups.

    Filtering is explicit (query serializers and selectors), so no filter backend runs.
    """

    filter_backends = ()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = self.organization
        context["membership"] = self.membership
        return context

    def parse(self, serializer_class, data, *, partial: bool = False) -> dict:
        """Validate ``data``; a bad value is a 400 with messages by field."""
        serializer = serializer_class(data=data, partial=partial,
                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def paginated(self, rows, serializer_class):
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            serializer_class(page, many=True, context=self.get_serializer_context()).data)

    def lookup(self, queryset, pk):
        """The row ``pk`` of ``queryset`` (already filtered on the organisation), or 404."""
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    @property
    def service_context(self) -> dict:
        return {"organization": self.organization, "actor": self.membership}
