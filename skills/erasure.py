"""The skills app's part in erasing a leaver (see ``organizations.erasure``).

Levels are numbers that feed gap analysis and skills aggregates, so ratings, check-in levels and
their history stay with the anonymous membership; what goes is the words: the manager's comments
on the leaver's check-ins, and the comments the leaver wrote on check-ins they validated.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.erasure import EraserSection, blank, register_erasure, scrub_mentions

from .models import CheckIn, CheckInItem


def erase_skills_data(*, organization, member, actor, identity) -> dict:
    check_ins = CheckIn.objects.for_org(organization)
    items = CheckInItem.objects.for_org(organization)
    theirs = Q(member=member) | Q(validated_by=member)
    counts = {
        "check_in_comments": blank(check_ins.filter(theirs), manager_comment=""),
        "item_comments": blank(
            items.filter(Q(check_in__member=member) | Q(check_in__validated_by=member)),
            comment=""),
    }
    counts["mentions"] = (
        scrub_mentions(check_ins, ["manager_comment"], identity)
        + scrub_mentions(items, ["comment"], identity))
    return counts


def register() -> None:
    register_erasure(EraserSection(
        key="skills", erase=erase_skills_data, order=20, title=_("Skills"),
        labels={
            "check_in_comments": _("check-in comments blanked"),
            "item_comments": _("comments on rated skills blanked"),
            "mentions": _("other comments naming them scrubbed"),
        },
        kept=_("Self-assessed and validated levels, check-in dates and rating history, and "
               "the role profile, for the organisation's skills figures."),
        fields=("skills.CheckIn.manager_comment", "skills.CheckInItem.comment"),
    ))
