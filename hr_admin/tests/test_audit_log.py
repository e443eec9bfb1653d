"""The audit log: HR reads who viewed or changed whose personal data, filtered and paged; the
CSV export; the API; and nobody else may even see that the page exists."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.factories import MembershipFactory, UserFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(org, name="audit_log", **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def api_url(org):
    return reverse("hr_admin-api:audit-log", kwargs={"org_slug": org.slug})


def event(org, action, *, actor=None, subject=None, days_ago=0, minutes_ago=0, **detail):
    return AuditEvent.objects_unscoped.create(
        organization=org, actor=actor, action=action, subject=subject, detail=detail,
        created_at=timezone.now() - timedelta(days=days_ago, minutes=minutes_ago))


def actions_on(response) -> list[str]:
    """The actions listed, leaving out the lookups of the log itself."""
    return [row.event.action for row in response.context["rows"]
            if row.event.action != "audit.log_viewed"]


# --- Reading it ---------------------------------------------------------------------------------


def test_hr_reads_who_did_what_to_whose_data_in_words(people, login):
    event(people.org, "skills.check_in_viewed", actor=people.manager, subject=people.employee)
    event(people.org, "membership.updated", actor=people.hr, subject=people.employee,
          fields=["job_title"])
    event(people.org, "hr.something_new", actor=people.hr)
    response = login(people.hr).get(url(people.org))
    assert response.status_code == 200
    page = response.content.decode()
    assert "viewed the check-in of" in page
    assert "changed the membership of" in page
    assert people.employee.display_name in page and people.manager.display_name in page
    assert "job_title" in page  # the detail: which fields changed
    # an action no one described is shown by its code
    assert "<code class=\"hr-rec-code\">hr.something_new</code>" in page


def test_another_organisations_events_never_show(people, other_people, login):
    event(other_people.org, "member.profile_viewed", actor=other_people.hr,
          subject=other_people.employee)
    event(people.org, "member.profile_viewed", actor=people.hr, subject=people.employee)
    response = login(people.hr).get(url(people.org))
    assert [r.event.organization_id for r in response.context["rows"]] == [people.org.pk]
    assert other_people.employee.display_name not in response.content.decode()


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_the_audit_log_does_not_exist_for_anyone_but_hr(people, login, role):
    client = login(people.by_role()[role])
    assert client.get(url(people.org)).status_code == 404
    assert client.get(url(people.org, "audit_export")).status_code == 404
    assert client.get(api_url(people.org), HTTP_ACCEPT="application/json").status_code == 404


# --- Filters ------------------------------------------------------------------------------------


def test_filtering_by_person_as_subject_actor_or_either(people, login):
    org = people.org
    event(org, "member.profile_viewed", actor=people.hr, subject=people.employee)  # subject
    event(org, "skills.check_in_viewed", actor=people.employee, subject=people.manager)  # actor
    event(org, "member.profile_viewed", actor=people.hr, subject=people.leader)  # neither
    client = login(people.hr)
    person = people.employee.pk
    either = client.get(url(org), {"member": person})
    assert sorted(actions_on(either)) == ["member.profile_viewed", "skills.check_in_viewed"]
    subject = client.get(url(org), {"member": person, "role": "subject"})
    assert actions_on(subject) == ["member.profile_viewed"]
    actor = client.get(url(org), {"member": person, "role": "actor"})
    assert actions_on(actor) == ["skills.check_in_viewed"]
    assert people.employee.display_name in either.content.decode()


def test_searching_a_person_by_name_or_email(people, login):
    org = people.org
    jo = MembershipFactory(organization=org, user=UserFactory(
        email="jo.quist@acme.test", first_name="Jo", last_name="Quist"))
    event(org, "member.profile_viewed", actor=people.hr, subject=jo)
    event(org, "member.profile_viewed", actor=people.hr, subject=people.employee)
    client = login(people.hr)
    for query in ("quist", "Jo Quist", "jo.quist@acme"):
        response = client.get(url(org), {"person": query, "role": "subject"})
        assert [r.event.subject for r in response.context["rows"]] == [jo], query


def test_filtering_by_family_and_dates(people, login):
    org = people.org
    event(org, "member.profile_viewed", actor=people.hr, subject=people.employee, days_ago=1)
    event(org, "hr.move_recorded", actor=people.hr, subject=people.employee, days_ago=2)
    event(org, "skills.framework_created", actor=people.hr, days_ago=10)
    client = login(people.hr)
    assert actions_on(client.get(url(org), {"family": "views"})) == ["member.profile_viewed"]
    assert actions_on(client.get(url(org), {"family": "moves"})) == ["hr.move_recorded"]
    assert actions_on(client.get(url(org), {"family": "skills"})) == ["skills.framework_created"]
    today = timezone.localdate()
    recent = client.get(url(org), {"since": (today - timedelta(days=3)).isoformat(),
                                   "until": today.isoformat()})
    assert actions_on(recent) == ["member.profile_viewed", "hr.move_recorded"]
    old = client.get(url(org), {"until": (today - timedelta(days=5)).isoformat()})
    assert actions_on(old) == ["skills.framework_created"]


def test_a_date_range_that_ends_before_it_starts_is_a_form_error(people, login):
    response = login(people.hr).get(url(people.org), {"since": "2025-05-10",
                                                      "until": "2025-05-01"})
    assert response.status_code == 400
    assert "The end date comes before the start date." in response.content.decode()


def test_an_empty_result_says_how_to_widen_it(people, login):
    response = login(people.hr).get(url(people.org), {"family": "moves"})
    assert "No events match these filters" in response.content.decode()


# --- Pages --------------------------------------------------------------------------------------


def test_pages_walk_older_and_back_newer_by_keyset(people, login):
    org = people.org
    made = [event(org, "member.profile_viewed", actor=people.hr, subject=people.employee,
                  minutes_ago=i, n=i) for i in range(120)]
    client = login(people.hr)
    first = client.get(url(org))
    assert [r.event.pk for r in first.context["rows"]] == [e.pk for e in made[:50]]
    page = first.context["page"]
    assert page.newer is None and page.older
    second = client.get(url(org), {"before": page.older})
    assert [r.event.pk for r in second.context["rows"]] == [e.pk for e in made[50:100]]
    third = client.get(url(org), {"before": second.context["page"].older})
    assert [r.event.pk for r in third.context["rows"]] == [e.pk for e in made[100:]]
    assert third.context["page"].older is None
    back = client.get(url(org), {"after": third.context["page"].newer})
    assert [r.event.pk for r in back.context["rows"]] == [e.pk for e in made[50:100]]
    assert "Older" in second.content.decode() and "Newer" in second.content.decode()


def test_events_at_the_same_instant_are_neither_lost_nor_repeated_across_pages(people, login):
    at = timezone.now()
    made = [AuditEvent.objects_unscoped.create(organization=people.org, actor=people.hr,
                                               action="member.profile_viewed", created_at=at)
            for _ in range(60)]
    client = login(people.hr)
    first = client.get(url(people.org))
    second = client.get(url(people.org), {"before": first.context["page"].older})
    seen = [r.event.pk for r in first.context["rows"]] + \
        [r.event.pk for r in second.context["rows"]]
    assert sorted(seen) == sorted(e.pk for e in made)


def test_a_page_costs_the_same_queries_for_few_and_many_events(people, login):
    client = login(people.hr)
    others = [MembershipFactory(organization=people.org) for _ in range(6)]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(people.org), {"family": "views"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for member in others[:2]:
        event(people.org, "member.profile_viewed", actor=people.hr, subject=member)
    few = queries()
    for i in range(80):
        event(people.org, "member.profile_viewed", actor=others[i % 6], subject=others[-i % 6])
    assert queries() == few


# --- Export, and what is recorded of reading the log --------------------------------------------


def test_the_csv_export_holds_the_filtered_log_and_is_itself_recorded(people, login):
    org = people.org
    event(org, "member.profile_viewed", actor=people.hr, subject=people.employee)
    event(org, "skills.framework_created", actor=people.hr, name="Engineering")
    response = login(people.hr).get(url(org, "audit_export"), {"family": "views"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["action"], r["subject"], r["subject_email"]) for r in rows] == [
        ("member.profile_viewed", people.employee.display_name, people.employee.user.email)]
    assert rows[0]["description"] == "viewed the profile of"
    recorded = AuditEvent.objects_unscoped.get(action="audit.log_exported")
    assert recorded.actor == people.hr
    assert recorded.detail["family"] == "views" and recorded.detail["rows"] == 1


def test_exported_cells_cannot_run_as_spreadsheet_formulas(people, login):
    sly = MembershipFactory(organization=people.org, user=UserFactory(
        first_name="=HYPERLINK(\"http://x\")", last_name="Sly"))
    event(people.org, "member.profile_viewed", actor=people.hr, subject=sly)
    response = login(people.hr).get(url(people.org, "audit_export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["subject"] == "'" + sly.display_name


def test_looking_up_one_persons_trail_is_recorded_but_browsing_is_not(people, login):
    client = login(people.hr)
    client.get(url(people.org))
    client.get(url(people.org), {"family": "views"})
    assert not AuditEvent.objects_unscoped.filter(action="audit.log_viewed").exists()
    client.get(url(people.org), {"member": people.employee.pk})
    looked = AuditEvent.objects_unscoped.get(action="audit.log_viewed")
    assert (looked.actor, looked.subject) == (people.hr, people.employee)
    # and that lookup shows in the person's own trail, in words
    response = client.get(url(people.org), {"member": people.employee.pk})
    assert "looked up the audit trail of" in response.content.decode()


def test_a_member_of_another_organisation_is_not_a_filter(people, other_people, login):
    response = login(people.hr).get(url(people.org), {"member": other_people.employee.pk})
    assert response.status_code == 400
    assert "No such member in this organisation." in response.content.decode()
    assert other_people.employee.display_name not in response.content.decode()


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_the_filtered_log_page_by_page(people, login):
    org = people.org
    for i in range(55):
        event(org, "member.profile_viewed", actor=people.hr, subject=people.employee,
              minutes_ago=i)
    event(org, "hr.move_recorded", actor=people.hr, subject=people.manager, days_ago=2)
    client = login(people.hr)
    first = client.get(api_url(org), {"family": "views"}).json()
    assert len(first["results"]) == 50 and first["newer"] is None
    row = first["results"][0]
    assert row["action"] == "member.profile_viewed"
    assert row["description"] == "viewed the profile of" and row["family"] == "views"
    assert row["subject"] == {"id": people.employee.pk, "name": people.employee.display_name}
    second = client.get(api_url(org), {"family": "views", "before": first["older"]}).json()
    assert len(second["results"]) == 5 and second["older"] is None
    moves = client.get(api_url(org), {"member": people.manager.pk, "role": "subject"}).json()
    assert [r["action"] for r in moves["results"]] == ["hr.move_recorded"]


def test_api_bad_filters_are_400_with_field_messages(people, other_people, login):
    client = login(people.hr)
    response = client.get(api_url(people.org), {"family": "gossip", "since": "2025-02-30",
                                                "member": other_people.employee.pk,
                                                "before": "not-a-cursor"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"family", "since", "member"}
    response = client.get(api_url(people.org), {"before": "not-a-cursor"})
    assert response.status_code == 400 and "before" in response.json()["errors"]
    response = client.get(api_url(people.org), {"since": "2025-05-10", "until": "2025-05-01"})
    assert response.status_code == 400 and "until" in response.json()["errors"]


def test_every_action_the_code_records_reads_as_words_in_the_log():
    """An action recorded with a literal name anywhere in the code has a description, so HR
    never reads a bare code in the log."""
    import re
    from pathlib import Path

    from django.conf import settings

    from hr_admin.selectors.audit import describe_action

    recorded = set()
    for app in ("organizations", "skills", "careers", "conversations", "hr_admin"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert len(recorded) > 50
    assert sorted(a for a in recorded if not describe_action(a)) == []
