"""Health-check survey pages: the home (surveys so far), the question set, a survey's draft,
launch and participation, and the answering page.

Thin views: parse → access (``access_health``: 404 for what the caller may not see, 403 for a
leader's write) → service or selector → render. Dates are entered and shown in the
organisation's time zone. Nothing here shows who answered, or any answer.
"""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post

from .. import access_health as access
from ..forms_health import (
    LIKERT_LABELS,
    AnswerForm,
    QuestionCreateForm,
    QuestionEditForm,
    SurveyForm,
)
from ..health_content import DIMENSIONS, dimension, shipped_question_text
from ..models import HealthQuestionKind, SurveyStatus
from ..selectors import health_surveys as selectors
from ..services import health_surveys as services

PAGE_SIZE = 25


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _optional_url(request, name: str, **kwargs) -> str:
    # The quick check and the results are other pages of the health check; a link to one
    # that is not there yet is left out rather than breaking this page.
    try:
        return _url(request, name, **kwargs)
    except NoReverseMatch:
        return ""


def _org_zone(organization):
    try:
        return zoneinfo.ZoneInfo(organization.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _first_error(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(str(m) for msgs in error.message_dict.values() for m in msgs)
    return " ".join(error.messages)


# --- Home ---------------------------------------------------------------------------------------


def home(request, org_slug):
    """Every survey so far, newest first, with status, dates and response rate."""
    me, org = request.membership, request.organization
    access.require_reader(me)
    page = Paginator(selectors.survey_list(organization=org), PAGE_SIZE).get_page(
        request.GET.get("page"))
    surveys = list(page.object_list)
    for survey in surveys:
        survey.state = selectors.survey_state(survey)
        survey.rate = selectors.rate(survey.response_count, survey.invited_count)
        survey.results_url = (_optional_url(request, "health_results", survey_id=survey.pk)
                              if survey.launched_at else "")
    with timezone.override(_org_zone(org)):
        return render(request, "hr_admin/health/surveys/home.html", {
            "page": page, "surveys": surveys,
            "summary": selectors.survey_summary(organization=org),
            "can_manage": access.manages_health(me),
            "time_zone": org.time_zone,
            "quick_url": _optional_url(request, "health_quick"),
        })


# --- The question set ---------------------------------------------------------------------------


def _questions_page(request, form, *, status=200):
    org = request.organization
    rows = services.question_set(organization=org)
    for q in rows:
        q.display_text = shipped_question_text(q.text)
        q.dimension_info = dimension(q.dimension)
    groups = []
    for d in DIMENSIONS:
        groups.append({"dimension": d, "questions": [
            q for q in rows if q.kind == HealthQuestionKind.LIKERT and q.dimension == d.key]})
    others = [q for q in rows if q.kind != HealthQuestionKind.LIKERT]
    return render(request, "hr_admin/health/surveys/questions.html", {
        "groups": groups, "others": others, "rows": rows, "form": form,
        "active_count": sum(1 for q in rows if q.is_active),
    }, status=status)


def questions(request, org_slug):
    access.require_manager(request.membership)
    return _questions_page(request, QuestionCreateForm())


def question_create(request, org_slug):
    me, org = request.membership, request.organization
    access.require_manager(me)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = QuestionCreateForm(request.POST)
    if form.is_valid():
        try:
            services.question_create(organization=org, actor=me, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Question added. Surveys launched from now on ask it."))
            return redirect(_url(request, "health_questions"))
    return _questions_page(request, form, status=400)


def question_edit(request, org_slug, health_question_id):
    me, org = request.membership, request.organization
    question = access.access_question_by_id(membership=me,
                                            health_question_id=health_question_id)
    question.display_text = shipped_question_text(question.text)
    form = QuestionEditForm(request.POST or None, initial={"text": question.display_text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.question_update(organization=org, actor=me, question=question,
                                         text=form.cleaned_data["text"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Question saved."))
                return redirect(_url(request, "health_questions"))
        status = 400
    return render(request, "hr_admin/health/surveys/question_form.html", {
        "form": form, "question": question, "dimension": dimension(question.dimension),
    }, status=status)


def _question_action(request, health_question_id, action):
    me, org = request.membership, request.organization
    question = access.access_question_by_id(membership=me,
                                            health_question_id=health_question_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        message = action(org, me, question)
    except ValidationError as e:
        messages.error(request, _first_error(e))
    else:
        if message:
            messages.success(request, message)
    return redirect(_url(request, "health_questions") + f"#question-{question.pk}")


def question_retire(request, org_slug, health_question_id):
    def act(org, me, question):
        services.question_set_active(organization=org, actor=me, question=question,
                                     is_active=False)
        return _("Question retired: surveys launched from now on leave it out.")
    return _question_action(request, health_question_id, act)


def question_restore(request, org_slug, health_question_id):
    def act(org, me, question):
        services.question_set_active(organization=org, actor=me, question=question,
                                     is_active=True)
        return _("Question brought back into the set.")
    return _question_action(request, health_question_id, act)


def question_move(request, org_slug, health_question_id):
    def act(org, me, question):
        services.question_move(organization=org, actor=me, question=question,
                               direction=request.POST.get("direction", ""))
        return ""
    return _question_action(request, health_question_id, act)


# --- Drafts, launch and close -------------------------------------------------------------------


def _survey_form_page(request, form, *, survey=None, status=200):
    return render(request, "hr_admin/health/surveys/survey_form.html", {
        "form": form, "survey": survey, "time_zone": request.organization.time_zone,
        "threshold": max(request.organization.survey_anonymity_threshold,
                         services.MIN_GROUP_FLOOR),
    }, status=status)


def survey_create(request, org_slug):
    me, org = request.membership, request.organization
    access.require_manager(me)
    with timezone.override(_org_zone(org)):
        last = services.last_closed_survey(organization=org)
        form = SurveyForm(request.POST or None, organization=org,
                          initial={"previous": last.pk if last else None})
        if request.method == "POST":
            if form.is_valid():
                try:
                    survey = services.survey_create(organization=org, actor=me,
                                                    **form.cleaned_data)
                except ValidationError as e:
                    add_service_errors(form, e)
                else:
                    messages.success(request, _("Draft saved. Check it, then launch it."))
                    return redirect(_url(request, "health_survey", survey_id=survey.pk))
            return _survey_form_page(request, form, status=400)
        return _survey_form_page(request, form)


def survey_edit(request, org_slug, survey_id):
    me, org = request.membership, request.organization
    survey = access.access_survey_by_id(membership=me, survey_id=survey_id)
    access.require_manager(me)
    if survey.launched_at is not None:
        messages.error(request, _("A launched survey can no longer be changed."))
        return redirect(_url(request, "health_survey", survey_id=survey.pk))
    with timezone.override(_org_zone(org)):
        initial = {"title": survey.title, "teams": list(survey.teams.all()),
                   "opens_at": timezone.localtime(survey.opens_at) if survey.opens_at else None,
                   "closes_at": timezone.localtime(survey.closes_at)
                   if survey.closes_at else None,
                   "previous": survey.previous_id}
        form = SurveyForm(request.POST or None, organization=org, survey=survey,
                          initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.survey_update(organization=org, actor=me, survey=survey,
                                           **form.cleaned_data)
                except ValidationError as e:
                    add_service_errors(form, e)
                else:
                    messages.success(request, _("Draft saved."))
                    return redirect(_url(request, "health_survey", survey_id=survey.pk))
            return _survey_form_page(request, form, survey=survey, status=400)
        return _survey_form_page(request, form, survey=survey)


def _survey_action(request, survey_id, action):
    me, org = request.membership, request.organization
    survey = access.access_survey_by_id(membership=me, survey_id=survey_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    access.require_manager(me)
    try:
        message, target = action(org, me, survey)
    except ValidationError as e:
        messages.error(request, _first_error(e))
        target = _url(request, "health_survey", survey_id=survey.pk)
    else:
        messages.success(request, message)
    return redirect(target)


def survey_launch(request, org_slug, survey_id):
    def act(org, me, survey):
        survey = services.survey_launch(organization=org, actor=me, survey=survey)
        if survey.status == SurveyStatus.OPEN:
            message = _("Survey launched: %(count)s people are invited and can answer now.")
        else:
            message = _("Survey launched: %(count)s people will be invited when it opens.")
        return (message % {"count": survey.invited_count},
                _url(request, "health_survey", survey_id=survey.pk))
    return _survey_action(request, survey_id, act)


def survey_close(request, org_slug, survey_id):
    def act(org, me, survey):
        services.survey_close(organization=org, actor=me, survey=survey)
        return (_("Survey closed. The final scores are being computed."),
                _url(request, "health_survey", survey_id=survey.pk))
    return _survey_action(request, survey_id, act)


def survey_delete(request, org_slug, survey_id):
    def act(org, me, survey):
        services.survey_delete(organization=org, actor=me, survey=survey)
        return _("Draft deleted."), _url(request, "health")
    return _survey_action(request, survey_id, act)


def survey_detail(request, org_slug, survey_id):
    """A survey: its draft (with launch) or, once launched, its participation."""
    me, org = request.membership, request.organization
    survey = access.access_survey_by_id(membership=me, survey_id=survey_id)
    survey.state = selectors.survey_state(survey)
    teams = list(survey.teams.all())
    context = {"survey": survey, "teams": teams, "can_manage": access.manages_health(me),
               "time_zone": org.time_zone,
               "results_url": _optional_url(request, "health_results", survey_id=survey.pk)
               if survey.launched_at else ""}
    if survey.launched_at is None:
        rows = services.question_set(organization=org)
        context["question_count"] = sum(1 for q in rows if q.is_active)
        context["audience_count"] = services.audience(organization=org, survey=survey).count()
        context["threshold"] = max(org.survey_anonymity_threshold, services.MIN_GROUP_FLOOR)
    else:
        context["participation"] = selectors.participation(organization=org, survey=survey)
    with timezone.override(_org_zone(org)):
        return render(request, "hr_admin/health/surveys/survey_detail.html", context)


# --- Answering ----------------------------------------------------------------------------------


def answer(request, org_slug, survey_id):
    """The invited member's page: every question of the survey on one page, sent once."""
    me, org = request.membership, request.organization
    participation = access.access_participation(membership=me, survey_id=survey_id)
    survey = participation.survey
    questions = selectors.answer_questions(organization=org, survey=survey)
    form = AnswerForm(request.POST or None, questions=questions["all"])
    status = 200
    if request.method == "POST":
        if participation.has_responded:
            messages.error(request, str(services.ALREADY_ANSWERED))
            return redirect(_url(request, "health_answer", survey_id=survey.pk))
        if form.is_valid():
            values, comments = form.answers()
            try:
                services.response_submit(organization=org, member=me, survey=survey,
                                         answers=values, comments=comments)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Thank you: your answers are in. They are stored "
                                            "without your name."))
                return redirect(_url(request, "health_answer", survey_id=survey.pk))
        status = 400
    for q in questions["all"]:
        q.bound = form[q.field_name]
    with timezone.override(_org_zone(org)):
        return render(request, "hr_admin/health/surveys/answer.html", {
            "survey": survey, "participation": participation, "form": form,
            "questions": questions, "likert_labels": LIKERT_LABELS,
            "is_open": survey.status == SurveyStatus.OPEN,
        }, status=status)
