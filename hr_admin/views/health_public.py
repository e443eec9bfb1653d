"""The public quick self-assessment, at /health-check/: no account, no organisation.

The answers are kept as a ``PublicHealthCheck``; the visitor's session holds its token (the row
only its hash), so the results page shows only the visitor's own check. "Create your
organisation" sends a signed-in visitor to the new-organisation page, anyone else to sign up
first; the new organisation then takes the check over (``health_quick.claim_on_organization_
created``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from organizations.forms import add_service_errors

from ..forms_health_quick import QuickCheckForm, questionnaire_layout
from ..services import health_quick as quick


def intro(request):
    return render(request, "hr_admin/health/public/intro.html", {
        "dimensions": quick.content.DIMENSIONS,
        "question_count": len(quick.LIKERT_KEYS),
        "has_result": quick.public_check_for_token(request.session.get(quick.SESSION_KEY))
        is not None,
    })


def questions(request):
    form = QuickCheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _check, token = quick.public_check_submit(
                    answers=form.answers(), language=translation.get_language() or "en")
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                request.session[quick.SESSION_KEY] = token
                return redirect("health_public:results")
        status = 400
    return render(request, "hr_admin/health/public/questions.html", {
        "form": form,
        "layout": questionnaire_layout(form),
        "likert_labels": quick.LIKERT_LABELS,
        "enps_low": quick.ENPS_LOW, "enps_high": quick.ENPS_HIGH,
    }, status=status)


def results(request):
    check = quick.public_check_for_token(request.session.get(quick.SESSION_KEY))
    if check is None:
        return redirect("health_public:intro")
    return render(request, "hr_admin/health/public/results.html", {
        "result": quick.result(check.answers),
        "check": check,
        "kept_days": quick.PUBLIC_CHECK_DAYS,
    })


def start(request):
    """Create an organisation with these answers: sign up first when not signed in."""
    new_org = reverse("organization_new")
    if request.user.is_authenticated:
        return redirect(new_org)
    return redirect(f"{reverse('account_signup')}?{urlencode({'next': new_org})}")
