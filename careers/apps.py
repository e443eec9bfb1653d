from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = _("Careers")

    def ready(self) -> None:
        from organizations.signals import demo_organization_seeded

        from . import demo, erasure, navigation, registrations

        navigation.register()
        registrations.register()
        erasure.register()
        demo_organization_seeded.connect(demo.seed_careers_demo, dispatch_uid="careers-demo-seed")
