from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = _("Skills")

    def ready(self) -> None:
        from organizations.signals import demo_organization_seeded

        from . import demo, erasure, navigation, record

        navigation.register()
        record.register()
        erasure.register()

        demo_organization_seeded.connect(demo.seed_skills_demo, dispatch_uid="skills-demo-seed")
