"""hr_admin's entries in the role-based navigation, gathered from each area's ``NAV``."""

from organizations.navigation import SECTIONS

from . import (
    urls_champions,
    urls_import,
    urls_moves,
    urls_opportunities,
    urls_recommendations,
    urls_records,
    urls_stories,
    urls_succession,
)

AREAS = [urls_opportunities, urls_champions, urls_succession, urls_recommendations,
         urls_stories, urls_moves, urls_import, urls_records]


def register() -> None:
    for area in AREAS:
        for anchor, items in getattr(area, "NAV", []):
            names = [item.url_name for item in SECTIONS]
            at = names.index(anchor) + 1 if anchor in names else len(SECTIONS)
            SECTIONS[at:at] = [item for item in items if item not in SECTIONS]
