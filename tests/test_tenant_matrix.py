"""The cross-tenant matrix: every organisation route, every role of another organisation.

Routes are discovered from the URL configuration, so a new page or API endpoint is covered the
day it is added. For each route and each of globex's four roles it asserts:

* acme's slug in the URL (with acme's ids) → 404, for GET and POST;
* globex's own slug with acme's object ids → 404.

A route with a URL argument the matrix does not know how to fill fails the test: add the argument
to ``ID_SOURCES`` in ``tests/routes.py``, pointing at an acme object of that kind.
"""

import pytest
from django.urls import get_resolver

from tests.routes import ID_SOURCES, fill, tenant_routes, walk

pytestmark = pytest.mark.django_db

# Routes outside any organisation, and why they carry no organisation's data.
NON_TENANT_ROUTES = {
    "": "front page / organisation chooser (the caller's own memberships)",
    "healthz": "service health, no data",
    "accounts/tokens/": "the caller's own API tokens",
    "organizations/new/": "creates a new organisation",
    "api/schema/": "OpenAPI document",
    "api/docs/": "API documentation page",
    # The public quick health check: the visitor's own answers, found by a token in their
    # session; no organisation's data.
    "health-check/": "public quick health check: intro",
    "health-check/questions/": "public quick health check: the questions",
    "health-check/results/": "public quick health check: the visitor's own results",
    "health-check/start/": "public quick health check: on to creating an organisation",
    "health-check/api/submit/": "public quick health check: submit answers",
}
NON_TENANT_PREFIXES = ("admin/", "accounts/", "i18n/", "static/", "__")


def test_every_route_of_ours_is_tenant_scoped_or_declared_public():
    undeclared = []
    for route, _pattern in walk(get_resolver().url_patterns):
        if "<slug:org_slug>" in route or route.startswith(NON_TENANT_PREFIXES):
            continue
        if route not in NON_TENANT_ROUTES:
            undeclared.append(route)
    assert undeclared == [], (
        "Routes outside /o/<org_slug>/ and /api/v1/o/<org_slug>/ must be declared in "
        f"NON_TENANT_ROUTES with the reason they hold no organisation's data: {undeclared}"
    )


def test_no_route_lets_another_organisation_in(people, other_people, login, capsys):
    ids = ID_SOURCES(people)
    routes = tenant_routes()
    assert len(routes) >= 10, "route discovery found suspiciously few organisation routes"
    leaks, requests = [], 0
    for role, member in other_people.by_role().items():
        client = login(member)
        for route, _pattern in routes:
            foreign_slug = fill(route, {**ids, "org_slug": people.org.slug})
            own_slug_foreign_ids = fill(route, {**ids, "org_slug": other_people.org.slug})
            attempts = [("GET", foreign_slug), ("POST", foreign_slug)]
            if any(f"<{kind}:{name}>" in route for name in ids for kind in ("int", "str")):
                attempts += [("GET", own_slug_foreign_ids), ("POST", own_slug_foreign_ids)]
            for method, url in attempts:
                response = client.get(url) if method == "GET" else client.post(url, {})
                requests += 1
                if response.status_code != 404:
                    leaks.append((role, method, url, response.status_code))
    with capsys.disabled():
        print(
            f"\ncross-tenant matrix: {len(routes)} routes, 4 roles, {requests} requests, "
            f"{len(leaks)} not 404"
        )
    assert leaks == [], "\n".join(map(str, leaks))


def test_anonymous_visitors_are_sent_to_sign_in_whether_or_not_the_organisation_exists(
    people, client
):
    ids = ID_SOURCES(people)
    for route, pattern in tenant_routes():
        for slug in (people.org.slug, "no-such-organisation"):
            url = fill(route, {**ids, "org_slug": slug})
            response = client.get(url)
            if route.startswith("api/"):
                assert response.status_code in (401, 403), (url, response.status_code)
            elif getattr(pattern.callback, "tenant_public", False):
                assert response.status_code == 404, (url, response.status_code)
            else:
                assert response.status_code == 302, (url, response.status_code)
                assert response["Location"].startswith("/accounts/login/?next="), url
