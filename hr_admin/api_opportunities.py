"""Internal opportunities in the API, under /api/v1/o/<org_slug>/hr/opportunities/.

Each view is parse → access → service or selector → serialise. An object named in the URL is
looked up in ``initial`` (``access_opportunities``), filtered on the caller's organisation and
on what the caller may see, before the method runs: another organisation's id, an id the
caller may not see and an absent id are all 404 whatever the method. Interests are read only by
the member, the poster, HR and (for projects and gigs) the member's line manager.
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

from . import serializers_opportunities as s
from .access_opportunities import (
    access_interest_by_id,
    access_interest_to_decide,
    access_interest_to_manage,
    access_managed_opportunity_by_id,
    access_opportunity_by_id,
)
from .selectors import opportunities as selectors
from .services import opportunities as services

TAG = "hr: opportunities"


class _View(ScopedAPIView):
    pagination_class = Pagination


def _requirements(rows: list[dict]) -> list[services.SkillRequirement]:
    return [services.SkillRequirement(skill=row["skill"], min_level=row["min_level"],
                                      is_core=row["essential"]) for row in rows]


class OpportunityListView(_View):
    serializer_class = s.OpportunityCreateSerializer

    @extend_schema(operation_id="hr_opportunities_list", tags=[TAG],
                   parameters=[s.BrowseQuerySerializer],
                   responses={200: s.OpportunitySerializer(many=True), **error_responses(400)})
    def get(self, request, org_slug):
        """Open opportunities (closing date not passed) with the caller's match, best match
        first by default; filter by kind, team, words, minimum match or saved ones."""
        query = self.parse(s.BrowseQuerySerializer, request.query_params)
        rows = selectors.opportunity_browse(
            organization=self.organization, member=self.membership,
            kind=query.get("kind", ""), team_id=query.get("team"), query=query["q"],
            min_match=query.get("min_match"), saved_only=query["saved"], sort=query["sort"])
        page = self.paginate_queryset(rows)
        cards = selectors.opportunity_cards(organization=self.organization,
                                            member=self.membership, rows=page)
        return self.get_paginated_response(
            s.OpportunitySerializer(cards, many=True, context=self.get_serializer_context()).data)

    @extend_schema(operation_id="hr_opportunities_create", tags=[TAG],
                   request=s.OpportunityCreateSerializer,
                   responses={201: s.OpportunityDetailSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug):
        """Post an opening (HR and managers). A role given no skills takes its role profile's
        requirements."""
        data = self.parse(s.OpportunityCreateSerializer, request.data)
        data["skills"] = _requirements(data["skills"])
        made = services.opportunity_create(**self.service_context, **data)
        return Response(_detail(self, made), status=status.HTTP_201_CREATED)


def _detail(view, opportunity) -> dict:
    fresh = selectors.opportunity_detail(organization=view.organization,
                                         opportunity=opportunity, member=view.membership)
    fresh.match = selectors.match_for(organization=view.organization, member=view.membership,
                                      opportunity=fresh)
    return s.OpportunityDetailSerializer(fresh, context=view.get_serializer_context()).data


class ManagedOpportunityListView(_View):
    @extend_schema(operation_id="hr_opportunities_managed_list", tags=[TAG],
                   parameters=[s.ManagedQuerySerializer],
                   responses={200: s.ManagedOpportunitySerializer(many=True),
                              **error_responses(400, 403)})
    def get(self, request, org_slug):
        """The openings the caller manages (HR: every one), newest first, with their counts of
        candidates and approvals."""
        if not selectors.can_post(self.membership):
            raise PermissionDenied(_("HR and managers post and manage openings."))
        query = self.parse(s.ManagedQuerySerializer, request.query_params)
        rows = selectors.opportunities_managed(organization=self.organization,
                                               manager=self.membership,
                                               status=query.get("status", ""),
                                               mine_only=query["mine"])
        return self.paginated(rows, s.ManagedOpportunitySerializer)


class _OneOpportunityView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.opportunity = access_opportunity_by_id(membership=self.membership,
                                                    opportunity_id=kwargs["opportunity_id"])

    def require_manager(self) -> None:
        if not selectors.can_manage(self.membership, self.opportunity):
            raise PermissionDenied(_("Only HR and the person who posted this opening can "
                                     "manage it."))


class OpportunityDetailView(_OneOpportunityView):
    serializer_class = s.OpportunityInputSerializer

    @extend_schema(operation_id="hr_opportunities_retrieve", tags=[TAG],
                   responses={200: s.OpportunityDetailSerializer, **error_responses()})
    def get(self, request, org_slug, opportunity_id):
        """One opportunity with the caller's match, skill by skill."""
        return Response(_detail(self, self.opportunity))

    @extend_schema(operation_id="hr_opportunities_update", tags=[TAG],
                   request=s.OpportunityInputSerializer,
                   responses={200: s.OpportunityDetailSerializer, **error_responses(400, 403)})
    def patch(self, request, org_slug, opportunity_id):
        """Edit an opening that is not filled (its poster or HR). Fields left out keep their
        value; ``skills``, when given, replaces the list."""
        self.require_manager()
        current = self.opportunity
        present = {
            "kind": current.kind, "title": current.title, "description": current.description,
            "role": current.role_id, "team": current.team_id, "time_share": current.time_share,
            "duration_weeks": current.duration_weeks, "location": current.location,
            "starts_on": current.starts_on, "closes_on": current.closes_on,
            "skills": [{"skill": row.skill_id, "min_level": row.min_level,
                        "essential": row.is_core}
                       for row in selectors.skill_rows(organization=self.organization,
                                                       opportunity=current)],
        }
        data = self.parse(s.OpportunityInputSerializer, {**present, **request.data})
        data["skills"] = _requirements(data["skills"])
        updated = services.opportunity_update(**self.service_context, opportunity=current,
                                              **data)
        return Response(_detail(self, updated))


