from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import record, rls, signals  # noqa: F401  (signal handlers)

        record.register()
        post_migrate.connect(rls.sync_row_level_security, dispatch_uid="trellis-rls-sync")
