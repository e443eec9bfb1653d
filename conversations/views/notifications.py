"""The member's notifications, their email preferences, their private calendar feed.

Everything here is the caller's own, looked up through the caller's membership: another
member's notification id is the same 404 as an absent one. The calendar feed itself is public
(``tenant_public``): calendar clients cannot sign in, so the secret in its URL is the credential.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import ics
from ..forms_notifications import PreferenceForm
from ..models import Notification, NotificationKind
from ..selectors import notifications as selectors
from ..services import notifications as services

PAGE_SIZE = 20
NEW_FEED_SESSION_KEY = "conversations:new_calendar_feed"
FEED_REFRESH = timedelta(hours=1)
ICONS = {
    NotificationKind.SCHEDULED: "calendar",
    NotificationKind.CHANGED: "refresh",
    NotificationKind.CANCELLED: "close",
    NotificationKind.REMINDER: "clock",
    NotificationKind.OUTCOME_PULSE: "star",
    NotificationKind.DIGEST: "team",
    NotificationKind.FEEDBACK: "heart",
    NotificationKind.RECOMMENDATION: "thumbs-up",
}


def _own_notification(request, notification_id) -> Notification:
    """One of the caller's own notifications.

    Security invariant: filtered on the caller's organisation and on the caller as recipient,
    so another organisation's, another member's and an absent id are all ``Http404``.
    """
    try:
        notification_id = int(notification_id)
    except (TypeError, ValueError):
        raise Http404 from None
    notification = (selectors.notification_list(organization=request.organization,
                                                recipient=request.membership)
                    .filter(pk=notification_id).first())
    if notification is None:
        raise Http404
    return notification


def _back(request, org_slug):
    url = reverse("conversations:notifications", kwargs={"org_slug": org_slug})
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


def notification_list(request, org_slug):
    """Newest first, unread marked. POST ``read=<id>`` marks one read, ``open=<id>`` marks it
    read and follows its link, ``read_all`` marks every one read."""
    org, membership = request.organization, request.membership
    if request.method == "POST":
        if "read_all" in request.POST:
            count = services.notifications_mark_read(organization=org, actor=membership,
                                                     everything=True)
            if count:
                messages.success(request, _("All your notifications are marked as read."))
            return _back(request, org_slug)
        target = request.POST.get("open") or request.POST.get("read")
        notification = _own_notification(request, target)
        services.notifications_mark_read(organization=org, actor=membership,
                                         ids=[notification.pk])
        if "open" in request.POST and notification.url and url_has_allowed_host_and_scheme(
                notification.url, allowed_hosts={request.get_host()}):
            return redirect(notification.url)
        return _back(request, org_slug)
    page = Paginator(selectors.notification_list(organization=org, recipient=membership),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for notification in page.object_list:
        notification.icon = ICONS.get(notification.kind, "dot")
    unread = selectors.notification_unread_count(organization=org, recipient=membership)
    return render(request, "conversations/notifications/list.html",
                  {"page": page, "unread": unread})


def preferences(request, org_slug):
    """What the member receives by email; in-app notifications are always kept."""
    org, membership = request.organization, request.membership
    preference = selectors.notification_preference_get(organization=org, member=membership)
    show_digest = bool(getattr(membership, "is_manager", False))
    form = PreferenceForm(request.POST if request.method == "POST" else None,
                          instance=preference, show_digest=show_digest)
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.fields}
            services.notification_preference_update(organization=org, actor=membership,
                                                    **values)
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("conversations:preferences", org_slug=org_slug)
        return render(request, "conversations/notifications/preferences.html",
                      {"form": form}, status=400)
    return render(request, "conversations/notifications/preferences.html", {"form": form})


def calendar_settings(request, org_slug):
    """The member's private calendar feed: create it, give it a new secret, or switch it off.
    A new link is shown once, after a redirect (so a reload does not make another)."""
    org, membership = request.organization, request.membership
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            existed = selectors.calendar_feed_get(organization=org, member=membership)
            _feed, token = services.calendar_feed_create(organization=org, actor=membership)
            request.session[NEW_FEED_SESSION_KEY] = services.absolute(
                services.calendar_feed_path(organization=org, token=token))
            messages.success(request, _("A new link is ready; the old one no longer works.")
                             if existed else _("Your calendar feed is ready."))
        elif action == "revoke":
            if services.calendar_feed_revoke(organization=org, actor=membership):
                messages.success(request, _("Your calendar feed is switched off: its link "
                                            "no longer works."))
        else:
            return HttpResponse(status=400)
        return redirect("conversations:calendar", org_slug=org_slug)
    feed = selectors.calendar_feed_get(organization=org, member=membership)
    new_url = request.session.pop(NEW_FEED_SESSION_KEY, None)
    upcoming = selectors.feed_conversations(organization=org, member=membership)
    return render(request, "conversations/notifications/calendar.html", {
        "feed": feed, "new_url": new_url, "upcoming": upcoming[:5],
        "upcoming_count": len(upcoming),
        "webcal_url": "webcal://" + new_url.split("://", 1)[1] if new_url else "",
    })


def calendar_feed(request, org_slug, token):
    """The private feed (iCalendar) of the member whose secret ``token`` is.

    Security invariant: a wrong, revoked or another organisation's token is 404 whatever the
    method, before anything else; the feed holds what a calendar entry needs (title, time,
    place, video link, the other participant's name, the link to the page) and never notes or
    preparation.
    """
    feed = selectors.calendar_feed_by_token(organization=request.organization, token=token)
    if feed is None:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    member, org = feed.member, request.organization
    member.organization = org
    conversations = selectors.feed_conversations(organization=org, member=member)
    with services.recipient_locale(member) as language:
        events = []
        for conversation in conversations:
            other = (conversation.partner if conversation.member_id == member.pk
                     else conversation.member)
            link = services.absolute(services.conversation_path(
                organization=org, conversation_id=conversation.pk))
            events.append(ics.conversation_event(
                conversation,
                summary=_("Career conversation with %(name)s") % {"name": other.display_name},
                url=link,
                description=_("Agenda, preparation and shared notes: %(link)s")
                % {"link": link}))
        body = ics.calendar(events, name=_("Career conversations · %(org)s")
                            % {"org": org.name}, refresh=FEED_REFRESH)
    services.calendar_feed_touch(feed=feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="career-conversations.ics"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


calendar_feed.tenant_public = True
