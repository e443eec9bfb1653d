"""Test helpers of the people import: files, runs, and a snapshot of everything an import may
write, to prove what it changed (or that it changed nothing)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from hr_admin.models import Move
from hr_admin.services import people_import as services
from hr_admin.tasks import people_import_apply
from organizations.models import AuditEvent, Invitation, Membership, Team, User
from skills.factories import FrameworkFactory, RoleProfileFactory
from skills.models import MemberRole

HEADER = ("email,first name,last name,job title,team path,manager email,role profile,hr,leader,"
          "start date,language")


def csv_file(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


def roles(org, *titles: str, family: str = "Engineering", grades=None) -> dict:
    """Role profiles of one framework, by title (grades "E1", "E2" … in the order given)."""
    framework = FrameworkFactory(organization=org, with_levels=False)
    made = {}
    for index, title in enumerate(titles):
        grade = grades[index] if grades else f"E{index + 1}"
        made[title] = RoleProfileFactory(framework=framework, title=title, family=family,
                                         grade=grade)
    return made


def check(people, text: str, *, actor=None, **options):
    return services.people_import_check(organization=people.org, actor=actor or people.hr,
                                        text=text, file_name="hris.csv", **options)


def apply(people, run, *, actor=None):
    """Queue the run as the Apply button does, then run the task as a worker would."""
    services.people_import_queue(organization=people.org, actor=actor or people.hr,
                                 people_import=run)
    applied = people_import_apply(people.org.pk, run.pk)
    run.refresh_from_db()
    return applied


def check_and_apply(people, text: str, **options):
    run = check(people, text, **options)
    assert run.status == "validated", run.problems
    assert apply(people, run) is True
    return run


def snapshot(org) -> dict:
    """Every row (all fields) an import may write, for this organisation."""
    user_ids = Membership.objects_unscoped.filter(organization=org).values("user_id")
    return {
        "memberships": list(Membership.objects_unscoped.filter(organization=org)
                            .order_by("pk").values()),
        "users": list(User.objects.filter(pk__in=user_ids).order_by("pk").values()),
        "email_addresses": list(EmailAddress.objects.filter(user_id__in=user_ids)
                                .order_by("pk").values()),
        "member_roles": list(MemberRole.objects_unscoped.filter(organization=org)
                             .order_by("pk").values()),
        "teams": list(Team.objects_unscoped.filter(organization=org).order_by("pk").values()),
        "moves": list(Move.objects_unscoped.filter(organization=org).order_by("pk").values()),
        "invitations": list(Invitation.objects_unscoped.filter(organization=org)
                            .order_by("pk").values()),
    }


def counts(org) -> dict:
    return {name: len(rows) for name, rows in snapshot(org).items()} | {
        "audit_events": AuditEvent.objects_unscoped.filter(organization=org).count()}


def member(org, email: str) -> Membership:
    return (Membership.objects_unscoped.select_related("user", "team", "manager__user")
            .get(organization=org, user__email=email))
