"""The cross-tenant matrix: every organisation route, every role of another organisation.

Routes are discovered from the URL configuration, so a new page or API endpoint is covered the
day it is added. For each route and each of globex's four roles it asserts:

* acme's slug in the URL (with acme's ids) → 404, for GET and POST;
* globex's own slug with acme's object ids → 404.

A route with a URL argument the matrix does not know how to fill fails the test: add the argument
to ``ID_SOURCES`` below, pointing at an acme object of that kind.
"""

import secrets

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from organizations.factories import InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db

# Routes outside any organisation, and why they carry no organisation's data.
NON_TENANT_ROUTES = {
    "": "front page / organisation chooser (the caller's own memberships)",
    "healthz": "service health, no data",
    "accounts/tokens/": "the caller's own API tokens",
    "organizations/new/": "creates a new organisation",
    "api/schema/": "OpenAPI document",
    "api/docs/": "API documentation page",
}
NON_TENANT_PREFIXES = ("admin/", "accounts/", "i18n/", "static/", "__")


def walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def tenant_routes():
    return [
        (route, p) for route, p in walk(get_resolver().url_patterns) if "<slug:org_slug>" in route
    ]


def fill(route: str, values: dict) -> str:
    import re

    def sub(match):
        name = match.group(2)
        if name not in values:
            raise AssertionError(
                f"The tenant matrix does not know how to fill <{name}> in {route!r}: "
                "add it to ID_SOURCES in tests/test_tenant_matrix.py"
            )
        return str(values[name])

    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: sub(m), route)
    return "/" + path.replace("^", "").replace("$", "")


def ID_SOURCES(victim):
    """URL argument → the id of an object of that kind in the victim organisation (acme)."""
    from skills import models as sk

    org = victim.org
    team = TeamFactory(organization=org)
    invitation = InvitationFactory(organization=org)

    def make(model, **fields):
        return model.objects_unscoped.create(organization=org, **fields)

    framework = make(sk.Framework, name="Matrix framework")
    level = make(sk.Level, framework=framework, rank=1, name="Follow")
    category = make(sk.SkillCategory, framework=framework, name="Matrix category")
    skill = make(sk.Skill, framework=framework, category=category, name="Matrix skill")
    role = make(sk.RoleProfile, framework=framework, title="Matrix role")
    other_role = make(sk.RoleProfile, framework=framework, title="Matrix next role")
    requirement = make(sk.RoleRequirement, role=role, skill=skill, min_level=1)
    path = make(sk.CareerPath, from_role=role, to_role=other_role)
    resource = make(sk.LearningResource, skill=skill, title="Matrix course")
    make(sk.MemberRole, member=victim.employee, role=role)
    check_in = make(sk.CheckIn, member=victim.employee, role=role, role_title=role.title,
                    status=sk.CheckInStatus.SUBMITTED)
    item = make(sk.CheckInItem, check_in=check_in, skill=skill, skill_name=skill.name,
                required_level=1, self_level=1)
    notice = make(sk.EmergingSkillNotice, skill=skill, member=victim.employee)

    from careers import models as ca

    template = make(ca.ReflectionTemplate, version=1)
    area = make(ca.ReflectionArea, template=template, key="where-i-am", title="Where I'm at")
    prompt = make(ca.ReflectionPrompt, area=area, text="How do you feel about your job?")
    reflection = make(ca.Reflection, member=victim.employee, template=template)
    make(ca.ReflectionAnswer, reflection=reflection, prompt=prompt, text="Matrix answer")
    make(ca.ReflectionShare, reflection=reflection, area=area)
    goal = make(ca.CareerGoal, member=victim.employee, title="Matrix goal")
    option = make(ca.CareerOption, member=victim.employee, title="Matrix option")
    criterion = make(ca.OptionCriterion, member=victim.employee, name="Values")
    action = make(ca.DevelopmentAction, member=victim.employee, title="Matrix action",
                  resource=resource, skill=skill)
    return {
        "member_id": victim.employee.pk,
        "team_id": team.pk,
        "invitation_id": invitation.pk,
        "token": secrets.token_urlsafe(16),
        "framework_id": framework.pk,
        "level_id": level.pk,
        "category_id": category.pk,
        "skill_id": skill.pk,
        "role_id": role.pk,
        "requirement_id": requirement.pk,
        "path_id": path.pk,
        "resource_id": resource.pk,
        "check_in_id": check_in.pk,
        "item_id": item.pk,
        "notice_id": notice.pk,
        "reflection_id": reflection.pk,
        "area_id": area.pk,
        "prompt_id": prompt.pk,
        "goal_id": goal.pk,
        "option_id": option.pk,
        "criterion_id": criterion.pk,
        "action_id": action.pk,
    }


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
