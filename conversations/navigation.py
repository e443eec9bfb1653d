"""The conversations app's entries in the role-based navigation."""

from django.utils.translation import gettext_lazy as _

from organizations.navigation import SECTIONS, NavItem


def unread_notifications(request) -> int:
    """The caller's unread notifications: one indexed count (``notification_unread``)."""
    from .models import Notification

    membership = getattr(request, "membership", None)
    if membership is None:
        return 0
    return (Notification.objects.for_org(membership.organization_id)
            .filter(recipient=membership, read_at__isnull=True).count())


# (the entry they follow, the entries), as in careers.navigation.
PLACES = [
    ("careers:plan", [
        NavItem(_("Conversations"), "conversations:list", "chat", frozenset({"employee"})),
        NavItem(_("Feedback"), "conversations:feedback", "star", frozenset({"employee"})),
        NavItem(_("Notifications"), "conversations:notifications", "send",
                frozenset({"employee"}), count=unread_notifications),
    ]),
    ("careers:shared", [
        NavItem(_("Team conversations"), "conversations:team", "calendar",
                frozenset({"manager"})),
        # HR's and leaders' entry is hr_admin's recommendations queue.
        NavItem(_("My recommendations"), "conversations:recommendations", "thumbs-up",
                frozenset({"manager"})),
    ]),
]


def register() -> None:
    for anchor, items in PLACES:
        names = [item.url_name for item in SECTIONS]
        at = names.index(anchor) + 1 if anchor in names else len(SECTIONS)
        SECTIONS[at:at] = [item for item in items if item not in SECTIONS]
