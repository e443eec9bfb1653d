"""The careers app's entries in the role-based navigation."""

from django.utils.translation import gettext_lazy as _

from organizations.navigation import SECTIONS, NavItem

# (the entry they follow, the entries): the member's after Home, the manager's after My team,
# HR's and leaders' after People, so that the organisation's settings stay last.
PLACES = [
    ("organizations:home", [
        NavItem(_("Reflection"), "careers:reflections", "compass", frozenset({"employee"})),
        NavItem(_("Goals & options"), "careers:goals", "target", frozenset({"employee"})),
        NavItem(_("Development plan"), "careers:plan", "clipboard", frozenset({"employee"})),
    ]),
    ("organizations:my_team", [
        NavItem(_("Shared with me"), "careers:shared", "eye", frozenset({"manager"})),
    ]),
    ("organizations:people", [
        NavItem(_("Reflection template"), "careers:template", "edit", frozenset({"hr"})),
        NavItem(_("Career participation"), "careers:participation", "pulse",
                frozenset({"hr", "leader"})),
    ]),
]


def register() -> None:
    for anchor, items in PLACES:
        names = [item.url_name for item in SECTIONS]
        at = names.index(anchor) + 1 if anchor in names else len(SECTIONS)
        SECTIONS[at:at] = [item for item in items if item not in SECTIONS]
