from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Career conversations")

    def ready(self) -> None:
        from organizations.signals import demo_organization_seeded

        from . import demo, demo_feedback, erasure, navigation, registrations

        navigation.register()
        registrations.register()
        erasure.register()
        # After the skills and careers demos (apps are ready in INSTALLED_APPS order).
        demo_organization_seeded.connect(demo.seed_conversations_demo,
                                         dispatch_uid="conversations-demo-seed")
        demo_organization_seeded.connect(demo_feedback.seed_feedback_demo,
                                         dispatch_uid="conversations-feedback-demo-seed")
