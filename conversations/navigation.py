"""The conversations app's entries in the role-based navigation."""

from django.utils.translation import gettext_lazy as _

from organizations.navigation import SECTIONS, NavItem

# (the entry they follow, the entries), as in careers.navigation.
PLACES = [
    ("careers:plan", [
        NavItem(_("Conversations"), "conversations:list", "chat", frozenset({"employee"})),
        NavItem(_("Notifications"), "conversations:notifications", "send",
                frozenset({"employee"})),
    ]),
    ("careers:shared", [
        NavItem(_("Team conversations"), "conversations:team", "calendar",
                frozenset({"manager"})),
        NavItem(_("Recommendations"), "conversations:recommendations", "thumbs-up",
                frozenset({"manager", "hr"})),
    ]),
]


def register() -> None:
    for anchor, items in PLACES:
        names = [item.url_name for item in SECTIONS]
        at = names.index(anchor) + 1 if anchor in names else len(SECTIONS)
        SECTIONS[at:at] = [item for item in items if item not in SECTIONS]
