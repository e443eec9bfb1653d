"""``{% team_options teams selected %}``: the ``<option>``s of a team picker.

An organisation may have thousands of teams; rendered by the template engine (or by
``format_html``) one at a time, their options cost more than the rest of a page. Built here in
one pass with the standard library's escaping, which escapes the same characters.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def team_options(teams, selected=None):
    """One ``<option value="pk">name</option>`` per team (``Team``s, or ``(pk, name)`` pairs);
    the one whose pk is ``selected`` (a pk or a team) is marked selected."""
    chosen = str(getattr(selected, "pk", selected)) if selected not in (None, "") else None
    parts = []
    for team in teams:
        pk, name = (team.pk, team.name) if hasattr(team, "pk") else team
        mark = " selected" if str(pk) == chosen else ""
        parts.append(f'<option value="{int(pk)}"{mark}>{escape(str(name))}</option>')
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)
