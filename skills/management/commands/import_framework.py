"""Operators' command: import a skills framework file, the example framework, or ESCO's CSVs."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations import tenancy
from organizations.models import Membership, Organization
from skills.data import example_framework_bytes
from skills.services import interchange


def _read(path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror}") from None


class Command(BaseCommand):
    help = (
        "Import a skills framework into an organisation: a JSON or CSV file of the Trellis "
        "framework format (--file), Trellis's example framework (--example), or an ESCO "
        "download (--esco-skills, with --esco-occupations and --esco-relations). The whole "
        "input is checked first; with any problem nothing is written. A framework of the same "
        "name is updated in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("organization", help="The organisation's address (slug).")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--file", help="A framework file (.json or .csv).")
        source.add_argument("--example", action="store_true",
                            help="Import Trellis's example framework.")
        source.add_argument("--esco-skills", metavar="skills_en.csv",
                            help="ESCO's skills file.")
        parser.add_argument("--format", choices=interchange.FORMATS,
                            help="Format of --file (default: from its extension).")
        parser.add_argument("--esco-occupations", metavar="occupations_en.csv")
        parser.add_argument("--esco-relations", metavar="occupationSkillRelations_en.csv")
        parser.add_argument("--framework", default="ESCO",
                            help="ESCO only: the framework to import into (default: ESCO).")
        parser.add_argument("--default-level", type=int, default=3,
                            help="ESCO only: minimum level of requirements (default: 3).")
        parser.add_argument("--check", action="store_true",
                            help="Only check the input and say what would change.")
        parser.add_argument("--actor", metavar="EMAIL",
                            help="Member recorded in the audit log as having imported it.")

    def handle(self, *args, **options):
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(f"no organisation with the address {options['organization']!r}")
        dry_run = options["check"]
        with transaction.atomic(), tenancy.organization_scope(org):
            actor = None
            if options["actor"]:
                actor = (Membership.objects.for_org(org)
                         .filter(user__email__iexact=options["actor"]).first())
                if actor is None:
                    raise CommandError(f"{options['actor']} is not a member of {org.slug}")
            if options["esco_skills"]:
                report = interchange.framework_import_esco(
                    organization=org, actor=actor, framework_name=options["framework"],
                    default_level=options["default_level"],
                    skills_csv=_read(options["esco_skills"]),
                    occupations_csv=_read(options["esco_occupations"]),
                    relations_csv=_read(options["esco_relations"]), dry_run=dry_run,
                )
            else:
                if options["example"]:
                    data, fmt = example_framework_bytes(), interchange.JSON
                else:
                    data = _read(options["file"])
                    fmt = options["format"] or Path(options["file"]).suffix.lstrip(".").lower()
                    if fmt not in interchange.FORMATS:
                        raise CommandError("say --format json or --format csv")
                report = interchange.framework_import(organization=org, actor=actor, data=data,
                                                      fmt=fmt, dry_run=dry_run)
        self._print(report)
        if not report.ok:
            raise CommandError(f"{report.error_count} problem(s): nothing was written")

    def _print(self, report: interchange.ImportReport) -> None:
        for problem in report.errors:
            self.stderr.write(str(problem))
        if report.more_errors:
            self.stderr.write(f"…and {report.more_errors} more")
        for problem in report.warnings:
            self.stdout.write(f"note: {problem}")
        if not report.ok:
            return
        verb = ("would create / update / leave" if report.dry_run
                else "created / updated / unchanged")
        self.stdout.write(f"{report.framework_name} ({verb}):")
        for row in report.summary():
            self.stdout.write(f"  {row['label']}: {row['created']} / {row['updated']} / "
                              f"{row['unchanged']}")
        if report.applied:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write("Checked: nothing was written.")
