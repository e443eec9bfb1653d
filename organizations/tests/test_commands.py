"""Operator commands: ``seed_demo`` and ``create_organization``."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from organizations import tenancy
from organizations.models import AuditEvent, Invitation, Membership, Organization, Team, User

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "trellis-demo"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def create_organization(**options) -> str:
    out = StringIO()
    call_command("create_organization", stdout=out, **options)
    return out.getvalue()


def members_of(slug: str):
    return Membership.objects_unscoped.filter(organization__slug=slug)


def sign_in(email: str) -> Membership:
    return Membership.objects_unscoped.select_related("manager__user", "user").get(
        user__email=email
    )


def snapshot() -> dict:
    """Everything seed_demo writes, as comparable values."""
    return {
        "organizations": sorted(Organization.objects.values_list("slug", "name")),
        "teams": sorted(Team.objects_unscoped.values_list("pk", "organization_id", "name",
                                                          "parent_id")),
        "users": sorted(User.objects.values_list("pk", "email", "first_name", "last_name",
                                                 "password")),
        "emails": sorted(EmailAddress.objects.values_list("user_id", "email", "verified",
                                                          "primary")),
        "memberships": sorted(Membership.objects_unscoped.values_list(
            "pk", "organization_id", "user_id", "job_title", "team_id", "manager_id",
            "is_hr_admin", "is_leader", "started_on",
        )),
        "invitations": sorted(Invitation.objects_unscoped.values_list(
            "pk", "organization_id", "email", "token_hash", "expires_at"
        )),
    }


# --- seed_demo ----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["acme", "globex"])
def test_seed_demo_gives_each_organisation_four_sign_ins_with_their_roles(slug):
    # When
    seed()

    # Then
    employee, manager = sign_in(f"employee@{slug}.test"), sign_in(f"manager@{slug}.test")
    hr, leader = sign_in(f"hr@{slug}.test"), sign_in(f"leader@{slug}.test")
    assert {m.organization.slug for m in (employee, manager, hr, leader)} == {slug}
    assert employee.manager == manager
    assert not (employee.is_hr_admin or employee.is_leader)
    assert not Membership.objects_unscoped.filter(manager=employee).exists()
    assert Membership.objects_unscoped.filter(manager=manager, is_active=True).count() >= 5
    assert not (manager.is_hr_admin or manager.is_leader)
    assert hr.is_hr_admin and not hr.is_leader
    assert leader.is_leader and leader.manager is None
    for member in (employee, manager, hr, leader):
        assert member.is_active
        assert member.user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=member.user, email=member.user.email, verified=True, primary=True
        ).exists()


def test_seed_demo_builds_a_realistic_acme_and_a_small_globex():
    # When
    seed()

    # Then: sizes
    assert 180 <= members_of("acme").count() <= 220
    assert 25 <= members_of("globex").count() <= 35
    assert Organization.objects.get(slug="acme").name == "Acme Corporation"
    # a team tree
    acme_teams = Team.objects_unscoped.filter(organization__slug="acme")
    children = {t.name: t.parent.name if t.parent else None for t in acme_teams}
    assert {"Platform": "Engineering", "Product Engineering": "Engineering", "Data": "Engineering",
            "EMEA": "Sales", "Americas": "Sales"}.items() <= children.items()
    assert {"Marketing", "People & Culture", "Finance", "Operations"} <= set(children)
    # one manager tree per organisation, with a single root, no loops, never across organisations
    for slug in ("acme", "globex"):
        members = {m.pk: m for m in members_of(slug)}
        roots = [m for m in members.values() if m.manager_id is None]
        assert len(roots) == 1 and roots[0].user.email == f"leader@{slug}.test"
        for member in members.values():
            seen, node = set(), member
            while node.manager_id is not None:
                assert node.manager_id in members, "manager from another organisation"
                assert node.pk not in seen, "loop in the manager line"
                seen.add(node.pk)
                node = members[node.manager_id]
        assert all(m.team_id and m.job_title for m in members.values())
    # HR admins and leaders beyond the sign-ins, and invitations waiting for an answer
    assert members_of("acme").filter(is_hr_admin=True).count() >= 3
    assert members_of("acme").filter(is_leader=True).count() >= 3
    pending = Invitation.objects_unscoped.filter(organization__slug="acme")
    assert pending.count() >= 3
    assert all(i.status == Invitation.Status.PENDING for i in pending)


def test_seed_demo_names_people_the_same_way_on_every_installation():
    # Given
    seed()
    first = sorted(User.objects.values_list("email", "first_name", "last_name"))

    # When: a fresh installation
    Team.objects_unscoped.update(parent=None)  # parents are protected from deletion
    Organization.objects.all().delete()
    User.objects.all().delete()
    seed()

    # Then
    assert sorted(User.objects.values_list("email", "first_name", "last_name")) == first


def test_seed_demo_run_twice_changes_nothing():
    # Given
    seed()
    before = snapshot()

    # When
    output = seed()

    # Then
    assert snapshot() == before
    assert "already up to date" in output


def test_seed_demo_leaves_changes_made_in_the_application_alone():
    # Given
    seed()
    employee = sign_in("employee@acme.test")
    employee.job_title = "Senior Software Engineer"
    employee.manager = sign_in("leader@acme.test")
    employee.save()

    # When
    seed()

    # Then
    employee.refresh_from_db()
    assert employee.job_title == "Senior Software Engineer"
    assert employee.manager == sign_in("leader@acme.test")


def test_seed_demo_completes_what_is_missing():
    # Given
    seed()
    members_of("globex").filter(user__email="employee@globex.test").delete()
    count = members_of("globex").count()

    # When
    seed()

    # Then
    assert members_of("globex").count() == count + 1
    assert sign_in("employee@globex.test").manager == sign_in("manager@globex.test")


def test_seed_demo_works_as_the_application_role_under_row_level_security():
    # Given: the connection is the application role, subject to the forced policies
    with transaction.atomic():
        if not tenancy.db_enter_app_role():
            pytest.skip("needs PostgreSQL and DATABASE_APP_ROLE")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user"
            )
            assert cursor.fetchone() == (False, False)

        # When
        seed()

        # Then
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM organizations_membership")
            assert cursor.fetchone()[0] == 0, "outside cross_organization no row is visible"
        tenancy.db_leave_app_role()
    assert members_of("acme").count() >= 180


def test_seed_demo_refuses_an_installation_without_debug(settings):
    # Given
    settings.DEBUG = False

    # When / then
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    assert not Organization.objects.filter(slug="acme").exists()


def test_demo_sign_in_needs_no_email_confirmation(client):
    # Given
    seed()

    # When
    response = client.post("/accounts/login/",
                           {"login": "manager@acme.test", "password": DEMO_PASSWORD})

    # Then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/o/acme/"


# --- create_organization ------------------------------------------------------------------------


def test_create_organization_makes_the_founder_hr_admin_and_leader():
    # When
    output = create_organization(
        name="Initech", slug="initech", founder_email="Bill.Lumbergh@Initech.example",
        founder_password="tps-reports-cover-sheet", language="fr", time_zone="America/Chicago",
        job_title="Vice President",
    )

    # Then
    org = Organization.objects.get(slug="initech")
    assert (org.name, org.default_language, org.time_zone) == ("Initech", "fr", "America/Chicago")
    founder = Membership.objects_unscoped.select_related("user").get(organization=org)
    assert founder.user.email == "bill.lumbergh@initech.example"
    assert founder.is_hr_admin and founder.is_leader and founder.is_active
    assert founder.job_title == "Vice President"
    assert founder.user.check_password("tps-reports-cover-sheet")
    assert EmailAddress.objects.filter(user=founder.user, verified=True, primary=True).exists()
    assert AuditEvent.objects_unscoped.filter(organization=org,
                                              action="organization.created").exists()
    assert "/o/initech/" in output and "HR admin and leader" in output


def test_create_organization_without_a_password_prints_a_one_time_link(client, settings):
    # When
    output = create_organization(
        name="Initech", slug="initech", founder_email="bill@initech.example"
    )

    # Then
    founder = User.objects.get(email="bill@initech.example")
    assert not founder.has_usable_password()
    link = next(
        line.strip() for line in output.splitlines() if "/accounts/password/reset/key/" in line
    )
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)
    response = client.get(path)
    # allauth swaps the key for a session and redirects to the set-password form
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in response["Location"]


def test_create_organization_gives_an_existing_account_a_new_organisation(people):
    # When
    create_organization(name="Initech", slug="initech", founder_email="hr@acme.test")

    # Then
    founder = Membership.objects_unscoped.get(organization__slug="initech")
    assert founder.user == people.hr.user
    assert founder.is_hr_admin and founder.is_leader
    assert people.hr.user.check_password(DEMO_PASSWORD)


def test_create_organization_refuses_a_taken_slug(people):
    # When / then
    with pytest.raises(CommandError, match=r"“acme” is already taken by the organisation “Acme”"):
        create_organization(name="Acme Two", slug="ACME", founder_email="new@acme2.example")
    assert Organization.objects.filter(slug="acme").count() == 1
    assert not User.objects.filter(email="new@acme2.example").exists()


@pytest.mark.parametrize("slug", ["admin", "api", "accounts", "healthz"])
def test_create_organization_refuses_a_reserved_slug(slug):
    with pytest.raises(CommandError, match=f"“{slug}” is reserved"):
        create_organization(name="Sneaky", slug=slug, founder_email="x@sneaky.example")
    assert not Organization.objects.filter(slug=slug).exists()
    assert not User.objects.filter(email="x@sneaky.example").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "not a known IANA time zone"),
        ({"slug": "not a slug"}, "--slug"),
        ({"founder_email": "not-an-address"}, "is not an email address"),
        ({"founder_password": "12345678"}, "--founder-password"),
        ({"name": "   "}, "--name"),
    ],
)
def test_create_organization_explains_what_is_wrong(options, message):
    arguments = {"name": "Initech", "slug": "initech", "founder_email": "bill@initech.example",
                 **options}
    with pytest.raises(CommandError, match=message):
        create_organization(**arguments)
    assert not Organization.objects.exists()
    assert not User.objects.exists()


def test_create_organization_does_not_hand_an_organisation_to_an_unverified_account():
    # Given: someone signed up with the founder's address and never confirmed it
    squatter = User.objects.create_user(email="bill@initech.example", password="whatever-it-is")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)

    # When / then
    with pytest.raises(CommandError, match="has not been verified"):
        create_organization(name="Initech", slug="initech", founder_email="bill@initech.example")
    assert not Organization.objects.filter(slug="initech").exists()


def test_create_organization_leaves_an_existing_password_alone(people):
    with pytest.raises(CommandError, match="already has an account"):
        create_organization(name="Initech", slug="initech", founder_email="hr@acme.test",
                            founder_password="a-brand-new-passphrase")
    people.hr.user.refresh_from_db()
    assert people.hr.user.check_password(DEMO_PASSWORD)
