"""Import and export of a whole skills framework, as one JSON document or one CSV file.

Both formats carry the same content: the framework's levels, its category tree, its skills (with
per-level descriptors and learning resources), its role profiles (with their requirements) and
the career paths between them. The formats are described in README.md, "Skills framework files".

An import is read and checked whole before anything is written: every problem is reported with
where it is (a CSV line and column, a JSON pointer) and, with any problem at all, nothing is
written. Objects are matched to what the organisation already has by natural key (level rank,
category path, skill name or external identifier, role title or external identifier …), so
importing into an organisation that already has a framework of that name updates it in place,
and importing the same file twice changes nothing the second time. An import never deletes:
what the file does not mention is left as it is.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import tenancy
from organizations.models import Membership, Organization
from organizations.services import audit
from skills.models import (
    CareerPath,
    Framework,
    Importance,
    LearningResource,
    Level,
    PathKind,
    ResourceKind,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLevelDescriptor,
    Track,
)
from skills.translations import language_codes

JSON = "json"
CSV = "csv"
FORMATS = (JSON, CSV)
FORMAT_NAME = "trellis-framework"
FORMAT_VERSION = 1

# The kinds of record, in the order they are written (each may refer to the ones before it).
KINDS = ("framework", "level", "category", "skill", "descriptor", "resource", "role",
         "requirement", "path")
KIND_LABELS = {
    "framework": gettext_lazy("Framework"),
    "level": gettext_lazy("Levels"),
    "category": gettext_lazy("Categories"),
    "skill": gettext_lazy("Skills"),
    "descriptor": gettext_lazy("Level descriptors"),
    "resource": gettext_lazy("Learning resources"),
    "role": gettext_lazy("Role profiles"),
    "requirement": gettext_lazy("Role requirements"),
    "path": gettext_lazy("Career paths"),
}

# Messages for a key seen twice; lazy, so that a clean import of 100,000 rows translates none.
DUPLICATE = {
    "rank": gettext_lazy("This rank is already used (at %(where)s)."),
    "category": gettext_lazy("This category is already listed (at %(where)s)."),
    "skill": gettext_lazy("This skill is already listed (at %(where)s)."),
    "uri": gettext_lazy("This identifier is already used (at %(where)s)."),
    "descriptor": gettext_lazy("This skill already has a descriptor for this level "
                               "(at %(where)s)."),
    "resource": gettext_lazy("This skill already has a resource of this title (at %(where)s)."),
    "role": gettext_lazy("This role is already listed (at %(where)s)."),
    "requirement": gettext_lazy("This role already requires this skill (at %(where)s)."),
    "path": gettext_lazy("This path is already listed (at %(where)s)."),
}

MAX_REPORTED_PROBLEMS = 1000
BATCH_SIZE = 500


# --- Where a problem is, and the report -----------------------------------------------------------


def _pointer_token(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class Where:
    """A place in an imported file: a CSV line (and column), or a JSON pointer."""

    file: str = ""
    line: int | None = None
    column: str = ""
    pointer: str | None = None

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(_("line %(line)s") % {"line": self.line})
        if self.column:
            parts.append(_("column “%(column)s”") % {"column": self.column})
        if self.pointer is not None:
            parts.append(self.pointer or "/")
        return ", ".join(parts)

    def at(self, key: Any) -> Where:
        """The place of one field (CSV column) or member (JSON pointer) of this record."""
        if self.pointer is not None:
            return Where(file=self.file, line=self.line,
                         pointer=f"{self.pointer}/{_pointer_token(key)}")
        return Where(file=self.file, line=self.line, column=str(key))


@dataclass(frozen=True)
class ImportProblem:
    where: Where
    message: str

    @property
    def location(self) -> str:
        return str(self.where)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if str(self.where) else self.message


@dataclass
class ImportReport:
    """What an import found and did (or, in a dry run, would do)."""

    fmt: str
    dry_run: bool
    framework_name: str = ""
    framework: Framework | None = None
    framework_created: bool = False
    applied: bool = False
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    error_count: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def error(self, where: Where, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_PROBLEMS:
            self.errors.append(ImportProblem(where, str(message)))

    def warn(self, where: Where, message: str) -> None:
        if len(self.warnings) < MAX_REPORTED_PROBLEMS:
            self.warnings.append(ImportProblem(where, str(message)))

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def sort(self) -> None:
        """Problems in the order of the file: by file, line, then JSON pointer."""
        def key(problem: ImportProblem):
            where = problem.where
            tokens = (where.pointer or "").split("/")
            return (where.file, where.line or 0,
                    [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in tokens])

        self.errors.sort(key=key)
        self.warnings.sort(key=key)

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def change_count(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def summary(self) -> list[dict]:
        """One row per kind of record: how many are (or would be) created, updated, unchanged."""
        return [
            {"kind": kind, "label": KIND_LABELS[kind], "created": self.created[kind],
             "updated": self.updated[kind], "unchanged": self.unchanged[kind]}
            for kind in KINDS
            if self.created[kind] or self.updated[kind] or self.unchanged[kind]
        ]


# --- Record specifications ----------------------------------------------------------------------

LINE, TEXT, INT, BOOL, DATE, DECIMAL, CHOICE, PATH = (
    "line", "text", "int", "bool", "date", "decimal", "choice", "path"
)


@dataclass(frozen=True)
class Spec:
    key: str
    type: str
    required: bool = False
    default: Any = ""
    choices: type[models.TextChoices] | None = None


SPECS: dict[str, tuple[Spec, ...]] = {
    "framework": (Spec("name", LINE, True), Spec("description", TEXT)),
    "level": (Spec("rank", INT, True, None), Spec("name", LINE, True), Spec("description", TEXT)),
    "category": (Spec("name", LINE, True), Spec("parent", PATH, default=())),
    "skill": (
        Spec("name", LINE, True), Spec("category", PATH, default=()), Spec("description", TEXT),
        Spec("emerging", BOOL, default=False), Spec("emerging_note", TEXT),
        Spec("emerging_since", DATE, default=None), Spec("retired", BOOL, default=False),
        Spec("external_uri", LINE),
    ),
    "descriptor": (Spec("skill", LINE, True), Spec("level", INT, True, None),
                   Spec("description", TEXT, True)),
    "resource": (
        Spec("skill", LINE, True), Spec("title", LINE, True), Spec("url", LINE),
        Spec("kind", CHOICE, default=ResourceKind.COURSE.value, choices=ResourceKind),
        Spec("hours", DECIMAL, default=None),
    ),
    "role": (
        Spec("title", LINE, True), Spec("family", LINE),
        Spec("track", CHOICE, default=Track.INDIVIDUAL.value, choices=Track),
        Spec("grade", LINE), Spec("description", TEXT), Spec("active", BOOL, default=True),
        Spec("external_uri", LINE),
    ),
    "requirement": (
        Spec("role", LINE, True), Spec("skill", LINE, True), Spec("min_level", INT, True, None),
        Spec("importance", CHOICE, default=Importance.CORE.value, choices=Importance),
    ),
    "path": (
        Spec("from_role", LINE, True), Spec("to_role", LINE, True),
        Spec("kind", CHOICE, default=PathKind.PROMOTION.value, choices=PathKind),
        Spec("typical_months", INT, default=None), Spec("notes", TEXT),
    ),
}

# Model attribute → file key, so a model validation message lands on the right column.
ATTRIBUTE_KEYS = {
    "descriptor": "description", "is_emerging": "emerging", "is_retired": "retired",
    "is_active": "active",
}

# The texts of each kind of record that may be given in other languages (file keys). In JSON
# they go in a "translations" object ({"fr": {"name": …}}), in CSV in columns such as name_fr.
TRANSLATED_KEYS: dict[str, tuple[str, ...]] = {
    "framework": ("name", "description"),
    "level": ("name", "description"),
    "category": ("name",),
    "skill": ("name", "description", "emerging_note"),
    "descriptor": ("description",),
    "resource": ("title",),
    "role": ("title", "family", "description"),
    "path": ("notes",),
}
MODELS = {
    "framework": Framework, "level": Level, "category": SkillCategory, "skill": Skill,
    "descriptor": SkillLevelDescriptor, "resource": LearningResource, "role": RoleProfile,
    "requirement": RoleRequirement, "path": CareerPath,
}
# File key → model attribute where they differ.
KEY_ATTRIBUTES = {"level": {"description": "descriptor"}}


def _attribute(kind: str, key: str) -> str:
    return KEY_ATTRIBUTES.get(kind, {}).get(key, key)


def _file_key(kind: str, attribute: str) -> str:
    for key, attr in KEY_ATTRIBUTES.get(kind, {}).items():
        if attr == attribute:
            return key
    return attribute


def translation_columns() -> tuple[str, ...]:
    """The optional CSV columns of translated texts: name_fr, description_es …"""
    keys = dict.fromkeys(key for kind in KINDS for key in TRANSLATED_KEYS.get(kind, ()))
    return tuple(f"{key}_{code}" for key in keys for code in language_codes())


CSV_COLUMNS = (
    "record", "name", "parent", "category", "rank", "level", "skill", "role", "title", "family",
    "track", "grade", "description", "emerging", "emerging_note", "emerging_since", "retired",
    "active", "external_uri", "url", "kind", "hours", "min_level", "importance", "from_role",
    "to_role", "typical_months", "notes",
)


@dataclass
class Record:
    """One object read from a file: its values (already converted) and where each came from."""

    kind: str
    where: Where
    values: dict[str, Any]
    wheres: dict[str, Where] = field(default_factory=dict)

    def at(self, key: str) -> Where:
        return self.wheres.get(key) or self.where.at(key)


@dataclass
class Document:
    """The content of a framework file, whatever its format."""

    framework: Record | None = None
    records: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))

    def add(self, record: Record) -> None:
        self.records[record.kind].append(record)


class _Invalid(Exception):
    pass


_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0"}


def _convert(spec: Spec, raw: Any, *, from_csv: bool) -> Any:
    """One value of a file, as the Python value of its field. Raises ``_Invalid(message)``."""
    if from_csv and isinstance(raw, str) and spec.type != TEXT:
        raw = raw.strip()
    empty = raw is None or raw == "" or (spec.type == PATH and raw == [])
    if empty:
        if spec.required:
            raise _Invalid(_("This is required."))
        return spec.default
    kind = spec.type
    if kind in (LINE, TEXT):
        if not isinstance(raw, str):
            raise _Invalid(_("Expected text."))
        if kind == LINE:
            raw = raw.strip()
            if "\n" in raw or "\r" in raw:
                raise _Invalid(_("This must fit on one line."))
            if spec.required and not raw:
                raise _Invalid(_("This is required."))
        return raw
    if kind == INT:
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise _Invalid(_("Expected a whole number."))
        text = str(raw).strip()
        if not text.isdigit():
            raise _Invalid(_("“%(value)s” is not a whole number.") % {"value": raw})
        return int(text)
    if kind == BOOL:
        if isinstance(raw, bool):
            return raw
        if from_csv and isinstance(raw, str):
            word = raw.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        raise _Invalid(_("“%(value)s” is not yes or no.") % {"value": raw})
    if kind == DATE:
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            raise _Invalid(_("“%(value)s” is not a date like 2025-03-31.") % {"value": raw}) \
                from None
    if kind == DECIMAL:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise _Invalid(_("Expected a number."))
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise _Invalid(_("“%(value)s” is not a number like 1.5.") % {"value": raw}) from None
        if not value.is_finite():
            raise _Invalid(_("“%(value)s” is not a number like 1.5.") % {"value": raw})
        return value
    if kind == CHOICE:
        word = str(raw).strip().lower() if isinstance(raw, str) else None
        allowed = [c.value for c in spec.choices]
        if word not in allowed:
            raise _Invalid(
                _("“%(value)s” is not allowed here; use one of: %(choices)s.")
                % {"value": raw, "choices": ", ".join(allowed)}
            )
        return word
    if kind == PATH:
        if from_csv:
            parts = split_path(raw)
        elif isinstance(raw, str):
            parts = (raw.strip(),)
        elif isinstance(raw, list) and all(isinstance(p, str) for p in raw):
            parts = tuple(p.strip() for p in raw)
        else:
            raise _Invalid(_("Expected a list of category names."))
        if any(not p for p in parts):
            raise _Invalid(_("A category path has an empty name in it."))
        return parts
    raise AssertionError(kind)


def _record(kind: str, where: Where, raw: dict[str, tuple[Any, Where]], report: ImportReport,
            *, from_csv: bool) -> Record | None:
    """Convert the raw values of one record; ``None`` when a required value is unusable."""
    values, wheres, usable = {}, {}, True
    for spec in SPECS[kind]:
        value, value_where = raw.get(spec.key, (None, where.at(spec.key)))
        wheres[spec.key] = value_where
        try:
            values[spec.key] = _convert(spec, value, from_csv=from_csv)
        except _Invalid as e:
            report.error(value_where, str(e))
            values[spec.key] = spec.default
            usable = usable and not spec.required
    if kind in TRANSLATED_KEYS:
        values["translations"] = _translations(kind, where, raw, report, from_csv=from_csv)
    return Record(kind, where, values, wheres) if usable else None


def _translated_text(kind: str, key: str, text: Any, where: Where, report: ImportReport,
                     ) -> str | None:
    """One translated text, checked like the text as written; ``None`` when unusable."""
    if not isinstance(text, str):
        report.error(where, _("Expected text."))
        return None
    spec = next(s for s in SPECS[kind] if s.key == key)
    if spec.type == LINE:
        text = text.strip()
        if "\n" in text or "\r" in text:
            report.error(where, _("This must fit on one line."))
            return None
    limit = MODELS[kind]._meta.get_field(_attribute(kind, key)).max_length
    if limit is not None:
        try:
            MaxLengthValidator(limit)(text)
        except ValidationError as e:
            report.error(where, e.messages[0])
            return None
    return text


def _translations(kind: str, where: Where, raw: dict[str, tuple[Any, Where]],
                  report: ImportReport, *, from_csv: bool) -> dict[str, dict[str, str]]:
    """The record's texts in other languages, by language code and model attribute.

    From CSV they come from columns such as ``name_fr``; from JSON from a ``translations``
    object of the same shape as the model's. Empty texts are left out.
    """
    codes = language_codes()
    keys = TRANSLATED_KEYS[kind]
    out: dict[str, dict[str, str]] = defaultdict(dict)
    if from_csv:
        for key in keys:
            for code in codes:
                column = f"{key}_{code}"
                text, text_where = raw.get(column, ("", where.at(column)))
                text = _translated_text(kind, key, text or "", text_where, report)
                if text and text.strip():
                    out[code][_attribute(kind, key)] = text
        return dict(out)
    value, value_where = raw.get("translations", (None, where.at("translations")))
    if value is None:
        return {}
    if not isinstance(value, dict):
        report.error(value_where, _("Expected an object."))
        return {}
    for code, texts in value.items():
        code_where = value_where.at(code)
        if code not in codes:
            report.error(code_where, _("“%(value)s” is not allowed here; use one of: "
                                       "%(choices)s.") % {"value": code,
                                                          "choices": ", ".join(codes)})
            continue
        if not isinstance(texts, dict):
            report.error(code_where, _("Expected an object."))
            continue
        for key, text in texts.items():
            text_where = code_where.at(key)
            if key not in keys:
                report.error(text_where, _("Unknown key."))
                continue
            text = _translated_text(kind, key, text, text_where, report)
            if text and text.strip():
                out[code][_attribute(kind, key)] = text
    return dict(out)


# --- Category paths in CSV ----------------------------------------------------------------------


def join_path(path: Iterable[str]) -> str:
    """“Engineering > Backend”; a literal ``>`` or ``\\`` in a name is escaped with ``\\``."""
    return " > ".join(p.replace("\\", "\\\\").replace(">", "\\>") for p in path)


def split_path(text: str) -> tuple[str, ...]:
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i + 1])
            i += 2
            continue
        if char == ">":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current).strip())
    return tuple(parts)


# Spreadsheets run a cell that starts with one of these as a formula. Exported text that starts
# with one (after any apostrophes) gets one more apostrophe; the import takes one off again, so
# the round trip is exact.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def _csv_cell(value: str) -> str:
    return "'" + value if _FORMULA.match(value) else value


def _csv_uncell(value: str) -> str:
    return value[1:] if _ESCAPED_FORMULA.match(value) else value


# --- Reading files ------------------------------------------------------------------------------


def _decode(data: bytes, report: ImportReport, where: Where) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error(where, _("The file is not UTF-8 text. Save it as UTF-8 and try again."))
        return None


def read_csv_rows(data: bytes, report: ImportReport, *, file: str = "",
                  ) -> tuple[list[str], list[tuple[int, dict[str, str]]]] | None:
    """The header (lower-cased) and every non-blank row, with the line it starts on."""
    text = _decode(data, report, Where(file=file, line=1))
    if text is None:
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            report.error(Where(file=file, line=1), _("The file is empty."))
            return None
        header = [h.strip() for h in header]
        last = reader.line_num
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                report.error(Where(file=file, line=start),
                             _("This row has more cells than the header has columns."))
            rows.append((start, dict(zip(header, cells, strict=False))))
    except csv.Error as e:
        report.error(Where(file=file, line=reader.line_num),
                     _("The CSV cannot be read here: %(reason)s") % {"reason": e})
        return None
    return header, rows


def parse_csv(data: bytes, report: ImportReport) -> Document | None:
    read = read_csv_rows(data, report)
    if read is None:
        return None
    header, rows = read
    lowered = [h.lower() for h in header]
    if "record" not in lowered:
        report.error(Where(line=1), _("The first line must name the columns, including "
                                      "“record”."))
        return None
    translated_columns = translation_columns()
    for column, count in Counter(lowered).items():
        if column and count > 1:
            report.error(Where(line=1, column=column), _("This column appears twice."))
    for column in lowered:
        if column and column not in CSV_COLUMNS and column not in translated_columns:
            report.error(Where(line=1, column=column),
                         _("Unknown column. The columns are: %(columns)s.")
                         % {"columns": ", ".join(CSV_COLUMNS + translated_columns)})
    doc = Document()
    framework_rows = 0
    for line, cells in rows:
        cells = {k.lower(): v for k, v in cells.items() if k}
        where = Where(line=line)
        kind = cells.get("record", "").strip().lower()
        if kind not in SPECS:
            report.error(where.at("record"),
                         _("“%(value)s” is not a kind of record; use one of: %(kinds)s.")
                         % {"value": cells.get("record", ""), "kinds": ", ".join(KINDS)})
            continue
        raw = {spec.key: (_csv_uncell(cells.get(spec.key) or ""), where.at(spec.key))
               for spec in SPECS[kind]}
        for key in TRANSLATED_KEYS.get(kind, ()):
            for code in language_codes():
                column = f"{key}_{code}"
                raw[column] = (_csv_uncell(cells.get(column) or ""), where.at(column))
        framework_rows += kind == "framework"
        record = _record(kind, where, raw, report, from_csv=True)
        if record is None:
            continue
        if kind == "framework":
            if doc.framework is not None:
                report.error(where, _("There is more than one framework row (the first is at "
                                      "%(where)s).") % {"where": doc.framework.where})
                continue
            doc.framework = record
        else:
            doc.add(record)
    if not framework_rows:
        report.error(Where(line=1), _("The file has no framework row: add one with "
                                      "record “framework” and the framework's name."))
    return doc


_JSON_TOP = {"format", "version", "name", "description", "levels", "categories", "skills",
             "roles", "paths"}
_JSON_NESTED = {"skill": {"descriptors": "descriptor", "resources": "resource"},
                "role": {"requirements": "requirement"}}
_JSON_IMPLIED = {"descriptor": "skill", "resource": "skill", "requirement": "role"}


def parse_json(data: bytes, report: ImportReport) -> Document | None:
    text = _decode(data, report, Where(pointer=""))
    if text is None:
        return None
    try:
        top = json.loads(text)
    except json.JSONDecodeError as e:
        report.error(Where(line=e.lineno),
                     _("This is not valid JSON: %(reason)s (column %(column)s).")
                     % {"reason": e.msg, "column": e.colno})
        return None
    root = Where(pointer="")
    if not isinstance(top, dict):
        report.error(root, _("The document must be a JSON object."))
        return None
    if top.get("format", FORMAT_NAME) != FORMAT_NAME:
        report.error(root.at("format"), _("This is not a Trellis framework document."))
    if top.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        report.error(root.at("version"), _("Only version %(version)s of the format is "
                                           "understood.") % {"version": FORMAT_VERSION})
    doc = Document()
    doc.framework = _json_object("framework", top, root, report,
                                 ignore=_JSON_TOP - {"name", "description"})
    for index, item in enumerate(_json_list(top, "levels", root, report)):
        _json_add(doc, "level", item, root.at("levels").at(index), report)
    for index, item in enumerate(_json_list(top, "categories", root, report)):
        _json_category(doc, item, root.at("categories").at(index), (), report)
    for list_key, kind in (("skills", "skill"), ("roles", "role"), ("paths", "path")):
        for index, item in enumerate(_json_list(top, list_key, root, report)):
            _json_add(doc, kind, item, root.at(list_key).at(index), report)
    return doc


def _json_list(obj: dict, key: str, where: Where, report: ImportReport) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        report.error(where.at(key), _("Expected a list."))
        return []
    return value


def _json_object(kind: str, obj: Any, where: Where, report: ImportReport, *,
                 ignore: Iterable[str] = (), fixed: dict | None = None) -> Record | None:
    if not isinstance(obj, dict):
        report.error(where, _("Expected an object."))
        return None
    fixed = fixed or {}
    known = {s.key for s in SPECS[kind]} - set(fixed)
    if kind in TRANSLATED_KEYS:
        known.add("translations")
    for key in obj:
        if key not in known and key not in ignore:
            report.error(where.at(key), _("Unknown key."))
    raw = {key: (obj.get(key), where.at(key)) for key in known}
    raw.update(fixed)
    return _record(kind, where, raw, report, from_csv=False)


def _json_add(doc: Document, kind: str, item: Any, where: Where, report: ImportReport) -> None:
    nested = _JSON_NESTED.get(kind, {})
    record = _json_object(kind, item, where, report, ignore=nested)
    if record is None:
        return
    doc.add(record)
    own_key = "name" if kind == "skill" else "title"
    for list_key, child_kind in nested.items():
        implied = _JSON_IMPLIED[child_kind]
        fixed = {implied: (record.values[own_key], record.at(own_key))}
        for index, child in enumerate(_json_list(item, list_key, where, report)):
            child_record = _json_object(child_kind, child, where.at(list_key).at(index), report,
                                        fixed=fixed)
            if child_record is not None:
                doc.add(child_record)


def _json_category(doc: Document, item: Any, where: Where, parent: tuple[str, ...],
                   report: ImportReport) -> None:
    record = _json_object("category", item, where, report, ignore={"children"},
                          fixed={"parent": (list(parent), where)})
    if record is None:
        return
    doc.add(record)
    path = (*parent, record.values["name"])
    for index, child in enumerate(_json_list(item, "children", where, report)):
        _json_category(doc, child, where.at("children").at(index), path, report)


# --- Checking against the organisation and writing --------------------------------------------


_NEW = object()


@dataclass(frozen=True)
class Keep:
    """A desired value that only applies to a new object: an existing one keeps its own.

    The ESCO import uses it for what the organisation decides locally (emerging, retired, grade
    …), so that loading a newer ESCO release does not undo those decisions.
    """

    default: Any


def _fk_identity(value) -> Any:
    if value is None:
        return None
    return _NEW if value.pk is None else value.pk


class _Plan:
    """Matches a document to the organisation's rows; collects what to create and update.

    Building the plan only reads: existing rows are changed in memory, new rows are unsaved
    instances. ``write`` then saves them in dependency order with bulk queries.
    """

    def __init__(self, organization: Organization, doc: Document, report: ImportReport):
        self.org = organization
        self.doc = doc
        self.report = report
        self.creates: dict[str, list] = defaultdict(list)
        self.updates: dict[str, list] = defaultdict(list)
        self.update_fields: dict[str, set] = defaultdict(set)
        self.newly_emerging: list[Skill] = []

    # Generic create-or-update of one object.
    def upsert(self, kind: str, obj, desired: dict[str, Any], make: Callable[[], Any],
               record: Record, *, checked: bool = False):
        """Create or update one object. ``checked``: every value was already validated."""
        if obj is None:
            obj = make()
            for attr, value in desired.items():
                setattr(obj, attr, value.default if isinstance(value, Keep) else value)
            if not checked:
                self.validate(obj, record)
            self.creates[kind].append(obj)
            self.report.created[kind] += 1
            return obj
        changed = []
        for attr, value in desired.items():
            if isinstance(value, Keep):
                continue
            model_field = obj._meta.get_field(attr)
            if model_field.is_relation:
                same = getattr(obj, model_field.attname) == _fk_identity(value)
            else:
                same = getattr(obj, attr) == value
            if not same:
                setattr(obj, attr, value)
                changed.append(attr)
        if changed:
            if not checked:
                self.validate(obj, record)
            self.updates[kind].append(obj)
            self.update_fields[kind].update(changed)
            self.report.updated[kind] += 1
        else:
            self.report.unchanged[kind] += 1
        return obj

    @staticmethod
    def texts(current, record: Record):
        """The object's translations with the record's merged in (an import never deletes)."""
        given = record.values.get("translations") or {}
        if not given:
            return Keep({})
        merged = {code: dict(texts)
                  for code, texts in ((current.translations if current else None) or {}).items()}
        for code, texts in given.items():
            merged.setdefault(code, {}).update(texts)
        return merged

    def validate(self, obj, record: Record) -> None:
        """Field rules of the model (lengths, ranges, URLs); uniqueness is checked by the plan."""
        exclude = [f.name for f in obj._meta.fields if f.is_relation]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as e:
            for attr, messages in e.message_dict.items():
                key = ATTRIBUTE_KEYS.get(attr, attr)
                for message in messages:
                    self.report.error(record.at(key), message)

    def duplicate(self, seen: dict, key, record: Record, where_key: str, message) -> bool:
        """Remember ``key``; if it was seen before, report ``message`` (lazy: built on error)."""
        if key in seen:
            self.report.error(record.at(where_key),
                              str(message) % {"where": seen[key].where})
            return True
        seen[key] = record
        return False

    def build(self) -> None:
        org, doc, report = self.org, self.doc, self.report
        fw = doc.framework
        name = fw.values["name"]
        report.framework_name = name
        framework = Framework.objects.for_org(org).filter(name=name).first()
        report.framework_created = framework is None
        self.framework = self.upsert(
            "framework", framework,
            {"description": fw.values["description"], "translations": self.texts(framework, fw)},
            lambda: Framework(organization=org, name=name), fw,
        )
        existing = _Existing(org, None if framework is None else framework)
        self.levels(existing)
        self.categories(existing)
        self.skills(existing)
        self.descriptors(existing)
        self.resources(existing)
        self.roles(existing)
        self.requirements(existing)
        self.paths(existing)

    def levels(self, existing: _Existing) -> None:
        self.level_by_rank = dict(existing.levels)
        seen: dict = {}
        for rec in self.doc.records["level"]:
            rank = rec.values["rank"]
            if self.duplicate(seen, rank, rec, "rank", DUPLICATE["rank"]):
                continue
            self.level_by_rank[rank] = self.upsert(
                "level", existing.levels.get(rank),
                {"name": rec.values["name"], "descriptor": rec.values["description"],
                 "translations": self.texts(existing.levels.get(rank), rec)},
                partial(Level, organization=self.org, framework=self.framework, rank=rank), rec,
            )
        self.ranks_text = ", ".join(str(r) for r in sorted(self.level_by_rank)) or "—"

    def level(self, rank: int, rec: Record, key: str) -> Level | None:
        level = self.level_by_rank.get(rank)
        if level is None:
            self.report.error(rec.at(key), _("There is no level %(rank)s in this framework "
                                             "(its levels are: %(ranks)s).")
                              % {"rank": rank, "ranks": self.ranks_text})
        return level

    def categories(self, existing: _Existing) -> None:
        self.category_by_path = dict(existing.categories)
        records, seen = [], {}
        for rec in self.doc.records["category"]:
            path = (*rec.values["parent"], rec.values["name"])
            if not self.duplicate(seen, path, rec, "name", DUPLICATE["category"]):
                records.append((path, rec))
        declared = set(self.category_by_path) | set(seen)
        for path, rec in sorted(records, key=lambda item: len(item[0])):
            parent_path = path[:-1]
            if parent_path and parent_path not in declared:
                self.report.error(rec.at("parent"), _("Unknown parent category “%(path)s”.")
                                  % {"path": join_path(parent_path)})
                continue
            parent = self.category_by_path.get(parent_path) if parent_path else None
            if parent_path and parent is None:
                continue  # its parent was itself unusable; already reported
            self.category_by_path[path] = self.upsert(
                "category", existing.categories.get(path),
                {"translations": self.texts(existing.categories.get(path), rec)},
                partial(SkillCategory, organization=self.org, framework=self.framework,
                        name=path[-1], parent=parent), rec,
            )

    def skills(self, existing: _Existing) -> None:
        names, uris, claimed = {}, {}, {}
        matched = []
        for rec in self.doc.records["skill"]:
            name, uri = rec.values["name"], rec.values["external_uri"]
            if self.duplicate(names, name, rec, "name", DUPLICATE["skill"]):
                continue
            if uri and self.duplicate(uris, uri, rec, "external_uri", DUPLICATE["uri"]):
                continue
            target = (existing.skill_by_uri.get(uri) if uri else None) \
                or existing.skill_by_name.get(name)
            if target is not None:
                if target.pk in claimed:
                    self.report.error(rec.at("name"), _(
                        "This is the same skill of the framework as the one at %(where)s."
                    ) % {"where": claimed[target.pk].where})
                    continue
                claimed[target.pk] = rec
            matched.append((rec, target))
        # Skills of the framework that the file does not mention keep their names.
        self.skill_by_name = {s.name: s for s in existing.skills if s.pk not in claimed}
        self.skill_by_uri = {s.external_uri: s for s in existing.skills
                             if s.external_uri and s.pk not in claimed}
        for rec, target in matched:
            name, uri = rec.values["name"], rec.values["external_uri"]
            if name in self.skill_by_name:
                self.report.error(rec.at("name"), _(
                    "Another skill of this framework is already called “%(name)s”."
                ) % {"name": name})
                continue
            path = rec.values["category"]
            category = None
            if path:
                category = self.category_by_path.get(path)
                if category is None:
                    self.report.error(rec.at("category"), _("Unknown category “%(path)s”.")
                                      % {"path": join_path(path)})
                    continue
            was_emerging = target is not None and target.is_emerging
            skill = self.upsert("skill", target, {
                "name": name, "category": category, "description": rec.values["description"],
                "is_emerging": rec.values["emerging"],
                "emerging_note": rec.values["emerging_note"],
                "emerging_since": rec.values["emerging_since"],
                "is_retired": rec.values["retired"], "external_uri": uri,
                "translations": self.texts(target, rec),
            }, partial(Skill, organization=self.org, framework=self.framework), rec)
            if skill.is_emerging and not was_emerging:
                self.newly_emerging.append(skill)
            self.skill_by_name[name] = skill
            if uri:
                self.skill_by_uri[uri] = skill

    def skill(self, rec: Record, key: str = "skill") -> Skill | None:
        uri = rec.values.get(f"{key}_uri")
        if uri:
            skill = self.skill_by_uri.get(uri)
            if skill is None:
                self.report.error(rec.at(key), _("Unknown skill “%(name)s”.") % {"name": uri})
            return skill
        skill = self.skill_by_name.get(rec.values[key])
        if skill is None:
            self.report.error(rec.at(key), _("Unknown skill “%(name)s”.")
                              % {"name": rec.values[key]})
        return skill

    def descriptors(self, existing: _Existing) -> None:
        seen: dict = {}
        for rec in self.doc.records["descriptor"]:
            skill = self.skill(rec)
            level = self.level(rec.values["level"], rec, "level")
            if skill is None or level is None:
                continue
            if self.duplicate(seen, (id(skill), level.rank), rec, "level", DUPLICATE["descriptor"]):
                continue
            current = existing.descriptors.get((skill.pk, level.pk)) if skill.pk else None
            self.upsert("descriptor", current, {"description": rec.values["description"],
                                                "translations": self.texts(current, rec)},
                        partial(SkillLevelDescriptor, organization=self.org, skill=skill,
                                level=level), rec)

    def resources(self, existing: _Existing) -> None:
        seen: dict = {}
        for rec in self.doc.records["resource"]:
            skill = self.skill(rec)
            if skill is None:
                continue
            title = rec.values["title"]
            if self.duplicate(seen, (id(skill), title), rec, "title", DUPLICATE["resource"]):
                continue
            current = existing.resources.get((skill.pk, title)) if skill.pk else None
            self.upsert("resource", current, {
                "url": rec.values["url"], "kind": rec.values["kind"],
                "hours": rec.values["hours"], "translations": self.texts(current, rec),
            }, partial(LearningResource, organization=self.org, skill=skill, title=title), rec)

    def roles(self, existing: _Existing) -> None:
        titles, uris, claimed = {}, {}, {}
        matched = []
        for rec in self.doc.records["role"]:
            title, uri = rec.values["title"], rec.values["external_uri"]
            if self.duplicate(titles, title, rec, "title", DUPLICATE["role"]):
                continue
            if uri and self.duplicate(uris, uri, rec, "external_uri", DUPLICATE["uri"]):
                continue
            target = (existing.role_by_uri.get(uri) if uri else None) \
                or existing.role_by_title.get(title)
            if target is not None:
                if target.framework_id != self.framework.pk:
                    self.report.error(rec.at("title"), _(
                        "The role “%(title)s” belongs to the framework “%(framework)s”; role "
                        "titles are unique across the organisation."
                    ) % {"title": target.title,
                         "framework": existing.framework_names.get(target.framework_id, "?")})
                    continue
                if target.pk in claimed:
                    self.report.error(rec.at("title"), _(
                        "This is the same role as the one at %(where)s."
                    ) % {"where": claimed[target.pk].where})
                    continue
                claimed[target.pk] = rec
            matched.append((rec, target))
        taken = {r.title for r in existing.roles if r.pk not in claimed}
        self.role_by_title = {r.title: r for r in existing.roles
                              if r.pk not in claimed and r.framework_id == self.framework.pk}
        self.role_by_uri = {r.external_uri: r for r in self.role_by_title.values()
                            if r.external_uri}
        for rec, target in matched:
            title, uri = rec.values["title"], rec.values["external_uri"]
            if title in taken:
                self.report.error(rec.at("title"), _(
                    "Another role of this organisation is already called “%(title)s”."
                ) % {"title": title})
                continue
            role = self.upsert("role", target, {
                "title": title, "family": rec.values["family"], "track": rec.values["track"],
                "grade": rec.values["grade"], "description": rec.values["description"],
                "is_active": rec.values["active"], "external_uri": uri,
                "translations": self.texts(target, rec),
            }, partial(RoleProfile, organization=self.org, framework=self.framework), rec)
            self.role_by_title[title] = role
            if uri:
                self.role_by_uri[uri] = role

    def role(self, rec: Record, key: str) -> RoleProfile | None:
        uri = rec.values.get(f"{key}_uri")
        role = self.role_by_uri.get(uri) if uri else self.role_by_title.get(rec.values[key])
        if role is None:
            self.report.error(rec.at(key), _("Unknown role “%(title)s”.")
                              % {"title": uri or rec.values[key]})
        return role

    def requirements(self, existing: _Existing) -> None:
        seen: dict = {}
        for rec in self.doc.records["requirement"]:
            role, skill = self.role(rec, "role"), self.skill(rec)
            min_level = rec.values["min_level"]
            rank = min_level.default if isinstance(min_level, Keep) else min_level
            level = self.level(rank, rec, "min_level")
            if role is None or skill is None or level is None:
                continue
            if self.duplicate(seen, (id(role), id(skill)), rec, "skill", DUPLICATE["requirement"]):
                continue
            current = (existing.requirements.get((role.pk, skill.pk))
                       if role.pk and skill.pk else None)
            # The level is one of the framework's and the importance a choice: nothing more to
            # validate, which matters for the 100,000-odd requirements of an ESCO import.
            self.upsert("requirement", current, {
                "min_level": min_level, "importance": rec.values["importance"],
            }, partial(RoleRequirement, organization=self.org, role=role, skill=skill), rec,
                checked=True)

    def paths(self, existing: _Existing) -> None:
        seen: dict = {}
        for rec in self.doc.records["path"]:
            source, target = self.role(rec, "from_role"), self.role(rec, "to_role")
            if source is None or target is None:
                continue
            if source is target:
                self.report.error(rec.at("to_role"), _("A path must lead to another role."))
                continue
            if self.duplicate(seen, (id(source), id(target)), rec, "to_role", DUPLICATE["path"]):
                continue
            current = (existing.paths.get((source.pk, target.pk))
                       if source.pk and target.pk else None)
            self.upsert("path", current, {
                "kind": rec.values["kind"], "typical_months": rec.values["typical_months"],
                "notes": rec.values["notes"], "translations": self.texts(current, rec),
            }, partial(CareerPath, organization=self.org, from_role=source, to_role=target), rec)

    def write(self) -> Framework:
        """Save the plan. Runs inside the organisation's scope and the caller's transaction."""
        framework = self.framework
        if framework.pk is None or self.updates["framework"]:
            framework.save()
        models_by_kind = {
            "level": Level, "category": SkillCategory, "skill": Skill,
            "descriptor": SkillLevelDescriptor, "resource": LearningResource,
            "role": RoleProfile, "requirement": RoleRequirement, "path": CareerPath,
        }
        for kind, model in models_by_kind.items():
            creates = self.creates[kind]
            if kind == "category":
                # Parents first, so that every child's parent has an id when it is inserted.
                by_depth = defaultdict(list)
                for category in creates:
                    depth, node = 0, category
                    while node.parent is not None:
                        depth, node = depth + 1, node.parent
                    by_depth[depth].append(category)
                for depth in sorted(by_depth):
                    model.objects.bulk_create(by_depth[depth], batch_size=BATCH_SIZE)
            elif creates:
                model.objects.bulk_create(creates, batch_size=BATCH_SIZE)
            if self.updates[kind]:
                model.objects.bulk_update(self.updates[kind], sorted(self.update_fields[kind]),
                                          batch_size=BATCH_SIZE)
        return framework


class _Existing:
    """What the organisation already has, read with one query per kind."""

    def __init__(self, organization: Organization, framework: Framework | None):
        org = organization
        self.framework_names = dict(
            Framework.objects.for_org(org).values_list("pk", "name")
        )
        self.roles = list(RoleProfile.objects.for_org(org))
        self.role_by_title = {r.title: r for r in self.roles}
        self.role_by_uri = {r.external_uri: r for r in self.roles
                            if r.external_uri and (framework is None
                                                   or r.framework_id == framework.pk)}
        self.levels: dict[int, Level] = {}
        self.categories: dict[tuple[str, ...], SkillCategory] = {}
        self.skills: list[Skill] = []
        self.skill_by_name: dict[str, Skill] = {}
        self.skill_by_uri: dict[str, Skill] = {}
        self.descriptors: dict = {}
        self.resources: dict = {}
        self.requirements: dict = {}
        self.paths: dict = {}
        if framework is None:
            return
        self.levels = {lv.rank: lv for lv in Level.objects.for_org(org).filter(framework=framework)}
        categories = list(SkillCategory.objects.for_org(org).filter(framework=framework))
        by_id = {c.pk: c for c in categories}

        def path_of(category):
            path, node, hops = [], category, 0
            while node is not None and hops < 64:
                path.append(node.name)
                node, hops = by_id.get(node.parent_id), hops + 1
            return tuple(reversed(path))

        for category in categories:
            if category.parent_id:
                category.parent = by_id.get(category.parent_id)
        self.categories = {path_of(c): c for c in categories}
        self.skills = list(Skill.objects.for_org(org).filter(framework=framework))
        self.skill_by_name = {s.name: s for s in self.skills}
        self.skill_by_uri = {s.external_uri: s for s in self.skills if s.external_uri}
        self.descriptors = {
            (d.skill_id, d.level_id): d
            for d in SkillLevelDescriptor.objects.for_org(org).filter(skill__framework=framework)
        }
        for resource in (LearningResource.objects.for_org(org)
                         .filter(skill__framework=framework).order_by("-pk")):
            # The oldest of same-titled resources is the one an import updates.
            self.resources[(resource.skill_id, resource.title)] = resource
        self.requirements = {
            (r.role_id, r.skill_id): r
            for r in RoleRequirement.objects.for_org(org).filter(role__framework=framework)
        }
        self.paths = {
            (p.from_role_id, p.to_role_id): p
            for p in CareerPath.objects.for_org(org).filter(from_role__framework=framework)
        }


def import_document(*, organization: Organization, actor: Membership | None, doc: Document | None,
                    report: ImportReport, dry_run: bool, notify_emerging: bool = True,
                    ) -> ImportReport:
    """Check ``doc`` whole against the organisation and, when it is clean, write it.

    Shared by the file formats and the ESCO import. Must run inside a transaction.
    """
    if doc is None or doc.framework is None:
        return report
    with tenancy.organization_scope(organization):
        plan = _Plan(organization, doc, report)
        plan.build()
        report.framework = None if plan.framework.pk is None else plan.framework
        if not report.ok or dry_run:
            return report
        report.framework = plan.write()
        report.applied = True
        audit(organization=organization, actor=actor, action="skills.framework_imported",
              framework_id=report.framework.pk, name=report.framework.name, fmt=report.fmt,
              created=dict(report.created), updated=dict(report.updated))
    if notify_emerging and plan.newly_emerging:
        from skills.tasks import notify_emerging_skill

        for skill in plan.newly_emerging:
            transaction.on_commit(partial(notify_emerging_skill.delay, organization.pk, skill.pk))
    return report


@transaction.atomic
def framework_import(*, organization: Organization, actor: Membership | None, data: bytes,
                     fmt: str, dry_run: bool, notify_emerging: bool = True) -> ImportReport:
    """Import a framework file (``fmt`` "json" or "csv"), or only check it when ``dry_run``.

    With any problem nothing is written and the report lists every problem found. A framework
    of the same name is updated in place; anything the file does not mention is kept. Skills
    that become emerging have their notices sent after commit unless ``notify_emerging`` is off.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown framework file format {fmt!r}")
    report = ImportReport(fmt=fmt, dry_run=dry_run)
    doc = parse_json(data, report) if fmt == JSON else parse_csv(data, report)
    import_document(organization=organization, actor=actor, doc=doc, report=report,
                    dry_run=dry_run, notify_emerging=notify_emerging)
    report.sort()
    return report


