import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_HOME = {
    # role → text only that role's home shows
    "employee": "Your manager",
    "manager": "Your reports",
    "hr": "People at a glance",
    "leader": "People at a glance",
}


@pytest.fixture
def demo_data(db):
    """The organisations ``make run`` serves, made by the same command."""
    from django.core.management import call_command

    call_command("seed_demo", force=True, verbosity=0)  # tests run with DEBUG off


@pytest.mark.parametrize("role", ["employee", "manager", "hr", "leader"])
def test_each_demo_role_signs_in_and_sees_its_home(role, demo_data, live_server, page,
                                                   screenshot):
    sign_in(page, live_server.url, f"{role}@acme.test")
    assert page.url.rstrip("/").endswith("/o/acme")
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert EXPECTED_HOME[role] in page.content()
    screenshot(page, f"home-{role}")


def test_wrong_password_shows_a_message_and_stays_signed_out(people, live_server, page):
    sign_in(page, live_server.url, "employee@acme.test", password="not-the-password")
    assert "/accounts/login/" in page.url
    assert "not correct" in page.content()


def test_phone_layout_has_a_menu_button(people, live_server, browser, screenshot):
    context = browser.new_context(viewport={"width": 375, "height": 760})
    page = context.new_page()
    sign_in(page, live_server.url, "hr@acme.test")
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    menu.click()
    assert page.get_by_role("link", name="People", exact=True).is_visible()
    screenshot(page, "home-hr-phone")
    context.close()
