"""The skills app's entries in the role-based navigation."""

from django.utils.translation import gettext_lazy as _

from organizations.navigation import SECTIONS, NavItem

ITEMS = [
    NavItem(_("My skills"), "skills:my_skills", "layers", frozenset({"employee"})),
    NavItem(_("Career paths"), "skills:explorer", "route", frozenset({"employee"})),
    NavItem(_("Emerging skills"), "skills:notices", "sparkles", frozenset({"employee"})),
    NavItem(_("Check-ins to validate"), "skills:validation_queue", "list-check",
            frozenset({"manager"})),
    NavItem(_("Team skills"), "skills:team_matrix", "chart", frozenset({"manager"})),
    NavItem(_("Skills & roles"), "skills:framework_list", "ladder", frozenset({"hr"})),
]


def register() -> None:
    """Insert the entries before the organisation's settings, which stay last."""
    names = [item.url_name for item in SECTIONS]
    at = names.index("organizations:settings") if "organizations:settings" in names else len(names)
    new = [item for item in ITEMS if item not in SECTIONS]
    SECTIONS[at:at] = new