# --- Export ---------------------------------------------------------------------------------------


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _with_texts(kind: str, obj, node: dict) -> dict:
    """``node`` with the object's translations (file keys), when it has any."""
    given = {
        code: {_file_key(kind, attr): text for attr, text in texts.items()}
        for code, texts in sorted((obj.translations or {}).items()) if texts
    }
    if given:
        node["translations"] = given
    return node


def framework_document(*, organization: Organization, framework: Framework) -> dict:
    """The framework as the JSON document of the interchange format. Eight queries."""
    org = organization
    levels = list(Level.objects.for_org(org).filter(framework=framework).order_by("rank"))
    rank_of = {lv.pk: lv.rank for lv in levels}
    categories = list(SkillCategory.objects.for_org(org).filter(framework=framework))
    children = defaultdict(list)
    by_id = {c.pk: c for c in categories}
    for category in categories:
        children[category.parent_id].append(category)

    def path_of(category_id) -> list[str]:
        path, node, hops = [], by_id.get(category_id), 0
        while node is not None and hops < 64:
            path.append(node.name)
            node, hops = by_id.get(node.parent_id), hops + 1
        return list(reversed(path))

    def tree(parent_id) -> list[dict]:
        nodes = []
        for category in sorted(children[parent_id], key=lambda c: (c.name, c.pk)):
            node = _with_texts("category", category, {"name": category.name})
            if children[category.pk]:
                node["children"] = tree(category.pk)
            nodes.append(node)
        return nodes

    skills = list(Skill.objects.for_org(org).filter(framework=framework).order_by("name"))
    descriptors, resources = defaultdict(list), defaultdict(list)
    for d in (SkillLevelDescriptor.objects.for_org(org).filter(skill__framework=framework)
              .order_by("skill_id", "level__rank")):
        descriptors[d.skill_id].append(_with_texts("descriptor", d, {
            "level": rank_of[d.level_id], "description": d.description}))
    for r in (LearningResource.objects.for_org(org).filter(skill__framework=framework)
              .order_by("skill_id", "title", "pk")):
        resources[r.skill_id].append(_with_texts("resource", r, {
            "title": r.title, "url": r.url, "kind": r.kind, "hours": _number(r.hours)}))
    roles = list(RoleProfile.objects.for_org(org).filter(framework=framework)
                 .order_by("family", "grade", "title"))
    role_ids = {r.pk for r in roles}
    requirements = defaultdict(list)
    for q in (RoleRequirement.objects.for_org(org).filter(role__framework=framework)
              .select_related("skill").order_by("role_id", "skill__name")):
        requirements[q.role_id].append({"skill": q.skill.name, "min_level": q.min_level,
                                        "importance": q.importance})
    paths = [
        _with_texts("path", p, {"from_role": p.from_role.title, "to_role": p.to_role.title,
                                "kind": p.kind, "typical_months": p.typical_months,
                                "notes": p.notes})
        for p in (CareerPath.objects.for_org(org).filter(from_role__framework=framework)
                  .select_related("from_role", "to_role")
                  .order_by("from_role__title", "to_role__title"))
        # A path to another framework's role cannot be imported on its own: leave it out.
        if p.to_role_id in role_ids
    ]
    return _with_texts("framework", framework, {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": framework.name,
        "description": framework.description,
        "levels": [_with_texts("level", lv, {"rank": lv.rank, "name": lv.name,
                                             "description": lv.descriptor})
                   for lv in levels],
        "categories": tree(None),
        "skills": [
            _with_texts("skill", s, {
                "name": s.name, "category": path_of(s.category_id) if s.category_id else None,
                "description": s.description, "emerging": s.is_emerging,
                "emerging_note": s.emerging_note,
                "emerging_since": s.emerging_since.isoformat() if s.emerging_since else None,
                "retired": s.is_retired, "external_uri": s.external_uri,
                "descriptors": descriptors[s.pk], "resources": resources[s.pk]})
            for s in skills
        ],
        "roles": [
            _with_texts("role", r, {
                "title": r.title, "family": r.family, "track": r.track, "grade": r.grade,
                "description": r.description, "active": r.is_active,
                "external_uri": r.external_uri, "requirements": requirements[r.pk]})
            for r in roles
        ],
        "paths": paths,
    })


