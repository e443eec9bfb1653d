"""hr_admin's entries in the role-based navigation, gathered from each area's ``NAV``."""

from organizations.navigation import SECTIONS

from . import (
    urls_champions,
    urls_health,
    urls_import,
    urls_metrics,
    urls_moves,
    urls_opportunities,
    urls_recommendations,
    urls_records,
    urls_stories,
    urls_succession,
)

AREAS = [urls_metrics, urls_opportunities, urls_champions, urls_succession, urls_recommendations,
         urls_stories, urls_moves, urls_import, urls_health, urls_records]


def register() -> None:
    for area in AREAS:
        for anchor, items in getattr(area, "NAV", []):
            names = [item.url_name for item in SECTIONS]
            at = names.index(anchor) + 1 if anchor in names else len(SECTIONS)
            SECTIONS[at:at] = [item for item in items if item not in SECTIONS]
    group_people_tools()


# HR's and leaders' entries, grouped: people and their moves, then decisions about people, then
# the career tools, then oversight. Applied once every area has placed its entries.
PEOPLE_TOOLS = [
    "organizations:people",
    "hr_admin:people_import",
    "organizations:invitations",
    "hr_admin:moves",
    "hr_admin:leavers",
    "hr_admin:recommendations",
    "hr_admin:succession",
    "hr_admin:champion_nominations",
    "careers:template",
    "careers:participation",
    "hr_admin:health",
    "hr_admin:audit_log",
]


def group_people_tools() -> None:
    names = [item.url_name for item in SECTIONS]
    present = [name for name in PEOPLE_TOOLS if name in names]
    if not present:
        return
    at = min(names.index(name) for name in present)
    moved = [SECTIONS[names.index(name)] for name in present]
    rest = [item for item in SECTIONS if item.url_name not in present]
    SECTIONS[:] = rest[:at] + moved + rest[at:]
