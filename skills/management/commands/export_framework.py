"""Operators' command: export a whole skills framework as a JSON or CSV file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations import tenancy
from organizations.models import Organization
from skills.models import Framework
from skills.services import interchange


class Command(BaseCommand):
    help = ("Export a skills framework of an organisation in the Trellis framework format, to a "
            "file or to standard output. The file imports back with import_framework.")

    def add_arguments(self, parser):
        parser.add_argument("organization", help="The organisation's address (slug).")
        parser.add_argument("framework", nargs="?",
                            help="The framework's name (optional when there is only one).")
        parser.add_argument("--format", choices=interchange.FORMATS, default=interchange.JSON)
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(f"no organisation with the address {options['organization']!r}")
        with transaction.atomic(), tenancy.organization_scope(org):
            frameworks = Framework.objects.for_org(org)
            if options["framework"]:
                frameworks = frameworks.filter(name=options["framework"])
            found = list(frameworks[:2])
            if len(found) != 1:
                names = ", ".join(Framework.objects.for_org(org).values_list("name", flat=True))
                raise CommandError(f"name one framework of {org.slug}: {names or 'none yet'}")
            data = interchange.framework_export(organization=org, framework=found[0],
                                                fmt=options["format"])
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"{found[0].name} written to {options['output']}")
        else:
            self.stdout.write(data.decode(), ending="")
