"""What Office Career Champions add to shared pages and to the career record.

* a badge beside current champions in the people directory and on their profile header
  (``organizations.badges``), linking to their champion page: one query per page of members;
* the career record: the member's champion terms and statement, the anonymous citations of
  their confirmed nominations, and the nominations they made (with what they wrote).
  Pending nominations about the member are not part of it: the member does not know of them
  until HR confirms, and then reads them as citations.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.badges import Badge, register_badge_provider
from organizations.personal_data import PersonalDataSection, iso, register_personal_data


def champion_badges(organization, member_ids) -> dict[int, list[Badge]]:
    from .selectors.champions import champion_member_ids

    found = champion_member_ids(organization=organization, member_ids=list(member_ids))
    label = _("Career Champion")
    return {member_id: [Badge(label=str(label), icon="award", tone="brand",
                              url=reverse("hr_admin:champion",
                                          kwargs={"org_slug": organization.slug,
                                                  "champion_id": champion_id}))]
            for member_id, champion_id in found.items()}


def collect_champions(*, organization, member) -> dict:
    from .models import Champion, ChampionCriterion, NominationStatus
    from .selectors import champions as selectors

    labels = dict(ChampionCriterion.choices)
    terms = (Champion.objects.for_org(organization).filter(member=member)
             .select_related("confirmed_by__user").order_by("since", "pk"))
    return {
        "terms": [{"since": iso(t.since), "ended_at": iso(t.ended_at), "statement": t.statement,
                   "confirmed_by": t.confirmed_by.display_name if t.confirmed_by_id else None,
                   "recorded_at": iso(t.created_at)}
                  for t in terms],
        "citations": [{"criterion": str(g["label"]), "quotes": g["quotes"]}
                      for g in selectors.champion_citations(organization=organization,
                                                            member=member)],
        "nominations_made": [
            {"nominee": n.nominee.display_name, "created_at": iso(n.created_at),
             "status": str(NominationStatus(n.status).label),
             "decided_at": iso(n.decided_at),
             "decision_note": n.decision_note if n.status != NominationStatus.PENDING else "",
             "evidence": [{"criterion": str(labels.get(c, c)), "text": t}
                          for c, t in (n.evidence or {}).items()]}
            for n in selectors.nominations_made(organization=organization, nominator=member)],
    }


def register() -> None:
    register_badge_provider("hr-champions", champion_badges, order=10)
    register_personal_data(PersonalDataSection(
        key="champions", title=_("Office Career Champions"), collect=collect_champions,
        template="hr_admin/champions/_record.html", order=90,
        fields=(
            "hr_admin.Champion.member", "hr_admin.Champion.since", "hr_admin.Champion.statement",
            "hr_admin.Champion.ended_at", "hr_admin.Champion.confirmed_by",
            "hr_admin.Champion.created_at",
            "hr_admin.ChampionNomination.nominee", "hr_admin.ChampionNomination.nominated_by",
            "hr_admin.ChampionNomination.evidence", "hr_admin.ChampionNomination.status",
            "hr_admin.ChampionNomination.decided_at",
            "hr_admin.ChampionNomination.decision_note",
            "hr_admin.ChampionNomination.created_at",
        )))
