"""Pages of the organisations app: parse, access, call a service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import access, selectors, services, signals, tenancy
from .badges import attach_badges, member_badges
from .forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    LanguageForm,
    MemberForm,
    OrganizationCreateForm,
    OrganizationSettingsForm,
    TeamForm,
    add_service_errors,
)
from .http import refuse_unless_post
from .models import ApiToken, Invitation, Membership, Organization, User
from .panels import home_panels, profile_panels

PEOPLE_PAGE_SIZE = 25



# --- Outside any organisation -------------------------------------------------------------------


def home(request):
    """Front page: sign in, or go to your organisation (or choose one)."""
    if not request.user.is_authenticated:
        return render(request, "organizations/landing.html")
    memberships = list(selectors.memberships_of_user(user=request.user))
    if len(memberships) == 1 and not request.GET.get("choose"):
        return redirect("organizations:home", org_slug=memberships[0].organization.slug)
    return render(request, "organizations/choose.html", {"memberships": memberships})


@login_required
def organization_new(request):
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(founder=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            with tenancy.organization_scope(org):
                founder = Membership.objects.for_org(org).get(user=request.user)
                signals.organization_created.send(sender=Organization, organization=org,
                                                  membership=founder, request=request)
            messages.success(
                request, _("%(name)s is ready. Invite your colleagues next.") % {"name": org.name}
            )
            return redirect("organizations:invitations", org_slug=org.slug)
    return render(request, "organizations/organization_new.html", {"form": form})


@login_required
def api_tokens(request):
    """Personal API tokens. A new token is shown once, after a redirect (no resubmission)."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            token = ApiToken.objects.filter(user=request.user, pk=request.POST["revoke"]).first()
            if token is None:
                raise Http404
            services.api_token_revoke(token=token)
            messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
            return redirect("api_tokens")
        if form.is_valid():
            token, secret = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
            request.session["new_api_token"] = secret
            messages.success(
                request,
                _("Token “%(name)s” created. Copy it now: it is shown only once.")
                % {"name": token.name},
            )
            return redirect("api_tokens")
    new_secret = request.session.pop("new_api_token", None)
    tokens = selectors.api_token_list(user=request.user)
    return render(
        request,
        "organizations/api_tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret},
    )


@require_GET
def healthz(request):
    """Liveness and readiness: 200 when the database (and Redis, when configured) answer."""
    status = {"database": "ok"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as e:
        status["database"] = f"error: {type(e).__name__}"
        healthy = False
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "1", 5)
            status["redis"] = "ok" if cache.get("healthz") == "1" else "error"
        except Exception as e:
            status["redis"] = f"error: {type(e).__name__}"
        healthy = healthy and status["redis"] == "ok"
    else:
        status["redis"] = "not configured"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


# --- Inside an organisation (TenantMiddleware has resolved request.membership) -------------------


@require_GET
def session_check(request, org_slug):
    """Signed in and a member here: who, in which organisation. For a script or a monitor
    checking that a session (and the organisation's scope) works; no query of its own, so the
    cheapest signed-in request there is, the benchmarks' floor for pages."""
    membership = request.membership
    return JsonResponse({"organization": request.organization.slug, "member": membership.pk,
                         "is_hr_admin": membership.is_hr_admin,
                         "is_leader": membership.is_leader})


def org_home(request, org_slug):
    membership = request.membership
    org = request.organization
    context = {"roles": _roles(membership)}
    if membership.is_hr_admin or membership.is_leader:
        context["overview"] = selectors.organization_overview(organization=org)
        context["headcount"] = selectors.headcount_by_team(organization=org)
    if getattr(membership, "is_manager", False):
        context["reports"] = list(
            selectors.direct_reports(organization=org, manager=membership)[:8]
        )
    context["panels"] = home_panels(request)
    return render(request, "organizations/home.html", context)


def _roles(membership):
    from .navigation import roles_of

    return roles_of(membership)


