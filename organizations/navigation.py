"""The navigation each role sees. Other apps add their entries to ``SECTIONS``."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    # Which roles see the entry: any of "employee", "manager", "hr", "leader".
    roles: frozenset
    # ``count(request) -> int``: a number shown beside the entry (unread notifications …);
    # one cheap query at most, since it runs on every page.
    count: Callable | None = field(default=None, compare=False)


SECTIONS: list[NavItem] = [
    NavItem(_("Home"), "organizations:home", "home", frozenset({"employee"})),
    NavItem(_("My team"), "organizations:my_team", "team", frozenset({"manager"})),
    NavItem(_("People"), "organizations:people", "people", frozenset({"hr", "leader"})),
    NavItem(_("Invitations"), "organizations:invitations", "mail", frozenset({"hr"})),
    NavItem(_("Settings"), "organizations:settings", "settings", frozenset({"hr"})),
]


def roles_of(membership) -> set[str]:
    if membership is None:
        return set()
    roles = {"employee"}
    if getattr(membership, "is_manager", False):
        roles.add("manager")
    if membership.is_hr_admin:
        roles.add("hr")
    if membership.is_leader:
        roles.add("leader")
    return roles


def navigation_for(request) -> list[dict]:
    org = getattr(request, "organization", None)
    membership = getattr(request, "membership", None)
    if org is None or membership is None:
        return []
    roles = roles_of(membership)
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = []
    for item in SECTIONS:
        if item.roles & roles:
            items.append(
                {
                    "label": item.label,
                    "url": reverse(item.url_name, kwargs={"org_slug": org.slug}),
                    "icon": item.icon,
                    "active": current == item.url_name,
                    "count": item.count(request) if item.count else 0,
                }
            )
    return items