def _csv_texts(rows: Iterable[tuple[dict, dict]]) -> Iterable[dict]:
    """Each CSV row with its object's translations in columns such as ``name_fr``."""
    for row, node in rows:
        for code, texts in (node.get("translations") or {}).items():
            for key, text in texts.items():
                row[f"{key}_{code}"] = text
        yield row


def _csv_rows(document: dict) -> Iterable[dict]:
    return _csv_texts(_csv_row_pairs(document))


def _csv_row_pairs(document: dict) -> Iterable[tuple[dict, dict]]:
    def yes_no(value: bool) -> str:
        return "yes" if value else "no"

    yield {"record": "framework", "name": document["name"],
           "description": document["description"]}, document
    for level in document["levels"]:
        yield {"record": "level", "rank": level["rank"], "name": level["name"],
               "description": level["description"]}, level

    def categories(nodes, parent):
        for node in nodes:
            yield {"record": "category", "name": node["name"], "parent": join_path(parent)}, node
            yield from categories(node.get("children", []), [*parent, node["name"]])

    yield from categories(document["categories"], [])
    for skill in document["skills"]:
        yield {"record": "skill", "name": skill["name"],
               "category": join_path(skill["category"] or []),
               "description": skill["description"], "emerging": yes_no(skill["emerging"]),
               "emerging_note": skill["emerging_note"],
               "emerging_since": skill["emerging_since"] or "",
               "retired": yes_no(skill["retired"]), "external_uri": skill["external_uri"]}, skill
    for skill in document["skills"]:
        for d in skill["descriptors"]:
            yield {"record": "descriptor", "skill": skill["name"], "level": d["level"],
                   "description": d["description"]}, d
    for skill in document["skills"]:
        for r in skill["resources"]:
            yield {"record": "resource", "skill": skill["name"], "title": r["title"],
                   "url": r["url"], "kind": r["kind"],
                   "hours": "" if r["hours"] is None else r["hours"]}, r
    for role in document["roles"]:
        yield {"record": "role", "title": role["title"], "family": role["family"],
               "track": role["track"], "grade": role["grade"],
               "description": role["description"], "active": yes_no(role["active"]),
               "external_uri": role["external_uri"]}, role
    for role in document["roles"]:
        for q in role["requirements"]:
            yield {"record": "requirement", "role": role["title"], "skill": q["skill"],
                   "min_level": q["min_level"], "importance": q["importance"]}, q
    for path in document["paths"]:
        yield {"record": "path", "from_role": path["from_role"], "to_role": path["to_role"],
               "kind": path["kind"],
               "typical_months": "" if path["typical_months"] is None
               else path["typical_months"],
               "notes": path["notes"]}, path


