from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import record, rls, selectors, signals  # noqa: F401  (signal handlers)
        from .models import Membership

        record.register()
        for signal in (post_save, post_delete):
            signal.connect(selectors.job_titles_changed, sender=Membership,
                           dispatch_uid=f"trellis-job-titles-{signal is post_save}")
        post_migrate.connect(rls.sync_row_level_security, dispatch_uid="trellis-rls-sync")
