"""The conversations app's part in erasing a leaver (see ``organizations.erasure``).

Conversations stay, with their dates, status, duration and outcome ratings: they feed coverage
and quality figures. Of a conversation about the leaver's career (they were the employee) every
text goes: agenda, preparation, shared notes, everyone's private notes, the outcome comment. Of a
conversation they held as a colleague's manager, mentor or coach, the texts they wrote alone go
(their topics and private notes); the shared notes are the colleague's record too, so they stay
with the leaver's name replaced. Feedback and recommendations about them or written by them keep
their kind, status and dates, without the words. Their notifications, and everyone's that quote
those texts, are deleted, as are their reminder and digest rows and calendar feed.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.erasure import EraserSection, blank, register_erasure, scrub_mentions

from .models import (
    AgendaTopic,
    CalendarFeed,
    Conversation,
    ConversationArea,
    DigestDelivery,
    Feedback,
    Notification,
    Outcome,
    Preparation,
    PrivateNote,
    Recommendation,
    ReminderDelivery,
)
from .services.feedback import feedback_url
from .services.recommendations import recommendation_url

CONVERSATION_FIELDS = ["shared_notes", "location", "video_url", "cancel_reason"]
PREPARATION_FIELDS = ["journey", "to_ask", "to_share"]
NOTIFICATION_FIELDS = ["title", "body", "url"]


def _deleted(queryset) -> int:
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def erase_conversations_data(*, organization, member, actor, identity) -> dict:
    conversations = Conversation.objects.for_org(organization)
    theirs = conversations.filter(member=member)
    topics = AgendaTopic.objects.for_org(organization)
    notes = PrivateNote.objects.for_org(organization)
    feedback = Feedback.objects.for_org(organization)
    recommendations = Recommendation.objects.for_org(organization)
    notifications = Notification.objects.for_org(organization)
    reminders = ReminderDelivery.objects.for_org(organization)
    # Notifications quote what they announce: those about the leaver's conversations, and
    # about feedback and recommendations about them or by them, go with the texts they quote.
    touched_feedback = feedback.filter(Q(member=member) | Q(author=member))
    touched_recommendations = recommendations.filter(
        Q(member=member) | Q(author=member) | Q(decided_by=member))
    quoting = [feedback_url(organization=organization, feedback=f) for f in touched_feedback]
    quoting += [recommendation_url(organization=organization, recommendation=r)
                for r in touched_recommendations]
    counts = {
        "notifications": _deleted(notifications.filter(
            Q(recipient=member) | Q(conversation__member=member) | Q(url__in=quoting))),
        "conversations": blank(theirs, **dict.fromkeys(CONVERSATION_FIELDS, "")),
        "topics": _deleted(topics.filter(Q(conversation__member=member) | Q(author=member))),
        "preparations": _deleted(Preparation.objects.for_org(organization)
                                 .filter(conversation__member=member)),
        "private_notes": _deleted(notes.filter(Q(conversation__member=member) | Q(author=member))),
        "shared_areas": _deleted(ConversationArea.objects.for_org(organization)
                                 .filter(conversation__member=member)),
        "outcomes": blank(Outcome.objects.for_org(organization)
                          .filter(conversation__member=member), comment=""),
        "feedback": blank(feedback.filter(Q(member=member) | Q(author=member)), text=""),
        "recommendations": (
            blank(recommendations.filter(member=member), rationale="", decision_note="",
                  opportunity="")
            + blank(recommendations.filter(author=member).exclude(member=member), rationale="")
            + blank(recommendations.filter(decided_by=member).exclude(member=member),
                    decision_note="")),
        "deliveries": _deleted(reminders.filter(recipient=member))
        + _deleted(DigestDelivery.objects.for_org(organization).filter(manager=member)),
        "calendar_feeds": _deleted(CalendarFeed.objects.for_org(organization)
                                   .filter(member=member)),
    }
    counts["mentions"] = (
        scrub_mentions(conversations, CONVERSATION_FIELDS, identity)
        + scrub_mentions(topics, ["text"], identity)
        + scrub_mentions(Preparation.objects.for_org(organization), PREPARATION_FIELDS,
                         identity)
        + scrub_mentions(notes, ["text"], identity)
        + scrub_mentions(Outcome.objects.for_org(organization), ["comment"], identity)
        + scrub_mentions(feedback, ["text"], identity)
        + scrub_mentions(recommendations, ["opportunity", "rationale", "decision_note"],
                         identity)
        + scrub_mentions(notifications, NOTIFICATION_FIELDS, identity)
        + scrub_mentions(reminders, ["last_error"], identity))
    return counts


def register() -> None:
    register_erasure(EraserSection(
        key="conversations", erase=erase_conversations_data, order=40,
        title=_("Career conversations, feedback and recommendations"),
        labels={
            "conversations": _("conversations' notes, place and links blanked"),
            "topics": _("agenda topics deleted"),
            "preparations": _("preparations deleted"),
            "private_notes": _("private notes deleted"),
            "shared_areas": _("reflection areas shared for a conversation withdrawn"),
            "outcomes": _("outcome comments blanked"),
            "feedback": _("pieces of feedback received or given blanked"),
            "recommendations": _("recommendations about them or by them blanked"),
            "notifications": _("notifications to them or quoting them deleted"),
            "deliveries": _("reminder and digest records deleted"),
            "calendar_feeds": _("calendar feeds deleted"),
            "mentions": _("colleagues' texts naming them scrubbed"),
        },
        kept=_("Each conversation's date, status, duration and outcome ratings; the kind, "
               "status and dates of feedback and recommendations. Conversations they held "
               "with colleagues keep the colleague's shared notes, with their name replaced."),
        fields=(
            "conversations.Conversation.shared_notes",
            "conversations.Conversation.location",
            "conversations.Conversation.video_url",
            "conversations.Conversation.cancel_reason",
            "conversations.AgendaTopic.text",
            "conversations.Preparation.journey",
            "conversations.Preparation.to_ask",
            "conversations.Preparation.to_share",
            "conversations.PrivateNote.text",
            "conversations.Outcome.comment",
            "conversations.Feedback.text",
            "conversations.Recommendation.opportunity",
            "conversations.Recommendation.rationale",
            "conversations.Recommendation.decision_note",
            "conversations.Notification.title",
            "conversations.Notification.body",
            "conversations.Notification.url",
            "conversations.ReminderDelivery.last_error",
        ),
    ))
