"""Badges that apps further along the dependency chain put beside a member's name.

The people directory and a member's profile are organisation pages, but a badge such as "Career
Champion" comes from ``hr_admin``, which this app may not import. An app registers a provider
here (in its ``AppConfig.ready``): ``provider(organization, member_ids)`` returns
``{member_id: [Badge, …]}`` for the members it has something to say about, computed in one query
for the whole list, so a page of 25 members or of 2 costs the same.

Security invariant: a provider receives ids of members of ``organization`` whom the caller may
already see listed; a badge carries only what every viewer of that list may know (a public
title and a link to a page with its own access rule), never private data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Badge:
    label: str
    #: A name from ``static/img/icons.svg`` (without the ``i-`` prefix).
    icon: str = "award"
    url: str = ""
    #: One of the badge tones of ``trellis.css``: brand, success, warning, danger, info, neutral.
    tone: str = "brand"


BadgeProvider = Callable[..., dict[int, list[Badge]]]


@dataclass(frozen=True)
class _Registration:
    key: str
    provider: BadgeProvider
    order: int


PROVIDERS: list[_Registration] = []


def register_badge_provider(key: str, provider: BadgeProvider, *, order: int = 100) -> None:
    """Add ``provider`` once (a second registration under the same key is ignored)."""
    if any(r.key == key for r in PROVIDERS):
        return
    PROVIDERS.append(_Registration(key=key, provider=provider, order=order))
    PROVIDERS.sort(key=lambda r: (r.order, r.key))


def member_badges(*, organization, member_ids: Iterable[int]) -> dict[int, list[Badge]]:
    """Every provider's badges for ``member_ids``: one call (one query) per provider, none when
    the list is empty."""
    ids = sorted({int(i) for i in member_ids})
    badges: dict[int, list[Badge]] = {}
    if not ids:
        return badges
    for registration in PROVIDERS:
        for member_id, found in (registration.provider(organization, ids) or {}).items():
            if member_id in ids and found:
                badges.setdefault(member_id, []).extend(found)
    return badges


def attach_badges(*, organization, members: list) -> list:
    """Set ``member.badges`` on each member of ``members`` (a list, already fetched)."""
    badges = member_badges(organization=organization, member_ids=[m.pk for m in members])
    for member in members:
        member.badges = badges.get(member.pk, [])
    return members
