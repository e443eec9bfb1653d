"""Office Career Champions in the API.

Each view is parse → access → service or selector → serialise. An object named in the URL is
looked up in ``initial`` through ``access_champions`` (filtered on the caller's organisation
and on the caller being allowed to read it) before the method runs: another organisation's id,
an id the caller may not read and an absent id are all 404 whatever the method. Nominations'
text is read only by HR (never about themselves) and by their authors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses
from organizations.pagination import Pagination
from organizations.services import audit

from . import serializers_champions as s
from .access_champions import (
    access_champion_by_id,
    access_champion_nomination_by_id,
    access_nominee_for_hr,
)
from .selectors import champions as selectors
from .services import champions as services

TAG = "hr: champions"


class _View(ScopedAPIView):
    pagination_class = Pagination


def _require_hr(membership) -> None:
    if not selectors.reads_nominations(membership):
        raise PermissionDenied(_("Only HR admins read and decide champion nominations."))


# --- Champions ----------------------------------------------------------------------------------


class ChampionListView(_View):
    @extend_schema(operation_id="hr_champions_list", tags=[TAG],
                   parameters=[s.ChampionListQuerySerializer],
                   responses={200: s.ChampionSerializer(many=True), **error_responses(400)})
    def get(self, request, org_slug):
        """The current Office Career Champions, by name, with the criteria colleagues cited."""
        query = self.parse(s.ChampionListQuerySerializer, request.query_params)
        rows = selectors.champions_active(organization=self.organization, query=query["q"])
        page = self.paginate_queryset(rows)
        page = selectors.with_citations(organization=self.organization, champions=page)
        return self.get_paginated_response(s.ChampionSerializer(page, many=True).data)


class _OneChampionView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.champion = access_champion_by_id(membership=self.membership,
                                              champion_id=kwargs["champion_id"])

    def answer(self) -> Response:
        org, me = self.organization, self.membership
        champion = access_champion_by_id(membership=me, champion_id=self.champion.pk)
        selectors.with_citations(organization=org, champions=[champion])
        champion.citations = None
        if selectors.can_read_citations(viewer=me, champion=champion):
            champion.citations = selectors.champion_citations(organization=org,
                                                              member=champion.member)
            if me.pk != champion.member_id:
                audit(organization=org, actor=me, action="champions.citations_viewed",
                      subject=champion.member, champion=champion.pk, via="api")
        return Response(s.ChampionDetailSerializer(champion).data)


class ChampionDetailView(_OneChampionView):
    serializer_class = s.StatementInputSerializer

    @extend_schema(operation_id="hr_champions_retrieve", tags=[TAG],
                   responses={200: s.ChampionDetailSerializer, **error_responses()})
    def get(self, request, org_slug, champion_id):
        """A champion: everyone for a current one; HR and the champion for an ended term.
        ``citations`` (what colleagues saw, anonymous) for the champion and HR only."""
        return self.answer()

    @extend_schema(operation_id="hr_champions_statement", tags=[TAG],
                   request=s.StatementInputSerializer,
                   responses={200: s.ChampionDetailSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, champion_id):
        """Say how I can help (the champion themselves)."""
        data = self.parse(s.StatementInputSerializer, request.data)
        services.champion_statement_update(**self.service_context, champion=self.champion,
                                           statement=data["statement"])
        return self.answer()


class ChampionEndView(_OneChampionView):
    serializer_class = s.NoteInputSerializer

    @extend_schema(operation_id="hr_champions_end", tags=[TAG], request=s.NoteInputSerializer,
                   responses={200: s.ChampionDetailSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, champion_id):
        """End a champion's term (HR). They are told in-app."""
        data = self.parse(s.NoteInputSerializer, request.data)
        services.champion_end(**self.service_context, champion=self.champion, note=data["note"])
        return self.answer()


# --- Nominations --------------------------------------------------------------------------------


