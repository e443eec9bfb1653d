"""Demo data: two organisations with realistic team and manager trees, and four sign-ins each.

Idempotent: everything is looked up by a natural key (organisation slug, team name under its parent,
user email, one membership per user and organisation, one open invitation per email) and only what
is missing is created, so a second run changes nothing. Names, titles and start dates come from a
fixed seed, so every installation gets the same people.

Every demo text (job titles, team names, and what each app's demo module writes) is translatable
and stored in the organisation's ``default_language``: ``--language`` (or ``DEMO_LANGUAGE``) picks
it when the organisation is created, and the whole seeding, ``demo_organization_seeded``
included, runs under ``translation.override`` of that language. An organisation that exists
keeps its language, so a second run in another language still adds nothing. People's names and
email addresses are never translated.
"""

from __future__ import annotations

import functools
import os
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from organizations.models import Invitation, Membership, Organization, Team, User, hash_token
from organizations.signals import demo_organization_seeded
from organizations.tenancy import cross_organization

DEMO_PASSWORD = "trellis-demo"  # noqa: S105 (published on purpose: README, sign-in banner)
DEMO_ROLES = ("employee", "manager", "hr", "leader")


# --- The plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """A person in the plan: their title, team and who reports to them (translatable texts).

    ``staff`` individual contributors are generated under the position, their titles taken in turn
    from ``staff_titles``. ``demo`` names one of the four published sign-ins.
    """

    title: str
    team: str
    hr: bool = False
    leader: bool = False
    demo: str = ""
    name: tuple[str, str] | None = None
    reports: tuple[Position, ...] = ()
    staff: int = 0
    staff_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class PendingInvitation:
    first_name: str
    last_name: str
    job_title: str
    team: str
    manager_title: str


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    time_zone: str
    teams: tuple[tuple[str, tuple[str, ...]], ...]
    top: Position
    invitations: tuple[PendingInvitation, ...] = ()


def P(title, team, *reports, **kwargs) -> Position:
    return Position(title=title, team=team, reports=tuple(reports), **kwargs)


ENGINEERS = (_("Software Engineer"), _("Senior Software Engineer"), _("Software Engineer"),
             _("Frontend Engineer"), _("QA Engineer"), _("Senior Software Engineer"),
             _("Product Designer"))
PLATFORM_ENGINEERS = (_("Site Reliability Engineer"), _("Senior Software Engineer"),
                      _("DevOps Engineer"), _("Software Engineer"), _("Staff Engineer"),
                      _("Security Engineer"))
DATA_ENGINEERS = (_("Data Engineer"), _("Senior Data Engineer"), _("Machine Learning Engineer"))
ANALYSTS = (_("Data Analyst"), _("Senior Data Analyst"), _("Data Scientist"))
SELLERS = (_("Account Executive"), _("Senior Account Executive"),
           _("Sales Development Representative"), _("Account Executive"),
           _("Solutions Consultant"))
SUPPORT = (_("Customer Support Specialist"), _("Senior Customer Support Specialist"),
           _("Technical Support Engineer"))

ACME = DemoOrganization(
    slug="acme",
    name="Acme Corporation",
    time_zone="Europe/London",
    teams=(
        (_("Executive Office"), ()),
        (_("Engineering"), (_("Platform"), _("Product Engineering"), _("Data"))),
        (_("Sales"), (_("EMEA"), _("Americas"))),
        (_("Marketing"), ()),
        (_("People & Culture"), ()),
        (_("Finance"), ()),
        (_("Operations"), ()),
    ),
    top=P(
        _("Chief Executive Officer"), _("Executive Office"),
        P(_("Executive Assistant"), _("Executive Office")),
        P(
            _("Chief Technology Officer"), _("Engineering"),
            P(
                _("VP Engineering"), _("Engineering"),
                P(_("Engineering Manager, Platform"), _("Platform"),
                  P(_("Software Engineer"), _("Platform"), demo="employee",
                    name=("Priya", "Shah")),
                  demo="manager", name=("Daniel", "Kim"), staff=7,
                  staff_titles=PLATFORM_ENGINEERS),
                P(_("Engineering Manager, Infrastructure"), _("Platform"), staff=7,
                  staff_titles=PLATFORM_ENGINEERS),
                P(_("Engineering Manager, Core Product"), _("Product Engineering"), staff=8,
                  staff_titles=ENGINEERS),
                P(_("Engineering Manager, Growth"), _("Product Engineering"), staff=8,
                  staff_titles=ENGINEERS),
                P(_("Engineering Manager, Mobile"), _("Product Engineering"), staff=8,
                  staff_titles=(_("Mobile Engineer"), _("Senior Mobile Engineer"),
                                _("QA Engineer"))),
                P(_("Engineering Manager, Integrations"), _("Product Engineering"), staff=8,
                  staff_titles=ENGINEERS),
                P(_("Principal Engineer"), _("Engineering")),
            ),
            P(_("Head of Data"), _("Data"),
              P(_("Data Engineering Manager"), _("Data"), staff=7, staff_titles=DATA_ENGINEERS),
              P(_("Analytics Manager"), _("Data"), staff=7, staff_titles=ANALYSTS)),
            P(_("Director of Product"), _("Product Engineering"), staff=6,
              staff_titles=(_("Product Manager"), _("Senior Product Manager"), _("UX Researcher"))),
            leader=True,
        ),
        P(
            _("VP Sales"), _("Sales"),
            P(_("Sales Director, EMEA"), _("EMEA"),
              P(_("Sales Manager, UK & Ireland"), _("EMEA"), staff=8, staff_titles=SELLERS),
              P(_("Sales Manager, DACH & France"), _("EMEA"), staff=8, staff_titles=SELLERS)),
            P(_("Sales Director, Americas"), _("Americas"),
              P(_("Sales Manager, North America"), _("Americas"), staff=8, staff_titles=SELLERS),
              P(_("Sales Manager, Latin America"), _("Americas"), staff=8, staff_titles=SELLERS)),
            P(_("Sales Operations Manager"), _("Sales"), staff=2,
              staff_titles=(_("Sales Operations Analyst"),)),
            leader=True,
        ),
        P(
            _("VP Marketing"), _("Marketing"),
            P(_("Brand & Content Manager"), _("Marketing"), staff=4,
              staff_titles=(_("Content Marketer"), _("Graphic Designer"), _("Copywriter"))),
            P(_("Demand Generation Manager"), _("Marketing"), staff=4,
              staff_titles=(_("Digital Marketing Specialist"), _("Marketing Operations Analyst"))),
            P(_("Product Marketing Manager"), _("Marketing"), staff=3,
              staff_titles=(_("Product Marketing Specialist"),)),
            leader=True,
        ),
        P(
            _("Chief People Officer"), _("People & Culture"),
            P(_("HR Business Partner"), _("People & Culture"), hr=True, demo="hr",
              name=("Sofia", "Martins")),
            P(_("HR Business Partner"), _("People & Culture"), hr=True),
            P(_("Head of Talent & Development"), _("People & Culture"), hr=True, staff=3,
              staff_titles=(_("Learning & Development Specialist"),
                            _("Talent Acquisition Partner"))),
            P(_("People Operations Manager"), _("People & Culture"), hr=True, staff=2,
              staff_titles=(_("People Operations Coordinator"), _("HRIS Analyst"))),
            hr=True, leader=True,
        ),
        P(
            _("Chief Financial Officer"), _("Finance"),
            P(_("Financial Controller"), _("Finance"), staff=4,
              staff_titles=(_("Accountant"), _("Senior Accountant"))),
            P(_("FP&A Manager"), _("Finance"), staff=3, staff_titles=(_("Financial Analyst"),)),
            P(_("Payroll Specialist"), _("Finance")),
            leader=True,
        ),
        P(
            _("Chief Operating Officer"), _("Operations"),
            P(_("Customer Support Manager, EMEA"), _("Operations"), staff=9,
              staff_titles=SUPPORT),
            P(_("Customer Support Manager, Americas"), _("Operations"), staff=9,
              staff_titles=SUPPORT),
            P(_("Customer Success Manager"), _("Operations"), staff=8,
              staff_titles=(_("Customer Success Specialist"), _("Implementation Consultant"))),
            P(_("IT Manager"), _("Operations"), staff=4,
              staff_titles=(_("IT Support Technician"), _("Systems Administrator"))),
            P(_("Workplace Manager"), _("Operations"), staff=2,
              staff_titles=(_("Office Coordinator"),)),
            P(_("Procurement Manager"), _("Operations"), staff=1, staff_titles=(_("Buyer"),)),
            leader=True,
        ),
        demo="leader", name=("Helen", "Carter"), leader=True,
    ),
    invitations=(
        PendingInvitation("Olivia", "Bennett", _("Software Engineer"), _("Platform"),
                          _("Engineering Manager, Platform")),
        PendingInvitation("Rafael", "Gómez", _("Account Executive"), _("EMEA"),
                          _("Sales Manager, DACH & France")),
        PendingInvitation("Chloé", "Dubois", _("Product Designer"), _("Product Engineering"),
                          _("Engineering Manager, Growth")),
        PendingInvitation("Kwame", "Asante", _("Data Analyst"), _("Data"), _("Analytics Manager")),
    ),
)

GLOBEX = DemoOrganization(
    slug="globex",
    name="Globex",
    time_zone="America/Chicago",
    teams=(
        (_("Leadership"), ()),
        (_("Engineering"), ()),
        (_("Sales"), ()),
        (_("Customer Success"), ()),
        (_("People"), ()),
        (_("Finance"), ()),
    ),
    top=P(
        _("Chief Executive Officer"), _("Leadership"),
        P(_("Head of People"), _("People"), hr=True, demo="hr", name=("Amara", "Nwosu"), staff=1,
          staff_titles=(_("People Operations Coordinator"),)),
        P(_("Head of Engineering"), _("Engineering"),
          P(_("Engineering Manager"), _("Engineering"),
            P(_("Software Engineer"), _("Engineering"), demo="employee", name=("Lucas", "Moreau")),
            demo="manager", name=("Marcus", "Reid"), staff=6,
            staff_titles=(_("Software Engineer"), _("Senior Software Engineer"), _("QA Engineer"))),
          staff=2, staff_titles=(_("Staff Engineer"), _("Product Designer"))),
        P(_("Head of Sales"), _("Sales"), staff=6,
          staff_titles=(_("Account Executive"), _("Sales Development Representative"))),
        P(_("Head of Customer Success"), _("Customer Success"), staff=5,
          staff_titles=(_("Customer Success Manager"), _("Support Specialist"))),
        P(_("Finance Manager"), _("Finance"), staff=2, staff_titles=(_("Accountant"),)),
        demo="leader", name=("Hank", "Scorpio"), leader=True,
    ),
)

DEMO_ORGANIZATIONS = (ACME, GLOBEX)


@functools.cache
def demo_job_titles() -> frozenset[str]:
    """Every job title of the demo plans, in English (their msgids).

    Role profiles are matched to people by English job title (``skills.demo.role_title_for``),
    which reads a translated title back through this list.
    """
    titles = set()

    def walk(position: Position) -> None:
        titles.add(position.title)
        titles.update(position.staff_titles)
        for report in position.reports:
            walk(report)

    for spec in DEMO_ORGANIZATIONS:
        walk(spec.top)
        titles.update(i.job_title for i in spec.invitations)
        titles.update(i.manager_title for i in spec.invitations)
    with translation.override(None):
        return frozenset(str(title) for title in titles)

FIRST_NAMES = (
    "Aaliyah", "Adam", "Aiko", "Alejandro", "Alice", "Amelia", "Anders", "Ana", "Andrei", "Anika",
    "Arjun", "Ayesha", "Ben", "Bianca", "Carlos", "Caroline", "Chen", "Chiara", "Chloe", "Daniela",
    "David", "Deepa", "Diego", "Elena", "Elif", "Emeka", "Emily", "Ethan", "Fatima", "Felix",
    "Freya", "Gabriel", "Grace", "Hannah", "Hiroshi", "Ibrahim", "Ines", "Isaac", "Isabel",
    "Jack", "Jamal", "James", "Javier", "Jin", "Joanna", "Jonas", "Julia", "Kai", "Karim", "Kenji",
    "Laila", "Lars", "Laura", "Leila", "Liam", "Lina", "Lucia", "Luke", "Maja", "Malik", "Maria",
    "Mateo", "Maya", "Mei", "Mohammed", "Nadia", "Naomi", "Nathan", "Nia", "Nikolai", "Noah",
    "Nora", "Omar", "Oscar", "Paul", "Pedro", "Rachel", "Rahul", "Rosa", "Ruth", "Sam", "Samira",
    "Sara", "Sean", "Simone", "Sipho", "Sven", "Tara", "Thomas", "Tomás", "Valentina", "Victor",
    "Wei", "Yara", "Yusuf", "Zara", "Zoe",
)
LAST_NAMES = (
    "Abara", "Adeyemi", "Ahmed", "Alvarez", "Andersen", "Bauer", "Becker", "Bianchi", "Brooks",
    "Castillo", "Chowdhury", "Clarke", "Costa", "Da Silva", "Dubois", "Edwards", "Eriksson",
    "Fernandes", "Fischer", "Fitzgerald", "Garcia", "Gupta", "Haddad", "Hansen", "Hayes",
    "Hernandez", "Hughes", "Ibrahim", "Ivanova", "Jansen", "Jensen", "Johnson", "Kaur", "Kowalski",
    "Kumar", "Lambert", "Larsen", "Laurent", "Lee", "Lindqvist", "Lopez", "Mahlangu", "Mendes",
    "Meyer", "Mensah", "Moretti", "Müller", "Murphy", "Nakamura", "Nguyen", "Novak", "O'Brien",
    "Okafor", "Olsen", "Park", "Patel", "Pereira", "Petrov", "Quinn", "Ramos", "Reddy", "Ricci",
    "Rossi", "Russo", "Sato", "Schmidt", "Singh", "Sokolov", "Suzuki", "Tan", "Tanaka", "Taylor",
    "Thompson", "Torres", "Varga", "Walsh", "Wang", "Weber", "Williams", "Wójcik", "Yamamoto",
    "Yilmaz", "Zhang",
)


@dataclass
class Person:
    key: int
    email: str
    first_name: str
    last_name: str
    job_title: str
    team: str
    manager_key: int | None
    is_hr_admin: bool
    is_leader: bool
    started_on: date
    demo: str = ""


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and c.isascii()).lower()


def email_for(first_name: str, last_name: str, slug: str) -> str:
    return f"{_ascii(first_name)}.{_ascii(last_name)}@{slug}.test"


def plan_people(spec: DemoOrganization) -> list[Person]:
    """Everyone of one demo organisation, managers before their reports. Deterministic."""
    rng = random.Random(f"trellis-demo:{spec.slug}:42")
    used_emails = {f"{role}@{spec.slug}.test" for role in DEMO_ROLES}
    used_emails |= {email_for(i.first_name, i.last_name, spec.slug) for i in spec.invitations}
    people: list[Person] = []

    def new_name() -> tuple[str, str, str]:
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = email_for(first, last, spec.slug)
            if email not in used_emails:
                used_emails.add(email)
                return first, last, email

    def started_on(seniority: int) -> date:
        # More senior people have, on average, been around longer.
        latest = date(2025, 9, 1) - timedelta(days=400 * seniority)
        return latest - timedelta(days=rng.randrange(30, 2900))

    def add(title, team, manager, *, hr=False, leader=False, demo="", name=None, seniority=0):
        if demo:
            first, last = name
            email = f"{demo}@{spec.slug}.test"
        elif name:
            first, last = name
            email = email_for(first, last, spec.slug)
            used_emails.add(email)
        else:
            first, last, email = new_name()
        person = Person(
            key=len(people), email=email, first_name=first, last_name=last,
            job_title=str(title), team=str(team),
            manager_key=None if manager is None else manager.key, is_hr_admin=hr,
            is_leader=leader, started_on=started_on(seniority), demo=demo,
        )
        people.append(person)
        return person

    def walk(position: Position, manager: Person | None, depth: int) -> None:
        seniority = max(0, 3 - depth)
        person = add(position.title, position.team, manager, hr=position.hr,
                     leader=position.leader, demo=position.demo, name=position.name,
                     seniority=seniority)
        for report in position.reports:
            walk(report, person, depth + 1)
        for i in range(position.staff):
            title = position.staff_titles[i % len(position.staff_titles)]
            add(title, position.team, person)

    walk(spec.top, None, 0)
    return people


# --- Writing it ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    organization: Organization
    members: int = 0
    teams: int = 0
    invitations: int = 0
    new_members: int = 0
    new_teams: int = 0
    new_invitations: int = 0
    sign_ins: list[tuple[str, str, str]] = field(default_factory=list)


def seed_organization(spec: DemoOrganization, password_hash: str,
                      language: str = "en") -> Outcome:
    """Create whatever of ``spec`` is missing. Must run inside ``cross_organization``.

    A new organisation gets ``language`` as its default language; its texts (and those of the
    demo modules, which run inside) are written in the organisation's language, whatever
    ``language`` says when it already exists.
    """
    org, _created = Organization.objects.get_or_create(
        slug=spec.slug,
        defaults={"name": spec.name, "time_zone": spec.time_zone,
                  "default_language": language},
    )
    with translation.override(org.default_language or "en"):
        return _seed_organization(spec, org, password_hash)


def _seed_organization(spec: DemoOrganization, org: Organization,
                       password_hash: str) -> Outcome:
    outcome = Outcome(organization=org)

    teams: dict[str, Team] = {}
    for top_name, children in spec.teams:
        for name, parent_name in [(str(top_name), None),
                                  *((str(c), str(top_name)) for c in children)]:
            team, created = Team.objects_unscoped.get_or_create(
                organization=org, parent=teams.get(parent_name), name=name
            )
            teams[name] = team
            outcome.new_teams += created
    outcome.teams = len(teams)

    people = plan_people(spec)
    emails = [p.email for p in people]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create([
        User(email=p.email, first_name=p.first_name, last_name=p.last_name,
             password=password_hash, language=org.default_language)
        for p in people if p.email not in existing
    ])
    users = {u.email: u for u in User.objects.filter(email__in=emails)}

    addresses = {a.user_id: a for a in EmailAddress.objects.filter(user__in=users.values())}
    EmailAddress.objects.bulk_create([
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users.values() if user.pk not in addresses
    ])
    for person in people:
        # The published sign-ins must work without an inbox: confirm them if something else
        # created the address unverified.
        address = addresses.get(users[person.email].pk)
        if person.demo and address is not None and not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])

    members = Membership.objects_unscoped.filter(organization=org)
    member_user_ids = set(members.values_list("user_id", flat=True))
    new_people = [p for p in people if users[p.email].pk not in member_user_ids]
    Membership.objects_unscoped.bulk_create([
        Membership(organization=org, user=users[p.email], job_title=p.job_title,
                   team=teams[p.team], is_hr_admin=p.is_hr_admin, is_leader=p.is_leader,
                   started_on=p.started_on)
        for p in new_people
    ])
    # Manager lines point at rows that only now have ids; set them on the new rows only, so
    # changes made through the application since the last run are left alone.
    by_user = {m.user_id: m for m in members.filter(user__in=users.values())}
    membership_of = {p.key: by_user[users[p.email].pk] for p in people}
    to_link = []
    for p in new_people:
        if p.manager_key is not None:
            membership = membership_of[p.key]
            membership.manager = membership_of[p.manager_key]
            to_link.append(membership)
    Membership.objects_unscoped.bulk_update(to_link, ["manager"], batch_size=500)
    outcome.new_members = len(new_people)
    outcome.members = members.count()

    outcome.new_invitations = _seed_invitations(spec, org, teams, people, membership_of)
    outcome.invitations = Invitation.objects_unscoped.filter(
        organization=org, accepted_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).count()

    for role in ("leader", "hr", "manager", "employee"):
        person = next(p for p in people if p.demo == role)
        outcome.sign_ins.append(
            (person.email, f"{person.first_name} {person.last_name}", person.job_title)
        )
    demo_organization_seeded.send(sender=seed_organization, organization=org)
    return outcome


def _seed_invitations(spec, org, teams, people, membership_of) -> int:
    """A few invitations HR has sent and nobody has accepted yet.

    Their links were never shown to anyone (the token is thrown away), so they can only be resent
    or revoked from the invitations page, which is what they are for in the demo.
    """
    inviter = next((membership_of[p.key] for p in people if p.demo == "hr"), None)
    by_title = {p.job_title: membership_of[p.key] for p in reversed(people)}
    now = timezone.now()
    valid_until = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    created = 0
    for pending in spec.invitations:
        email = email_for(pending.first_name, pending.last_name, spec.slug)
        open_invitation = Invitation.objects_unscoped.filter(
            organization=org, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).first()
        if open_invitation is not None:
            if open_invitation.expires_at <= now:
                # Keep the demo showing pending invitations however long ago it was seeded.
                open_invitation.expires_at = valid_until
                open_invitation.save(update_fields=["expires_at"])
            continue
        if User.objects.filter(email=email, memberships__organization=org).exists():
            continue
        Invitation.objects_unscoped.create(
            organization=org, email=email, first_name=pending.first_name,
            last_name=pending.last_name, job_title=str(pending.job_title),
            team=teams[str(pending.team)], manager=by_title.get(str(pending.manager_title)),
            invited_by=inviter,
            token_hash=hash_token(Invitation.new_token()), expires_at=valid_until, sent_at=now,
        )
        created += 1
    return created


class Command(BaseCommand):
    help = (
        "Create the demo organisations acme and globex with their people, teams and sign-ins "
        f"(password “{DEMO_PASSWORD}”). Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Seed even when DJANGO_DEBUG is false. The demo accounts share a published "
                 "password: never do this on an installation reachable by others.",
        )
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default=None,
            help="The language of new demo organisations and of every demo text in them "
                 "(default: $DEMO_LANGUAGE, else en). Existing organisations keep theirs.",
        )

    def handle(self, *args, force: bool = False, language: str | None = None, **options):
        language = language or os.environ.get("DEMO_LANGUAGE") or "en"
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise CommandError(f"Unknown demo language “{language}”: choose one of "
                               + ", ".join(code for code, _name in settings.LANGUAGES) + ".")
        if not settings.DEBUG and not force:
            raise CommandError(
                "DJANGO_DEBUG is false, so this looks like a production installation, and every "
                f"demo account has the published password “{DEMO_PASSWORD}”. "
                "Pass --force to seed it anyway."
            )
        started = time.monotonic()
        # One hash for every demo account: they share the published password, and hashing it
        # 230 times would take most of the run.
        password_hash = make_password(DEMO_PASSWORD)
        with transaction.atomic(), cross_organization(reason="demo data"):
            outcomes = [seed_organization(spec, password_hash, language)
                        for spec in DEMO_ORGANIZATIONS]
        elapsed = time.monotonic() - started

        for o in outcomes:
            new = (f"{o.new_members} members, {o.new_teams} teams, {o.new_invitations} invitations "
                   "created" if o.new_members or o.new_teams or o.new_invitations
                   else "already up to date")
            self.stdout.write(
                f"{o.organization.name} (/o/{o.organization.slug}/): {o.members} members, "
                f"{o.teams} teams, {o.invitations} pending invitations; {new}."
            )
        self.stdout.write(f"Demo data ready in {elapsed:.1f}s.\n")
        self.stdout.write(self.style.SUCCESS(
            f"Demo sign-ins at {settings.SITE_URL}/accounts/login/ "
            f"(password: {DEMO_PASSWORD})"
        ))
        width = max(len(email) for o in outcomes for email, _n, _t in o.sign_ins)
        for o in outcomes:
            for email, name, title in o.sign_ins:
                self.stdout.write(f"  {email.ljust(width)}  {name}, {title}")
