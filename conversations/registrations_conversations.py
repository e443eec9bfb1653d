"""What career conversations add to other apps' pages and to the member's career record.

* the member's home: their next conversation (with the link to prepare) and, for managers,
  how many reports are overdue for one;
* the career record: every conversation they had as the employee (agenda, shared notes, their
  preparation, attached areas, agreed actions, their ratings), when and with whom they had one
  as a partner, the private notes they wrote (never anyone else's), their mentors and coaches
  and the cadence set for them.

``register()`` is called from ``conversations.registrations.register``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.panels import Panel, register_home_panel
from organizations.personal_data import PersonalDataSection, register_personal_data


def home_panel(request) -> dict | None:
    """Three queries for a member, two more for a manager (whatever the size of the team)."""
    from .selectors import conversations as selectors

    org, membership = request.organization, request.membership
    next_one = selectors.next_conversation(organization=org, member=membership)
    context = {
        "next": next_one,
        "last_held": (None if next_one is not None
                      else selectors.last_held(organization=org, member=membership)),
        "team": None,
    }
    if getattr(membership, "is_manager", False):
        context["team"] = selectors.team_summary(
            selectors.team_overview(organization=org, manager=membership))
    return context


def collect_conversations(*, organization, member) -> dict:
    from .selectors.conversations import conversation_record

    return conversation_record(organization=organization, member=member)


def register() -> None:
    register_home_panel(Panel(key="conversations",
                              template="conversations/conversation/_home_panel.html",
                              context=home_panel, column="aside", order=20,
                              stylesheets=("css/conversations.css",)))
    register_personal_data(PersonalDataSection(
        key="conversations", title=_("Career conversations"), collect=collect_conversations,
        template="conversations/conversation/_record.html", order=50,
        stylesheets=("css/conversations.css",),
        fields=(
            "conversations.Conversation.member", "conversations.Conversation.partner",
            "conversations.Conversation.partner_kind", "conversations.Conversation.scheduled_at",
            "conversations.Conversation.duration_minutes", "conversations.Conversation.location",
            "conversations.Conversation.video_url", "conversations.Conversation.status",
            "conversations.Conversation.held_at", "conversations.Conversation.cancelled_at",
            "conversations.Conversation.cancel_reason", "conversations.Conversation.shared_notes",
            "conversations.Conversation.shared_notes_updated_at",
            "conversations.Conversation.shared_notes_updated_by",
            "conversations.Conversation.scheduled_by", "conversations.Conversation.created_at",
            "conversations.Conversation.updated_at",
            "conversations.AgendaTopic.conversation", "conversations.AgendaTopic.author",
            "conversations.AgendaTopic.text", "conversations.AgendaTopic.is_done",
            "conversations.AgendaTopic.carried_from", "conversations.AgendaTopic.created_at",
            "conversations.Preparation.conversation", "conversations.Preparation.journey",
            "conversations.Preparation.to_ask", "conversations.Preparation.to_share",
            "conversations.Preparation.updated_at",
            "conversations.ConversationArea.conversation",
            "conversations.ConversationArea.reflection", "conversations.ConversationArea.area",
            "conversations.ConversationArea.shared_at",
            "conversations.PrivateNote.conversation", "conversations.PrivateNote.author",
            "conversations.PrivateNote.text", "conversations.PrivateNote.updated_at",
            "conversations.AgreedAction.conversation", "conversations.AgreedAction.action",
            "conversations.AgreedAction.created_by", "conversations.AgreedAction.created_at",
            "conversations.Outcome.conversation", "conversations.Outcome.direction",
            "conversations.Outcome.self_insight", "conversations.Outcome.options",
            "conversations.Outcome.confidence", "conversations.Outcome.comment",
            "conversations.Outcome.rated_at",
            "conversations.CareerPartner.member", "conversations.CareerPartner.partner",
            "conversations.CareerPartner.kind", "conversations.CareerPartner.added_by",
            "conversations.CareerPartner.created_at", "conversations.CareerPartner.ended_at",
            "conversations.MemberCadence.member", "conversations.MemberCadence.days",
            "conversations.MemberCadence.set_by", "conversations.MemberCadence.updated_at",
        )))
