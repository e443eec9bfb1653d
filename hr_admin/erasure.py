"""hr_admin's part in erasing a leaver (see ``organizations.erasure``).

Career moves are the ground truth for mobility figures: they stay whole (kind, date, roles,
grades, teams), attached to the anonymous membership. What is about the leaver goes: successor
nominations and champion nominations of them and success stories about them are deleted; their
messages to opportunity posters, their champion statement and the notes and evidence they wrote
about colleagues are blanked. The organisation's own content (openings, key positions, stories
about others, people imports) stays, with their name and address replaced wherever it appears.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.erasure import EraserSection, blank, register_erasure, scrub_mentions

from .models import (
    Champion,
    ChampionNomination,
    HealthAction,
    KeyPosition,
    MetricGoal,
    Opportunity,
    OpportunityInterest,
    PeopleImport,
    SuccessorNomination,
    SuccessStory,
)

IMPORT_FIELDS = ["file_name", "content", "problems", "summary", "error"]


def _deleted(queryset) -> int:
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def erase_hr_data(*, organization, member, actor, identity) -> dict:
    interests = OpportunityInterest.objects.for_org(organization)
    successors = SuccessorNomination.objects.for_org(organization)
    nominations = ChampionNomination.objects.for_org(organization)
    champions = Champion.objects.for_org(organization)
    stories = SuccessStory.objects.for_org(organization)
    counts = {
        "interests": blank(interests.filter(member=member), message="", approval_note="")
        + blank(interests.filter(approval_by=member).exclude(member=member),
                approval_note=""),
        "successor_nominations": _deleted(successors.filter(candidate=member)),
        "successor_notes": blank(successors.filter(nominated_by=member), notes=""),
        "champion_nominations": _deleted(nominations.filter(nominee=member)),
        "champion_evidence": blank(nominations.filter(nominated_by=member), evidence={})
        + blank(nominations.filter(decided_by=member), decision_note=""),
        "champion": blank(champions.filter(member=member), statement=""),
        "stories": _deleted(stories.filter(subject=member)),
    }
    # A former member is no longer a champion colleagues can turn to.
    champions.filter(member=member, ended_at__isnull=True).update(ended_at=timezone.now())
    counts["mentions"] = (
        scrub_mentions(PeopleImport.objects.for_org(organization), IMPORT_FIELDS, identity)
        + scrub_mentions(Opportunity.objects.for_org(organization),
                         ["title", "description", "location"], identity)
        + scrub_mentions(interests, ["message", "approval_note"], identity)
        + scrub_mentions(KeyPosition.objects.for_org(organization), ["title", "notes"],
                         identity)
        + scrub_mentions(successors, ["notes"], identity)
        + scrub_mentions(nominations, ["evidence", "decision_note"], identity)
        + scrub_mentions(champions, ["statement"], identity)
        + scrub_mentions(stories, ["title", "body"], identity)
        + scrub_mentions(HealthAction.objects.for_org(organization), ["title", "notes"],
                         identity)
        + scrub_mentions(MetricGoal.objects.for_org(organization), ["note"], identity))
    return counts


def register() -> None:
    register_erasure(EraserSection(
        key="hr_admin", erase=erase_hr_data, order=50,
        title=_("Opportunities, succession, champions and stories"),
        labels={
            "interests": _("messages and notes on opportunity interests blanked"),
            "successor_nominations": _("successor nominations of them deleted"),
            "successor_notes": _("succession notes they wrote blanked"),
            "champion_nominations": _("champion nominations of them deleted"),
            "champion_evidence": _("champion nominations they wrote or decided blanked"),
            "champion": _("champion statement blanked"),
            "stories": _("success stories about them deleted"),
            "mentions": _("imports, openings and other texts naming them scrubbed"),
        },
        kept=_("Career moves (kind, date, roles, grades, teams), the status and match score of "
               "their interest in openings, and the dates they were a champion."),
        fields=(
            "hr_admin.PeopleImport.file_name",
            "hr_admin.PeopleImport.content",
            "hr_admin.PeopleImport.problems",
            "hr_admin.PeopleImport.summary",
            "hr_admin.PeopleImport.error",
            "hr_admin.Opportunity.title",
            "hr_admin.Opportunity.description",
            "hr_admin.Opportunity.location",
            "hr_admin.OpportunityInterest.message",
            "hr_admin.OpportunityInterest.approval_note",
            "hr_admin.KeyPosition.title",
            "hr_admin.KeyPosition.notes",
            "hr_admin.SuccessorNomination.notes",
            "hr_admin.ChampionNomination.evidence",
            "hr_admin.ChampionNomination.decision_note",
            "hr_admin.Champion.statement",
            "hr_admin.SuccessStory.title",
            "hr_admin.SuccessStory.body",
            "hr_admin.HealthAction.title",
            "hr_admin.HealthAction.notes",
            "hr_admin.MetricGoal.note",
        ),
    ))
