"""Hardening, as a visitor, a member and an operator meet it: the Content Security Policy and the
other security headers, cookies, sessions that end, rate limits, password hashing.

The policy is also walked in a real browser (tests/browser/test_csp_walk.py); ``check --deploy``
with production settings is tests/test_deploy_check.py.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse

from organizations import services
from organizations.factories import MembershipFactory
from organizations.models import User, UserSession
from organizations.tests.test_two_factor import current_code

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "trellis-demo"


# --- Content Security Policy ---------------------------------------------------------------------


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name] = values
    return directives


def strict_policy_problems(response) -> list[str]:
    """What is wrong with the policy of one response (nothing when it is the strict one)."""
    policy = policy_of(response)
    if "script-src" not in policy:
        return ["no script-src"]
    problems = []
    # Trellis's own files, and on the one page that needs it this response's nonce.
    script = [v for v in policy["script-src"] if not re.fullmatch(r"'nonce-[\w+/=]+'", v)]
    if script != ["'self'"]:
        problems.append(f"script-src is {policy['script-src']}")
    # Bars and meters size themselves with style attributes; stylesheets and <style> elements
    # stay Trellis's own.
    for name, expected in (("default-src", ["'self'"]), ("object-src", ["'none'"]),
                           ("frame-ancestors", ["'none'"]), ("base-uri", ["'self'"]),
                           ("form-action", ["'self'"]), ("style-src", ["'self'"]),
                           ("style-src-attr", ["'unsafe-inline'"]), ("style-src-elem", None),
                           ("img-src", ["'self'", "data:"])):
        if policy.get(name) != expected:
            problems.append(f"{name} is {policy.get(name)}")
    return problems


def test_every_kind_of_response_carries_the_strict_policy(people, login):
    """A page of each app, the pages outside an organisation, sign-in, a redirect, a 403, a 404
    and the API: one strict policy, no inline script allowed. The policy is the middleware's for
    every response; ``test_no_view_loosens_the_policy`` keeps any view from changing it."""
    slug = {"org_slug": people.org.slug}
    employee, hr, anonymous = login(people.employee), login(people.hr), Client()
    answers = {
        "home": hr.get(reverse("organizations:home", kwargs=slug)),
        "people": hr.get(reverse("organizations:people", kwargs=slug)),
        "skills": hr.get(reverse("skills:my_skills", kwargs=slug)),
        "reflections": employee.get(reverse("careers:reflections", kwargs=slug)),
        "plan": employee.get(reverse("careers:plan", kwargs=slug)),
        "conversations": employee.get(reverse("conversations:list", kwargs=slug)),
        "metrics": hr.get(reverse("hr_admin:metrics", kwargs=slug)),
        "choose": hr.get("/?choose=1"),
        "tokens": hr.get(reverse("api_tokens")),
        "health check": anonymous.get("/health-check/"),
        "landing": anonymous.get("/"),
        "sign-in": anonymous.get(reverse("account_login")),
        "sign-up": anonymous.get(reverse("account_signup")),
        "api docs": anonymous.get(reverse("api-docs")),
        "redirect": anonymous.get(reverse("organizations:home", kwargs=slug)),
        "403": employee.get(reverse("hr_admin:metrics_operations", kwargs=slug)),
        "404": hr.get("/o/no-such-organisation/"),
        "api": hr.get(f"/api/v1/o/{people.org.slug}/members/", HTTP_ACCEPT="application/json"),
        "api 401": anonymous.get(f"/api/v1/o/{people.org.slug}/members/"),
    }
    assert {name: r.status_code for name, r in answers.items()
            if r.status_code not in (200, 302, 401, 403, 404)} == {}
    assert (answers["redirect"].status_code, answers["403"].status_code,
            answers["404"].status_code, answers["api 401"].status_code) == (302, 403, 404, 401)
    problems = [f"{name} ({r.status_code}): {p}" for name, r in answers.items()
                for p in strict_policy_problems(r)]
    assert problems == [], "\n".join(problems)


PER_VIEW_POLICY = re.compile(
    r"csp_exempt|csp_update|csp_replace|csp_override|_csp_(?:exempt|update|replace|config)|"
    r"EXCLUDE_URL_PREFIXES")


def test_no_view_loosens_the_policy():
    """One policy for every response: no view is exempted or given directives of its own."""
    sources = [p for app in ("config", "organizations", "skills", "careers", "conversations",
                             "hr_admin") for p in (ROOT / app).rglob("*.py")
               if "tests" not in p.parts]
    assert len(sources) > 50
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in sources
             for m in PER_VIEW_POLICY.finditer(p.read_text())]
    assert found == [], found


def test_the_api_docs_inline_script_runs_only_with_the_nonce_of_its_own_response(client):
    first, second = client.get(reverse("api-docs")), client.get(reverse("api-docs"))
    assert first.status_code == 200
    nonces = []
    for response in (first, second):
        page = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", page)
        assert len(inline) == 1, inline
        nonce = re.search(r'nonce="([^"]+)"', inline[0]).group(1)
        assert f"'nonce-{nonce}'" in policy_of(response)["script-src"]
        assert "<style" not in page
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    # A page that needs no nonce gets none in its header.
    assert not any(v.startswith("'nonce-") for v in
                   policy_of(client.get("/accounts/login/"))["script-src"])


# Template tags and variables are blanked before the markup is read, so "{% if a > b %}" or a
# value in an attribute cannot hide or fake a tag.
DJANGO_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
COMMENT_BLOCK = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
NONCE_ATTRIBUTE = 'nonce="{{ request.csp_nonce }}"'


def template_problems(source: str) -> list[str]:
    """Inline scripts, event-handler attributes and javascript: links in a template's source.
    A script with ``src``, a JSON data block, and the nonce-carrying script are allowed."""
    problems = []
    source = COMMENT_BLOCK.sub(" ", source)
    for match in SCRIPT_TAG.finditer(source):
        attrs = match.group(1)
        if "src=" in attrs or 'type="application/json"' in attrs or NONCE_ATTRIBUTE in attrs:
            continue
        problems.append(f"inline <script{attrs}>")
    markup = DJANGO_SYNTAX.sub(" ", source)
    for tag in TAG.findall(markup):
        if EVENT_HANDLER.search(tag):
            problems.append(f"event handler in {tag[:80]}")
    if re.search(r"javascript:", markup, re.I):
        problems.append("javascript: link")
    return problems


def project_templates() -> list[Path]:
    roots = [ROOT / "templates"] + [ROOT / app / "templates" for app in
                                    ("organizations", "skills", "careers", "conversations",
                                     "hr_admin")]
    return sorted(p for root in roots for p in root.rglob("*.html"))


def test_no_template_has_an_inline_script_or_an_event_handler():
    # The check itself tells the forbidden from the allowed.
    assert template_problems('<script>alert(1)</script>') == ["inline <script>"]
    assert template_problems('<button type="button" onclick="go()">') != []
    assert template_problems('<a href="javascript:go()">') == ["javascript: link"]
    assert template_problems(
        '{% load static %}<script src="{% static \'js/a.js\' %}" defer></script>'
        '<script type="application/json">{}</script>'
        '<span class="x{% if a > b %} y{% endif %}" data-once="1">one</span>') == []

    templates = project_templates()
    assert len(templates) > 100
    problems = [f"{path.relative_to(ROOT)}: {problem}" for path in templates
                for problem in template_problems(path.read_text())]
    assert problems == [], "\n".join(problems)


# --- Headers and cookies with the production settings ------------------------------------------


def production_security_settings() -> dict:
    """The security settings as production loads them (DJANGO_DEBUG=false), from a fresh
    interpreter, since this one imported the local ones."""
    names = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
             "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
             "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
             "CSRF_COOKIE_SAMESITE", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
             "SECURE_REFERRER_POLICY"]
    env = {**os.environ, "DJANGO_DEBUG": "false", "SECRET_KEY": "x" * 64,
           "ALLOWED_HOSTS": "testserver"}
    code = ("import json, config.settings as s; "
            f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_denies_frames_and_sets_secure_httponly_samesite_cookies(people):
    production = production_security_settings()
    production["SECURE_PROXY_SSL_HEADER"] = tuple(production["SECURE_PROXY_SSL_HEADER"])
    with override_settings(**production):
        client = Client()
        plain = client.get("/accounts/login/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")

        page = client.get("/accounts/login/", secure=True)
        assert page["Strict-Transport-Security"] == \
            "max-age=31536000; includeSubDomains; preload"
        assert page["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
        assert page["X-Content-Type-Options"] == "nosniff"
        assert page["Referrer-Policy"] == "same-origin"
        csrf = page.cookies["csrftoken"]
        assert csrf["secure"] and csrf["samesite"] == "Lax"

        signed_in = client.post("/accounts/login/", {"login": people.employee.user.email,
                                                     "password": PASSWORD}, secure=True)
        assert signed_in.status_code == 302
        session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# --- Sessions that end ---------------------------------------------------------------------------


def signed_in(email: str) -> Client:
    """A browser that signed in through the sign-in page."""
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session, response
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get(reverse("api_tokens"))  # a page for any signed-in account
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


def live_sessions(user) -> int:
    return UserSession.objects.filter(user=user).count()


def test_a_member_deactivated_by_hr_is_signed_out_of_every_session(people, login):
    employee = people.employee
    laptop, phone = signed_in(employee.user.email), signed_in(employee.user.email)
    assert live_sessions(employee.user) == 2
    home = reverse("organizations:home", kwargs={"org_slug": people.org.slug})
    assert laptop.get(home).status_code == 200

    edit = reverse("organizations:member_edit",
                   kwargs={"org_slug": people.org.slug, "member_id": employee.pk})
    response = login(people.hr).post(edit, {
        "first_name": employee.user.first_name, "last_name": employee.user.last_name,
        "job_title": employee.job_title, "manager": employee.manager_id})  # "Active" unticked
    assert response.status_code == 302

    for browser in (laptop, phone):
        response = browser.get(home)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert live_sessions(employee.user) == 0
    assert not Session.objects.filter(session_key__in=[laptop.session.session_key,
                                                       phone.session.session_key]).exists()


def test_deactivation_shuts_one_organisation_at_once_and_leaves_the_others_signed_in(
        people, other_people):
    """A consultant in acme and globex: acme lets them go. acme is closed to their sessions and
    their API token on the next request; globex is not acme's to sign them out of."""
    consultant = people.employee
    MembershipFactory(organization=other_people.org, user=consultant.user)
    browser = signed_in(consultant.user.email)
    _token, secret = services.api_token_create(user=consultant.user, name="script")
    script = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    acme, globex = people.org.slug, other_people.org.slug
    assert browser.get(f"/o/{acme}/").status_code == 200
    assert script.get(f"/api/v1/o/{acme}/me/").status_code == 200

    services.membership_deactivate(membership=consultant, actor=people.hr)

    assert browser.get(f"/o/{acme}/").status_code == 404
    assert script.get(f"/api/v1/o/{acme}/me/").status_code == 404
    assert browser.get(f"/o/{globex}/").status_code == 200
    assert script.get(f"/api/v1/o/{globex}/me/").status_code == 200
    assert live_sessions(consultant.user) == 1


