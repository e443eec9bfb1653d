"""Career conversation pages: my conversations and scheduling, my team's, one conversation
(agenda, preparation, shared reflection areas, the guide beside the notes, agreed actions,
outcome), mentors and coaches, the cadence, the guide.

A conversation is looked up through ``conversations.access`` (its two participants only:
everyone else, HR and leaders included, gets 404); everything else through
``conversations.access_conversations``. Each view parses the request, looks up, calls a
service or selector and renders; a write redirects with a message, and bad input re-renders the
page with what was typed and the messages by field (400).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Reflection, ReflectionArea
from organizations import access as org_access
from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from organizations.models import Membership
from organizations.services import audit

from .. import access, access_conversations, guide
from ..forms import (
    AgreedActionForm,
    AreaForm,
    CadenceForm,
    CancelForm,
    OutcomeForm,
    PartnerForm,
    PreparationForm,
    PrivateNoteForm,
    RescheduleForm,
    ScheduleForm,
    SharedNotesForm,
    TopicForm,
)
from ..models import ConversationArea, ConversationStatus, PartnerKind
from ..selectors import conversations as selectors
from ..services import conversations as services


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"conversations:{name}", kwargs={"org_slug": request.organization.slug,
                                                    **kwargs})


def _show_errors(form, error: ValidationError) -> None:
    """A service's error on the form field that holds the value (``scheduled_at`` is typed
    as a date and a time, for instance)."""
    mapping = getattr(form, "service_errors_field", None)
    if mapping is not None and hasattr(error, "error_dict"):
        error = ValidationError({mapping(name): errs for name, errs in error.error_dict.items()})
    add_service_errors(form, error)


# --- My conversations ---------------------------------------------------------------------------


def _people(request) -> list[tuple]:
    """Whom the caller can schedule with from their own page: their line manager, mentors and
    coaches (the caller is the employee), and the people they mentor or coach (the caller is
    the partner). Reports are scheduled from the team page."""
    org, me = request.organization, request.membership
    people = []
    for choice in selectors.partners_of(organization=org, member=me):
        label = _("%(name)s, your %(kind)s") % {"name": choice.membership.display_name,
                                                "kind": choice.kind_label.lower()}
        people.append((f"p{choice.membership.pk}", label, me, choice.membership))
    for row in selectors.mentees_of(organization=org, partner=me):
        label = (_("%(name)s, whom you mentor") if row.kind == PartnerKind.MENTOR
                 else _("%(name)s, whom you coach")) % {"name": row.member.display_name}
        people.append((f"e{row.member.pk}", label, row.member, me))
    return people


def _list_context(request, form=None) -> dict:
    org, me = request.organization, request.membership
    people = _people(request)
    return {
        "overview": selectors.conversation_overview(organization=org, member=me),
        "form": form or ScheduleForm(organization=org, people=people),
        "people": people,
        "zone": selectors.organization_zone(org).key,
        "last_held": selectors.last_held(organization=org, member=me),
        "cadence_days": selectors.cadence_days(organization=org, member=me),
        "now": timezone.now(),
    }


def conversation_list(request, org_slug):
    """My conversations: upcoming (with the preparation link) and past; schedule one."""
    return render(request, "conversations/conversation/list.html", _list_context(request))


def conversation_schedule(request, org_slug):
    if request.method != "POST":
        return redirect("conversations:list", org_slug=org_slug)
    org, me = request.organization, request.membership
    form = ScheduleForm(request.POST, organization=org, people=_people(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_schedule(
                organization=org, actor=me, member=data["member"], partner=data["partner"],
                scheduled_at=data["scheduled_at"], duration_minutes=data["duration_minutes"],
                location=data["location"], video_url=data["video_url"])
        except ValidationError as e:
            _show_errors(form, e)
        else:
            return _scheduled(request, conversation)
    return render(request, "conversations/conversation/list.html",
                  _list_context(request, form=form), status=400)


def _scheduled(request, conversation):
    other = (conversation.partner if conversation.member_id == request.membership.pk
             else conversation.member)
    messages.success(request, _("Your career conversation with %(name)s is scheduled. They "
                                "have been told, and you can both add topics to the agenda.")
                     % {"name": other.display_name})
    return redirect("conversations:detail", org_slug=request.organization.slug,
                    conversation_id=conversation.pk)


# --- My team ------------------------------------------------------------------------------------


def team(request, org_slug):
    """My direct reports: last held and next conversation, when the next is due, who is
    overdue; schedule one, or change how often."""
    org, me = request.organization, request.membership
    org_access.require_manager(me)
    rows = selectors.team_overview(organization=org, manager=me)
    default_days = org.conversation_cadence_days
    return render(request, "conversations/conversation/team.html", {
        "rows": [{"row": r, "cadence_form": CadenceForm(
            default_days=default_days, initial={"days": r.cadence_override},
            prefix=f"m{r.member.pk}")} for r in rows],
        "summary": selectors.team_summary(rows),
        "default_days": default_days,
        "now": timezone.now(),
    })


def schedule_with(request, org_slug, member_id):
    """Schedule a conversation with one of my direct reports."""
    org, me = request.organization, request.membership
    member = access_conversations.access_report_by_id(membership=me, member_id=member_id)
    form = ScheduleForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_schedule(
                organization=org, actor=me, member=member, partner=me,
                scheduled_at=data["scheduled_at"], duration_minutes=data["duration_minutes"],
                location=data["location"], video_url=data["video_url"])
        except ValidationError as e:
            _show_errors(form, e)
        else:
            return _scheduled(request, conversation)
    return render(request, "conversations/conversation/schedule.html", {
        "member": member,
        "form": form,
        "last_held": selectors.last_held(organization=org, member=member),
        "cadence_days": selectors.cadence_days(organization=org, member=member),
        "zone": selectors.organization_zone(org).key,
    }, status=400 if request.method == "POST" else 200)


def cadence(request, org_slug, member_id):
    """Set or clear how often one of my reports has a career conversation."""
    org, me = request.organization, request.membership
    member = access_conversations.access_report_by_id(membership=me, member_id=member_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    form = CadenceForm(request.POST, default_days=org.conversation_cadence_days,
                       prefix=f"m{member.pk}")
    if form.is_valid():
        try:
            services.cadence_set(organization=org, actor=me, member=member,
                                 days=form.cleaned_data["days"])
        except ValidationError as e:
            add_service_errors(form, e)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("%(name)s: %(error)s")
                               % {"name": member.display_name, "error": error})
    elif form.cleaned_data["days"] is None:
        messages.success(request, _("%(name)s follows the organisation's cadence again: every "
                                    "%(days)s days.") % {
            "name": member.display_name, "days": org.conversation_cadence_days})
    else:
        messages.success(request, _("%(name)s will have a career conversation every %(days)s "
                                    "days.") % {"name": member.display_name,
                                                "days": form.cleaned_data["days"]})
    return redirect(_url(request, "team") + f"#report-{member.pk}")


# --- One conversation ---------------------------------------------------------------------------


def _step(request, detail) -> guide.GuideStep:
    chosen = guide.step(request.POST.get("step") or request.GET.get("step"))
    return chosen or detail.guide_default


def _detail_context(request, conversation, **forms) -> dict:
    org, me = request.organization, request.membership
    detail = selectors.conversation_detail(organization=org, conversation=conversation,
                                           viewer=me)
    step = _step(request, detail)
    context = {
        "detail": detail,
        "conversation": conversation,
        "step": step,
        "steps": guide.STEPS,
        "preparation_parts": guide.PREPARATION,
        "outcomes": guide.OUTCOMES,
        "topic_form": forms.get("topic_form") or TopicForm(),
        "notes_form": forms.get("notes_form") or SharedNotesForm(
            initial={"text": conversation.shared_notes}),
        "private_form": forms.get("private_form") or PrivateNoteForm(
            initial={"text": detail.private_note.text if detail.private_note else ""}),
        "zone": selectors.organization_zone(org).key,
        "now": detail.now,
    }
    if detail.can_agree_actions or forms.get("action_form") is not None:
        context["action_form"] = forms.get("action_form") or AgreedActionForm(
            organization=org, employee=conversation.member)
    if detail.is_employee:
        prep = detail.preparation
        context["preparation_form"] = forms.get("preparation_form") or PreparationForm(
            initial={"journey": prep.journey, "to_ask": prep.to_ask,
                     "to_share": prep.to_share} if prep else None)
        attachable = selectors.attachable_areas(organization=org, member=me)
        context["area_form"] = forms.get("area_form") or AreaForm(
            attachable=attachable, attached=detail.attached_keys)
        context["has_reflections"] = bool(attachable)
        if detail.is_held:
            outcome = detail.outcome
            context["outcome_form"] = forms.get("outcome_form") or OutcomeForm(
                initial={**{o.key: getattr(outcome, o.key) for o in guide.OUTCOMES},
                         "comment": outcome.comment} if outcome else None)
    return context


def _detail_page(request, conversation, status: int = 200, **forms):
    return render(request, "conversations/conversation/detail.html",
                  _detail_context(request, conversation, **forms), status=status)


def _back(request, conversation, anchor: str = ""):
    url = _url(request, "detail", conversation_id=conversation.pk)
    step = guide.step(request.POST.get("step"))
    if step is not None:
        url += f"?step={step.number}"
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _conversation(request, conversation_id):
    return access.access_conversation_by_id(membership=request.membership,
                                            conversation_id=conversation_id)


def _submit(request, conversation, form, *, form_key: str, save, success, anchor: str,
            errors=add_service_errors):
    """The shape of every form on the conversation page: a valid form goes to ``save``
    (a service call taking the cleaned data); a refusal shows on the form, which the page
    renders again with status 400 and what was typed; success redirects back to ``anchor``
    with ``success`` (a message, or a callable of what ``save`` returned)."""
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as e:
            errors(form, e)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return _back(request, conversation, anchor)
    return _detail_page(request, conversation, status=400, **{form_key: form})


def conversation_detail(request, org_slug, conversation_id):
    """One conversation, for its two participants. The partner's visit is audit-logged: the
    page shows the employee's attached reflection areas and what they agreed."""
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    context = _detail_context(request, conversation)
    if context["detail"].is_partner:
        audit(organization=org, actor=me, action="conversations.conversation_viewed",
              subject=conversation.member, conversation=conversation.pk,
              areas=len(context["detail"].areas))
    return render(request, "conversations/conversation/detail.html", context)


