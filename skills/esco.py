"""Reading an organisation's own download of the ESCO classification into a framework document.

ESCO (European Skills, Competences, Qualifications and Occupations) publishes its classification
as CSV files. Three of them are read here, in the columns of the official download:

* ``skills_en.csv``: one skill per row → a skill (``external_uri`` = ``conceptUri``), filed under
  a category for its skill type and, below it, its reuse level;
* ``occupations_en.csv``: one occupation per row → a role profile (``external_uri`` =
  ``conceptUri``), in the job family of its ISCO major group;
* ``occupationSkillRelations_en.csv``: one occupation and skill per row → a requirement,
  “essential” as core and “optional” as desirable, at the minimum level chosen for the import.

The result is a ``Document`` that the framework import checks and writes like any other file,
so an ESCO import is validated whole and repeatable in the same way. What an organisation decides
for itself (emerging and retired flags, grades, requirement levels it has since changed) is kept
when a newer ESCO release is imported over an older one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from skills.models import Importance, Track
from skills.services.interchange import (
    Document,
    ImportReport,
    Keep,
    Record,
    Where,
    read_csv_rows,
)

SKILLS_FILE = "skills_en.csv"
OCCUPATIONS_FILE = "occupations_en.csv"
RELATIONS_FILE = "occupationSkillRelations_en.csv"

SKILL_COLUMNS = ("conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel",
                 "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition",
                 "inScheme", "description")
OCCUPATION_COLUMNS = ("conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
                      "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote",
                      "scopeNote", "definition", "inScheme", "description", "code")
RELATION_COLUMNS = ("occupationUri", "relationType", "skillType", "skillUri")

# Columns without which a file cannot be read; the others are used when present.
REQUIRED = {
    SKILLS_FILE: ("conceptUri", "preferredLabel"),
    OCCUPATIONS_FILE: ("conceptUri", "preferredLabel"),
    RELATIONS_FILE: ("occupationUri", "relationType", "skillUri"),
}

SKILL_TYPES = {"skill/competence": "Skills and competences", "knowledge": "Knowledge"}
REUSE_LEVELS = {
    "transversal": "Transversal", "cross-sector": "Cross-sector",
    "sector-specific": "Sector-specific", "occupation-specific": "Occupation-specific",
}
# ISCO-08 major groups, by the first digit of an occupation's ISCO group.
ISCO_MAJOR_GROUPS = {
    "0": "Armed forces occupations",
    "1": "Managers",
    "2": "Professionals",
    "3": "Technicians and associate professionals",
    "4": "Clerical support workers",
    "5": "Service and sales workers",
    "6": "Skilled agricultural, forestry and fishery workers",
    "7": "Craft and related trades workers",
    "8": "Plant and machine operators and assemblers",
    "9": "Elementary occupations",
}
IMPORTANCE = {"essential": Importance.CORE.value, "optional": Importance.DESIRABLE.value}

NAME_LIMIT = 120  # Skill.name and RoleProfile.title


def _rows(data: bytes | None, file: str, report: ImportReport):
    if data is None:
        return []
    read = read_csv_rows(data, report, file=file)
    if read is None:
        return []
    header, rows = read
    missing = [c for c in REQUIRED[file] if c not in header]
    if missing:
        report.error(Where(file=file, line=1), _(
            "This does not look like ESCO's %(file)s: the columns %(columns)s are missing."
        ) % {"file": file, "columns": ", ".join(missing)})
        return []
    return rows


def _label(value: str, where: Where, report: ImportReport) -> str:
    label = " ".join(value.split())
    if len(label) > NAME_LIMIT:
        short = label[: NAME_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        report.warn(where, _("“%(label)s” is longer than %(limit)s characters; it is shortened "
                             "to “%(short)s”.") % {"label": label, "limit": NAME_LIMIT,
                                                   "short": short})
        return short
    return label


def esco_document(*, report: ImportReport, framework_name: str, framework_description: str,
                  levels: list[dict], default_level: int, skills_csv: bytes,
                  occupations_csv: bytes | None = None,
                  relations_csv: bytes | None = None) -> Document:
    """The framework document for an ESCO download. ``levels`` are added when the framework
    has none yet (``[]`` otherwise); requirements start at ``default_level``."""
    doc = Document()
    doc.framework = Record("framework", Where(),
                           {"name": framework_name, "description": framework_description})
    for level in levels:
        # The example scale's texts in other languages come along (file keys → attributes).
        translations = {
            code: {("descriptor" if key == "description" else key): text
                   for key, text in texts.items()}
            for code, texts in (level.get("translations") or {}).items()
        }
        doc.add(Record("level", Where(), {"rank": level["rank"], "name": level["name"],
                                          "description": level.get("description", ""),
                                          "translations": translations}))

    categories: set[tuple[str, ...]] = set()
    names: dict[str, str] = {}
    for line, row in _rows(skills_csv, SKILLS_FILE, report):
        where = Where(file=SKILLS_FILE, line=line)
        uri = (row.get("conceptUri") or "").strip()
        if not uri:
            report.error(where.at("conceptUri"), _("This is required."))
            continue
        if not (row.get("preferredLabel") or "").strip():
            report.error(where.at("preferredLabel"), _("This is required."))
            continue
        name = _label(row["preferredLabel"], where.at("preferredLabel"), report)
        skill_type = (row.get("skillType") or "").strip().lower()
        if name in names and skill_type:
            # ESCO may use one label for a skill and a piece of knowledge: tell them apart.
            name = _label(f"{name} ({skill_type})", where.at("preferredLabel"), report)
        names.setdefault(name, uri)
        path: tuple[str, ...] = ()
        if skill_type:
            path = (SKILL_TYPES.get(skill_type, skill_type.capitalize()),)
            reuse = (row.get("reuseLevel") or "").strip().lower()
            if reuse:
                path = (*path, REUSE_LEVELS.get(reuse, reuse.capitalize()))
        for depth in range(1, len(path) + 1):
            categories.add(path[:depth])
        description = (row.get("description") or "").strip() or \
            (row.get("definition") or "").strip()
        doc.add(Record("skill", where, {
            "name": name, "category": path, "description": description,
            "emerging": Keep(False), "emerging_note": Keep(""), "emerging_since": Keep(None),
            "retired": Keep(False), "external_uri": uri,
        }, {"name": where.at("preferredLabel"), "external_uri": where.at("conceptUri"),
            "description": where.at("description")}))
    for path in sorted(categories, key=lambda p: (len(p), p)):
        doc.add(Record("category", Where(file=SKILLS_FILE), {"name": path[-1],
                                                             "parent": path[:-1]}))

    titles: set[str] = set()
    for line, row in _rows(occupations_csv, OCCUPATIONS_FILE, report):
        where = Where(file=OCCUPATIONS_FILE, line=line)
        uri = (row.get("conceptUri") or "").strip()
        if not uri:
            report.error(where.at("conceptUri"), _("This is required."))
            continue
        if not (row.get("preferredLabel") or "").strip():
            report.error(where.at("preferredLabel"), _("This is required."))
            continue
        title = _label(row["preferredLabel"], where.at("preferredLabel"), report)
        isco = (row.get("iscoGroup") or "").strip()
        if title in titles and isco:
            title = _label(f"{title} ({isco})", where.at("preferredLabel"), report)
        titles.add(title)
        major = isco[:1]
        description = (row.get("description") or "").strip() or \
            (row.get("definition") or "").strip()
        doc.add(Record("role", where, {
            "title": title, "family": ISCO_MAJOR_GROUPS.get(major, ""),
            "track": Track.MANAGEMENT.value if major == "1" else Track.INDIVIDUAL.value,
            "grade": Keep(""), "description": description, "active": Keep(True),
            "external_uri": uri,
        }, {"title": where.at("preferredLabel"), "external_uri": where.at("conceptUri")}))

    seen: dict[tuple[str, str], Record] = {}
    for line, row in _rows(relations_csv, RELATIONS_FILE, report):
        where = Where(file=RELATIONS_FILE, line=line)
        occupation = (row.get("occupationUri") or "").strip()
        skill = (row.get("skillUri") or "").strip()
        relation = (row.get("relationType") or "").strip().lower()
        problems = False
        for column, value in (("occupationUri", occupation), ("skillUri", skill)):
            if not value:
                report.error(where.at(column), _("This is required."))
                problems = True
        if relation not in IMPORTANCE:
            report.error(where.at("relationType"),
                         _("“%(value)s” is not allowed here; use one of: %(choices)s.")
                         % {"value": relation, "choices": "essential, optional"})
            problems = True
        if problems:
            continue
        earlier = seen.get((occupation, skill))
        if earlier is not None:
            # The same pair twice: essential wins over optional.
            if IMPORTANCE[relation] == Importance.CORE.value:
                earlier.values["importance"] = Importance.CORE.value
            report.warn(where, _("This occupation and skill are already related at %(where)s; "
                                 "the two are merged.") % {"where": earlier.where})
            continue
        record = Record("requirement", where, {
            "role": occupation, "role_uri": occupation, "skill": skill, "skill_uri": skill,
            "min_level": Keep(default_level), "importance": IMPORTANCE[relation],
        }, {"role": where.at("occupationUri"), "skill": where.at("skillUri"),
            "min_level": Where(), "importance": where.at("relationType")})
        seen[(occupation, skill)] = record
        doc.add(record)
    return doc
