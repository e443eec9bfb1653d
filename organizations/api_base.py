"""The base of every organisation-scoped API view, and the one error format."""

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