def test_a_full_people_import_signs_out_the_members_it_deactivates(people):
    from hr_admin.tests.factories_import import apply, check

    leaver, stayer = signed_in(people.employee.user.email), signed_in(people.leader.user.email)
    text = "email,manager email\nleader@acme.test,\nmanager@acme.test,leader@acme.test\n"
    run = check(people, text, is_full=True, deactivate_missing=True)
    assert run.summary["deactivated"] == 1
    apply(people, run)

    assert not is_signed_in(leaver)
    assert is_signed_in(stayer)


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(people):
    user = people.employee.user
    this, other, third = (signed_in(user.email) for _ in range(3))
    response = this.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "a-new-long-passphrase-41",
        "password2": "a-new-long-passphrase-41"})
    assert response.status_code == 302

    assert is_signed_in(this)
    assert not is_signed_in(other) and not is_signed_in(third)
    # Gone from the database at once, not merely refused when next used.
    assert list(UserSession.objects.filter(user=user).values_list("session_id", flat=True)) == \
        [this.session.session_key]
    assert Session.objects.filter(session_key=this.session.session_key).exists()


def test_an_account_switched_off_is_signed_out_and_its_tokens_refused(people):
    user = people.manager.user
    browser = signed_in(user.email)
    _token, secret = services.api_token_create(user=user, name="script")
    script = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert script.get(f"/api/v1/o/{people.org.slug}/me/").status_code == 200

    user.is_active = False
    user.save()

    assert live_sessions(user) == 0
    assert not is_signed_in(browser)
    assert script.get(f"/api/v1/o/{people.org.slug}/me/").status_code == 401