def people(request, org_slug):
    """The people directory: HR admins and leaders; searchable, paginated."""
    membership = request.membership
    access.require_hr_or_leader(membership)
    query = request.GET.get("q", "").strip()[:100]
    team_id = request.GET.get("team") or None
    if team_id is not None:
        team_id = access.access_team_by_id(membership=membership, team_id=team_id).pk
    members = selectors.member_list(
        organization=request.organization,
        query=query,
        team_id=team_id,
        include_inactive=membership.is_hr_admin and request.GET.get("inactive") == "1",
    )
    page = Paginator(members, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_badges(organization=request.organization,
                                     members=list(page.object_list))
    context = {
        "page": page,
        "query": query,
        "team_id": team_id,
        "teams": selectors.team_choices(organization=request.organization)
        .values_list("pk", "name"),
    }
    template = "organizations/_people_results.html" if request.htmx else "organizations/people.html"
    return render(request, template, context)


def member_detail(request, org_slug, member_id):
    membership = request.membership
    member = access.access_member_by_id(membership=membership, member_id=member_id)
    if member.pk != membership.pk:
        services.audit(
            organization=request.organization,
            actor=membership,
            action="member.profile_viewed",
            subject=member,
        )
    reports = selectors.direct_reports(organization=request.organization, manager=member)
    return render(
        request,
        "organizations/member_detail.html",
        {
            "member": member,
            "reports": reports[:50],
            "is_self": member.pk == membership.pk,
            "panels": profile_panels(request, member),
            "badges": member_badges(organization=request.organization,
                                    member_ids=[member.pk]).get(member.pk, []),
        },
    )


def member_edit(request, org_slug, member_id):
    membership = request.membership
    member = access.access_member_by_id(membership=membership, member_id=member_id)
    access.require_hr(membership)
    initial = {
        "first_name": member.user.first_name,
        "last_name": member.user.last_name,
        "job_title": member.job_title,
        "team": member.team,
        "manager": member.manager,
        "is_hr_admin": member.is_hr_admin,
        "is_leader": member.is_leader,
        "is_active": member.is_active,
    }
    form = MemberForm(
        request.POST or None, initial=initial, organization=request.organization, member=member
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        first, last = data.pop("first_name"), data.pop("last_name")
        if member.pk == membership.pk and not data["is_hr_admin"]:
            form.add_error("is_hr_admin", _("You cannot remove your own HR admin role."))
        elif member.pk == membership.pk and not data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate yourself."))
        else:
            try:
                services.member_profile_update(
                    member=member, actor=membership, first_name=first, last_name=last, **data
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(
                    request, _("Changes to %(name)s saved.") % {"name": member.display_name}
                )
                return redirect(
                    "organizations:member_detail", org_slug=org_slug, member_id=member.pk
                )
    return render(request, "organizations/member_edit.html", {"form": form, "member": member})


def my_team(request, org_slug):
    membership = request.membership
    access.require_manager(membership)
    reports = selectors.direct_reports(organization=request.organization, manager=membership)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "organizations/my_team.html", {"page": page})


def my_profile(request, org_slug):
    membership = request.membership
    form = LanguageForm(request.POST or None, initial={"language": request.user.language,
                                                       "time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        services.user_language_set(user=request.user, language=form.cleaned_data["language"],
                                   time_zone=form.cleaned_data["time_zone"])
        messages.success(request, _("Your language and time zone are saved."))
        return redirect("organizations:my_profile", org_slug=org_slug)
    return render(request, "organizations/my_profile.html", {"member": membership, "form": form},
                  status=400 if request.method == "POST" else 200)


def invitations(request, org_slug):
    membership = request.membership
    access.require_hr(membership)
    org = request.organization
    form = InvitationForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                organization=org, actor=membership, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("organizations:invitations", org_slug=org_slug)
    page = Paginator(selectors.invitation_list(organization=org), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "organizations/invitations.html", {"form": form, "page": page})


def invitation_resend(request, org_slug, invitation_id):
    invitation = access.access_invitation_by_id(
        membership=request.membership, invitation_id=invitation_id
    )
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        services.invitation_resend(invitation=invitation, actor=request.membership)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect("organizations:invitations", org_slug=org_slug)


def invitation_revoke(request, org_slug, invitation_id):
    invitation = access.access_invitation_by_id(
        membership=request.membership, invitation_id=invitation_id
    )
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.invitation_revoke(invitation=invitation, actor=request.membership)
    messages.success(
        request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
    )
    return redirect("organizations:invitations", org_slug=org_slug)


def invitation_accept(request, org_slug, token):
    """The link in an invitation email. Public: the token in the URL is the credential.

    An unknown token is 404; a known one that expired, was revoked or was already used gets a
    page that says so and what to do, never an error.
    """
    org = request.organization
    invitation = services.invitation_by_token(organization=org, token=token)
    if invitation is None:
        raise Http404
    if invitation.status != Invitation.Status.PENDING:
        reason = {
            Invitation.Status.ACCEPTED: _("This invitation has already been used."),
            Invitation.Status.EXPIRED: _("This invitation has expired."),
            Invitation.Status.REVOKED: _("This invitation was withdrawn by %(org)s.")
            % {"org": org.name},
        }[invitation.status]
        return render(
            request,
            "organizations/invitation_unusable.html",
            {"invitation": invitation, "org": org, "reason": reason},
            status=410,
        )
    user = request.user if request.user.is_authenticated else None
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and user.email.lower() != invitation.email.lower():
        return render(
            request,
            "organizations/invitation_other_account.html",
            {"invitation": invitation, "org": org},
            status=403,
        )
    # An account made by a people import before its owner ever signed in has no usable
    # password: the link lets them set one (and their name) instead of signing in.
    unclaimed = user is None and existing is not None and not existing.has_usable_password()
    if user is None and existing is not None and not unclaimed:
        login_url = reverse("account_login") + "?next=" + request.path
        return render(
            request,
            "organizations/invitation_sign_in.html",
            {"invitation": invitation, "org": org, "login_url": login_url},
        )
    form = None
    if user is None:
        names = existing if unclaimed else invitation
        form = AcceptInvitationForm(
            request.POST or None,
            email=invitation.email,
            initial={"first_name": names.first_name, "last_name": names.last_name},
        )
    if request.method == "POST" and (form is None or form.is_valid()):
        if user is None:
            account = services.user_claim_from_invitation if unclaimed else \
                services.user_create_from_invitation
            extra = {"user": existing} if unclaimed else {}
            user = account(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                **extra,
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        services.invitation_accept(invitation=invitation, user=user)
        messages.success(request, _("Welcome to %(org)s.") % {"org": org.name})
        return redirect("organizations:home", org_slug=org.slug)
    return render(
        request,
        "organizations/invitation_accept.html",
        {"invitation": invitation, "org": org, "form": form, "unclaimed": unclaimed},
    )


invitation_accept.tenant_public = True


def organization_settings(request, org_slug):
    membership = request.membership
    access.require_hr(membership)
    org = request.organization
    form = OrganizationSettingsForm(request.POST or None, instance=org)
    team_form = TeamForm(organization=org, prefix="team")
    if request.method == "POST" and form.is_valid():
        services.organization_update(
            organization=org,
            actor=membership,
            **{f: form.cleaned_data[f] for f in form.Meta.fields},
        )
        messages.success(request, _("Organisation settings saved."))
        return redirect("organizations:settings", org_slug=org_slug)
    return render(
        request,
        "organizations/settings.html",
        {"form": form, "team_form": team_form, "teams": selectors.team_list(organization=org)},
    )


@require_POST
def team_create(request, org_slug):
    membership = request.membership
    access.require_hr(membership)
    org = request.organization
    team_form = TeamForm(request.POST, organization=org, prefix="team")
    if team_form.is_valid():
        try:
            team = services.team_create(
                organization=org, actor=membership, **team_form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(team_form, e)
        else:
            messages.success(request, _("Team “%(name)s” added.") % {"name": team.name})
            return redirect("organizations:settings", org_slug=org_slug)
    form = OrganizationSettingsForm(instance=org)
    return render(
        request,
        "organizations/settings.html",
        {"form": form, "team_form": team_form, "teams": selectors.team_list(organization=org)},
        status=400,
    )


# --- Error pages --------------------------------------------------------------------------------


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # The API's one error format, also for an address that matches no route.
        return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
