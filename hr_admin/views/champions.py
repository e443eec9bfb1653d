"""Pages of Office Career Champions: the directory, a champion's page, nominating a colleague,
and HR's queue of nominations.

Thin views: parse, look up through ``access_champions`` (404 for what the caller may not read),
call a service or selector, render. A write redirects with a message; invalid input re-renders
with what was typed (400). Nominations' text is read only through the selectors that apply
the rule (HR, never about themselves; the author), and each HR read is audit-logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.access import require_hr
from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from organizations.services import audit

from ..access_champions import (
    access_champion_by_id,
    access_champion_nomination_by_id,
    access_nominee_for_hr,
)
from ..forms_champions import (
    CRITERION_HELP,
    CRITERION_ICONS,
    CRITERION_SHORT,
    DecisionForm,
    EndTermForm,
    NominationForm,
    SetAsideForm,
    StatementForm,
    evidence_name,
)
from ..models import ChampionCriterion, NominationStatus
from ..selectors import champions as selectors
from ..services import champions as services

DIRECTORY_PAGE_SIZE = 24
QUEUE_PAGE_SIZE = 20
MY_NOMINATIONS_SHOWN = 20


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _first_name(member) -> str:
    return member.user.first_name or member.display_name


def criteria_guide() -> list[dict]:
    """The article's five criteria, with their short names, help and icons."""
    return [{"value": c, "label": label, "short": CRITERION_SHORT[c], "help": CRITERION_HELP[c],
             "icon": CRITERION_ICONS[c]} for c, label in ChampionCriterion.choices]


def _with_short_names(criteria: list[dict]) -> list[dict]:
    top = max((c["count"] for c in criteria), default=0) or 1
    return [{**c, "short": CRITERION_SHORT[c["value"]], "icon": CRITERION_ICONS[c["value"]],
             "share": round(100 * c["count"] / top)} for c in criteria]


# --- The directory ------------------------------------------------------------------------------


def champions(request, org_slug):
    """Who the organisation's Office Career Champions are and how they can help: for everyone."""
    org, me = request.organization, request.membership
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.champions_active(organization=org, query=query)
    page = Paginator(rows, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_citations(organization=org, champions=page.object_list)
    for champion in page.object_list:
        champion.cited = _with_short_names(champion.cited)
    mine = selectors.active_champion_of(organization=org, member=me)
    return render(request, "hr_admin/champions/directory.html", {
        "page": page,
        "query": query,
        "my_champion": mine,
        "criteria": criteria_guide(),
        "pending_count": selectors.pending_nominee_count(organization=org, viewer=me)
        if selectors.reads_nominations(me) else None,
    })


# --- Nominating ---------------------------------------------------------------------------------


def _initial_from(data) -> dict:
    """What was typed, as a fresh (unbound) form's initial values: a search must not show the
    errors of a nomination not yet sent."""
    initial = {"nominee": data.get("nominee") or None, "criteria": data.getlist("criteria")}
    for criterion in ChampionCriterion.values:
        initial[evidence_name(criterion)] = data.get(evidence_name(criterion), "")
    return initial


def _nominate_context(request, *, form=None, query: str = "", initial=None) -> dict:
    org, me = request.organization, request.membership
    if query:
        shown = selectors.colleague_search(organization=org, viewer=me, query=query)
    else:
        shown = selectors.colleague_shortlist(organization=org, viewer=me)
    if form is None:
        form = NominationForm(organization=org, nominator=me, shown=shown, initial=initial)
    else:
        form.people = [*form.people, *(m for m in shown
                                       if m.pk not in {p.pk for p in form.people})]
    mine = list(selectors.nominations_made(organization=org, nominator=me)
                [:MY_NOMINATIONS_SHOWN])
    return {
        "form": form,
        "query": query,
        "searched": bool(query),
        "criteria": criteria_guide(),
        "mine": mine,
        "min_length": services.EVIDENCE_MIN_LENGTH,
    }


def champion_nominate(request, org_slug):
    """Nominate a colleague: find them, tick the criteria they meet, say what you saw."""
    org, me = request.organization, request.membership
    if request.method != "POST":
        initial = {}
        if request.GET.get("member", "").isdigit():
            initial["nominee"] = int(request.GET["member"])
        query = request.GET.get("q", "").strip()[:100]
        return render(request, "hr_admin/champions/nominate.html",
                      _nominate_context(request, query=query, initial=initial))
    query = request.POST.get("q", "").strip()[:100]
    if "find" in request.POST:
        return render(request, "hr_admin/champions/nominate.html",
                      _nominate_context(request, query=query,
                                        initial=_initial_from(request.POST)))
    shown = selectors.colleague_search(organization=org, viewer=me, query=query) if query \
        else selectors.colleague_shortlist(organization=org, viewer=me)
    form = NominationForm(request.POST, organization=org, nominator=me, shown=shown)
    if form.is_valid():
        try:
            made = services.champion_nominate(organization=org, actor=me,
                                              nominee=form.cleaned_data["nominee"],
                                              evidence=form.evidence())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _(
                "Thank you. Your nomination of %(name)s is with HR; %(name)s does not see it "
                "unless HR confirms, and then only what you saw, not who wrote it.")
                % {"name": _first_name(made.nominee)})
            return redirect(_url(request, "champion_nominate") + "#mine")
    else:
        # Shape errors first; the service's rules (evidence for each tick) are checked too, so
        # that every problem shows at once.
        try:
            services.clean_evidence(form.evidence())
        except ValidationError as e:
            form.add_service_errors(e)
    return render(request, "hr_admin/champions/nominate.html",
                  _nominate_context(request, form=form, query=query), status=400)


