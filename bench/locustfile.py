"""Mixed-role load on Trellis: ``python -m bench.load`` runs it headless against gunicorn.

Four kinds of virtual user, weighted as in a real organisation (most people are employees):

* employees open their home page, reflections, plan, skills, the opportunities with their
  match scores and their conversations;
* managers open their team, the team's skills matrix and one of their conversations;
* HR admins open the people directory, search it and the operations dashboard;
* leaders open the leader dashboard and the latest health-check results.

Every virtual user signs in once, over the allauth form with its CSRF token, as a distinct real
member of the organisation: ``LOAD_ACCOUNTS`` names a JSON file, written by ``bench.load``, with
the sign-in password, the accounts of each role and the URLs each one opens. The server is
treated as production behind a TLS-terminating proxy: requests carry
``X-Forwarded-Proto: https``, so the secure session cookie is kept over loopback HTTP, and each
virtual user connects from its own loopback address (127.0.0.x) as users come from their own
machines; otherwise the per-address sign-in rate limit would refuse most of them.

A response counts as a failure unless it is a 200 that did not end on the sign-in page.
Requests are named ``<role>: <page>``, so locust's statistics are per route; with
``LOAD_TIMINGS`` set, every request's time is also written there as JSON when locust quits.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
PASSWORD = ACCOUNTS["password"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Seconds each virtual user waits between two pages (people read what they open).
WAIT_MIN, WAIT_MAX = (float(s) for s in os.environ.get("LOAD_WAIT", "1,4").split(","))

LOOPBACK = {"127.0.0.1", "localhost"}
# Every request's name, milliseconds, success and end (Unix time), written to LOAD_TIMINGS (when
# set) at the end, so that percentiles are exact (locust's are rounded) and the sign-in phase can
# be told from the steady state.
TIMINGS: list[tuple[str, float, bool, float]] = []

_lock = threading.Lock()
_next = {role: itertools.count() for role in ACCOUNTS["roles"]}
_address = itertools.count()


def _account(role: str) -> dict:
    """The next unused account of ``role``; accounts are reused only once all are taken."""
    pool = ACCOUNTS["roles"][role]
    with _lock:
        n = next(_next[role])
    if n >= len(pool):
        print(f"warning: more {role} users than {len(pool)} accounts; reusing one")
    return pool[n % len(pool)]


def _source_address() -> str:
    """A loopback address of its own for each virtual user: 127.0.0.2, .3, … then 127.0.1.x."""
    with _lock:
        n = next(_address)
    return f"127.0.{n // 250}.{n % 250 + 2}"


_default_return_ok_secure = DefaultCookiePolicy.return_ok_secure


def _return_ok_secure(policy, cookie, request) -> bool:
    """Secure cookies go to the loopback server too: it stands for the TLS-terminating proxy.
    (``requests`` copies cookies into fresh jars with the default policy on every request, so
    the rule is changed for the policy class, and for loopback hosts only.)"""
    if urlparse(request.get_full_url()).hostname in LOOPBACK:
        return True
    return _default_return_ok_secure(policy, cookie, request)


DefaultCookiePolicy.return_ok_secure = _return_ok_secure


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs) -> None:
    TIMINGS.append((name, response_time, exception is None, time.time()))


@events.quitting.add_listener
def _write_timings(**_kwargs) -> None:
    if os.environ.get("LOAD_TIMINGS"):
        Path(os.environ["LOAD_TIMINGS"]).write_text(json.dumps(TIMINGS))


class _FromAddress(HTTPAdapter):
    """Opens its connections from one local address."""

    def __init__(self, address: str, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


class Member(HttpUser):
    """A signed-in member of one role; subclasses name the role and their pages."""

    abstract = True
    role = ""
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.account = _account(self.role)
        self.urls = self.account["urls"]
        host = urlparse(self.host)
        if host.hostname == "127.0.0.1":
            self.client.mount("http://", _FromAddress(_source_address()))
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = f"https://{host.netloc}"
        self.sign_in()

    def sign_in(self) -> None:
        login = ACCOUNTS["login_url"]
        with self.client.get(login, name="sign in: form", catch_response=True) as response:
            found = CSRF_FIELD.search(response.text)
            if response.status_code != 200 or not found:
                response.failure(f"sign-in form: HTTP {response.status_code}, no CSRF token")
                return
        with self.client.post(login, name="sign in: submit", catch_response=True,
                              data={"login": self.account["email"], "password": PASSWORD,
                                    "csrfmiddlewaretoken": found.group(1)},
                              headers={"Origin": self.origin, "Referer": self.origin + login},
                              ) as response:
            self._check(response)

    def _check(self, response) -> None:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
        elif urlparse(response.url).path.startswith(ACCOUNTS["login_url"]):
            response.failure("ended on the sign-in page")
        else:
            response.success()

    def page(self, key: str) -> None:
        with self.client.get(self.urls[key], name=f"{self.role}: {key}",
                             catch_response=True) as response:
            self._check(response)


class Employee(Member):
    role = "employee"
    weight = 30

    @task(3)
    def home(self):
        self.page("home")

    @task(2)
    def reflection(self):
        self.page("reflection")

    @task(2)
    def plan(self):
        self.page("plan")

    @task(2)
    def my_skills(self):
        self.page("my skills")

    @task(2)
    def opportunities(self):
        self.page("opportunities")

    @task(2)
    def conversations(self):
        self.page("conversations")


class Manager(Member):
    role = "manager"
    weight = 10

    @task(3)
    def my_team(self):
        self.page("my team")

    @task(2)
    def team_matrix(self):
        self.page("team matrix")

    @task(2)
    def conversation(self):
        self.page("conversation")


class HumanResources(Member):
    role = "hr"
    weight = 5

    @task(3)
    def people(self):
        self.page("people")

    @task(3)
    def search(self):
        self.page("people search")

    @task(1)
    def operations(self):
        self.page("operations")


class Leader(Member):
    role = "leader"
    weight = 5

    @task(3)
    def dashboard(self):
        self.page("leader dashboard")

    @task(1)
    def health_results(self):
        self.page("health-check results")