def conversation_reschedule(request, org_slug, conversation_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    if conversation.status != ConversationStatus.SCHEDULED:
        messages.warning(request, _("Only a scheduled conversation can be moved."))
        return redirect("conversations:detail", org_slug=org_slug,
                        conversation_id=conversation.pk)
    form = RescheduleForm(request.POST or None, organization=org, conversation=conversation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conversation_reschedule(
                organization=org, actor=me, conversation=conversation,
                scheduled_at=data["scheduled_at"], duration_minutes=data["duration_minutes"],
                location=data["location"], video_url=data["video_url"])
        except ValidationError as e:
            _show_errors(form, e)
            conversation = _conversation(request, conversation.pk)
        else:
            messages.success(request, _("Saved. The other person has been told of the change."))
            return redirect("conversations:detail", org_slug=org_slug,
                            conversation_id=conversation.pk)
    return render(request, "conversations/conversation/reschedule.html", {
        "conversation": conversation, "form": form, "zone": form.zone.key,
        "other": (conversation.partner if conversation.member_id == me.pk
                  else conversation.member),
    }, status=400 if request.method == "POST" else 200)


def conversation_cancel(request, org_slug, conversation_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_cancel(organization=org, actor=me, conversation=conversation,
                                         reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The conversation is cancelled, and the other person "
                                        "has been told."))
            return redirect("conversations:list", org_slug=org_slug)
    return render(request, "conversations/conversation/cancel.html", {
        "conversation": conversation, "form": form,
        "other": (conversation.partner if conversation.member_id == me.pk
                  else conversation.member),
    }, status=400 if request.method == "POST" else 200)


def conversation_mark_held(request, org_slug, conversation_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    try:
        services.conversation_mark_held(organization=org, actor=me, conversation=conversation)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        if me.pk == conversation.partner_id:
            messages.success(request, _("Marked as held. %(name)s can now rate how it went.")
                             % {"name": conversation.member.display_name})
        else:
            messages.success(request, _("Marked as held. How did it go? Rate it below."))
    return _back(request, conversation, "outcome" if me.pk == conversation.member_id else "")


def topic_add(request, org_slug, conversation_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    return _submit(
        request, conversation, TopicForm(request.POST), form_key="topic_form", anchor="agenda",
        save=lambda data: services.topic_add(organization=org, actor=me,
                                             conversation=conversation, text=data["text"]),
        success=_("Topic added to the agenda."))


def topic_toggle(request, org_slug, conversation_id, topic_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    topic = access_conversations.access_topic_of(conversation=conversation, topic_id=topic_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    try:
        services.topic_toggle_done(organization=org, actor=me, topic=topic,
                                   is_done=request.POST.get("done") == "1")
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    return _back(request, conversation, f"topic-{topic.pk}")


def topic_remove(request, org_slug, conversation_id, topic_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    topic = access_conversations.access_topic_of(conversation=conversation, topic_id=topic_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    try:
        services.topic_remove(organization=org, actor=me, topic=topic)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Topic removed from the agenda."))
    return _back(request, conversation, "agenda")


def preparation(request, org_slug, conversation_id):
    """The employee's preparation (private to them)."""
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    if me.pk != conversation.member_id:
        raise Http404
    return _submit(
        request, conversation, PreparationForm(request.POST), form_key="preparation_form",
        anchor="preparation",
        save=lambda data: services.preparation_save(organization=org, actor=me,
                                                    conversation=conversation, **data),
        success=_("Your preparation is saved. Only you see it."))


def areas(request, org_slug, conversation_id):
    """The employee attaches (``action=attach``) or withdraws (``action=detach``) a reflection
    area for the partner to read with this conversation."""
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    if me.pk != conversation.member_id:
        raise Http404
    if request.POST.get("action") == "detach":
        attached = access_conversations.access_attached_area_of(
            conversation=conversation, reflection_id=request.POST.get("reflection"),
            area_id=request.POST.get("area"))
        services.conversation_area_detach(organization=org, actor=me, conversation=conversation,
                                          reflection=attached.reflection, area=attached.area)
        messages.success(request, _("“%(area)s” is no longer shared with %(name)s for this "
                                    "conversation.") % {"area": attached.area.shown_title,
                                                        "name": conversation.partner.display_name})
        return _back(request, conversation, "areas")
    attachable = selectors.attachable_areas(organization=org, member=me)
    attached_keys = set(ConversationArea.objects.for_org(org).filter(
        conversation=conversation).values_list("reflection_id", "area_id"))
    form = AreaForm(request.POST, attachable=attachable, attached=attached_keys)
    if form.is_valid():
        reflection_id, area_id = form.ids()
        reflection = Reflection.objects.for_org(org).filter(pk=reflection_id, member=me).first()
        area = ReflectionArea.objects.for_org(org).filter(pk=area_id).first()
        if reflection is None or area is None:
            raise Http404
        try:
            services.conversation_area_attach(organization=org, actor=me,
                                              conversation=conversation, reflection=reflection,
                                              area=area)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("“%(area)s” is shared with %(name)s for this "
                                        "conversation. You can withdraw it at any time.")
                             % {"area": area.shown_title,
                                "name": conversation.partner.display_name})
            return _back(request, conversation, "areas")
    return _detail_page(request, conversation, status=400, area_form=form)


def shared_notes(request, org_slug, conversation_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    return _submit(
        request, conversation, SharedNotesForm(request.POST), form_key="notes_form",
        anchor="notes",
        save=lambda data: services.shared_notes_save(organization=org, actor=me,
                                                     conversation=conversation,
                                                     text=data["text"]),
        success=_("Shared notes saved. You both see them."),
        errors=lambda form, e: _show_errors(form, _on_text(e, "shared_notes")))


def _on_text(error: ValidationError, name: str) -> ValidationError:
    if hasattr(error, "error_dict") and name in error.error_dict:
        return ValidationError({"text": error.error_dict[name]})
    return error


def private_note(request, org_slug, conversation_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    return _submit(
        request, conversation, PrivateNoteForm(request.POST), form_key="private_form",
        anchor="private-notes",
        save=lambda data: services.private_note_save(organization=org, actor=me,
                                                     conversation=conversation,
                                                     text=data["text"]),
        success=_("Your private notes are saved. Only you see them."))


def action_add(request, org_slug, conversation_id):
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    def success(agreed) -> str:
        if me.pk == conversation.member_id:
            return _("“%(title)s” is agreed and added to your development plan.") % {
                "title": agreed.action.title}
        return _("“%(title)s” is agreed and added to %(name)s's development plan.") % {
            "title": agreed.action.title, "name": conversation.member.display_name}

    return _submit(
        request, conversation,
        AgreedActionForm(request.POST, organization=org, employee=conversation.member),
        form_key="action_form", anchor="actions", success=success,
        save=lambda data: services.agreed_action_add(organization=org, actor=me,
                                                     conversation=conversation, **data))


def outcome(request, org_slug, conversation_id):
    """The employee rates what the conversation gave them."""
    org, me = request.organization, request.membership
    conversation = _conversation(request, conversation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    if me.pk != conversation.member_id:
        raise Http404
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_rate(organization=org, actor=me, conversation=conversation,
                                  **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Thank you: your ratings are saved. You can change them "
                                        "at any time."))
            return _back(request, conversation, "outcome")
    if conversation.status != ConversationStatus.HELD:
        messages.error(request, _("Rate the conversation once it has been held."))
        return _back(request, conversation)
    return _detail_page(request, conversation, status=400, outcome_form=form)


# --- Mentors and coaches ------------------------------------------------------------------------


def _partners_page(request, member: Membership, form=None, status: int = 200):
    org, me = request.organization, request.membership
    history = selectors.partnership_history(organization=org, member=member)
    return render(request, "conversations/conversation/partners.html", {
        "member": member,
        "is_self": member.pk == me.pk,
        "manager": member.manager if member.manager_id and member.manager.is_active else None,
        "active_partners": [r for r in history if r.ended_at is None],
        "past_partners": [r for r in history if r.ended_at is not None],
        "mentees": (selectors.mentees_of(organization=org, partner=me)
                    if member.pk == me.pk else []),
        "form": form or PartnerForm(for_self=member.pk == me.pk),
        "action_url": (_url(request, "partners") if member.pk == me.pk
                       else _url(request, "member_partners", member_id=member.pk)),
    }, status=status)


def _add_partner(request, member: Membership, success_url: str):
    org, me = request.organization, request.membership
    form = PartnerForm(request.POST, for_self=member.pk == me.pk)
    if form.is_valid():
        partner = (Membership.objects.for_org(org).select_related("user")
                   .filter(user__email__iexact=form.cleaned_data["email"], is_active=True)
                   .first())
        if partner is None:
            form.add_error("email", _("Nobody in %(org)s signs in with this address. Check the "
                                      "spelling, or ask HR.") % {"org": org.name})
        else:
            try:
                row = services.partner_add(organization=org, actor=me, member=member,
                                           partner=partner, kind=form.cleaned_data["kind"])
            except ValidationError as e:
                _show_errors(form, _on_field(e, "partner", "email"))
            else:
                messages.success(request, _("%(name)s is now a %(kind)s. You can schedule "
                                            "career conversations together.")
                                 % {"name": partner.display_name,
                                    "kind": row.get_kind_display().lower()})
                return redirect(success_url)
    return _partners_page(request, member, form=form, status=400)


def _on_field(error: ValidationError, name: str, to: str) -> ValidationError:
    if hasattr(error, "error_dict") and name in error.error_dict:
        return ValidationError({to if k == name else k: v for k, v in error.error_dict.items()})
    return error


def partners(request, org_slug):
    """My mentors and coaches (and whom I mentor or coach): add or end a partnership."""
    me = request.membership
    member = (Membership.objects.for_org(request.organization)
              .select_related("user", "manager__user").get(pk=me.pk))
    if request.method == "POST":
        return _add_partner(request, member, _url(request, "partners"))
    return _partners_page(request, member)


def member_partners(request, org_slug, member_id):
    """HR: one member's mentors and coaches."""
    member = access_conversations.access_member_for_hr(membership=request.membership,
                                                       member_id=member_id)
    if request.method == "POST":
        return _add_partner(request, member,
                            _url(request, "member_partners", member_id=member.pk))
    if member.pk != request.membership.pk:
        audit(organization=request.organization, actor=request.membership,
              action="conversations.partners_viewed", subject=member)
    return _partners_page(request, member)


def partner_end(request, org_slug, partner_id):
    org, me = request.organization, request.membership
    row = access_conversations.access_partnership_by_id(membership=me, partner_id=partner_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    services.partner_end(organization=org, actor=me, career_partner=row)
    messages.success(request, _("The partnership between %(member)s and %(partner)s has ended. "
                                "Past conversations stay.")
                     % {"member": row.member.display_name, "partner": row.partner.display_name})
    if me.pk in (row.member_id, row.partner_id):
        return redirect("conversations:partners", org_slug=org_slug)
    return redirect("conversations:member_partners", org_slug=org_slug, member_id=row.member_id)


# --- The guide ----------------------------------------------------------------------------------


def guide_page(request, org_slug):
    """The suggested series of four career conversations, with their prompts."""
    return render(request, "conversations/conversation/guide.html", {
        "steps": guide.STEPS, "outcomes": guide.OUTCOMES, "preparation_parts": guide.PREPARATION,
    })
