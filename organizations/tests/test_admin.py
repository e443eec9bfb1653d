import pytest
from django.test import Client
from django.utils.html import escape

from organizations.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_operator_admin_lists_members_of_every_organisation(people, other_people):
    operator = UserFactory(email="operator@trellis.test", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    response = client.get("/admin/organizations/membership/")
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(people.employee.user.display_name) in body
    assert escape(other_people.employee.user.display_name) in body


def test_members_cannot_open_the_admin(people, login):
    response = login(people.hr).get("/admin/organizations/membership/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