def test_signing_out_leaves_no_trace_in_the_session_index(people):
    user = people.leader.user
    browser = signed_in(user.email)
    assert live_sessions(user) == 1
    browser.post(reverse("account_logout"))
    assert live_sessions(user) == 0
    assert not is_signed_in(browser)


# --- Rate limits ---------------------------------------------------------------------------------


def test_the_sixth_failed_sign_in_for_an_address_is_refused_even_with_the_right_password(
        people):
    client = Client()
    email = people.employee.user.email
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": email, "password": "guess"})
        assert "not correct" in response.content.decode()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address from the same place is not held back by it.
    assert signed_in(people.manager.user.email)


def test_behind_the_proxy_sign_in_limits_count_each_visitor_not_the_proxy(people):
    """With TRUSTED_PROXY_COUNT=1 the per-address limit (10 failures a minute) holds one
    visitor back and lets the next one, arriving through the same proxy, sign in."""
    def attempt(visitor: str, email: str, password: str):
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=visitor).post(
            "/accounts/login/", {"login": email, "password": password})

    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        for n in range(10):
            attempt("203.0.113.7", f"nobody{n}@acme.test", "guess")
        refused = attempt("203.0.113.7", "nobody-else@acme.test", "guess")
        assert "Too many failed login attempts" in refused.content.decode()
        assert attempt("198.51.100.4", people.employee.user.email, PASSWORD).status_code == 302