class OpportunityStatusView(_OneOpportunityView):
    serializer_class = s.StatusInputSerializer

    @extend_schema(operation_id="hr_opportunities_status", tags=[TAG],
                   request=s.StatusInputSerializer,
                   responses={200: s.OpportunityDetailSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, opportunity_id):
        """Publish a draft, close an opening without filling it, or reopen it."""
        self.require_manager()
        data = self.parse(s.StatusInputSerializer, request.data)
        services.opportunity_status_set(**self.service_context, opportunity=self.opportunity,
                                        action=data["action"])
        return Response(_detail(self, self.opportunity))


class OpportunityBookmarkView(_OneOpportunityView):
    @extend_schema(operation_id="hr_opportunities_save", tags=[TAG], request=None,
                   responses={200: s.OpportunityDetailSerializer, **error_responses(400)})
    def post(self, request, org_slug, opportunity_id):
        """Save an open opportunity (saving twice changes nothing)."""
        services.opportunity_bookmark(**self.service_context, opportunity=self.opportunity)
        return Response(_detail(self, self.opportunity))

    @extend_schema(operation_id="hr_opportunities_unsave", tags=[TAG],
                   responses={204: None, **error_responses()})
    def delete(self, request, org_slug, opportunity_id):
        """Un-save it."""
        services.opportunity_unbookmark(**self.service_context, opportunity=self.opportunity)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OpportunityInterestView(_OneOpportunityView):
    serializer_class = s.InterestInputSerializer

    @extend_schema(operation_id="hr_opportunities_interest", tags=[TAG],
                   request=s.InterestInputSerializer,
                   responses={201: s.InterestSerializer, **error_responses(400)})
    def post(self, request, org_slug, opportunity_id):
        """Express interest, with an optional message; the match now is kept with it. For a
        project or gig, the caller's line manager (or HR, if they have none) is asked to
        approve the time."""
        data = self.parse(s.InterestInputSerializer, request.data)
        made = services.interest_express(**self.service_context, opportunity=self.opportunity,
                                         message=data["message"])
        made = access_interest_by_id(membership=self.membership, interest_id=made.pk)
        return Response(s.InterestSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="hr_opportunities_interest_withdraw", tags=[TAG],
                   responses={204: None, **error_responses(400)})
    def delete(self, request, org_slug, opportunity_id):
        """Withdraw the caller's interest."""
        services.interest_withdraw(**self.service_context, opportunity=self.opportunity)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OpportunityCandidatesView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.opportunity = access_managed_opportunity_by_id(
            membership=self.membership, opportunity_id=kwargs["opportunity_id"])

    @extend_schema(operation_id="hr_opportunities_candidates", tags=[TAG],
                   responses={200: s.CandidateSerializer(many=True), **error_responses(403)})
    def get(self, request, org_slug, opportunity_id):
        """Everyone who expressed interest, ranked: still in the running first, then by their
        current match (poster and HR)."""
        candidates = selectors.candidate_list(organization=self.organization,
                                              opportunity=self.opportunity)
        if candidates:
            audit(organization=self.organization, actor=self.membership,
                  action="hr.opportunity_candidates_viewed", opportunity_id=self.opportunity.pk,
                  count=len(candidates), via="api")
        return self.paginated(candidates, s.CandidateSerializer)


class OpportunityFillView(_View):
    serializer_class = s.FillInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.opportunity = access_managed_opportunity_by_id(
            membership=self.membership, opportunity_id=kwargs["opportunity_id"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "opportunity": self.opportunity}

    @extend_schema(operation_id="hr_opportunities_fill", tags=[TAG],
                   request=s.FillInputSerializer,
                   responses={200: s.OpportunityDetailSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, opportunity_id):
        """Fill with an internal candidate (``interest``) or record an external hire
        (``external``). An internal fill records the career move."""
        data = self.parse(s.FillInputSerializer, request.data)
        services.opportunity_fill(**self.service_context, opportunity=self.opportunity,
                                  interest=data["interest"], external=data["external"])
        return Response(_detail(self, self.opportunity))


class InterestListView(_View):
    @extend_schema(operation_id="hr_opportunity_interests_list", tags=[TAG],
                   responses={200: s.InterestSerializer(many=True), **error_responses()})
    def get(self, request, org_slug):
        """The caller's own expressions of interest, newest first."""
        return self.paginated(selectors.interests_of(organization=self.organization,
                                                     member=self.membership),
                              s.InterestSerializer)


class InterestDetailView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.interest = access_interest_by_id(membership=self.membership,
                                              interest_id=kwargs["interest_id"])

    @extend_schema(operation_id="hr_opportunity_interests_retrieve", tags=[TAG],
                   responses={200: s.InterestSerializer, **error_responses()})
    def get(self, request, org_slug, interest_id):
        """One expression of interest: for the member, the poster, HR and, for a project or
        gig, the member's line manager."""
        if self.interest.member_id != self.membership.pk:
            audit(organization=self.organization, actor=self.membership,
                  action="hr.opportunity_interest_viewed", subject=self.interest.member,
                  interest_id=self.interest.pk, via="api")
        return Response(s.InterestSerializer(self.interest).data)


class InterestApprovalView(_View):
    serializer_class = s.ApprovalInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.interest = access_interest_to_decide(membership=self.membership,
                                                  interest_id=kwargs["interest_id"])

    @extend_schema(operation_id="hr_opportunity_interests_approval", tags=[TAG],
                   request=s.ApprovalInputSerializer,
                   responses={200: s.InterestSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, interest_id):
        """Approve or decline the time a project or gig takes (the member's line manager, or HR
        for a member without one); a decline needs a note."""
        data = self.parse(s.ApprovalInputSerializer, request.data)
        services.interest_approval_decide(**self.service_context, interest=self.interest,
                                          decision=data["decision"], note=data["note"])
        fresh = access_interest_by_id(membership=self.membership, interest_id=self.interest.pk)
        return Response(s.InterestSerializer(fresh).data)


class InterestNotSelectedView(_View):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.interest = access_interest_to_manage(membership=self.membership,
                                                  interest_id=kwargs["interest_id"])

    @extend_schema(operation_id="hr_opportunity_interests_not_selected", tags=[TAG],
                   request=None,
                   responses={200: s.InterestSerializer, **error_responses(400, 403)})
    def post(self, request, org_slug, interest_id):
        """Tell a candidate they are not selected (the poster or HR)."""
        services.interest_not_selected(**self.service_context, interest=self.interest)
        fresh = access_interest_by_id(membership=self.membership, interest_id=self.interest.pk)
        return Response(s.InterestSerializer(fresh).data)


class ApprovalListView(_View):
    @extend_schema(operation_id="hr_opportunity_approvals_list", tags=[TAG],
                   responses={200: s.InterestSerializer(many=True), **error_responses()})
    def get(self, request, org_slug):
        """Interests waiting for the caller's approval: their direct reports' and, for HR,
        those of members without a line manager. Oldest first."""
        rows = selectors.approvals_pending(organization=self.organization,
                                           approver=self.membership)
        return self.paginated(rows, s.InterestSerializer)
