"""Property-based fuzzing of the whole API from its OpenAPI schema, as each role and anonymously.

Every operation of the schema that ``/api/schema/`` serves is called with requests that
schemathesis generates from it, through the real WSGI application and the test database, each
request in a savepoint that is rolled back, so that every request meets the same data. No answer
may be a server error, and every answer must match what the schema documents for its status
(body and content type).

The organisation in the path is always a real one. A path id, a filter or a body's foreign key
that names a kind of object the fixture has (``ID_SOURCES``) is a real one at least half the
time, so that requests get past "not found" and reach the views; a request with an id that is
not a real one is sent once per operation, as it meets the same 404 whatever else it says. Each
generated request is sent as every role, so the roles' answers differ only by who asks; the
callers from outside (anonymous, and acme's members under globex's address) are refused.

``make test`` runs a few examples per operation, the same ones every run; ``make fuzz`` runs these
tests with ``FUZZ_EXAMPLES`` examples (default 100) and a new random seed each time.
"""

import itertools
import logging
import os
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

import hypothesis
import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import strategies as st
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.core.failures import FailureGroup

from organizations.models import ApiToken
from organizations.services import api_token_create
from tests.routes import ID_SOURCES

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = os.environ.get("FUZZ_EXAMPLES")
# Examples per operation; each is sent as each of the four roles.
EXAMPLES = int(FUZZ_EXAMPLES) if FUZZ_EXAMPLES else 3
# Callers refused before any view runs (anonymous, another organisation's slug) meet the same
# refusal whatever the request says: a few examples show it.
REFUSED_EXAMPLES = max(1, EXAMPLES // 10)
TENANT_API = "/api/v1/o/{org_slug}/"

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
]

# A foreign key in a body or a filter → the kind of object it names (a key of ``ID_SOURCES``).
FIELD_IDS = {
    "role": "role_id", "from_role": "role_id", "to_role": "role_id", "target_role": "role_id",
    "team": "team_id", "from_team": "team_id", "to_team": "team_id",
    "skill": "skill_id", "framework": "framework_id", "category": "category_id",
    "resource": "resource_id", "position": "position_id", "survey": "survey_id",
    "move": "move_id", "reflection": "reflection_id", "area": "area_id",
    "conversation": "conversation_id", "interest": "interest_id",
}
MEMBER_FIELDS = ("member", "partner", "owner", "incumbent", "manager", "nominee", "subject",
                 "candidate")


@pytest.fixture(scope="module")
def api_schema():
    """The document ``/api/schema/`` serves, loaded by schemathesis; and the WSGI application."""
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(document), get_wsgi_application()


@pytest.fixture
def server_errors(monkeypatch, settings):
    """Serve requests in-process inside the test's transaction; yields the tracebacks of errors.

    Django closes the database connection as each request starts and ends, which inside a test
    would end the test's transaction; Django's own test client turns that off the same way.
    Throttling is lifted: a fuzz run sends thousands of requests a minute on purpose.
    """
    errors = []

    def keep(sender, request, **kwargs):
        errors.append(traceback.format_exc(limit=-10))

    # Every 4xx would be logged as a warning.
    monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
    unlimited = {scope: "1000000/min" for scope in api_settings.DEFAULT_THROTTLE_RATES}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": unlimited}
    # DRF's own throttle classes keep the rates they were imported with.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", unlimited)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(keep)
    yield errors
    got_request_exception.disconnect(keep)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@dataclass
class Known:
    """Real values that requests use half the time, so that they get past "not found"."""

    path: dict
    query: dict
    # Foreign keys in a body or a filter: ``{"member": …}``, ``?team=…``.
    fields: dict


def known_values(people) -> Known:
    ids = ID_SOURCES(people)
    members = [m.pk for m in people.by_role().values()]
    return Known(
        path={name: [value] for name, value in ids.items()} | {"member_id": members},
        query={"page": [1]},
        fields={key: [ids[kind]] for key, kind in FIELD_IDS.items()}
        | {key: members for key in MEMBER_FIELDS},
    )


@dataclass
class Caller:
    name: str
    headers: dict
    # The organisation in the path.
    slug: str
    # The statuses allowed under /api/v1/o/… (None: any, if not a server error and on-schema).
    expect: frozenset | None = None


@dataclass
class Tally:
    examples: int
    operations: int = 0
    requests: int = 0
    # Generated requests not sent: the same as one already sent, or a second unknown id.
    repeats: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: dict = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def summary(self) -> str:
        classes = Counter()
        for status, n in self.statuses.items():
            classes[f"{status // 100}xx"] += n
        by_class = ", ".join(f"{k}: {v}" for k, v in sorted(classes.items()))
        return (f"{self.examples} example(s) of each of {self.operations} operations, "
                f"{self.requests} requests ({by_class}; {self.repeats} repeats not sent), "
                f"{len(self.failures)} failing, "
                f"{time.perf_counter() - self.started:.0f} s")

    def report(self) -> str:
        return "\n\n".join(f"{label}:\n{problem}" for label, problem in self.failures.items())