def framework_export(*, organization: Organization, framework: Framework, fmt: str) -> bytes:
    """The whole framework as a file that ``framework_import`` reads back to the same framework."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown framework file format {fmt!r}")
    document = framework_document(organization=organization, framework=framework)
    if fmt == JSON:
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    rows = list(_csv_rows(document))
    # Translation columns only when some object has a text in that language.
    used = {column for row in rows for column in row}
    columns = CSV_COLUMNS + tuple(c for c in translation_columns() if c in used)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue().encode()


# --- ESCO -----------------------------------------------------------------------------------------


@transaction.atomic
def framework_import_esco(*, organization: Organization, actor: Membership | None,
                          framework_name: str, default_level: int, skills_csv: bytes,
                          occupations_csv: bytes | None = None,
                          relations_csv: bytes | None = None, dry_run: bool) -> ImportReport:
    """Import an organisation's download of the ESCO CSV files into the framework of that name.

    A new framework gets the seven generic levels of the example framework; an existing one keeps
    its own. Requirements start at ``default_level``, which must be one of the framework's levels.
    Checked whole like any framework file: with any problem, nothing is written.
    """
    from skills import esco
    from skills.data import example_levels

    report = ImportReport(fmt="esco", dry_run=dry_run)
    name = framework_name.strip()
    if not name:
        report.error(Where(), _("Name the framework to import into."))
        return report
    framework = Framework.objects.for_org(organization).filter(name=name).first()
    ranks = set()
    if framework is not None:
        ranks = set(Level.objects.for_org(organization).filter(framework=framework)
                    .values_list("rank", flat=True))
    levels = [] if ranks else example_levels()
    if default_level not in (ranks or {level["rank"] for level in levels}):
        report.error(Where(), _("The framework has no level %(rank)s to use as the minimum level "
                                "of requirements.") % {"rank": default_level})
        return report
    description = (framework.description if framework is not None
                   else _("Skills and occupations from the ESCO classification."))
    doc = esco.esco_document(
        report=report, framework_name=name, framework_description=description, levels=levels,
        default_level=default_level, skills_csv=skills_csv, occupations_csv=occupations_csv,
        relations_csv=relations_csv,
    )
    import_document(organization=organization, actor=actor, doc=doc, report=report,
                    dry_run=dry_run, notify_emerging=False)
    report.sort()
    return report
