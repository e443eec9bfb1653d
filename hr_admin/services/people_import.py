"""People import: an HRIS export (CSV) checked whole, then applied by a Celery task.

A check (the dry run) reads the whole file against the organisation as it is and writes only the
``PeopleImport`` row: every problem with its line and column, or a summary of what applying would
change. Applying (``people_import_run``, the body of ``hr_admin.tasks.people_import_apply``)
checks the file again, because the organisation may have changed since, and writes nothing if it
no longer passes. Otherwise it makes the members match the file, a chunk of rows per transaction,
with bulk writes (a few queries per chunk, never one per row).

"Make the members match the file" is what keeps it safe to repeat: every run compares the file
with the database and writes only the differences, so a run that crashed half-way and is run
again finishes the rest, and importing the same file twice changes nothing the second time (no
writes, no moves, no invitations; one audit event for the run itself).

Columns absent from the file leave those fields alone; a column present is the truth, blank
cells included (a blank manager means no manager, a blank role profile means none), except names
and start dates, which a blank cell keeps.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import tenancy
from organizations.models import Invitation, Membership, Organization, Team, User, hash_token
from organizations.services import audit, invitation_expiry
from organizations.sessions import sessions_end_for_leavers
from skills.models import CareerPath, MemberRole, RoleProfile

from ..models import ImportStatus, Move, MoveKind, MoveSource, PeopleImport
from .moves import move_kind, moves_bulk_create

MAX_ROWS = 100_000
MAX_FILE_BYTES = 32 * 1024 * 1024
# Every problem is reported, up to this many stored (a wrong file can have one on every cell);
# ``summary["problem_count"]`` keeps the full count.
MAX_STORED_PROBLEMS = 50_000
CHUNK_ROWS = 1_000
MANAGER_CHUNK = 5_000
# ``bulk_update`` writes one CASE over the batch's ids per column, which PostgreSQL scans row by
# row: small batches keep that linear.
UPDATE_BATCH = 250
PREVIEW_SIZE = 25
TEAMS_LISTED = 500
# Another worker holds the run while this advisory lock is taken (session level: released when
# its connection ends, so a worker that died does not keep it).
LOCK_NAMESPACE = 60_601
# Without PostgreSQL (the local SQLite run) a run still "applying" this long after it started
# belongs to a worker that is gone.
STALE_AFTER = timedelta(minutes=35)

FIELD_LENGTHS = {"email": 254, "first_name": 150, "last_name": 150, "job_title": 120}
TEAM_NAME_LENGTH = 120
TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "oui", "si", "sí", "✓", "✔"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "non", "-", ""})
DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    description: str
    example: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("email", "email", ("e-mail", "email address", "work email", "mail"),
           gettext_lazy("Work email address. It identifies the person: required on every line."),
           "grace.hopper@example.com", required=True),
    Column("first_name", "first name", ("firstname", "given name", "forename"),
           gettext_lazy("Needed for new people (or use “name”). A blank cell keeps the name."),
           "Grace"),
    Column("last_name", "last name", ("lastname", "surname", "family name"),
           gettext_lazy("Family name."), "Hopper"),
    Column("name", "name", ("full name", "display name", "employee name"),
           gettext_lazy("The whole name, when the export has no separate first and last names "
                        "(“Grace Hopper” or “Hopper, Grace”)."), ""),
    Column("job_title", "job title", ("title", "position", "job", "position title"),
           gettext_lazy("As people know the job. Blank clears it."), "Software Engineer"),
    Column("team", "team path", ("team", "department", "team name", "org unit"),
           gettext_lazy("The team, from the top of the tree down, separated by “/”. Blank: no "
                        "team."), "Engineering/Platform/API"),
    Column("manager_email", "manager email",
           ("manager", "line manager", "line manager email", "manager e-mail", "reports to",
            "supervisor email", "manager's email"),
           gettext_lazy("Email of the line manager: someone else in the file or an active member. "
                        "Blank: no manager."), "ada.lovelace@example.com"),
    Column("role", "role profile", ("role", "role profile title", "role title"),
           gettext_lazy("Title of one of the organisation's role profiles. Blank: none."),
           "Software Engineer II"),
    Column("is_hr_admin", "hr", ("hr flag", "hr admin", "is hr", "is hr admin"),
           gettext_lazy("yes or no: an HR admin of Trellis."), "no"),
    Column("is_leader", "leader", ("leader flag", "is leader"),
           gettext_lazy("yes or no: sees leaders' dashboards and publishes stories."), "no"),
    Column("started_on", "start date", ("started on", "hire date", "start", "date started",
                                         "joined"),
           gettext_lazy("YYYY-MM-DD. The date of the hire recorded for new people; blank keeps "
                        "it (today for someone new)."), "2023-09-15"),
    Column("language", "language", ("lang", "locale", "preferred language"),
           gettext_lazy("en, fr or es. Blank: the organisation's default."), "en"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


def _normalise_header(text: str) -> str:
    text = re.sub(r"\(.*?\)", " ", text.replace("\ufeff", "").replace("'", "")
                  .replace("\u2019", ""))
    return re.sub(r"[\s_\-.:]+", " ", text.casefold()).strip()


HEADER_KEYS = {
    _normalise_header(name): column.key
    for column in COLUMNS
    for name in (column.header, *column.aliases)
}

# What the summary counts as an update, by field.
UPDATE_FIELDS = {
    "name": gettext_lazy("name"),
    "job_title": gettext_lazy("job title"),
    "team": gettext_lazy("team"),
    "manager": gettext_lazy("manager"),
    "role": gettext_lazy("role profile"),
    "is_hr_admin": gettext_lazy("HR admin"),
    "is_leader": gettext_lazy("leader"),
    "started_on": gettext_lazy("start date"),
    "language": gettext_lazy("language"),
}


def template_csv() -> str:
    """The file HR download to start from: the header and two example lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    keys = [c for c in COLUMNS if c.key != "name"]
    writer.writerow([c.header for c in keys])
    writer.writerow(["ada.lovelace@example.com", "Ada", "Lovelace", "Head of Engineering",
                     "Engineering", "", "Engineering Manager", "no", "yes", "2019-04-01", "en"])
    writer.writerow([c.example for c in keys])
    return out.getvalue()


