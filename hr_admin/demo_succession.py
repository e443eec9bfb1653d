"""Demo data for hr_admin: succession plans.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (after the
skills demo, which gives people their role profiles). A handful of key positions, each held by
the member with that job title, with successors drawn from the incumbent's reporting line (or
the same job family), so that the overview shows every bench strength: strong, thin and none.
The demo manager nominated the demo employee for one of them.

Idempotent: positions are looked up by title, and a nomination that exists is left alone.
Readiness and notes come from a fixed plan, so every installation gets the same plans. Titles,
teams and notes are written in the active language (``seed_demo`` seeds each organisation under
its default language); role profiles are looked up by their own (framework) titles.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization, Team

from .models import Criticality, KeyPosition, Readiness, SuccessorNomination

NOW, SOON, LATER = Readiness.READY_NOW, Readiness.ONE_TWO_YEARS, Readiness.THREE_PLUS

# Position title, role profile, incumbent's job title, team, criticality, notes, and the
# successors' readiness in turn (taken from the incumbent's reports, then their job family).
POSITIONS = (
    (_("Head of Platform Engineering"), "Engineering Manager", _("Engineering Manager, Platform"),
     _("Platform"), Criticality.CRITICAL,
     _("Runs the platform every product team builds on; on-call and infrastructure knowledge "
       "sit with few people."), (NOW, SOON, LATER)),
    (_("Principal Engineer"), "Principal Engineer", _("Principal Engineer"), _("Engineering"),
     Criticality.CRITICAL, _("Sets the technical direction across teams; hard to hire from "
                             "outside."), ()),
    (_("Head of Analytics"), "Analytics Manager", _("Analytics Manager"), _("Data"),
     Criticality.HIGH, _("The analytics roadmap and the board reporting depend on this role."),
     (SOON, LATER)),
    (_("Sales Manager, UK & Ireland"), "Sales Manager", _("Sales Manager, UK & Ireland"),
     _("EMEA"), Criticality.HIGH, _("The largest region by revenue."), (NOW, NOW, SOON)),
    (_("Customer Support Lead, EMEA"), "Customer Support Manager",
     _("Customer Support Manager, EMEA"), _("Operations"), Criticality.MEDIUM,
     _("A large team with a clear internal pipeline."), (NOW,)),
    (_("Financial Controller"), "Finance Manager", _("Financial Controller"), _("Finance"),
     Criticality.HIGH, _("Statutory accounts and audit: the incumbent plans to retire in two "
                         "years."), (LATER,)),
    (_("Head of Talent & Development"), "Senior People Partner",
     _("Head of Talent & Development"), _("People & Culture"), Criticality.MEDIUM, "", ()),
)

NOTES = {
    NOW: _("Already covers for the incumbent during leave; trusted by the team."),
    SOON: _("Strong on delivery; needs a year of leading people and budget ownership."),
    LATER: _("High potential: give them a stretch project and a mentor in the function."),
}
#: The key position the demo manager nominated the demo employee for.
DEMO_NOMINATION_POSITION = POSITIONS[0][0]
DEMO_NOMINATION_NOTE = _("Took over the on-call redesign and ran it well; a future lead.")


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
    seed_organization_succession(organization)


def seed_organization_succession(organization: Organization) -> dict:
    from skills.models import RoleProfile

    org = organization
    made = {"positions": 0, "nominations": 0}
    with tenancy.organization_scope(org):
        roles = {r.title: r for r in RoleProfile.objects.for_org(org).filter(is_active=True)}
        teams = {t.name: t for t in Team.objects.for_org(org)}
        members = list(Membership.objects.for_org(org).filter(is_active=True)
                       .select_related("user").order_by("pk"))
        by_title: dict[str, Membership] = {}
        for m in members:
            by_title.setdefault(m.job_title, m)
        hr = next((m for m in members if m.user.email == f"hr@{org.slug}.test"), None)
        demo_manager = next((m for m in members if m.user.email == f"manager@{org.slug}.test"),
                            None)
        demo_employee = next((m for m in members
                              if m.user.email == f"employee@{org.slug}.test"), None)
        existing = {p.title: p for p in KeyPosition.objects.for_org(org)}
        for title, role_title, holder_title, team, criticality, notes, plan in POSITIONS:
            title, holder_title, team, notes = str(title), str(holder_title), str(team), str(notes)
            role = roles.get(role_title)
            incumbent = by_title.get(holder_title)
            if role is None or incumbent is None:
                continue
            position = existing.get(title)
            if position is None:
                position = KeyPosition.objects_unscoped.create(
                    organization=org, role=role, title=title, team=teams.get(team),
                    incumbent=incumbent, criticality=criticality, notes=notes, created_by=hr)
                made["positions"] += 1
            taken = set(SuccessorNomination.objects.for_org(org).filter(position=position)
                        .values_list("candidate_id", flat=True))
            if taken:
                continue
            candidates = _candidates(incumbent, members, demo_employee)
            for readiness, candidate in zip(plan, candidates, strict=False):
                SuccessorNomination.objects_unscoped.create(
                    organization=org, position=position, candidate=candidate,
                    readiness=readiness, notes=str(NOTES[readiness]),
                    nominated_by=incumbent.manager if incumbent.manager_id else hr)
                made["nominations"] += 1
        made["nominations"] += _demo_manager_nomination(org, demo_manager, demo_employee)
    return made


def _candidates(incumbent: Membership, members: list[Membership],
                demo_employee: Membership | None) -> list[Membership]:
    """The incumbent's direct reports (senior titles first), then others of the same team."""
    def senior_first(m: Membership):
        return (not m.job_title.lower().startswith(("senior", "lead", "staff")), m.pk)

    reports = sorted((m for m in members if m.manager_id == incumbent.pk
                      and m != demo_employee), key=senior_first)
    same_team = sorted((m for m in members if m.team_id == incumbent.team_id
                        and m.pk != incumbent.pk and m not in reports
                        and m != demo_employee), key=senior_first)
    return reports + same_team


def _demo_manager_nomination(org: Organization, manager: Membership | None,
                             employee: Membership | None) -> int:
    """The demo manager's own nomination, so that their page has something to show."""
    if manager is None or employee is None:
        return 0
    position = (KeyPosition.objects.for_org(org).filter(title=str(DEMO_NOMINATION_POSITION))
                .first())
    if position is None or position.incumbent_id == employee.pk:
        return 0
    _nomination, created = SuccessorNomination.objects_unscoped.get_or_create(
        organization=org, position=position, candidate=employee,
        defaults={"readiness": LATER, "nominated_by": manager,
                  "notes": str(DEMO_NOMINATION_NOTE)})
    return int(created)