def champion_nomination_withdraw(request, org_slug, champion_nomination_id):
    org, me = request.organization, request.membership
    nomination = access_champion_nomination_by_id(
        membership=me, champion_nomination_id=champion_nomination_id)
    if nomination.nominated_by_id != me.pk:
        raise PermissionDenied(_("Only the person who made a nomination can withdraw it."))
    back = _url(request, "champion_nominate") + "#mine"
    if request.method == "POST":
        try:
            services.champion_nomination_withdraw(organization=org, actor=me,
                                                  nomination=nomination)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Nomination withdrawn. HR no longer has it to decide."))
        return redirect(back)
    return render(request, "hr_admin/champions/confirm.html", {
        "title": _("Withdraw this nomination?"),
        "text": _("HR will no longer have it to decide, and %(name)s never learns of it. You "
                  "can nominate them again later.") % {"name": _first_name(nomination.nominee)},
        "action_url": _url(request, "champion_nomination_withdraw",
                           champion_nomination_id=nomination.pk),
        "cancel_url": back,
        "button": _("Withdraw the nomination"),
    })


# --- HR: the queue ------------------------------------------------------------------------------

STATUS_TABS = (NominationStatus.PENDING, NominationStatus.CONFIRMED, NominationStatus.DECLINED)


def champion_nominations(request, org_slug):
    """HR's queue: the people colleagues nominated, most nominated first, with the criteria
    cited most; and, under the other tabs, who was confirmed or declined."""
    org, me = request.organization, request.membership
    require_hr(me)
    status = request.GET.get("status", NominationStatus.PENDING)
    if status not in STATUS_TABS:
        status = NominationStatus.PENDING
    groups = selectors.nominee_groups(organization=org, viewer=me, status=status)
    page = Paginator(groups, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_nominees(organization=org, groups=page.object_list)
    for row in page.object_list:
        row["criteria"] = _with_short_names(row["criteria"])
    if page.object_list:
        audit(organization=org, actor=me, action="champions.nominations_listed",
              status=status, count=len(page.object_list))
    counts = selectors.status_counts(organization=org, viewer=me)
    return render(request, "hr_admin/champions/nominations.html", {
        "page": page,
        "status": status,
        "tabs": [{"value": s, "label": NominationStatus(s).label, "count": counts[s]}
                 for s in STATUS_TABS],
        "criteria": criteria_guide(),
    })


def _nominee_context(request, nominee, *, form=None) -> dict:
    org, me = request.organization, request.membership
    rows = selectors.nominations_for_hr(organization=org, viewer=me, nominee=nominee)
    pending = [n for n in rows if n.status == NominationStatus.PENDING]
    decided = [n for n in rows if n.status != NominationStatus.PENDING][:30]
    labels = dict(ChampionCriterion.choices)
    for nomination in [*pending, *decided]:
        nomination.items = [{"value": c, "label": labels[c], "short": CRITERION_SHORT[c],
                             "icon": CRITERION_ICONS[c], "text": t}
                            for c, t in (nomination.evidence or {}).items() if c in labels]
    summary = selectors.nominee_summary(organization=org, viewer=me, nominee=nominee)
    champion = selectors.active_champion_of(organization=org, member=nominee)
    audit(organization=org, actor=me, action="champions.nominations_viewed", subject=nominee,
          count=len(pending) + len(decided))
    return {
        "nominee": nominee,
        "pending": pending,
        "decided": decided,
        "summary": {**summary, "criteria": _with_short_names(summary["criteria"])},
        "champion": champion,
        "can_decide": bool(pending) and champion is None and nominee.is_active,
        "form": form or DecisionForm(initial={"decision": NominationStatus.CONFIRMED}),
    }


def champion_nominee(request, org_slug, member_id):
    """HR: one nominee's nominations, what each colleague saw, and the decision."""
    nominee = access_nominee_for_hr(membership=request.membership, member_id=member_id)
    return render(request, "hr_admin/champions/nominee.html",
                  _nominee_context(request, nominee))


def champion_nominee_decide(request, org_slug, member_id):
    org, me = request.organization, request.membership
    nominee = access_nominee_for_hr(membership=me, member_id=member_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            champion = services.champion_nominee_decide(organization=org, actor=me,
                                                        nominee=nominee, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if champion is not None:
                messages.success(request, _(
                    "%(name)s is now an Office Career Champion. They and the colleagues who "
                    "nominated them have been told.") % {"name": nominee.display_name})
                return redirect(_url(request, "champion", champion_id=champion.pk))
            messages.success(request, _(
                "Nominations of %(name)s declined. The colleagues who nominated them have your "
                "note.") % {"name": nominee.display_name})
            return redirect(_url(request, "champion_nominations"))
    return render(request, "hr_admin/champions/nominee.html",
                  _nominee_context(request, nominee, form=form), status=400)


def champion_nomination_set_aside(request, org_slug, champion_nomination_id):
    """HR: decline one nomination (for instance one that cites nothing a champion does)."""
    org, me = request.organization, request.membership
    nomination = access_champion_nomination_by_id(
        membership=me, champion_nomination_id=champion_nomination_id)
    require_hr(me)
    back = _url(request, "champion_nominee", member_id=nomination.nominee_id)
    if nomination.status != NominationStatus.PENDING:
        messages.info(request, _("This nomination has already been decided."))
        return redirect(back)
    form = SetAsideForm(request.POST or None)
    if request.method != "POST":
        # The page quotes what the colleague wrote about the nominee.
        audit(organization=org, actor=me, action="champions.nominations_viewed",
              subject=nomination.nominee, nomination_id=nomination.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.champion_nomination_set_aside(organization=org, actor=me,
                                                   nomination=nomination,
                                                   note=form.cleaned_data["note"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Nomination set aside. %(name)s, who made it, has your "
                                        "note.") % {
                "name": nomination.nominated_by.display_name if nomination.nominated_by
                else _("The colleague")})
            return redirect(back)
    labels = dict(ChampionCriterion.choices)
    return render(request, "hr_admin/champions/set_aside.html", {
        "nomination": nomination,
        "items": [{"label": labels[c], "text": t} for c, t in nomination.evidence.items()
                  if c in labels],
        "form": form,
        "cancel_url": back,
    }, status=400 if request.method == "POST" else 200)


# --- A champion ---------------------------------------------------------------------------------


def champion(request, org_slug, champion_id):
    """A champion's page: who they are, how they can help, what colleagues cited. The champion
    and HR also read what colleagues saw, without names."""
    org, me = request.organization, request.membership
    item = access_champion_by_id(membership=me, champion_id=champion_id)
    counts = selectors.citation_counts(organization=org, member_ids=[item.member_id]).get(
        item.member_id, {"count": 0, "criteria": []})
    citations = None
    if selectors.can_read_citations(viewer=me, champion=item):
        citations = selectors.champion_citations(organization=org, member=item.member)
        for group in citations:
            group.update(short=CRITERION_SHORT[group["value"]],
                         icon=CRITERION_ICONS[group["value"]])
        if me.pk != item.member_id:
            audit(organization=org, actor=me, action="champions.citations_viewed",
                  subject=item.member, champion=item.pk)
    return render(request, "hr_admin/champions/champion.html", {
        "champion": item,
        "is_self": me.pk == item.member_id,
        "cited": _with_short_names(counts["criteria"]),
        "cited_by": counts["count"],
        "citations": citations,
        "can_end": me.is_hr_admin and item.ended_at is None,
        "criteria": criteria_guide(),
    })


def champion_statement(request, org_slug, champion_id):
    """The champion says how they can help."""
    org, me = request.organization, request.membership
    item = access_champion_by_id(membership=me, champion_id=champion_id)
    if item.member_id != me.pk:
        raise PermissionDenied(_("Only the champion writes how they can help."))
    form = StatementForm(request.POST or None, initial={"statement": item.statement})
    if request.method == "POST" and form.is_valid():
        try:
            services.champion_statement_update(organization=org, actor=me, champion=item,
                                               **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Saved. Colleagues see it on the champions page."))
            return redirect(_url(request, "champion", champion_id=item.pk))
    return render(request, "hr_admin/champions/statement.html", {
        "champion": item,
        "form": form,
    }, status=400 if request.method == "POST" else 200)


def champion_end(request, org_slug, champion_id):
    """HR ends a champion's term."""
    org, me = request.organization, request.membership
    item = access_champion_by_id(membership=me, champion_id=champion_id)
    require_hr(me)
    form = EndTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.champion_end(organization=org, actor=me, champion=item,
                                  note=form.cleaned_data["note"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s's term as champion has ended; the badge and "
                                        "the directory entry are gone.") % {
                "name": item.member.display_name})
            return redirect(_url(request, "champions"))
    return render(request, "hr_admin/champions/end.html", {
        "champion": item,
        "form": form,
        "cancel_url": _url(request, "champion", champion_id=item.pk),
    }, status=400 if request.method == "POST" else 200)

