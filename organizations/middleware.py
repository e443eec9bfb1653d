"""Per-request tenancy: one transaction, the database context, the organisation from the URL."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from . import tenancy
from .access import enter_organization

ORG_URL_KWARG = "org_slug"


class TenantMiddleware:
    """Wrap each request in a transaction that carries its Row-Level Security context.

    Security invariants:
    * the database context (role, user, organisation) is set with transaction-local settings and
      cleared at the end, so nothing survives into the next request on a pooled connection;
    * a page under ``/o/<org_slug>/`` is served only to an active member of that organisation;
      anyone else gets 404, the same as for an organisation that does not exist. API views do the
      same check after DRF has authenticated the caller (``api_base.OrganizationAPIView``);
    * views marked ``tenant_public`` (an invitation link) resolve the organisation but do not
      require membership; they guard themselves with the secret in the URL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.membership = None
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        is_operator = bool(
            user_id and user.is_staff and user.is_active and request.path.startswith("/admin/")
        )
        scope_token = tenancy.activate_request_scope(None)
        cross_token = tenancy.activate_cross_org() if is_operator else None
        try:
            with transaction.atomic():
                switched = tenancy.db_enter_app_role()
                tenancy.db_context(org_id=None, user_id=user_id, cross_org=is_operator)
                try:
                    response = self.get_response(request)
                finally:
                    tenancy.db_reset_context()
                    if switched:
                        tenancy.db_leave_app_role()
        finally:
            if cross_token is not None:
                tenancy.deactivate_cross_org(cross_token)
            tenancy.deactivate_request_scope(scope_token)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get(ORG_URL_KWARG)
        if slug is None or request.path.startswith("/api/"):
            return None
        public = getattr(view_func, "tenant_public", False)
        if not public and not request.user.is_authenticated:
            # The same answer for every slug, existing or not: nothing is confirmed.
            return redirect_to_login(request.get_full_path())
        membership = enter_organization(request, slug, require_membership=not public)
        if membership is None and not public:
            raise Http404
        return None


class MemberLanguageMiddleware:
    """Speak the member's language: their own choice, else their organisation's default.

    Sign-in and other pages outside an organisation follow the browser (LocaleMiddleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        try:
            return self.get_response(request)
        finally:
            # The zone chosen in process_view is this request's only.
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        org = getattr(request, "organization", None)
        if org is not None and user is not None and user.is_authenticated and not user.language:
            lang = org.default_language or settings.LANGUAGE_CODE
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        # Times are shown in the member's own zone, else their organisation's.
        zone = (getattr(user, "time_zone", "") if user is not None and user.is_authenticated
                else "") or (org.time_zone if org is not None else "")
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return None
