"""Panels that apps further along the dependency chain add to pages of this app.

The member's home and a member's profile are organisation pages, but what they show comes from
``careers``, ``conversations`` and ``hr_admin``, which this app may not import. Those apps register
a panel here (in their ``AppConfig.ready``); the page asks each panel for its context and includes
its template. A panel whose ``context`` returns ``None`` is left out for that request.

Security invariant: a panel's ``context`` receives the request (organisation and membership
already resolved) and, for profile panels, the member being looked at, whom the caller may see
(``access_member_by_id`` has run). What it shows of that member is the panel's own access rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    #: ``context(request)`` for home panels, ``context(request, member)`` for profile panels.
    context: Callable[..., dict | None]
    #: "main" or "aside".
    column: str = "main"
    #: Lower comes first.
    order: int = 100
    #: Static paths of the stylesheets the panel's template needs (the page loads each once).
    stylesheets: tuple[str, ...] = ()


HOME_PANELS: list[Panel] = []
PROFILE_PANELS: list[Panel] = []


def _register(registry: list[Panel], panel: Panel) -> None:
    if any(p.key == panel.key for p in registry):
        return
    registry.append(panel)
    registry.sort(key=lambda p: (p.order, p.key))


def register_home_panel(panel: Panel) -> None:
    _register(HOME_PANELS, panel)


def register_profile_panel(panel: Panel) -> None:
    _register(PROFILE_PANELS, panel)


def _render(registry: list[Panel], *args) -> dict[str, list]:
    """``{"main": [...], "aside": [...], "stylesheets": [...]}`` for the page's template."""
    columns: dict[str, list] = {"main": [], "aside": [], "stylesheets": []}
    for panel in registry:
        context = panel.context(*args)
        if context is not None:
            columns[panel.column].append({"template": panel.template, "context": context})
            columns["stylesheets"] += [s for s in panel.stylesheets
                                       if s not in columns["stylesheets"]]
    return columns


def home_panels(request) -> dict[str, list]:
    return _render(HOME_PANELS, request)


def profile_panels(request, member) -> dict[str, list]:
    return _render(PROFILE_PANELS, request, member)