def test_guessed_two_factor_codes_are_refused_after_five_even_the_right_one(people):
    user = people.hr.user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert "Incorrect code." in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def with_api_rate(rate: str):
    return override_settings(REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                   "api": rate}})


def test_the_api_limits_each_token_and_each_browser_on_its_own_allowance(people, login):
    url = f"/api/v1/o/{people.org.slug}/me/"
    _first, first_secret = services.api_token_create(user=people.hr.user, name="sync")
    _second, second_secret = services.api_token_create(user=people.hr.user, name="report")
    first = Client(HTTP_AUTHORIZATION=f"Bearer {first_secret}")
    second = Client(HTTP_AUTHORIZATION=f"Bearer {second_secret}")
    browser = login(people.hr)
    with with_api_rate("3/min"):
        assert [first.get(url).status_code for _ in range(3)] == [200, 200, 200]
        refused = first.get(url)
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        body = refused.json()
        assert body["detail"].startswith("Request was throttled.") and body["errors"] == {}

        # The same person's other token, and their browser, have allowances of their own.
        assert second.get(url).status_code == 200
        assert [browser.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    # The rate is the setting's, read when the request comes: a higher one lets the token in.
    with with_api_rate("10/min"):
        assert first.get(url).status_code == 200


# --- Password hashing ----------------------------------------------------------------------------


def test_passwords_are_stored_with_argon2_under_the_production_hashers(db):
    from config import settings as production  # the module, untouched by the test's fast hasher

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        response = Client().post(reverse("account_signup"), {
            "email": "new.person@example.org", "first_name": "Ada", "last_name": "Quill",
            "password1": "argon-stored-passphrase-7", "password2": "argon-stored-passphrase-7"})
        assert response.status_code == 302
        user = User.objects.get(email="new.person@example.org")
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password("argon-stored-passphrase-7")
