"""Celery tasks of the conversations app: thin, ids in, idempotent."""

from celery import shared_task
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership
from organizations.taskbase import tenant_task

from .models import Conversation, NotificationKind
from .services.notifications import notification_create

RETRY = {"acks_late": True, "autoretry_for": (ConnectionError, OSError), "retry_backoff": True,
         "max_retries": 5}

EVENTS = {
    "scheduled": (NotificationKind.SCHEDULED, _("A career conversation is scheduled")),
    "changed": (NotificationKind.CHANGED, _("A career conversation has moved")),
    "cancelled": (NotificationKind.CANCELLED, _("A career conversation is cancelled")),
    "held": (NotificationKind.CHANGED, _("A career conversation is marked as held")),
}


@shared_task(bind=True, **RETRY)
@tenant_task
def conversation_notify(self, organization_id: int, conversation_id: int, event: str,
                        actor_id: int | None = None) -> int:
    """Tell the participant who did not act that a conversation was scheduled, moved,
    cancelled or held. Returns the number of notifications made."""
    conversation = (Conversation.objects.select_related("organization", "member__user",
                                                        "partner__user")
                    .filter(pk=conversation_id).first())
    if conversation is None or event not in EVENTS:
        return 0
    kind, title = EVENTS[event]
    made = 0
    for person in (conversation.member, conversation.partner):
        if person.pk == actor_id or not person.is_active:
            continue
        person = Membership.objects.select_related("user", "organization").get(pk=person.pk)
        notification_create(
            organization=conversation.organization, recipient=person, kind=kind, title=title,
            url=reverse("conversations:list", kwargs={"org_slug": conversation.organization.slug}),
            conversation=conversation)
        made += 1
    return made
