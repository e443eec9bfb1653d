from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrAdminConfig(AppConfig):
    name = "hr_admin"
    verbose_name = _("HR administration")
