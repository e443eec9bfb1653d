"""What positive feedback and recommendations add to other apps' pages and to the career record.

* a member's profile, feedback panel: the member sees what they received; their line manager
  sees it too; anyone else who may give them feedback (further up the line, a mentor or coach)
  sees only what they gave. Each of those can give feedback from there. HR and leaders see
  nothing of it.
* a member's profile, recommendations panel: managers in the member's reporting line see what
  they recommended and can recommend them; HR and leaders see every recommendation about the
  member. The member never sees this panel, whatever their role.
* the career record: the feedback the member received, and the feedback they gave; the
  recommendations they wrote, with HR's decision.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.access import is_in_reporting_line
from organizations.panels import Panel, register_profile_panel
from organizations.personal_data import PersonalDataSection, register_personal_data
from organizations.services import audit

#: How many pieces of feedback and recommendations a profile panel shows.
PANEL_ROWS = 5


def feedback_profile_panel(request, member) -> dict | None:
    from .forms_feedback import FEEDBACK_KIND_HELP
    from .models import FeedbackKind
    from .selectors import feedback as selectors
    from .services.feedback import can_give_feedback

    viewer, org = request.membership, request.organization
    if viewer.pk == member.pk:
        mode = "self"
    elif member.manager_id == viewer.pk:
        mode = "manager"
    elif can_give_feedback(author=viewer, member=member):
        mode = "author"
    else:
        return None
    rows = selectors.feedback_about(organization=org, member=member, viewer=viewer)
    counts = selectors.feedback_counts(rows)
    items = list(rows[:PANEL_ROWS])
    if mode == "manager" and items:
        audit(organization=org, actor=viewer, action="conversations.feedback_viewed",
              subject=member, count=counts["total"], via="profile")
    can_give = mode != "self" and can_give_feedback(author=viewer, member=member)
    return {
        "mode": mode,
        "member": member,
        "items": items,
        "counts": counts,
        "can_give": can_give,
        "kinds": [{"value": value, "label": label, "help": FEEDBACK_KIND_HELP[value]}
                  for value, label in FeedbackKind.choices],
        "next": reverse("organizations:member_detail",
                        kwargs={"org_slug": org.slug, "member_id": member.pk}),
    }


def recommendations_profile_panel(request, member) -> dict | None:
    from .selectors import recommendations as selectors

    viewer, org = request.membership, request.organization
    if viewer.pk == member.pk:
        return None
    reads_all = selectors.reads_every_recommendation(viewer)
    can_recommend = member.is_active and is_in_reporting_line(manager=viewer, member=member)
    if not (reads_all or can_recommend):
        return None
    if reads_all:
        rows = selectors.recommendations_about(organization=org, member=member, viewer=viewer)
    else:
        rows = selectors.recommendations_written(organization=org, author=viewer).filter(
            member=member)
    items = list(rows[:PANEL_ROWS])
    if reads_all and items:
        audit(organization=org, actor=viewer, action="conversations.recommendations_viewed",
              subject=member, via="profile")
    return {
        "member": member,
        "items": items,
        "reads_all": reads_all,
        "can_recommend": can_recommend,
    }


def collect_feedback(*, organization, member) -> dict:
    from .selectors.feedback import feedback_record

    return feedback_record(organization=organization, member=member)


def collect_recommendations(*, organization, member) -> dict:
    """The recommendations the member wrote, with HR's decision as the author reads it. Those
    about the member are not theirs to read (the privacy rules), so they are not here."""
    from organizations.personal_data import iso

    from .selectors.recommendations import recommendations_written

    return {"written": [
        {"about": r.member.display_name, "kind": r.kind, "kind_label": str(r.get_kind_display()),
         "role": r.role.shown_title if r.role_id else None, "opportunity": r.opportunity,
         "rationale": r.rationale, "status": r.status,
         "status_label": str(r.get_status_display()),
         "decided_by": r.decided_by.display_name if r.decided_by_id else None,
         "decided_at": iso(r.decided_at), "decision_note": r.decision_note,
         "created_at": iso(r.created_at)}
        for r in recommendations_written(organization=organization, author=member)]}


def register() -> None:
    register_profile_panel(Panel(key="conversations-feedback",
                                 template="conversations/feedback/_profile_panel.html",
                                 context=feedback_profile_panel, column="main", order=30,
                                 stylesheets=("css/conversations.css",)))
    register_profile_panel(Panel(key="conversations-recommendations",
                                 template="conversations/recommendations/_profile_panel.html",
                                 context=recommendations_profile_panel, column="main", order=40,
                                 stylesheets=("css/conversations.css",)))
    register_personal_data(PersonalDataSection(
        key="feedback", title=_("Positive feedback"), collect=collect_feedback,
        template="conversations/feedback/_record.html", order=60,
        fields=(
            "conversations.Feedback.author", "conversations.Feedback.member",
            "conversations.Feedback.kind", "conversations.Feedback.text",
            "conversations.Feedback.conversation", "conversations.Feedback.created_at",
        )))
    register_personal_data(PersonalDataSection(
        key="recommendations", title=_("Recommendations I made"),
        collect=collect_recommendations,
        template="conversations/recommendations/_record.html", order=65,
        fields=(
            "conversations.Recommendation.author", "conversations.Recommendation.member",
            "conversations.Recommendation.kind", "conversations.Recommendation.role",
            "conversations.Recommendation.opportunity", "conversations.Recommendation.rationale",
            "conversations.Recommendation.status", "conversations.Recommendation.decided_by",
            "conversations.Recommendation.decided_at",
            "conversations.Recommendation.decision_note",
            "conversations.Recommendation.created_at",
        )))
