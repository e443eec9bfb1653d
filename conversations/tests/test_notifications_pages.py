"""The notification list, the email preferences page, and their API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.factories import NotificationFactory, NotificationPreferenceFactory
from conversations.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def page_url(name="notifications", org_slug="acme"):
    return reverse(f"conversations:{name}", kwargs={"org_slug": org_slug})


def api_url(name, org_slug="acme"):
    return reverse(f"conversations-api:{name}", kwargs={"org_slug": org_slug})


def notifications_for(member, count, **fields):
    start = timezone.now() - timedelta(hours=count)
    rows = []
    for i in range(count):
        row = NotificationFactory(recipient=member, **fields)
        Notification.objects_unscoped.filter(pk=row.pk).update(
            created_at=start + timedelta(hours=i))
        rows.append(row)
    return rows


# --- The list -----------------------------------------------------------------------------------


def test_list_shows_the_newest_first_and_marks_the_unread(people, login):
    old, new = notifications_for(people.employee, 2)
    Notification.objects_unscoped.filter(pk=old.pk).update(read_at=timezone.now())
    NotificationFactory(recipient=people.manager, title="Not yours")
    response = login(people.employee).get(page_url())
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [n.pk for n in rows] == [new.pk, old.pk]
    assert response.context["unread"] == 1
    html = response.content.decode()
    assert "Not yours" not in html
    assert html.count("cn-item--unread") == 1
    assert "Mark all as read" in html


def test_empty_list_says_what_will_appear_and_links_to_preferences(people, login):
    html = login(people.employee).get(page_url()).content.decode()
    assert "Nothing here yet" in html
    assert page_url("preferences") in html


def test_mark_one_read_keeps_the_others_unread(people, login):
    first, second = notifications_for(people.employee, 2)
    response = login(people.employee).post(page_url(), {"read": first.pk})
    assert response.status_code == 302
    assert Notification.objects_unscoped.get(pk=first.pk).read_at is not None
    assert Notification.objects_unscoped.get(pk=second.pk).read_at is None


def test_mark_all_read(people, login):
    notifications_for(people.employee, 3)
    theirs = NotificationFactory(recipient=people.manager)
    login(people.employee).post(page_url(), {"read_all": "1"})
    assert not Notification.objects_unscoped.filter(recipient=people.employee,
                                                    read_at__isnull=True).exists()
    assert Notification.objects_unscoped.get(pk=theirs.pk).read_at is None


def test_another_members_notification_is_404(people, other_people, login):
    theirs = NotificationFactory(recipient=people.manager)
    foreign = NotificationFactory(recipient=other_people.employee)
    client = login(people.employee)
    for pk in (theirs.pk, foreign.pk, "x", 10**9):
        assert client.post(page_url(), {"read": pk}).status_code == 404
    assert Notification.objects_unscoped.filter(read_at__isnull=False).count() == 0


def test_opening_a_notification_marks_it_read_and_follows_its_link(people, login):
    [note] = notifications_for(people.employee, 1, url="/o/acme/conversations/")
    response = login(people.employee).post(page_url(), {"open": note.pk})
    assert response.status_code == 302 and response["Location"] == "/o/acme/conversations/"
    assert Notification.objects_unscoped.get(pk=note.pk).read_at is not None


def test_a_notification_link_never_leads_off_the_site(people, login):
    [note] = notifications_for(people.employee, 1, url="https://evil.example/")
    response = login(people.employee).post(page_url(), {"open": note.pk})
    assert response["Location"] == page_url()


def test_list_is_paginated(people, login):
    notifications_for(people.employee, 25)
    client = login(people.employee)
    first = client.get(page_url())
    assert len(first.context["page"].object_list) == 20
    second = client.get(page_url() + "?page=2")
    assert len(second.context["page"].object_list) == 5
    assert client.post(page_url(), {"read_all": "1", "page": "2"})["Location"] == (
        page_url() + "?page=2")


def test_list_runs_the_same_number_of_queries_for_3_and_60_notifications(people, login):
    client = login(people.employee)
    counts = []
    for extra in (3, 57):
        notifications_for(people.employee, extra)
        client.get(page_url())  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Preferences --------------------------------------------------------------------------------


def test_preferences_page_shows_the_defaults_with_no_row(people, login):
    response = login(people.employee).get(page_url("preferences"))
    assert response.status_code == 200
    form = response.context["form"]
    assert all(form.initial[name] for name in form.fields)
    assert "email_digest" not in form.fields  # not a manager
    assert not NotificationPreference.objects_unscoped.exists()


def test_managers_choose_their_digest_too(people, login):
    form = login(people.manager).get(page_url("preferences")).context["form"]
    assert "email_digest" in form.fields


def test_saving_preferences(people, login):
    response = login(people.manager).post(page_url("preferences"), {
        "email_reminders": "on", "email_updates": "on"}, follow=True)
    assert response.redirect_chain == [(page_url("preferences"), 302)]
    assert "Your notification preferences are saved." in response.content.decode()
    saved = NotificationPreference.objects_unscoped.get(member=people.manager)
    assert (saved.email_reminders, saved.email_digest, saved.email_outcome_pulse,
            saved.email_updates) == (True, False, False, True)
    assert response.context["form"].initial["email_digest"] is False


def test_a_non_manager_saving_keeps_their_digest_setting(people, login):
    NotificationPreferenceFactory(member=people.employee, email_digest=False)
    login(people.employee).post(page_url("preferences"), {"email_reminders": "on"})
    saved = NotificationPreference.objects_unscoped.get(member=people.employee)
    assert saved.email_digest is False and saved.email_updates is False


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_my_notifications_newest_first(people, login):
    old, new = notifications_for(people.employee, 2)
    Notification.objects_unscoped.filter(pk=old.pk).update(read_at=timezone.now())
    NotificationFactory(recipient=people.manager)
    client = login(people.employee)
    data = client.get(api_url("notification-list")).json()
    assert [n["id"] for n in data["results"]] == [new.pk, old.pk]
    assert [n["unread"] for n in data["results"]] == [True, False]
    unread = client.get(api_url("notification-list") + "?unread=true").json()
    assert [n["id"] for n in unread["results"]] == [new.pk]
    assert client.get(api_url("notification-summary")).json() == {"unread": 1}


def test_api_marks_read_by_id_ignoring_other_peoples_ids(people, login):
    mine = notifications_for(people.employee, 3)
    theirs = NotificationFactory(recipient=people.manager)
    client = login(people.employee)
    response = client.post(api_url("notification-read"),
                           {"ids": [mine[0].pk, theirs.pk]}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"marked": 1, "unread": 2}
    assert Notification.objects_unscoped.get(pk=theirs.pk).read_at is None
    everything = client.post(api_url("notification-read"), {"all": True},
                             content_type="application/json")
    assert everything.json() == {"marked": 2, "unread": 0}


def test_api_mark_read_needs_ids_or_all(people, login):
    response = login(people.employee).post(api_url("notification-read"), {},
                                           content_type="application/json")
    assert response.status_code == 400
    assert "ids" in response.json()["errors"]


def test_api_list_runs_the_same_number_of_queries_for_3_and_60(people, login):
    client = login(people.employee)
    counts = []
    for extra in (3, 57):
        notifications_for(people.employee, extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api_url("notification-list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_api_preferences_get_and_put(people, login):
    client = login(people.employee)
    url = api_url("notification-preferences")
    assert client.get(url).json() == {"email_reminders": True, "email_digest": True,
                                      "email_outcome_pulse": True, "email_updates": True,
                                      "updated_at": None}
    values = {"email_reminders": False, "email_digest": True, "email_outcome_pulse": False,
              "email_updates": True}
    response = client.put(url, values, content_type="application/json")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in values} == values
    saved = NotificationPreference.objects_unscoped.get(member=people.employee)
    assert (saved.email_reminders, saved.email_outcome_pulse) == (False, False)


def test_api_preferences_put_with_a_missing_or_bad_field_is_400(people, login):
    client = login(people.employee)
    url = api_url("notification-preferences")
    response = client.put(url, {"email_reminders": "perhaps"}, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "email_reminders" in errors and "email_updates" in errors
    assert client.patch(url, {"email_updates": False},
                        content_type="application/json").json()["email_updates"] is False
