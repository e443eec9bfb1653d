"""What a member sets for themself, seen across the apps: time zone, and the navigation's
unread count."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_member_chooses_their_time_zone_and_pages_follow_it(people, login):

    client = login(people.employee)
    path = reverse("organizations:my_profile", kwargs={"org_slug": people.org.slug})
    response = client.post(path, {"language": "", "time_zone": "Asia/Tokyo"}, follow=True)
    assert "Your language and time zone are saved." in response.content.decode()
    people.employee.user.refresh_from_db()
    assert people.employee.user.time_zone == "Asia/Tokyo"
    # An answer saved at midnight UTC shows as 9 a.m. in Tokyo.
    from careers.models import ReflectionAnswer, ReflectionPrompt
    from careers.services import reflections

    reflection = reflections.reflection_start(organization=people.org, actor=people.employee)
    prompt = ReflectionPrompt.objects_unscoped.filter(area__template=reflection.template).first()
    reflections.reflection_answer_save(organization=people.org, actor=people.employee,
                                       reflection=reflection, prompt=prompt, text="x")
    ReflectionAnswer.objects_unscoped.filter(reflection=reflection).update(
        updated_at=datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    page = client.get(reverse("careers:reflection_area", kwargs={
        "org_slug": people.org.slug, "reflection_id": reflection.pk,
        "area_id": prompt.area_id})).content.decode()
    assert "June 1, 2026, 9 a.m." in page


def test_an_unknown_time_zone_is_refused_with_a_message(people, login):
    client = login(people.employee)
    path = reverse("organizations:my_profile", kwargs={"org_slug": people.org.slug})
    response = client.post(path, {"language": "", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    people.employee.user.refresh_from_db()
    assert people.employee.user.time_zone == ""


def test_the_navigation_shows_unread_notifications_beside_the_entry(people, login):
    from conversations.factories import NotificationFactory

    NotificationFactory(recipient=people.employee)
    NotificationFactory(recipient=people.employee)
    NotificationFactory(recipient=people.manager)
    page = login(people.employee).get(
        reverse("organizations:home", kwargs={"org_slug": people.org.slug})).content.decode()
    assert '<span class="nav-link__count">2<span class="visually-hidden"> new</span></span>' in page
