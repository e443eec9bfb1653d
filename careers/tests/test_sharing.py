"""Sharing reflection areas with the manager, withdrawing them, and what the manager sees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import ReflectionArea, ReflectionPrompt, ReflectionShare
from careers.selectors import reflections as selectors
from careers.services import reflections as services
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"careers:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def written(people):
    """The employee's reflection with two areas answered: "Where I'm at" and "What's important
    to me"; returns (reflection, first area, second area)."""
    reflection = services.reflection_start(organization=people.org, actor=people.employee)
    areas = list(ReflectionArea.objects_unscoped.filter(template=reflection.template)
                 .order_by("position")[:2])
    for area, text in zip(areas, ("Ready for more ownership", "SECRET-second-area"), strict=True):
        prompt = ReflectionPrompt.objects_unscoped.filter(area=area).order_by("position").first()
        services.reflection_answer_save(organization=people.org, actor=people.employee,
                                        reflection=reflection, prompt=prompt, text=text)
    return reflection, areas[0], areas[1]


def share(people, reflection, area):
    return services.reflection_share_area(organization=people.org, actor=people.employee,
                                          reflection=reflection, area=area)


def test_everything_is_private_until_an_area_is_shared(people, written):
    reflection, first, _second = written
    assert selectors.shared_reflection_areas(organization=people.org,
                                             member=people.employee) == []
    share(people, reflection, first)
    shared = selectors.shared_reflection_areas(organization=people.org, member=people.employee)
    assert [s.area.area.pk for s in shared] == [first.pk]
    assert [p.text for p in shared[0].area.prompts if p.text] == ["Ready for more ownership"]


def test_sharing_twice_is_one_share_and_withdrawing_ends_it(people, written):
    reflection, first, _second = written
    share(people, reflection, first)
    share(people, reflection, first)
    assert ReflectionShare.objects_unscoped.filter(reflection=reflection).count() == 1
    assert services.reflection_unshare_area(organization=people.org, actor=people.employee,
                                            reflection=reflection, area=first)
    assert selectors.shared_reflection_areas(organization=people.org,
                                             member=people.employee) == []


def test_the_manager_sees_exactly_the_shared_area_and_the_read_is_audited(people, written,
                                                                         login):
    reflection, first, _second = written
    client = login(people.employee)
    client.post(url("reflection_share", people.org, reflection_id=reflection.pk,
                    area_id=first.pk), {"action": "share"})
    response = login(people.manager).get(url("shared_member", people.org,
                                             member_id=people.employee.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ready for more ownership" in page
    assert "SECRET-second-area" not in page
    assert AuditEvent.objects_unscoped.filter(action="careers.shared_viewed",
                                              actor=people.manager,
                                              subject=people.employee).count() == 1


def test_after_withdrawing_the_manager_no_longer_sees_the_area(people, written, login):
    reflection, first, _second = written
    client = login(people.employee)
    path = url("reflection_share", people.org, reflection_id=reflection.pk, area_id=first.pk)
    client.post(path, {"action": "share"})
    response = client.post(path, {"action": "withdraw"}, follow=True)
    assert "is private again" in response.content.decode()
    page = login(people.manager).get(url("shared_member", people.org,
                                         member_id=people.employee.pk)).content.decode()
    assert "Ready for more ownership" not in page
    assert "No reflection areas shared" in page


def test_only_the_line_manager_reads_what_is_shared(people, written, login):
    reflection, first, _second = written
    share(people, reflection, first)
    path = url("shared_member", people.org, member_id=people.employee.pk)
    # The leader is the manager's manager: skip-level managers do not see shares either.
    for member in (people.hr, people.leader, people.employee):
        assert login(member).get(path).status_code == 404


def test_my_shares_page_lists_reports_with_their_counts(people, written, login):
    reflection, first, second = written
    share(people, reflection, first)
    share(people, reflection, second)
    page = login(people.manager).get(url("shared", people.org)).content.decode()
    assert people.employee.display_name in page
    assert ">2<" in page


def test_the_shares_page_is_for_managers(people, login):
    assert login(people.employee).get(url("shared", people.org)).status_code == 403


def test_the_shares_page_runs_the_same_queries_for_2_and_20_reports(people, login):
    client = login(people.manager)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("shared", people.org)).status_code == 200
        return len(ctx.captured_queries)

    MembershipFactory(organization=people.org, manager=people.manager)
    small = count()
    for _ in range(18):
        MembershipFactory(organization=people.org, manager=people.manager)
    assert count() == small


def test_the_profile_of_a_report_links_their_manager_to_what_is_shared(people, written, login):
    reflection, first, _second = written
    share(people, reflection, first)
    profile = reverse("organizations:member_detail",
                      kwargs={"org_slug": people.org.slug, "member_id": people.employee.pk})
    page = login(people.manager).get(profile).content.decode()
    assert "Open what is shared" in page
    hr_page = login(people.hr).get(profile).content.decode()
    assert "questions answered" in hr_page
    assert "Ready for more ownership" not in hr_page
