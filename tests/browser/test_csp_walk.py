"""Each role walks its main pages in a real browser under the Content Security Policy: the
browser reports no violation, and the pages' scripts still work (autosave saves an answer, the
menu button opens the navigation, Swagger UI draws the API, bars take their size).

A violation is caught twice: a ``securitypolicyviolation`` listener installed before any page
script runs, and the browser console, where chromium logs every refusal.
"""

import pytest
from django.urls import reverse

from careers.services.plan import action_create, goal_create
from careers.services.reflections import reflection_start
from conversations.factories import ConversationFactory
from hr_admin.services.metrics import organization_today, snapshot_take
from organizations import tenancy
from organizations.factories import DEMO_PASSWORD
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at "
                    + (e.sourceFile || location.pathname) + ":" + e.lineNumber);
});
"""

# Every element with a style attribute got its declarations (a refused attribute leaves the
# element's style empty).
UNSTYLED = """
() => Array.from(document.querySelectorAll("[style]"))
  .filter((el) => el.getAttribute("style").trim() && !el.style.cssText)
  .map((el) => el.outerHTML.slice(0, 120))
"""


@pytest.fixture
def walk_data(people):
    org, employee, manager = people.org, people.employee, people.manager
    with tenancy.organization_scope(org):
        reflection = reflection_start(organization=org, actor=employee, title="Spring check")
        goal_create(organization=org, actor=employee, title="Lead the platform team")
        action_create(organization=org, actor=employee, title="Read about team topologies")
        conversation = ConversationFactory(member=employee, partner=manager,
                                           location="Room Ash")
        snapshot_take(organization=org, day=organization_today(org))
        area = reflection.template.areas.order_by("position").first()
    return {"reflection": reflection, "area": area, "conversation": conversation}


def pages_of(role: str, slug: str, data: dict) -> list[tuple[str, str]]:
    kw = {"org_slug": slug}
    conversation = {**kw, "conversation_id": data["conversation"].pk}
    pages = {
        "employee": [
            ("home", reverse("organizations:home", kwargs=kw)),
            ("reflection", reverse("careers:reflection_area", kwargs={
                **kw, "reflection_id": data["reflection"].pk, "area_id": data["area"].pk})),
            ("plan", reverse("careers:plan", kwargs=kw)),
            ("goals", reverse("careers:goals", kwargs=kw)),
            ("skills", reverse("skills:my_skills", kwargs=kw)),
            ("conversation", reverse("conversations:detail", kwargs=conversation)),
            ("two-factor", reverse("mfa_activate_totp")),  # the QR code is a data: image
            ("api-docs", reverse("api-docs")),
        ],
        "manager": [
            ("home", reverse("organizations:home", kwargs=kw)),
            ("conversation", reverse("conversations:detail", kwargs=conversation)),
            ("team", reverse("conversations:team", kwargs=kw)),
            ("team-metrics", reverse("hr_admin:metrics_my_team", kwargs=kw)),
        ],
        "hr": [
            ("home", reverse("organizations:home", kwargs=kw)),
            ("people", reverse("organizations:people", kwargs=kw)),
            ("metrics", reverse("hr_admin:metrics", kwargs=kw)),
            ("operations", reverse("hr_admin:metrics_operations", kwargs=kw)),
        ],
        "leader": [
            ("home", reverse("organizations:home", kwargs=kw)),
            ("metrics", reverse("hr_admin:metrics", kwargs=kw)),
            ("metric", reverse("hr_admin:metrics_metric",
                               kwargs={**kw, "metric": "conversation_coverage"})),
        ],
    }
    return pages[role]


def check_scripts_work(page, name: str) -> None:
    """What each page's JavaScript does, seen from outside."""
    if name == "api-docs":
        # Swagger UI's own page, started by the one inline script (with the nonce).
        page.locator("#swagger-ui .opblock").first.wait_for()
        assert "Trellis API" in page.locator("#swagger-ui").inner_text()
        return
    assert page.evaluate("document.documentElement.classList.contains('js')"), name
    if name == "reflection":
        box = page.locator("textarea[data-autosave-url]").first
        box.click()
        box.press_sequentially("Curious about platform work.", delay=5)
        page.get_by_text("Saved at").first.wait_for()
    if name in ("metrics", "metric"):
        assert page.locator("main svg").count() > 0, name
    if name == "two-factor":
        # Setting up two-factor asks for the password again first (its page is walked too).
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        qr = page.locator("img.qr")
        qr.wait_for()
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0")


def walk(browser, base: str, role: str, slug: str, data: dict) -> list[str]:
    """Sign in as ``role``, open each of its pages; returns what the browser refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on("console", lambda message: console.append(f"{role} console: {message.text}")
            if "Content Security Policy" in message.text else None)
    problems = []
    try:
        sign_in(page, base, f"{role}@acme.test")
        problems += [f"{role} signed in: {v}" for v in page.evaluate("window.__csp")]
        for name, url in pages_of(role, slug, data):
            response = page.goto(f"{base}{url}")
            assert response is not None and response.ok, f"{role} {name}: {url}"
            assert "script-src 'self'" in response.headers["content-security-policy"]
            check_scripts_work(page, name)
            problems += [f"{role} {name}: {v}" for v in page.evaluate("window.__csp")]
            problems += [f"{role} {name}: unstyled {html}" for html in page.evaluate(UNSTYLED)]
        # On a phone the menu button (trellis.js) opens the navigation.
        page.set_viewport_size({"width": 375, "height": 760})
        page.goto(f"{base}{reverse('organizations:home', kwargs={'org_slug': slug})}")
        page.get_by_role("button", name="Menu").click()
        assert page.locator("#sidebar.is-open").is_visible()
        problems += [f"{role} phone: {v}" for v in page.evaluate("window.__csp")]

        # The watch itself: a script injected into the page is refused, and both see it.
        seen = len(console)
        page.evaluate("""() => { const s = document.createElement("script");
                                 s.textContent = "window.__ran = true";
                                 document.body.appendChild(s); }""")
        page.wait_for_function("window.__csp.length > 0")
        assert not page.evaluate("window.__ran === true")
        assert any("script-src" in v for v in page.evaluate("window.__csp"))
        assert len(console) > seen, "chromium logged no refusal of the injected script"
        del console[seen:]
    finally:
        context.close()
    return problems + console


def test_every_role_walks_its_pages_with_no_policy_violation_and_working_scripts(
        people, other_people, walk_data, live_server, browser):
    problems = []
    for role in ("employee", "manager", "hr", "leader"):
        problems += walk(browser, live_server.url, role, people.org.slug, walk_data)
    assert problems == [], "\n".join(problems)