def decode_upload(data: bytes) -> str:
    """The uploaded bytes as text: UTF-8, with or without a byte-order mark."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than %(limit)s MB; split it into several "
                                "files.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text (unreadable byte at position %(position)s). Save it "
              "from your spreadsheet as “CSV UTF-8” and upload it again.")
            % {"position": error.start}) from None
    return clean_text(text)


def clean_text(text: str) -> str:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    if "\x00" in text:
        raise ValidationError(_("The file is not a text file (it contains NUL bytes)."))
    return text


# --- What the organisation holds now --------------------------------------------------------------


@dataclass(slots=True)
class Member:
    id: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    language: str
    job_title: str
    team_id: int | None
    manager_id: int | None
    is_hr_admin: bool
    is_leader: bool
    is_active: bool
    started_on: date | None
    role_id: int | None = None
    role_link_id: int | None = None


class _State:
    """The organisation's members, teams, role profiles and open invitations: a few queries."""

    def __init__(self, organization: Organization):
        org = organization
        self.members: dict[str, Member] = {}
        self.by_id: dict[int, Member] = {}
        rows = (Membership.objects.for_org(org)
                .values_list("pk", "user_id", "user__email", "user__first_name",
                             "user__last_name", "user__language", "job_title", "team_id",
                             "manager_id", "is_hr_admin", "is_leader", "is_active", "started_on"))
        for row in rows.iterator(chunk_size=5000):
            member = Member(*row)
            member.email = member.email.lower()
            self.members[member.email] = member
            self.by_id[member.id] = member
        for link_id, member_id, role_id in (MemberRole.objects.for_org(org)
                                            .values_list("pk", "member_id", "role_id")):
            member = self.by_id.get(member_id)
            if member is not None:
                member.role_id, member.role_link_id = role_id, link_id
        self.team_parent: dict[int, int | None] = {}
        self.team_name: dict[int, str] = {}
        self.team_exact: dict[tuple[int | None, str], int] = {}
        self.team_folded: dict[tuple[int | None, str], int] = {}
        for team_id, name, parent_id in (Team.objects.for_org(org).order_by("pk")
                                         .values_list("pk", "name", "parent_id")):
            self.add_team(team_id, name, parent_id)
        self.roles: dict[int, RoleProfile] = {}
        self.role_by_title: dict[str, RoleProfile] = {}
        for role in (RoleProfile.objects.for_org(org).order_by("pk")
                     .only("pk", "title", "grade", "family", "is_active")):
            self.roles[role.pk] = role
            self.role_by_title.setdefault(role.title.casefold(), role)
            self.role_by_title[role.title] = role
        self.paths = {(a, b): kind for a, b, kind in CareerPath.objects.for_org(org)
                      .values_list("from_role_id", "to_role_id", "kind")}
        self.open_invitations = set(
            Invitation.objects.for_org(org)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .annotate(address=Lower("email")).values_list("address", flat=True))
        self._roots: dict[int, int] = {}

    def add_team(self, team_id: int, name: str, parent_id: int | None) -> None:
        self.team_parent[team_id] = parent_id
        self.team_name[team_id] = name
        self.team_exact[(parent_id, name)] = team_id
        self.team_folded.setdefault((parent_id, name.casefold()), team_id)

    def child_team(self, parent_id: int | None, name: str) -> int | None:
        found = self.team_exact.get((parent_id, name))
        return found if found is not None else self.team_folded.get((parent_id, name.casefold()))

    def root_of(self, team_id: int | None) -> int | None:
        if team_id is None:
            return None
        if team_id not in self._roots:
            node, seen = team_id, set()
            while self.team_parent.get(node) is not None and node not in seen:
                seen.add(node)
                node = self.team_parent[node]
            self._roots[team_id] = node
        return self._roots[team_id]

    def team_path(self, team_id: int | None) -> str:
        names, node, seen = [], team_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            names.append(self.team_name.get(node, "?"))
            node = self.team_parent.get(node)
        return "/".join(reversed(names))

    @staticmethod
    def users_by_email(emails: list[str]) -> dict[str, tuple]:
        """Accounts that exist already (perhaps in another organisation), by address."""
        found: dict[str, tuple] = {}
        for start in range(0, len(emails), 5000):
            batch = emails[start:start + 5000]
            for user_id, email, first, last, language in (
                    User.objects.annotate(address=Lower("email")).filter(address__in=batch)
                    .values_list("pk", "address", "first_name", "last_name", "language")):
                found[email] = (user_id, first, last, language)
        return found


# --- The check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    is_full: bool = False
    deactivate_missing: bool = False
    create_teams: bool = False
    send_invitations: bool = True


@dataclass(slots=True)
class Row:
    """One person in the file: only the columns the file has (and, for names and start dates,
    only non-blank cells) are in ``values``."""

    line: int
    email: str
    values: dict = field(default_factory=dict)


CREATE, REACTIVATE, UPDATE = "create", "reactivate", "update"


@dataclass(slots=True)
class Op:
    """What applying does to one person."""

    line: int
    email: str
    kind: str
    member: Member | None
    user: tuple | None = None          # an existing account (id, first, last, language)
    user_fields: dict = field(default_factory=dict)
    member_fields: dict = field(default_factory=dict)   # team as an id or a new team's key
    manager: str | None = None         # manager's email ("" none), when it changes
    role_changed: bool = False
    role_id: int | None = None
    move: str | None = None            # a kind of move, when one is recorded
    invite: bool = False
    changed: tuple[str, ...] = ()


@dataclass
class Plan:
    # New teams, parents first: (key, name, parent key or None, parent id or None).
    teams: list[tuple[tuple, str, tuple | None, int | None]]
    ops: list[Op | None]               # one per person in the file, None when unchanged
    deactivate: list[Member]
    state: _State


@dataclass
class Outcome:
    total_rows: int
    problems: list[dict]
    problem_count: int
    summary: dict
    plan: Plan | None


