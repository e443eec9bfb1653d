from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AREAS = ["moves", "import", "opportunities", "succession", "recommendations", "champions",
         "stories", "health", "records", "metrics"]


class HrAdminConfig(AppConfig):
    name = "hr_admin"
    verbose_name = _("HR administration")

    def ready(self) -> None:
        from importlib import import_module

        from organizations.signals import demo_organization_seeded, member_placement_changed

        from . import navigation
        from .services import moves

        member_placement_changed.connect(moves.placement_changed,
                                         dispatch_uid="hr-admin-record-moves")
        navigation.register()
        # After the other apps' demos (apps are ready in INSTALLED_APPS order); moves first, so
        # that stories can tell of them.
        for area in AREAS:
            import_module(f"hr_admin.registrations_{area}").register()
            demo = import_module(f"hr_admin.demo_{area}")
            demo_organization_seeded.connect(demo.seed, dispatch_uid=f"hr-admin-demo-{area}")
        import_module("hr_admin.registrations_health_quick").register()