class NominationListView(_View):
    serializer_class = s.NominationInputSerializer

    @extend_schema(operation_id="hr_champion_nominations_list", tags=[TAG],
                   parameters=[s.NominationListQuerySerializer],
                   responses={200: s.NominationSerializer(many=True), **error_responses(400)})
    def get(self, request, org_slug):
        """For HR, every nomination except those about themselves (``mine`` for their own);
        for anyone else, the nominations they made. Newest first."""
        query = self.parse(s.NominationListQuerySerializer, request.query_params)
        org, me = self.organization, self.membership
        if query["mine"] or not selectors.reads_nominations(me):
            rows = selectors.nominations_made(organization=org, nominator=me)
            if query.get("status"):
                rows = rows.filter(status=query["status"])
        else:
            rows = selectors.nominations_for_hr(organization=org, viewer=me,
                                                status=query.get("status"))
            audit(organization=org, actor=me, action="champions.nominations_listed",
                  status=query.get("status") or "all", via="api")
        return self.paginated(rows, s.NominationSerializer)

    @extend_schema(operation_id="hr_champion_nominations_create", tags=[TAG],
                   request=s.NominationInputSerializer,
                   responses={201: s.NominationSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Nominate a colleague as an Office Career Champion, with what you saw for each
        criterion they meet. HR reads it; the colleague reads it only if confirmed, without
        your name."""
        data = self.parse(s.NominationInputSerializer, request.data)
        made = services.champion_nominate(**self.service_context, **data)
        made = access_champion_nomination_by_id(membership=self.membership,
                                                champion_nomination_id=made.pk)
        return Response(s.NominationSerializer(made).data, status=status.HTTP_201_CREATED)


class _OneNominationView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.nomination = access_champion_nomination_by_id(
            membership=self.membership,
            champion_nomination_id=kwargs["champion_nomination_id"])


class NominationDetailView(_OneNominationView):
    @extend_schema(operation_id="hr_champion_nominations_retrieve", tags=[TAG],
                   responses={200: s.NominationSerializer, **error_responses()})
    def get(self, request, org_slug, champion_nomination_id):
        """One nomination: for its author, and for HR unless it is about them."""
        if self.nomination.nominated_by_id != self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="champions.nominations_viewed", subject=self.nomination.nominee,
                  nomination=self.nomination.pk, via="api")
        return Response(s.NominationSerializer(self.nomination).data)

    @extend_schema(operation_id="hr_champion_nominations_destroy", tags=[TAG],
                   responses={204: None, **error_responses(400, 403)})
    def delete(self, request, org_slug, champion_nomination_id):
        """Withdraw a nomination I made, while it waits for HR."""
        services.champion_nomination_withdraw(**self.service_context,
                                              nomination=self.nomination)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NominationSetAsideView(_OneNominationView):
    serializer_class = s.RequiredNoteInputSerializer

    @extend_schema(operation_id="hr_champion_nominations_set_aside", tags=[TAG],
                   request=s.RequiredNoteInputSerializer,
                   responses={200: s.NominationSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, champion_nomination_id):
        """Decline one waiting nomination, with a note its author reads (HR)."""
        _require_hr(self.membership)
        data = self.parse(s.RequiredNoteInputSerializer, request.data)
        services.champion_nomination_set_aside(**self.service_context,
                                               nomination=self.nomination, note=data["note"])
        fresh = access_champion_nomination_by_id(membership=self.membership,
                                                 champion_nomination_id=self.nomination.pk)
        return Response(s.NominationSerializer(fresh).data)


class NomineeListView(_View):
    @extend_schema(operation_id="hr_champion_nominees_list", tags=[TAG],
                   parameters=[s.NomineeQuerySerializer],
                   responses={200: s.NomineeGroupSerializer(many=True),
                              **error_responses(400, 403)})
    def get(self, request, org_slug):
        """HR's queue: nominees with the status asked for (waiting, by default), most
        nominated first, with how many colleagues nominated them and the criteria cited."""
        _require_hr(self.membership)
        query = self.parse(s.NomineeQuerySerializer, request.query_params)
        groups = selectors.nominee_groups(organization=self.organization, viewer=self.membership,
                                          status=query["status"])
        page = self.paginate_queryset(groups)
        rows = selectors.with_nominees(organization=self.organization, groups=page)
        audit(organization=self.organization, actor=self.membership,
              action="champions.nominations_listed", status=query["status"], via="api")
        return self.get_paginated_response(s.NomineeGroupSerializer(rows, many=True).data)


class NomineeDecideView(_View):
    serializer_class = s.DecisionInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.nominee = access_nominee_for_hr(membership=self.membership,
                                             member_id=kwargs["member_id"])

    @extend_schema(operation_id="hr_champion_nominees_decide", tags=[TAG],
                   request=s.DecisionInputSerializer,
                   responses={200: s.DecisionSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, member_id):
        """Confirm (they become a champion) or decline (with a note) every waiting nomination
        of this member (HR; never about oneself)."""
        data = self.parse(s.DecisionInputSerializer, request.data)
        champion = services.champion_nominee_decide(**self.service_context,
                                                    nominee=self.nominee,
                                                    decision=data["outcome"], note=data["note"])
        if champion is not None:
            champion = access_champion_by_id(membership=self.membership,
                                             champion_id=champion.pk)
            selectors.with_citations(organization=self.organization, champions=[champion])
        return Response(s.DecisionSerializer({"outcome": data["outcome"],
                                              "champion": champion}).data)