def routed(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def fuzz(api_schema, errors, *, known: Known, callers: list[list[Caller]],
         examples: int) -> Tally:
    """Send ``examples`` generated requests of every operation, each once per list of callers,
    as the next caller of that list in turn.

    A failure is kept per operation and caller (the first one met), not raised, so that one run
    reports every failing operation.
    """
    schema, app = api_schema
    tally = Tally(examples=examples)
    settings = hypothesis.settings(
        max_examples=examples, deadline=None, database=None, derandomize=not FUZZ_EXAMPLES,
        phases=[hypothesis.Phase.generate], suppress_health_check=list(hypothesis.HealthCheck),
    )

    def send(case, caller: Caller) -> None:
        del errors[:]
        if case.path.startswith(TENANT_API):
            case.path_parameters["org_slug"] = caller.slug
        with transaction.atomic():
            response = case.call(app=app, headers=caller.headers)
            transaction.set_rollback(True)
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        problem = None
        try:
            case.validate_response(response, checks=CHECKS)
            # A path that matches no route (a negative id) is 404 for anyone.
            if (caller.expect is not None and case.path.startswith(TENANT_API)
                    and response.status_code not in caller.expect
                    and (response.status_code != 404 or routed(case.formatted_path))):
                raise AssertionError(
                    f"{case.method} {case.formatted_path} answered {response.status_code}")
        except (FailureGroup, AssertionError) as exc:
            problem = str(exc)
        if errors:
            problem = "\n".join(filter(None, [problem, errors[-1]]))
        key = f"{case.operation.label} as {caller.name}"
        if problem and key not in tally.failures:
            tally.failures[key] = problem

    def fuzz_operation(operation) -> None:
        sent = set()

        @settings
        @hypothesis.given(case=operation.as_strategy(path_parameters={"org_slug": "-"}),
                          data=st.data())
        def run(case, data):
            unknown = False
            for container, real, counts in ((case.path_parameters, known.path, True),
                                            (case.query, known.query | known.fields, True),
                                            (case.body, known.fields, False)):
                if not isinstance(container, dict):
                    continue
                for name in sorted(container.keys() & real.keys()):
                    generated = container[name]
                    # An id; not a value of another kind that has the same name.
                    if type(generated) is not type(real[name][0]):
                        continue
                    container[name] = data.draw(st.sampled_from([*real[name], generated]),
                                                label=name)
                    unknown |= counts and container[name] not in real[name]
            request = "an unknown id" if unknown else repr(
                (case.path_parameters, case.query, case.body, case.media_type, case.headers))
            if request in sent:
                tally.repeats += 1
                return
            sent.add(request)
            for turn in turns:
                send(case, next(turn))

        run()

    turns = [itertools.cycle(group) for group in callers]
    for result in schema.get_all_operations():
        tally.operations += 1
        fuzz_operation(result.ok())
    return tally


def token_header(membership) -> dict:
    token, secret = api_token_create(user=membership.user, name="fuzz")
    # A token in use: requests do not each record its first use (and roll that back).
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return {"Authorization": f"Bearer {secret}"}


def test_every_operation_answers_every_role_within_its_schema_and_without_server_errors(
    people, api_schema, server_errors, capsys
):
    # A valid token is never answered 401, whatever the request.
    roles = [[Caller(role, token_header(member), people.org.slug,
                     frozenset(range(100, 600)) - {401})]
             for role, member in people.by_role().items()]

    tally = fuzz(api_schema, server_errors, known=known_values(people), callers=roles,
                 examples=EXAMPLES)

    with capsys.disabled():
        print(f"\napi fuzz as employee, manager, hr and leader: {tally.summary()}")
    assert tally.operations >= 250, "the schema lost most of its operations"
    assert tally.statuses[200] + tally.statuses[201] > tally.requests // 5, (
        "too few requests reached a view: the fuzzing has become shallow")
    assert tally.failures == {}, tally.report()


def test_every_operation_refuses_anonymous_callers_and_other_organisations_members(
    people, other_people, api_schema, server_errors, capsys
):
    anonymous = Caller("anonymous", {}, people.org.slug, frozenset({401, 403}))
    # acme's members, in turn, under globex's address.
    outsiders = [Caller(f"acme's {role} at globex", token_header(member), other_people.org.slug,
                        frozenset({404}))
                 for role, member in people.by_role().items()]

    tally = fuzz(api_schema, server_errors, known=known_values(people),
                 callers=[[anonymous], outsiders], examples=REFUSED_EXAMPLES)

    with capsys.disabled():
        print(f"\napi fuzz as anonymous and as acme's members at globex: {tally.summary()}")
    assert tally.statuses[401] >= tally.operations - 5
    assert tally.statuses[404] >= tally.operations - 5
    assert tally.failures == {}, tally.report()


def test_an_api_address_that_matches_no_route_answers_in_the_api_error_format(people, login):
    # A negative id matches no route: Django's 404 handler answers, not DRF's.
    response = login(people.employee).get(f"/api/v1/o/{people.org.slug}/career/goals/-1/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}
