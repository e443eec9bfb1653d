"""REST API of the organisations app (filled in below)."""

from rest_framework.response import Response

from .api_base import OrganizationAPIView


class MeView(OrganizationAPIView):
    def get(self, request, org_slug):
        m = self.membership
        return Response({"id": m.pk, "email": m.user.email})


MemberListView = MemberDetailView = TeamListView = TeamDetailView = MeView
InvitationListView = InvitationDetailView = MeView
