"""Pages of success stories: the stories everyone reads, HR's and leaders' drafts, and the
member's consent.

Thin views: parse, look up through ``access_stories`` (404 for a story the caller may not read:
an unpublished story is HR's, leaders' and, once asked, its member's), call a service or
selector, render. A write redirects with a message; invalid input re-renders (400). Publishing
goes through ``services.stories.story_publish``, which refuses without the member's consent.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post

from ..access_stories import access_story_by_id
from ..forms_stories import ConsentForm, StoryEditForm, StoryForm
from ..models import StoryStatus
from ..selectors import champions as people_selectors
from ..selectors import stories as selectors
from ..services import stories as services

PUBLISHED_PAGE_SIZE = 12
IN_PROGRESS_PAGE_SIZE = 20


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _first_name(member) -> str:
    return member.user.first_name or member.display_name


def _require_writer(request) -> None:
    if not services.can_write_stories(request.membership):
        raise PermissionDenied(_("Success stories are written by HR and leaders."))


def _decorate(stories) -> list:
    rows = list(stories)
    for story in rows:
        story.state = selectors.state_of(story)
        story.move_text = selectors.describe_move(story.move)
    return rows


# --- Lists --------------------------------------------------------------------------------------


def stories(request, org_slug):
    """Published stories for everyone; for HR and leaders, the stories in progress too; for a
    member who was asked about one, the stories about them."""
    org, me = request.organization, request.membership
    writer = services.can_write_stories(me)
    about_me = list(selectors.stories_about(organization=org, member=me)[:20])
    views = ["published"] + (["in_progress"] if writer else []) + (["about_me"] if about_me
                                                                   else [])
    view = request.GET.get("view")
    if view not in views:
        view = "published"
    status = ""
    counts = selectors.story_counts(organization=org) if writer else None
    if view == "in_progress":
        status = request.GET.get("status", "")
        if status not in selectors.IN_PROGRESS:
            status = ""
        rows = selectors.stories_in_progress(organization=org, status=status or None)
        size = IN_PROGRESS_PAGE_SIZE
    elif view == "about_me":
        rows, size = about_me, 20
    else:
        rows, size = selectors.stories_published(organization=org), PUBLISHED_PAGE_SIZE
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    page.object_list = _decorate(page.object_list)
    return render(request, "hr_admin/stories/list.html", {
        "views": views,
        "view": view,
        "status": status,
        "statuses": [{"value": s, "label": StoryStatus(s).label, "count": counts[s]}
                     for s in selectors.IN_PROGRESS] if counts else [],
        "counts": counts,
        "page": page,
        "writer": writer,
        "about_me_count": len(about_me),
    })


# --- Writing ------------------------------------------------------------------------------------


def _subject_from(request, org, me):
    raw = request.POST.get("subject") if request.method == "POST" else request.GET.get("member")
    if raw and str(raw).isdigit():
        return selectors.story_subjects(organization=org, author=me).filter(pk=int(raw)).first()
    return None


def story_create(request, org_slug):
    """Step one: choose the colleague. Step two: choose their move, write the story."""
    org, me = request.organization, request.membership
    _require_writer(request)
    subject = _subject_from(request, org, me)
    if subject is None and request.method != "POST":
        query = request.GET.get("q", "").strip()[:100]
        found = people_selectors.colleague_search(organization=org, viewer=me, query=query) \
            if query else []
        return render(request, "hr_admin/stories/choose.html", {
            "query": query, "found": found, "searched": bool(query)})
    form = StoryForm(request.POST or None, organization=org, author=me, subject=subject,
                     initial={"subject": subject.pk} if subject else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            story = services.story_create(organization=org, actor=me, **data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Draft saved. When it reads well, ask %(name)s for "
                                        "consent: nothing is published without it.")
                             % {"name": _first_name(story.subject)})
            return redirect(_url(request, "story", story_id=story.pk))
    return render(request, "hr_admin/stories/form.html", {
        "form": form, "subject": subject, "story": None,
    }, status=400 if request.method == "POST" else 200)


def story_edit(request, org_slug, story_id):
    org, me = request.organization, request.membership
    story = access_story_by_id(membership=me, story_id=story_id)
    _require_writer(request)
    initial = {"move": story.move_id, "title": story.title, "body": story.body}
    form = StoryEditForm(request.POST or None, organization=org, story=story, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(organization=org, actor=me, story=story, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if story.consent_reset:
                messages.warning(request, _(
                    "Saved. %(name)s had agreed to the earlier version, so the story is a "
                    "draft again: ask for consent to the new words.")
                    % {"name": _first_name(story.subject)})
            else:
                messages.success(request, _("Story saved."))
            return redirect(_url(request, "story", story_id=story.pk))
    return render(request, "hr_admin/stories/form.html", {
        "form": form, "subject": story.subject, "story": story,
        "warn_reset": story.consent_requested_at is not None or story.consent_given_at
        is not None,
    }, status=400 if request.method == "POST" else 200)


def story_delete(request, org_slug, story_id):
    org, me = request.organization, request.membership
    story = access_story_by_id(membership=me, story_id=story_id)
    _require_writer(request)
    if request.method == "POST":
        services.story_delete(organization=org, actor=me, story=story)
        messages.success(request, _("Story deleted."))
        return redirect(_url(request, "stories") + "?view=in_progress")
    return render(request, "hr_admin/stories/confirm.html", {
        "title": _("Delete this story?"),
        "text": _("“%(title)s” is deleted for good, with its consent record (the audit log "
                  "keeps who did what).") % {"title": story.title},
        "action_url": _url(request, "story_delete", story_id=story.pk),
        "cancel_url": _url(request, "story", story_id=story.pk),
        "button": _("Delete the story"),
    })


# --- One story ----------------------------------------------------------------------------------


def story(request, org_slug, story_id):
    """A story: published, for everyone; in progress, with its consent record and the next
    step, for HR and leaders; for its member, with a link to their consent."""
    me = request.membership
    item = access_story_by_id(membership=me, story_id=story_id)
    _decorate([item])
    writer = services.can_write_stories(me)
    return render(request, "hr_admin/stories/detail.html", {
        "story": item,
        "writer": writer,
        "is_subject": item.subject_id == me.pk,
        "can_publish": writer and services.has_consent(item)
        and item.status != StoryStatus.PUBLISHED,
        "can_ask": writer and item.status in services.ASKABLE
        and not services.has_consent(item),
        "more": _decorate(selectors.stories_published(organization=request.organization)
                          .exclude(pk=item.pk)[:3]),
    })


def _act(request, story_id, action, done) -> object:
    org, me = request.organization, request.membership
    item = access_story_by_id(membership=me, story_id=story_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    _require_writer(request)
    try:
        action(organization=org, actor=me, story=item)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, done(item))
    return redirect(_url(request, "story", story_id=item.pk))


def story_request_consent(request, org_slug, story_id):
    return _act(request, story_id, services.story_request_consent, lambda s: _(
        "%(name)s has been asked, in-app, and can read the draft now. You will be told when "
        "they answer.") % {"name": _first_name(s.subject)})


def story_publish(request, org_slug, story_id):
    return _act(request, story_id, services.story_publish, lambda s: _(
        "Published. It is on the organisation's home page and the stories page; %(name)s has "
        "been told.") % {"name": _first_name(s.subject)})


def story_unpublish(request, org_slug, story_id):
    return _act(request, story_id, services.story_unpublish, lambda s: _(
        "Unpublished. %(name)s's consent stands: you can publish it again.")
        % {"name": _first_name(s.subject)})


# --- The member's consent -----------------------------------------------------------------------


def story_consent(request, org_slug, story_id):
    """The member reads the story about them and says whether it may be published; later,
    they can withdraw their consent."""
    org, me = request.organization, request.membership
    item = access_story_by_id(membership=me, story_id=story_id)
    if item.subject_id != me.pk:
        raise PermissionDenied(_("Only the colleague a story is about gives consent."))
    if item.consent_requested_at is None:
        raise PermissionDenied(_("You have not been asked about this story yet."))
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                services.story_consent_answer(organization=org, actor=me, story=item,
                                              decision=form.cleaned_data["decision"])
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
            else:
                messages.success(request, {
                    "give": _("Thank you. The story can now be published; you can withdraw "
                              "your consent at any time, here."),
                    "decline": _("Understood: the story will not be published. You can "
                                 "change your mind here."),
                    "withdraw": _("Consent withdrawn. The story is no longer published."),
                }[form.cleaned_data["decision"]])
            return redirect(_url(request, "story_consent", story_id=item.pk))
        messages.error(request, _("Choose whether you agree."))
        return redirect(_url(request, "story_consent", story_id=item.pk))
    _decorate([item])
    return render(request, "hr_admin/stories/consent.html", {
        "story": item,
        "has_consent": services.has_consent(item),
    })