class _Problems:
    def __init__(self):
        self.items: list[dict] = []
        self.count = 0

    def add(self, line: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_STORED_PROBLEMS:
            self.items.append({"line": line, "column": column, "message": message})

    def sorted(self) -> list[dict]:
        return sorted(self.items, key=lambda p: (p["line"], p["column"] != "", p["column"]))


def _delimiter(header_line: str) -> str:
    outside, quoted = [], False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    text = "".join(outside)
    counts = {d: text.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _flag(raw: str) -> bool | None:
    word = raw.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


LANGUAGE_NAMES = {"english": "en", "anglais": "en", "inglés": "en", "french": "fr",
                  "français": "fr", "francais": "fr", "francés": "fr", "spanish": "es",
                  "español": "es", "espagnol": "es", "espanol": "es"}


def _language(raw: str) -> str | None:
    word = raw.strip().casefold().replace("_", "-")
    if not word:
        return ""
    codes = {code for code, _name in settings.LANGUAGES}
    if word in codes:
        return word
    if word.split("-")[0] in codes:
        return word.split("-")[0]
    return LANGUAGE_NAMES.get(word)


def _split_name(raw: str) -> tuple[str, str]:
    if "," in raw:
        last, first = raw.split(",", 1)
        return first.strip(), last.strip()
    parts = raw.split()
    return (parts[0], " ".join(parts[1:])) if parts else ("", "")


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class _Check:
    """Reads the file and compares it with the organisation. One pass over the rows, then the
    checks that need all of them (duplicates, managers, loops), then the differences."""

    def __init__(self, organization: Organization, text: str, options: Options, *,
                 protected_ids: set[int], today: date):
        self.org = organization
        self.text = text
        self.options = options
        self.protected_ids = protected_ids
        self.today = today
        self.problems = _Problems()
        self.rows: list[Row] = []
        self.headers: dict[str, str] = {}
        self.ignored: list[str] = []
        self.total_rows = 0

    # -- reading --

    def read(self) -> None:
        first_line = self.text.split("\n", 1)[0]
        reader = csv.reader(io.StringIO(self.text, newline=""),
                            delimiter=_delimiter(first_line))
        try:
            header = next(reader, None)
        except csv.Error as error:
            self.problems.add(1, "", _("The header line cannot be read: %(error)s")
                              % {"error": error})
            return
        if not header or not any(cell.strip() for cell in header):
            self.problems.add(1, "", _("The first line must name the columns (email, first "
                                       "name, last name …)."))
            return
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            key = HEADER_KEYS.get(_normalise_header(cell))
            if key is None:
                if cell.strip():
                    self.ignored.append(cell.strip())
                continue
            if key in positions:
                self.problems.add(1, cell.strip(), _(
                    "Two columns mean the same thing (“%(first)s” and “%(second)s”): keep one.")
                    % {"first": self.headers[key], "second": cell.strip()})
                continue
            positions[key] = index
            self.headers[key] = cell.strip()
        if "name" in positions and ("first_name" in positions or "last_name" in positions):
            # Separate first and last names win over a combined one.
            self.ignored.append(self.headers.pop("name"))
            del positions["name"]
        if "email" not in positions:
            self.problems.add(1, "", _("The file has no “email” column: it is required, to "
                                       "know who each line is about."))
            return
        self.positions = positions
        width = len(header)
        previous_end = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                self.problems.add(previous_end + 1, "", _("This line cannot be read: %(error)s")
                                  % {"error": error})
                break
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            self.total_rows += 1
            if self.total_rows > MAX_ROWS:
                self.problems.add(line, "", _(
                    "The file has more than %(max)s people; split it into several files.")
                    % {"max": f"{MAX_ROWS:,}"})
                self.total_rows = MAX_ROWS
                break
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                self.problems.add(line, "", _(
                    "This line has %(count)s values but the header names %(width)s columns "
                    "(a separator inside a value needs quotes).")
                    % {"count": len(cells), "width": width})
                continue
            self._row(line, cells)

    def _cell(self, cells: list[str], key: str) -> str | None:
        index = self.positions.get(key)
        if index is None:
            return None
        return cells[index].strip() if index < len(cells) else ""

    def _row(self, line: int, cells: list[str]) -> None:
        add = partial(self._problem, line)
        email = (self._cell(cells, "email") or "").lower()
        if not email:
            add("email", _("The email address is missing."))
        elif len(email) > FIELD_LENGTHS["email"] or not _valid_email(email):
            add("email", _("“%(value)s” is not a valid email address.") % {"value": email})
            email = ""
        row = Row(line=line, email=email)
        values = row.values
        for key in ("first_name", "last_name", "job_title"):
            raw = self._cell(cells, key)
            if raw is None:
                continue
            if len(raw) > FIELD_LENGTHS[key]:
                add(key, _("Longer than %(max)s characters.") % {"max": FIELD_LENGTHS[key]})
            elif raw or key == "job_title":
                values[key] = raw
        raw = self._cell(cells, "name")
        if raw:
            first, last = _split_name(raw)
            if len(first) > FIELD_LENGTHS["first_name"] or len(last) > FIELD_LENGTHS["last_name"]:
                add("name", _("Longer than %(max)s characters.")
                    % {"max": FIELD_LENGTHS["first_name"]})
            else:
                values["first_name"], values["last_name"] = first, last
        raw = self._cell(cells, "team")
        if raw is not None:
            segments = tuple(s.strip() for s in raw.split("/") if s.strip())
            if any(len(s) > TEAM_NAME_LENGTH for s in segments):
                add("team", _("A team name is longer than %(max)s characters.")
                    % {"max": TEAM_NAME_LENGTH})
            else:
                values["team"] = segments
        raw = self._cell(cells, "manager_email")
        if raw is not None:
            manager = raw.lower()
            if manager and (len(manager) > FIELD_LENGTHS["email"] or not _valid_email(manager)):
                add("manager_email", _("“%(value)s” is not a valid email address.")
                    % {"value": raw})
            elif manager and manager == email:
                add("manager_email", _("A person cannot be their own manager."))
            else:
                values["manager_email"] = manager
        raw = self._cell(cells, "role")
        if raw is not None:
            if not raw:
                values["role"] = None
            else:
                role = self.state.role_by_title.get(raw) or \
                    self.state.role_by_title.get(raw.casefold())
                member = self.state.members.get(email)
                if role is None:
                    add("role", _("There is no role profile titled “%(value)s”. Create it in "
                                  "the skills framework first, or correct the title.")
                        % {"value": raw})
                elif not role.is_active and (member is None or member.role_id != role.pk):
                    add("role", _("The role profile “%(title)s” is no longer in use.")
                        % {"title": role.title})
                else:
                    values["role"] = role.pk
        for key in ("is_hr_admin", "is_leader"):
            raw = self._cell(cells, key)
            if raw is None:
                continue
            flag = _flag(raw)
            if flag is None:
                add(key, _("“%(value)s” is not yes or no.") % {"value": raw})
            else:
                values[key] = flag
        raw = self._cell(cells, "started_on")
        if raw:
            parsed = None
            if DATE_FORMAT.match(raw):
                with suppress(ValueError):
                    parsed = date.fromisoformat(raw)
            if parsed is None or parsed.year < 1900:
                add("started_on", _("“%(value)s” is not a date in the form YYYY-MM-DD.")
                    % {"value": raw})
            else:
                values["started_on"] = parsed
        raw = self._cell(cells, "language")
        if raw is not None:
            language = _language(raw)
            if language is None:
                add("language", _("“%(value)s” is not a language Trellis speaks: use en, fr or "
                                  "es, or leave it blank for the organisation's default.")
                    % {"value": raw})
            else:
                values["language"] = language
        self.rows.append(row)

    def _problem(self, line: int, key: str, message: str) -> None:
        column = self.headers.get(key, COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else key)
        self.problems.add(line, column, message)

    # -- checks across rows --

    def cross_check(self) -> None:
        state = self.state
        self.by_email: dict[str, Row] = {}
        for row in self.rows:
            if not row.email:
                continue
            first = self.by_email.get(row.email)
            if first is not None:
                self._problem(row.line, "email", _(
                    "%(email)s is also on line %(line)s: each person once.")
                    % {"email": row.email, "line": first.line})
                row.email = ""
            else:
                self.by_email[row.email] = row
        self.leaving: set[str] = set()
        if self.options.is_full and self.options.deactivate_missing:
            self.leaving = {email for email, m in state.members.items()
                            if m.is_active and email not in self.by_email
                            and m.id not in self.protected_ids}
        for row in self.rows:
            manager = row.values.get("manager_email")
            if not manager or not row.email:
                continue
            member = state.members.get(manager)
            if manager in self.by_email:
                continue
            if member is None:
                self._problem(row.line, "manager_email", _(
                    "The manager %(email)s is neither in this file nor a member of the "
                    "organisation.") % {"email": manager})
                row.values.pop("manager_email")
            elif not member.is_active:
                self._problem(row.line, "manager_email", _(
                    "The manager %(email)s is no longer an active member; add them to the "
                    "file to bring them back.") % {"email": manager})
                row.values.pop("manager_email")
            elif manager in self.leaving:
                self._problem(row.line, "manager_email", _(
                    "The manager %(email)s is not in this full file and would be deactivated.")
                    % {"email": manager})
                row.values.pop("manager_email")
        if "manager_email" in self.positions:
            self._loops()
        for row in self.rows:
            member = state.members.get(row.email)
            if member is None or member.id not in self.protected_ids:
                continue
            if row.values.get("is_hr_admin") is False and member.is_hr_admin:
                self._problem(row.line, "is_hr_admin", _(
                    "This line is you: an import cannot take away your own HR admin role."))
        for row in self.rows:
            team = row.values.get("team")
            if not team or not row.email:
                continue
            parent, known = None, 0
            for name in team:
                found = state.child_team(parent, name)
                if found is None:
                    break
                parent, known = found, known + 1
            if known < len(team) and not self.options.create_teams:
                where = "/".join(team[:known])
                self._problem(row.line, "team", _(
                    "The team “%(path)s” does not exist: there is no “%(name)s” %(where)s. "
                    "Create it first, or choose “Create teams that do not exist yet”.")
                    % {"path": "/".join(team), "name": team[known],
                       "where": (_("under “%(parent)s”") % {"parent": where}) if where
                       else _("at the top of the team tree")})

    def _manager_of(self, email: str) -> str | None:
        row = self.by_email.get(email)
        if row is not None and "manager_email" in row.values:
            return row.values["manager_email"] or None
        member = self.state.members.get(email)
        if member is None or member.manager_id is None:
            return None
        manager = self.state.by_id.get(member.manager_id)
        return manager.email if manager is not None else None

    def _loops(self) -> None:
        """A manager line that comes back to where it started, through the file and members
        not in it. Each line of the file on the loop is reported."""
        done: set[str] = set()
        for start in self.by_email:
            if start in done:
                continue
            path: list[str] = []
            on_path: dict[str, int] = {}
            node = start
            while node is not None and node not in done and node not in on_path:
                on_path[node] = len(path)
                path.append(node)
                node = self._manager_of(node)
            if node is not None and node in on_path:
                loop = path[on_path[node]:]
                shown = " → ".join([*loop, loop[0]])
                for email in loop:
                    row = self.by_email.get(email)
                    if row is not None:
                        self._problem(row.line, "manager_email", _(
                            "This makes a loop in the manager line: %(loop)s.") % {"loop": shown})
            done.update(path)

    # -- differences --

    def diff(self) -> tuple[Plan, dict]:
        state = self.state
        options = self.options
        new_teams: dict[tuple, tuple[str, tuple | None, int | None]] = {}
        team_refs: dict[tuple, object] = {}

        def team_ref(segments: tuple) -> object:
            """An existing team's id, or the key of one this import creates."""
            if not segments:
                return None
            if segments in team_refs:
                return team_refs[segments]
            parent_id, parent_key, ref = None, None, None
            for depth, name in enumerate(segments, 1):
                if parent_key is None:
                    found = state.child_team(parent_id, name)
                    if found is not None:
                        parent_id = ref = found
                        continue
                key = tuple(s.casefold() for s in segments[:depth])
                new_teams.setdefault(key, (name, parent_key,
                                           parent_id if parent_key is None else None))
                parent_key = ref = key
            team_refs[segments] = ref
            return ref

        def root(ref: object) -> object:
            if ref is None:
                return None
            if isinstance(ref, tuple):
                top = new_teams.get(ref[:1])
                return ("new", ref[0]) if top is not None else state.child_team(None, ref[0])
            return state.root_of(ref)

        emails = [row.email for row in self.rows if row.email and row.email not in state.members]
        accounts = state.users_by_email(emails) if emails else {}
        ops: list[Op | None] = []
        counts: Counter = Counter()
        fields_counted: Counter = Counter()
        moves: Counter = Counter()
        preview: dict[str, list] = {"created": [], "updated": [], "deactivated": []}
        for row in self.rows:
            if not row.email:
                continue
            values = row.values
            member = state.members.get(row.email)
            team = team_ref(values["team"]) if "team" in values else None
            if member is None or not member.is_active:
                op = self._join(row, member, accounts.get(row.email), team)
                if member is None and not op.user_fields.get("first_name") and \
                        not (op.user and op.user[1]):
                    self._problem(row.line, "first_name" if "first_name" in self.headers
                                  else "name" if "name" in self.headers else "email",
                                  _("%(email)s is new here: their first name is needed.")
                                  % {"email": row.email})
                counts["created" if member is None else "reactivated"] += 1
                counts["invitations"] += op.invite
                moves[MoveKind.HIRE] += 1
                if len(preview["created"]) < PREVIEW_SIZE:
                    preview["created"].append({
                        "line": row.line, "email": row.email,
                        "name": " ".join(filter(None, (
                            op.user_fields.get("first_name", op.user[1] if op.user else ""),
                            op.user_fields.get("last_name", op.user[2] if op.user else "")))),
                        "job_title": values.get("job_title", member.job_title if member else ""),
                        "team": "/".join(values.get("team", ())),
                        "reactivated": member is not None,
                    })
                ops.append(op)
                continue
            op = self._update(row, member, team, root)
            if op is None:
                counts["unchanged"] += 1
                ops.append(None)
                continue
            counts["updated"] += 1
            fields_counted.update(op.changed)
            if op.move:
                moves[op.move] += 1
            if len(preview["updated"]) < PREVIEW_SIZE:
                preview["updated"].append({"line": row.line, "email": row.email,
                                           "fields": list(op.changed)})
            ops.append(op)
        deactivate = [state.members[email] for email in sorted(self.leaving)]
        counts["deactivated"] = len(deactivate)
        moves[MoveKind.EXIT] += len(deactivate)
        for member in deactivate[:PREVIEW_SIZE]:
            preview["deactivated"].append({
                "email": member.email,
                "name": " ".join(filter(None, (member.first_name, member.last_name)))})
        missing = [m for m in state.members.values()
                   if options.is_full and m.is_active and m.email not in self.by_email]
        kept = [m for m in missing if options.deactivate_missing and m.id in self.protected_ids]
        ordered = sorted(new_teams.items(), key=lambda item: len(item[0]))
        teams = [(key, name, parent_key, parent_id)
                 for key, (name, parent_key, parent_id) in ordered]
        team_paths = [self._new_team_path(key, new_teams) for key, *_rest in teams]
        summary = {
            "created": counts["created"],
            "reactivated": counts["reactivated"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
            "deactivated": counts["deactivated"],
            "invitations": counts["invitations"],
            "updated_fields": {k: fields_counted[k] for k in UPDATE_FIELDS if fields_counted[k]},
            "moves": {str(k): v for k, v in moves.items() if v},
            "teams_to_create": team_paths[:TEAMS_LISTED],
            "teams_to_create_count": len(team_paths),
            "kept_active": len(kept),
            "missing": len(missing),
            "preview": preview,
        }
        return Plan(teams=teams, ops=ops, deactivate=deactivate, state=state), summary

    def _new_team_path(self, key: tuple, new_teams: dict) -> str:
        names, node = [], key
        while node is not None:
            name, parent_key, parent_id = new_teams[node]
            names.append(name)
            if parent_key is None:
                if parent_id is not None:
                    names.append(self.state.team_path(parent_id))
                break
            node = parent_key
        return "/".join(reversed(names))

    def _join(self, row: Row, member: Member | None, account: tuple | None, team) -> Op:
        """Someone new here, or a former member coming back: a hire."""
        values = row.values
        kind = REACTIVATE if member is not None else CREATE
        op = Op(line=row.line, email=row.email, kind=kind, member=member, user=account,
                move=MoveKind.HIRE)
        current = (member.first_name, member.last_name, member.language) if member else \
            (account[1], account[2], account[3]) if account else ("", "", "")
        for index, key in enumerate(("first_name", "last_name", "language")):
            if key in values and values[key] != current[index]:
                op.user_fields[key] = values[key]
        base = {"job_title": member.job_title if member else "",
                "team": member.team_id if member else None,
                "is_hr_admin": member.is_hr_admin if member else False,
                "is_leader": member.is_leader if member else False}
        for key in ("job_title", "is_hr_admin", "is_leader"):
            op.member_fields[key] = values.get(key, base[key])
        op.member_fields["team"] = team if "team" in values else base["team"]
        op.member_fields["started_on"] = values.get("started_on") or self.today
        op.manager = values.get("manager_email", None)
        if op.manager is None and member is not None and member.manager_id:
            manager = self.state.by_id.get(member.manager_id)
            op.manager = manager.email if manager is not None else ""
        op.role_id = values.get("role", member.role_id if member else None)
        op.role_changed = member is None or op.role_id != member.role_id
        op.invite = (member is None and account is None and self.options.send_invitations
                     and row.email not in self.state.open_invitations)
        return op

    def _update(self, row: Row, member: Member, team, root) -> Op | None:
        values = row.values
        op = Op(line=row.line, email=row.email, kind=UPDATE, member=member)
        changed: list[str] = []
        for key in ("first_name", "last_name"):
            if key in values and values[key] != getattr(member, key):
                op.user_fields[key] = values[key]
        if op.user_fields:
            changed.append("name")
        if "language" in values and values["language"] != member.language:
            op.user_fields["language"] = values["language"]
            changed.append("language")
        for key in ("job_title", "is_hr_admin", "is_leader", "started_on"):
            if key in values and values[key] != getattr(member, key):
                op.member_fields[key] = values[key]
                changed.append(key)
        if "team" in values and team != member.team_id:
            op.member_fields["team"] = team
            changed.append("team")
        if "manager_email" in values:
            wanted = values["manager_email"]
            target = self.state.members.get(wanted) if wanted else None
            if (target.id if target else None) != member.manager_id or \
                    (wanted and target is None):
                op.manager = wanted
                changed.append("manager")
        if "role" in values and values["role"] != member.role_id:
            op.role_changed, op.role_id = True, values["role"]
            changed.append("role")
        if not changed:
            return None
        op.changed = tuple(changed)
        new_team = op.member_fields.get("team", member.team_id)
        new_role = op.role_id if op.role_changed else member.role_id
        op.move = self._move_kind(member.team_id, new_team, member.role_id, new_role, root)
        return op

    def _move_kind(self, from_team, to_team, from_role_id, to_role_id, root) -> str | None:
        """The same rules as ``moves.placement_changed``: a first role given, or a role taken
        away, with the team unchanged describes the person and moves nothing."""
        if from_team == to_team and from_role_id == to_role_id:
            return None
        if from_team == to_team and (from_role_id is None or to_role_id is None):
            return None
        roles = self.state.roles
        from_role, to_role = roles.get(from_role_id), roles.get(to_role_id)
        return move_kind(from_role=from_role, to_role=to_role,
                         from_root_team_id=root(from_team), to_root_team_id=root(to_team),
                         path_kind=self.state.paths.get((from_role_id, to_role_id)))

    def run(self) -> Outcome:
        self.state = _State(self.org)
        self.read()
        plan, summary = None, {}
        if self.rows:
            self.cross_check()
            plan, summary = self.diff()
        elif not self.problems.count:
            self.problems.add(2, "", _("The file has a header but nobody in it."))
        summary.update({"rows": self.total_rows, "problem_count": self.problems.count,
                        "ignored_columns": self.ignored,
                        "columns": [self.headers[c.key] for c in COLUMNS if c.key in self.headers]})
        problems = self.problems.sorted()
        summary["problem_count"] = self.problems.count
        if self.problems.count:
            plan = None
            summary = {k: summary[k] for k in ("rows", "problem_count", "ignored_columns",
                                                "columns")}
        return Outcome(total_rows=self.total_rows, problems=problems,
                       problem_count=self.problems.count, summary=summary, plan=plan)


def _today(organization: Organization) -> date:
    return datetime.now(ZoneInfo(organization.time_zone or "UTC")).date()


def check(*, organization: Organization, text: str, options: Options,
          protected_ids: set[int]) -> Outcome:
    """Compare the file with the organisation: problems, or the plan and its summary."""
    return _Check(organization, text, options, protected_ids=protected_ids,
                  today=_today(organization)).run()


# --- The run's row ------------------------------------------------------------------------------


def _options_of(people_import: PeopleImport) -> Options:
    saved = (people_import.summary or {}).get("options", {})
    return Options(is_full=people_import.is_full,
                   deactivate_missing=people_import.deactivate_missing,
                   create_teams=bool(saved.get("create_teams")),
                   send_invitations=people_import.send_invitations)


def _store(people_import: PeopleImport, outcome: Outcome, options: Options,
           extra: dict | None = None) -> None:
    people_import.total_rows = outcome.total_rows
    people_import.problems = outcome.problems
    people_import.summary = {**outcome.summary, "options": {"create_teams": options.create_teams,
                                                            **(extra or {})}}
    people_import.status = ImportStatus.INVALID if outcome.problem_count else \
        ImportStatus.VALIDATED


def _require_hr(organization: Organization, actor: Membership) -> None:
    if actor.organization_id != organization.pk or not actor.is_hr_admin or not actor.is_active:
        raise PermissionDenied(_("Only HR admins import people."))


def _validate_options(options: Options) -> None:
    if options.deactivate_missing and not options.is_full:
        raise ValidationError({"deactivate_missing": _(
            "Only a file that lists everyone can deactivate the people missing from it: tick "
            "“This file lists everyone” too.")})


def _same_file_applied(organization: Organization, digest: str) -> dict | None:
    earlier = (PeopleImport.objects.for_org(organization)
               .filter(content_sha256=digest, status=ImportStatus.APPLIED)
               .order_by("-finished_at").values("pk", "finished_at").first())
    if earlier is None:
        return None
    return {"id": earlier["pk"], "finished_at": earlier["finished_at"].isoformat()
            if earlier["finished_at"] else None}


@transaction.atomic
def people_import_check(*, organization: Organization, actor: Membership, text: str,
                        file_name: str = "", is_full: bool = False,
                        deactivate_missing: bool = False, create_teams: bool = False,
                        send_invitations: bool = True) -> PeopleImport:
    """The dry run: check the whole file and keep the result. Writes nothing but the run."""
    _require_hr(organization, actor)
    options = Options(is_full=is_full, deactivate_missing=deactivate_missing,
                      create_teams=create_teams, send_invitations=send_invitations)
    _validate_options(options)
    text = clean_text(text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    outcome = check(organization=organization, text=text, options=options,
                    protected_ids={actor.pk})
    people_import = PeopleImport(
        organization=organization, uploaded_by=actor, file_name=file_name[:255],
        content=text, content_sha256=digest, is_full=is_full,
        deactivate_missing=deactivate_missing, send_invitations=send_invitations)
    _store(people_import, outcome, options)
    same = _same_file_applied(organization, digest)
    if same:
        people_import.summary["same_file_applied"] = same
    with tenancy.organization_scope(organization):
        people_import.full_clean()
    people_import.save()
    return people_import


RECHECKABLE = (ImportStatus.VALIDATED, ImportStatus.INVALID, ImportStatus.FAILED)
# A queued run can be given up too (its task may have been lost): the task's claim and the
# discard both lock the row, so a run is either applied or discarded, never both.
DISCARDABLE = (*RECHECKABLE, ImportStatus.QUEUED)


def _locked(organization: Organization, people_import: PeopleImport) -> PeopleImport:
    if people_import.organization_id != organization.pk:
        raise PermissionDenied(_("This import is not part of this organisation."))
    return PeopleImport.objects.for_org(organization).select_for_update().get(
        pk=people_import.pk)


@transaction.atomic
def people_import_recheck(*, organization: Organization, actor: Membership,
                          people_import: PeopleImport) -> PeopleImport:
    """Check the kept file again, against the organisation as it is now (after a role profile
    or a team was added, say)."""
    _require_hr(organization, actor)
    people_import = _locked(organization, people_import)
    if people_import.status not in RECHECKABLE or not people_import.content:
        raise ValidationError(_("This import can no longer be checked; upload the file again."))
    options = _options_of(people_import)
    outcome = check(organization=organization, text=people_import.content, options=options,
                    protected_ids={actor.pk, people_import.uploaded_by_id} - {None})
    _store(people_import, outcome, options)
    people_import.error = ""
    people_import.processed_rows = 0
    people_import.save(update_fields=["total_rows", "problems", "summary", "status", "error",
                                      "processed_rows"])
    return people_import


@transaction.atomic
def people_import_queue(*, organization: Organization, actor: Membership,
                        people_import: PeopleImport) -> PeopleImport:
    """Apply a checked run: it is queued, and the task does the work after commit."""
    _require_hr(organization, actor)
    people_import = _locked(organization, people_import)
    if people_import.status != ImportStatus.VALIDATED or not people_import.content:
        raise ValidationError(_("Only a checked file without problems can be applied."))
    people_import.status = ImportStatus.QUEUED
    people_import.processed_rows = 0
    people_import.summary = {**people_import.summary,
                             "options": {**people_import.summary.get("options", {}),
                                         "applied_by_id": actor.pk}}
    people_import.save(update_fields=["status", "processed_rows", "summary"])
    from ..tasks import people_import_apply

    transaction.on_commit(partial(people_import_apply.delay, organization.pk, people_import.pk))
    return people_import


@transaction.atomic
def people_import_discard(*, organization: Organization, actor: Membership,
                          people_import: PeopleImport) -> PeopleImport:
    """Give up a run that was not applied; its file is not kept."""
    _require_hr(organization, actor)
    people_import = _locked(organization, people_import)
    if people_import.status not in DISCARDABLE:
        raise ValidationError(_("Only an import that is not applied can be discarded."))
    people_import.status = ImportStatus.DISCARDED
    people_import.finished_at = timezone.now()
    _forget_file(people_import)
    people_import.save(update_fields=["status", "finished_at", "content", "summary"])
    return people_import


def _forget_file(people_import: PeopleImport) -> None:
    """The file and the names in the preview go; counts and problems stay."""
    people_import.content = ""
    people_import.summary = {k: v for k, v in (people_import.summary or {}).items()
                             if k != "preview"}


# --- Applying -----------------------------------------------------------------------------------


@contextmanager
def _organization_transaction(organization_id: int) -> Iterator[None]:
    """One transaction in the organisation's scope and database context (as ``tenant_task``
    sets up for a whole task: here one per chunk, so that progress shows and a crash keeps what
    was done)."""
    with transaction.atomic():
        switched = tenancy.db_enter_app_role()
        try:
            with tenancy.organization_scope(organization_id):
                yield
        finally:
            if switched:
                tenancy.db_leave_app_role()


@contextmanager
def _run_lock(import_id: int) -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, import_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with suppress(Exception), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, import_id])


PHASES = {
    "checking": gettext_lazy("Checking the file again"),
    "teams": gettext_lazy("Creating teams"),
    "people": gettext_lazy("Updating people"),
    "managers": gettext_lazy("Linking managers"),
    "deactivating": gettext_lazy("Deactivating people who left"),
    "finishing": gettext_lazy("Finishing"),
}
RESULT_KEYS = ("created", "reactivated", "updated", "deactivated", "invitations", "moves",
               "teams_created")


@dataclass
class _Run:
    organization: Organization
    people_import: PeopleImport
    actor: Membership | None
    plan: Plan
    today: date
    result: dict
    team_ids: dict = field(default_factory=dict)
    member_ids: dict = field(default_factory=dict)
    managers_later: list = field(default_factory=list)

    def team_id(self, ref) -> int | None:
        return self.team_ids[ref] if isinstance(ref, tuple) else ref


def _claim(organization_id: int, import_id: int) -> PeopleImport | None:
    with _organization_transaction(organization_id):
        people_import = (PeopleImport.objects.select_for_update(of=("self",))
                         .select_related("organization").filter(pk=import_id).first())
        if people_import is None:
            return None
        if people_import.status == ImportStatus.APPLYING:
            # The lock is ours, so whoever was applying is gone: carry on where it stopped.
            started = people_import.started_at
            if connection.vendor != "postgresql" and started and \
                    timezone.now() - started < STALE_AFTER:
                return None
        elif people_import.status != ImportStatus.QUEUED:
            return None
        else:
            people_import.started_at = timezone.now()
            people_import.processed_rows = 0
            people_import.summary = {**people_import.summary, "result": {}}
        people_import.status = ImportStatus.APPLYING
        people_import.summary = {**people_import.summary, "phase": "checking"}
        people_import.save(update_fields=["status", "started_at", "processed_rows", "summary"])
        return people_import


def _progress(run: _Run, phase: str, processed: int | None = None) -> None:
    people_import = run.people_import
    people_import.summary = {**people_import.summary, "phase": phase, "result": run.result}
    fields = ["summary"]
    if processed is not None:
        people_import.processed_rows = processed
        fields.append("processed_rows")
    PeopleImport.objects.for_org(people_import.organization_id).filter(pk=people_import.pk).update(
        **{name: getattr(people_import, name) for name in fields})


class ImportHeld(Exception):
    """Another database session holds the run's lock while the run is still to be applied."""


def _still_to_apply(organization_id: int, import_id: int) -> bool:
    with _organization_transaction(organization_id):
        return (PeopleImport.objects.for_org(organization_id)
                .filter(pk=import_id, status__in=(ImportStatus.QUEUED, ImportStatus.APPLYING))
                .exists())


#: A run queued or applying this long, with nobody holding its lock, has lost its task.
STALLED_AFTER = timedelta(minutes=10)


def people_imports_stalled(now=None) -> list[tuple[int, int]]:
    """(organisation id, import id) of every run left queued or applying, for longer than
    ``STALLED_AFTER``, whose lock nobody holds: its task was lost (a broker that lost its
    messages, a worker killed between taking the message and acknowledging it). The run lives
    in the database, so the scan that calls this queues it again; ``people_import_run`` is
    idempotent, so a run whose message was only late is not applied twice."""
    since = (now or timezone.now()) - STALLED_AFTER
    with tenancy.as_worker_across_organizations(reason="people imports: find stalled runs"):
        runs = list(PeopleImport.objects
                    .filter(status__in=(ImportStatus.QUEUED, ImportStatus.APPLYING))
                    .filter(Q(started_at__lt=since)
                            | Q(started_at__isnull=True, created_at__lt=since))
                    .order_by("pk").values_list("organization_id", "pk"))
    stalled = []
    for organization_id, import_id in runs:
        with _run_lock(import_id) as free:
            if free:
                stalled.append((organization_id, import_id))
    return stalled


def people_import_run(*, organization_id: int, import_id: int) -> bool:
    """Apply a queued run; the body of the ``people_import_apply`` task.

    Idempotent: the run is claimed (an advisory lock, then the row under ``select_for_update``),
    so a second delivery of the task, or one racing it, does nothing. A run left "applying" by a
    worker that died is taken over and finished: every chunk compares the file with the database
    afresh. Returns whether this call applied it.

    Raises ``ImportHeld`` when the lock is taken and the run is not finished, for the task to try
    again later: the holder may be a worker that was killed, whose database session lives on
    (lock and all) until the statement it was running ends, while the message is already handed
    to another worker. Returning then would leave the run "applying" with nobody to finish it.
    """
    with _run_lock(import_id) as held:
        if not held:
            if _still_to_apply(organization_id, import_id):
                raise ImportHeld(import_id)
            return False
        people_import = _claim(organization_id, import_id)
        if people_import is None:
            return False
        organization = people_import.organization
        options = _options_of(people_import)
        actor_id = people_import.summary.get("options", {}).get("applied_by_id") or \
            people_import.uploaded_by_id
        with _organization_transaction(organization_id):
            actor = (Membership.objects.for_org(organization).filter(pk=actor_id).first()
                     if actor_id else None)
            protected = {i for i in (actor_id, people_import.uploaded_by_id) if i}
            outcome = check(organization=organization, text=people_import.content,
                            options=options, protected_ids=protected)
        if outcome.problem_count:
            _fail(organization_id, import_id, problems=outcome.problems,
                  summary=outcome.summary, error=_(
                      "The organisation changed since the file was checked, and the file no "
                      "longer passes. Nothing was written. Correct the problems below, or check "
                      "the file again."))
            return False
        run = _Run(organization=organization, people_import=people_import, actor=actor,
                   plan=outcome.plan, today=_today(organization),
                   result=dict(people_import.summary.get("result") or {}))
        _apply(run)
        return True


def _fail(organization_id: int, import_id: int, *, error: str, problems=None,
          summary=None) -> None:
    with _organization_transaction(organization_id):
        people_import = PeopleImport.objects.select_for_update().get(pk=import_id)
        people_import.status = ImportStatus.FAILED
        people_import.error = error
        people_import.finished_at = timezone.now()
        if problems is not None:
            people_import.problems = problems
        if summary is not None:
            people_import.summary = {**summary,
                                     "options": people_import.summary.get("options", {}),
                                     "result": people_import.summary.get("result", {})}
        people_import.save(update_fields=["status", "error", "finished_at", "problems",
                                          "summary"])


def people_import_fail(*, organization_id: int, import_id: int, error: str) -> None:
    """An applying run stopped by an error: what was applied stays (each chunk committed), the
    file is kept so that it can be checked and applied again to finish."""
    with _organization_transaction(organization_id):
        still = (PeopleImport.objects.for_org(organization_id)
                 .filter(pk=import_id, status=ImportStatus.APPLYING).exists())
    if still:
        _fail(organization_id, import_id, error=error)


def _bump(run: _Run, key: str, amount: int = 1) -> None:
    if amount:
        run.result[key] = run.result.get(key, 0) + amount


def _apply(run: _Run) -> None:
    org_id = run.organization.pk
    plan = run.plan
    run.member_ids = {email: m.id for email, m in plan.state.members.items()}
    if plan.teams:
        with _organization_transaction(org_id):
            _progress(run, "teams")
            _create_teams(run)
    total = len(plan.ops)
    for start in range(0, total, CHUNK_ROWS):
        chunk = [op for op in plan.ops[start:start + CHUNK_ROWS] if op is not None]
        with _organization_transaction(org_id):
            if chunk:
                _apply_people(run, chunk)
            _progress(run, "people", min(total, start + CHUNK_ROWS))
    later = run.managers_later
    for start in range(0, len(later), MANAGER_CHUNK):
        with _organization_transaction(org_id):
            _progress(run, "managers")
            _link_managers(run, later[start:start + MANAGER_CHUNK])
    for start in range(0, len(plan.deactivate), CHUNK_ROWS):
        with _organization_transaction(org_id):
            _progress(run, "deactivating")
            _deactivate(run, plan.deactivate[start:start + CHUNK_ROWS])
    with _organization_transaction(org_id):
        people_import = PeopleImport.objects.select_for_update().get(pk=run.people_import.pk)
        result = run.result
        audit(organization=run.organization, actor=run.actor,
              action="hr.people_import_applied", import_id=people_import.pk,
              file_name=people_import.file_name, rows=people_import.total_rows,
              **{key: result.get(key, 0) for key in RESULT_KEYS})
        people_import.status = ImportStatus.APPLIED
        people_import.finished_at = timezone.now()
        people_import.processed_rows = people_import.total_rows
        people_import.summary = {**people_import.summary, "phase": "finishing",
                                 "result": result}
        _forget_file(people_import)
        people_import.save(update_fields=["status", "finished_at", "processed_rows", "summary",
                                          "content"])


def _create_teams(run: _Run) -> None:
    """New teams, a level of the tree at a time (a parent's id is needed by its children)."""
    org = run.organization
    by_depth: dict[int, list] = defaultdict(list)
    for key, name, parent_key, parent_id in run.plan.teams:
        by_depth[len(key)].append((key, name, parent_key, parent_id))
    for depth in sorted(by_depth):
        level = by_depth[depth]
        rows = [Team(organization=org, name=name,
                     parent_id=run.team_ids[parent_key] if parent_key else parent_id)
                for key, name, parent_key, parent_id in level]
        Team.objects.for_org(org).bulk_create(rows)
        for (key, *_rest), team in zip(level, rows, strict=True):
            run.team_ids[key] = team.pk
            run.plan.state.add_team(team.pk, team.name, team.parent_id)
    _bump(run, "teams_created", len(run.plan.teams))


def _apply_people(run: _Run, ops: list[Op]) -> None:
    org, actor = run.organization, run.actor
    actor_id = actor.pk if actor else None
    state = run.plan.state
    today = run.today
    # Accounts first: people new to Trellis get one with no usable password (they set it from
    # their invitation), and an unverified address until they do.
    new_users = [(op, User(email=op.email, first_name=op.user_fields.get("first_name", ""),
                           last_name=op.user_fields.get("last_name", ""),
                           language=op.user_fields.get("language", ""),
                           password=make_password(None)))
                 for op in ops if op.kind == CREATE and op.user is None]
    if new_users:
        User.objects.bulk_create([user for _op, user in new_users])
        EmailAddress.objects.bulk_create([
            EmailAddress(user_id=user.pk, email=user.email, verified=False, primary=True)
            for _op, user in new_users])
    user_id_of = {op.email: user.pk for op, user in new_users}
    user_updates: dict[frozenset, list[User]] = defaultdict(list)
    for op in ops:
        if op.user_fields and not (op.kind == CREATE and op.user is None):
            uid = op.member.user_id if op.member else op.user[0]
            user_updates[frozenset(op.user_fields)].append(User(pk=uid, **op.user_fields))
    for names, users in user_updates.items():
        User.objects.bulk_update(users, sorted(names), batch_size=UPDATE_BATCH)

    # Memberships: new ones in one insert, changed ones grouped by what changed.
    creates = [op for op in ops if op.kind == CREATE]
    new_members = []
    for op in creates:
        fields = op.member_fields
        manager_id = run.member_ids.get(op.manager) if op.manager else None
        if op.manager and manager_id is None:
            run.managers_later.append((op.email, op.manager))
        new_members.append(Membership(
            organization=org, user_id=user_id_of.get(op.email) or op.user[0],
            job_title=fields["job_title"], team_id=run.team_id(fields["team"]),
            manager_id=manager_id, is_hr_admin=fields["is_hr_admin"],
            is_leader=fields["is_leader"], started_on=fields["started_on"], is_active=True))
    if new_members:
        Membership.objects.for_org(org).bulk_create(new_members)
    for op, membership in zip(creates, new_members, strict=True):
        run.member_ids[op.email] = membership.pk
    member_updates: dict[frozenset, list[Membership]] = defaultdict(list)
    for op in ops:
        if op.kind == CREATE:
            continue
        values = {}
        for key, value in op.member_fields.items():
            if key == "team":
                values["team_id"] = run.team_id(value)
            else:
                values[key] = value
        if op.kind == REACTIVATE:
            values["is_active"] = True
        if op.manager is not None:
            manager_id = run.member_ids.get(op.manager) if op.manager else None
            if op.manager and manager_id is None:
                run.managers_later.append((op.email, op.manager))
            elif op.kind == UPDATE or manager_id != op.member.manager_id:
                values["manager_id"] = manager_id
        if values:
            member_updates[frozenset(values)].append(Membership(pk=op.member.id, **values))
    for names, members in member_updates.items():
        Membership.objects.for_org(org).bulk_update(
            members, sorted(n.removesuffix("_id") for n in names), batch_size=UPDATE_BATCH)

    # Role profiles.
    links_new, links_changed, links_cleared = [], [], []
    for op in ops:
        if not op.role_changed:
            continue
        member_id = run.member_ids[op.email]
        link_id = op.member.role_link_id if op.member else None
        since = today if op.kind == UPDATE else \
            min(op.member_fields.get("started_on") or today, today)
        if op.role_id is None:
            if link_id:
                links_cleared.append(link_id)
        elif link_id:
            links_changed.append(MemberRole(pk=link_id, role_id=op.role_id, since=since))
        else:
            links_new.append(MemberRole(organization=org, member_id=member_id,
                                        role_id=op.role_id, since=since))
    if links_new:
        MemberRole.objects.for_org(org).bulk_create(links_new)
    if links_changed:
        MemberRole.objects.for_org(org).bulk_update(links_changed, ["role", "since"],
                                                   batch_size=UPDATE_BATCH)
    if links_cleared:
        MemberRole.objects.for_org(org).filter(pk__in=links_cleared).delete()

    # Moves: a hire for each arrival, a classified move for each change of team or role.
    moves = []
    for op in ops:
        if not op.move:
            continue
        member_id = run.member_ids[op.email]
        if op.kind in (CREATE, REACTIVATE):
            to_role = state.roles.get(op.role_id)
            moves.append(Move(
                member_id=member_id, kind=MoveKind.HIRE,
                effective_on=op.member_fields["started_on"] or today,
                to_role=to_role, to_grade=to_role.grade if to_role else "",
                to_team_id=run.team_id(op.member_fields["team"]),
                source=MoveSource.IMPORT, recorded_by_id=actor_id))
            continue
        member = op.member
        new_role_id = op.role_id if op.role_changed else member.role_id
        from_role, to_role = state.roles.get(member.role_id), state.roles.get(new_role_id)
        moves.append(Move(
            member_id=member_id, kind=op.move, effective_on=today,
            from_role=from_role, to_role=to_role,
            from_grade=from_role.grade if from_role else "",
            to_grade=to_role.grade if to_role else "",
            from_team_id=member.team_id,
            to_team_id=run.team_id(op.member_fields.get("team", member.team_id)),
            source=MoveSource.IMPORT, recorded_by_id=actor_id))
    moves_bulk_create(organization=org, moves=moves)

    # Invitations for people new to Trellis, each sent by the existing task after commit.
    invited = []
    for op in ops:
        if op.invite:
            token = Invitation.new_token()
            invited.append((Invitation(
                organization=org, email=op.email,
                first_name=op.user_fields.get("first_name", ""),
                last_name=op.user_fields.get("last_name", ""),
                invited_by_id=actor_id, token_hash=hash_token(token),
                expires_at=invitation_expiry()), token))
    # An invitation HR sent by hand before the import carries a job, team, manager and roles
    # of its own; accepting it must not undo the file, so the membership alone holds them now.
    already_invited = [op.email for op in ops
                       if op.kind == CREATE and op.email in state.open_invitations]
    if already_invited:
        (Invitation.objects.for_org(org).annotate(address=Lower("email"))
         .filter(address__in=already_invited, accepted_at__isnull=True, revoked_at__isnull=True)
         .update(job_title="", team=None, manager=None, is_hr_admin=False, is_leader=False))
    if invited:
        Invitation.objects.for_org(org).bulk_create([inv for inv, _token in invited])
        transaction.on_commit(partial(_send_invitations, org.pk,
                                      [(inv.pk, token) for inv, token in invited]))

    for op in ops:
        _bump(run, {CREATE: "created", REACTIVATE: "reactivated", UPDATE: "updated"}[op.kind])
    _bump(run, "invitations", len(invited))
    _bump(run, "moves", len(moves))


def _send_invitations(organization_id: int, invitations: list[tuple[int, str]]) -> None:
    from organizations.tasks import send_invitation

    # One broker connection for the whole chunk rather than one per message.
    with send_invitation.app.producer_or_acquire() as producer:
        for invitation_id, token in invitations:
            send_invitation.apply_async((organization_id, invitation_id, token),
                                        producer=producer)


def _link_managers(run: _Run, pairs: list[tuple[str, str]]) -> None:
    """Managers who were new in the file: linked once everyone exists."""
    org = run.organization
    rows = [Membership(pk=run.member_ids[email], manager_id=run.member_ids[manager])
            for email, manager in pairs]
    Membership.objects.for_org(org).bulk_update(rows, ["manager"], batch_size=UPDATE_BATCH)


def _deactivate(run: _Run, members: list[Member]) -> None:
    """People missing from a full file: inactive, an exit each, and their open invitations
    withdrawn (an old link must not bring them back)."""
    org = run.organization
    ids = [m.id for m in members]
    Membership.objects.for_org(org).filter(pk__in=ids, is_active=True).update(is_active=False)
    sessions_end_for_leavers(user_ids=[m.user_id for m in members])
    roles = run.plan.state.roles
    moves = []
    for member in members:
        role = roles.get(member.role_id)
        moves.append(Move(member_id=member.id, kind=MoveKind.EXIT, effective_on=run.today,
                          from_role=role, from_grade=role.grade if role else "",
                          from_team_id=member.team_id, source=MoveSource.IMPORT,
                          recorded_by_id=run.actor.pk if run.actor else None))
    moves_bulk_create(organization=org, moves=moves)
    (Invitation.objects.for_org(org)
     .annotate(address=Lower("email"))
     .filter(address__in=[m.email for m in members], accepted_at__isnull=True,
             revoked_at__isnull=True)
     .update(revoked_at=timezone.now()))
    _bump(run, "deactivated", len(members))
    _bump(run, "moves", len(moves))


# --- Reading a run --------------------------------------------------------------------------------


def progress_percent(people_import: PeopleImport) -> int:
    if people_import.status == ImportStatus.APPLIED:
        return 100
    if not people_import.total_rows:
        return 0
    return min(100, round(100 * people_import.processed_rows / people_import.total_rows))


def phase_label(people_import: PeopleImport) -> str:
    if people_import.status == ImportStatus.QUEUED:
        return str(_("Waiting for a worker to start"))
    phase = (people_import.summary or {}).get("phase")
    return str(PHASES.get(phase, "")) if phase else ""


def problems_csv(people_import: PeopleImport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("line"), _("column"), _("problem")])
    for problem in people_import.problems or []:
        writer.writerow([problem.get("line", ""), problem.get("column", ""),
                         problem.get("message", "")])
    return out.getvalue()
