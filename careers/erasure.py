"""The careers app's part in erasing a leaver (see ``organizations.erasure``).

A leaver's reflections, goals, options and development plan are their own words: blanked, with
the criteria they weighed options by deleted. Development actions keep their kind, status,
hours and dates, which feed training-hour figures; goals keep horizon and status.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.erasure import EraserSection, blank, register_erasure, scrub_mentions

from .models import (
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    OptionCriterion,
    Reflection,
    ReflectionAnswer,
    ReflectionShare,
)

GOAL_FIELDS = ["title", "motivation"]
OPTION_FIELDS = ["title", "description", "pros", "cons", "decision_note"]
ACTION_FIELDS = ["title", "evidence"]


def erase_careers_data(*, organization, member, actor, identity) -> dict:
    reflections = Reflection.objects.for_org(organization)
    answers = ReflectionAnswer.objects.for_org(organization)
    goals = CareerGoal.objects.for_org(organization)
    options = CareerOption.objects.for_org(organization)
    actions = DevelopmentAction.objects.for_org(organization)
    counts = {
        "reflections": blank(reflections.filter(member=member), title=""),
        "answers": blank(answers.filter(reflection__member=member), text=""),
        "shares": ReflectionShare.objects.for_org(organization)
        .filter(reflection__member=member).delete()[0],
        "goals": blank(goals.filter(member=member), **dict.fromkeys(GOAL_FIELDS, "")),
        "options": blank(options.filter(member=member), **dict.fromkeys(OPTION_FIELDS, "")),
        # Their ratings of options go with the criteria.
        "criteria": OptionCriterion.objects.for_org(organization).filter(member=member)
        .delete()[1].get(OptionCriterion._meta.label, 0),
        "actions": blank(actions.filter(member=member), **dict.fromkeys(ACTION_FIELDS, "")),
    }
    # Colleagues' own career texts stay theirs; only a mention of the leaver goes.
    counts["mentions"] = (
        scrub_mentions(reflections, ["title"], identity)
        + scrub_mentions(answers, ["text"], identity)
        + scrub_mentions(goals, GOAL_FIELDS, identity)
        + scrub_mentions(options, OPTION_FIELDS, identity)
        + scrub_mentions(OptionCriterion.objects.for_org(organization), ["name"], identity)
        + scrub_mentions(actions, ACTION_FIELDS, identity))
    return counts


def register() -> None:
    register_erasure(EraserSection(
        key="careers", erase=erase_careers_data, order=30, title=_("Career reflection and plan"),
        labels={
            "reflections": _("reflection titles blanked"),
            "answers": _("reflection answers blanked"),
            "shares": _("areas shared with their manager withdrawn"),
            "goals": _("career goals blanked"),
            "options": _("career options blanked"),
            "criteria": _("option criteria deleted, with their ratings"),
            "actions": _("development plan items blanked"),
            "mentions": _("colleagues' texts naming them scrubbed"),
        },
        kept=_("Dates, the goal horizons and statuses, and each development action's kind, "
               "status, hours and dates, for training-hour figures."),
        fields=(
            "careers.Reflection.title",
            "careers.ReflectionAnswer.text",
            "careers.CareerGoal.title",
            "careers.CareerGoal.motivation",
            "careers.CareerOption.title",
            "careers.CareerOption.description",
            "careers.CareerOption.pros",
            "careers.CareerOption.cons",
            "careers.CareerOption.decision_note",
            "careers.OptionCriterion.name",
            "careers.DevelopmentAction.title",
            "careers.DevelopmentAction.evidence",
        ),
    ))
