"""Delete the front page's health checks nobody kept within 30 days (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from hr_admin.services.health_quick import PUBLIC_CHECK_DAYS, public_checks_purge


class Command(BaseCommand):
    help = "Delete unclaimed public health checks older than 30 days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=PUBLIC_CHECK_DAYS)

    def handle(self, *args, days, **options):
        deleted = public_checks_purge(days=max(days, 1))
        self.stdout.write(f"Deleted {deleted} unclaimed public health check(s).")
