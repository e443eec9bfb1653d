"""Office Career Champions demo data: two confirmed champions and a queue for HR.

The demo manager is a champion, nominated by the demo employee and two colleagues and confirmed
by the demo HR admin, with a statement of how they can help; a second champion comes from
elsewhere in the organisation. Three more colleagues wait in HR's queue with a few nominations
each, so the queue, the directory, the badges and the champion pages have something to show.

Idempotent: nothing is added to an organisation that already has any nomination or champion.
People are chosen with ``random.Random`` seeded per organisation, so every installation gets
the same data. What colleagues saw, the statements and HR's note are written in the active
language (``seed_demo`` seeds each organisation under its default language).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization

from .models import Champion, ChampionCriterion, ChampionNomination, NominationStatus

SEED = "trellis-champions-demo"

C = ChampionCriterion
#: What colleagues saw, by criterion: the demo's nominations draw on these in turn.
SAW = {
    C.COMMITMENT: (
        _("Always the first to explain why a decision fits what we say we value, and the first to "
          "say so when it does not."),
        _("Ran the volunteering day for the whole floor on top of a release week."),
        _("Speaks up for customers in every planning meeting, and brings the data to back it."),
    ),
    C.MENTORING: (
        _("Spent an hour every week with our two new joiners for their first three months; both "
          "now lead pieces of work."),
        _("Paired with me on my first on-call shift and wrote up everything we learned."),
        _("Gave me honest, kind feedback on my first design document: it was much better for it."),
    ),
    C.ADVOCACY: (
        _("Shares every internal opening that fits someone on the team, and tells them why."),
        _("Encouraged three of us to apply for the data secondment and helped with the "
          "applications."),
        _("Started the monthly lunch-and-learn where people talk about the moves they made."),
    ),
    C.OWN_CAREER: (
        _("Took the platform migration as a stretch project and learned Terraform to do it."),
        _("Moved from support into engineering two years ago and talks openly about how."),
        _("Asked for a six-month gig with the data team and came back with a new skill set."),
    ),
    C.CONVERSATIONS: (
        _("Holds a career conversation with each of us every quarter, and follows up on what we "
          "agreed."),
        _("Asks every month what I want to learn next, and then finds work that teaches it."),
        _("Our one-to-ones always leave ten minutes for where I want to be in two years."),
    ),
}

STATEMENT = (
    _("Come to me for a career conversation, whether or not I am your manager: where you are, "
      "what you want next, and who else you should talk to.\n\n"
      "I can review an internal application or a CV, help you prepare for a promotion panel, and "
      "introduce you to people in Platform, Data and Product. Book 30 minutes in my calendar, or "
      "just message me.")
)
SECOND_STATEMENT = (
    _("Happy to mentor anyone thinking about a move across teams: I made two, and I will tell you "
      "what I wish I had known.")
)


def seed(sender=None, *, organization: Organization, **kwargs) -> None:
    """Receiver of ``organizations.signals.demo_organization_seeded``."""
    seed_organization_champions(organization)


def _demo(org: Organization, role: str) -> Membership | None:
    return (Membership.objects.for_org(org).select_related("user")
            .filter(user__email=f"{role}@{org.slug}.test", is_active=True).first())


class _Evidence:
    """What colleagues saw, taken in turn per criterion from a shuffled list, so that no
    champion is cited twice in the same words."""

    def __init__(self, rng: random.Random):
        self.left = {c: rng.sample(texts, len(texts)) for c, texts in SAW.items()}

    def __call__(self, criteria) -> dict[str, str]:
        picked = {}
        for c in criteria:
            if not self.left[c]:
                self.left[c] = list(SAW[c])
            picked[c] = str(self.left[c].pop())
        return picked


def seed_organization_champions(organization: Organization) -> dict:
    org = organization
    made = {"nominations": 0, "champions": 0}
    with tenancy.organization_scope(org):
        if ChampionNomination.objects.for_org(org).exists() or \
                Champion.objects.for_org(org).exists():
            return made
        employee, manager, hr = _demo(org, "employee"), _demo(org, "manager"), _demo(org, "hr")
        if employee is None or manager is None or hr is None:
            return made
        demo_ids = {employee.pk, manager.pk, hr.pk}
        others = list(Membership.objects.for_org(org).filter(is_active=True)
                      .exclude(pk__in=demo_ids).order_by("pk"))
        if len(others) < 12:
            return made
        rng = random.Random(f"{SEED}:{org.slug}")
        rng.shuffle(others)
        evidence = _Evidence(rng)
        now = timezone.now()
        rows: list[ChampionNomination] = []

        def nominate(nominee, nominator, criteria, days_ago, status=NominationStatus.PENDING,
                     decided_days_ago=None):
            rows.append(ChampionNomination(
                organization=org, nominee=nominee, nominated_by=nominator,
                evidence=evidence(criteria), status=status,
                decided_by=hr if status != NominationStatus.PENDING else None,
                decided_at=now - timedelta(days=decided_days_ago)
                if decided_days_ago is not None else None,
                decision_note=str(_("Thank you: a clear case."))
                if status == NominationStatus.CONFIRMED else ""))
            rows[-1]._days_ago = days_ago

        # The demo manager: confirmed three weeks ago.
        confirmed = NominationStatus.CONFIRMED
        nominate(manager, employee, [C.MENTORING, C.CONVERSATIONS, C.ADVOCACY], 30, confirmed, 21)
        nominate(manager, others[0], [C.CONVERSATIONS, C.COMMITMENT], 27, confirmed, 21)
        nominate(manager, others[1], [C.MENTORING, C.CONVERSATIONS], 25, confirmed, 21)
        # A second champion, confirmed two months ago.
        second = others[2]
        nominate(second, others[3], [C.OWN_CAREER, C.MENTORING], 70, confirmed, 60)
        nominate(second, others[4], [C.OWN_CAREER, C.ADVOCACY], 66, confirmed, 60)
        # The queue: three colleagues waiting for HR.
        nominate(others[5], others[6], [C.MENTORING, C.COMMITMENT], 9)
        nominate(others[5], others[7], [C.MENTORING, C.CONVERSATIONS], 6)
        nominate(others[5], employee, [C.MENTORING], 2)
        nominate(others[8], others[9], [C.ADVOCACY, C.OWN_CAREER], 5)
        nominate(others[8], others[10], [C.ADVOCACY], 3)
        nominate(others[11], others[0], [C.CONVERSATIONS, C.COMMITMENT, C.MENTORING], 1)
        ChampionNomination.objects.for_org(org).bulk_create(rows)
        for row in rows:
            ChampionNomination.objects.for_org(org).filter(pk=row.pk).update(
                created_at=now - timedelta(days=row._days_ago))
        made["nominations"] = len(rows)
        today = timezone.localdate()
        Champion.objects.for_org(org).bulk_create([
            Champion(organization=org, member=manager, since=today - timedelta(days=21),
                     statement=str(STATEMENT), confirmed_by=hr),
            Champion(organization=org, member=second, since=today - timedelta(days=60),
                     statement=str(SECOND_STATEMENT), confirmed_by=hr),
        ])
        made["champions"] = 2
    return made
