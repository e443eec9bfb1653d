"""Recommendations: a manager recommends someone in their reporting line for a promotion, a role
or an opportunity; HR decides.

Managers "can identify and create opportunities for development"; HR "facilitate moves across
the organisation". A recommendation is written by a manager for someone below them in the
reporting line, is read by HR and leaders, and is never shown to the person it is about (see
``selectors.recommendations``). HR admins decide it, with a note the author reads; an HR admin
never decides a recommendation about themselves or one they wrote.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.access import is_in_reporting_line
from organizations.models import Membership, Organization
from skills.models import RoleProfile

from ..models import (
    NotificationKind,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
)
from .feedback import clean_text, on_commit_in_organization, require_active_member

RATIONALE_MIN_LENGTH = 20
RATIONALE_MAX_LENGTH = Recommendation._meta.get_field("rationale").max_length
OPPORTUNITY_MAX_LENGTH = Recommendation._meta.get_field("opportunity").max_length
NOTE_MAX_LENGTH = Recommendation._meta.get_field("decision_note").max_length

#: What HR may decide.
DECISIONS = (RecommendationStatus.ACCEPTED, RecommendationStatus.DECLINED)


def recommendation_url(*, organization: Organization, recommendation: Recommendation) -> str:
    return reverse("conversations:recommendation",
                   kwargs={"org_slug": organization.slug, "recommendation_id": recommendation.pk})


def describe(recommendation: Recommendation) -> str:
    """What someone is recommended for, in words: "a promotion to Senior Engineer" …"""
    kind, role = recommendation.kind, recommendation.role
    if kind == RecommendationKind.PROMOTION:
        if role is not None:
            return _("a promotion to %(role)s") % {"role": role.title}
        return _("a promotion")
    if kind == RecommendationKind.ROLE:
        return _("the role of %(role)s") % {"role": role.title if role else "—"}
    return _("the opportunity “%(title)s”") % {"title": recommendation.opportunity}


# --- Writing one --------------------------------------------------------------------------------


def _check_member(organization: Organization, actor: Membership,
                  member: Membership | None) -> str | None:
    if member is None or member.organization_id != organization.pk:
        return _("Choose the person you recommend.")
    if member.pk == actor.pk:
        return _("You cannot recommend yourself: ask your own manager to.")
    if not member.is_active:
        return _("%(name)s is no longer an active member.") % {"name": member.display_name}
    if not is_in_reporting_line(manager=actor, member=member):
        return _("You can recommend people in your reporting line; %(name)s is not in "
                 "yours.") % {"name": member.display_name}
    return None


def _check_role(organization: Organization, kind: str, role: RoleProfile | None) -> str | None:
    if role is None:
        if kind == RecommendationKind.ROLE:
            return _("Choose the role profile you recommend them for.")
        return None
    if role.organization_id != organization.pk:
        return _("Choose one of your organisation's role profiles.")
    if not role.is_active:
        return _("“%(role)s” is no longer in use: choose a current role profile.") % {
            "role": role.title}
    return None


@transaction.atomic
def recommendation_create(*, organization: Organization, actor: Membership,
                          member: Membership | None, kind: str, rationale: str,
                          role: RoleProfile | None = None,
                          opportunity: str = "") -> Recommendation:
    """Recommend ``member`` (someone in the actor's reporting line) for a promotion (a role
    profile optional), a role (a role profile required) or an opportunity (its title required).

    What does not apply to the kind is dropped: the role profile of an opportunity, the title of
    an opportunity given with a promotion or a role. Every problem is reported at once, by field;
    the same recommendation still waiting for HR is refused. HR admins are told in-app.
    """
    require_active_member(organization, actor)
    errors: dict[str, str] = {}
    member_error = _check_member(organization, actor, member)
    if member_error:
        errors["member"] = member_error
    if kind not in RecommendationKind.values:
        errors["kind"] = _("Choose a promotion, a role or an opportunity.")
    if kind == RecommendationKind.OPPORTUNITY:
        role = None
        try:
            opportunity = clean_text(
                opportunity, field="opportunity", max_length=OPPORTUNITY_MAX_LENGTH,
                required=_("Name the opportunity: a project, a secondment, a programme …"))
        except ValidationError as e:
            errors["opportunity"] = e.message_dict["opportunity"][0]
    else:
        opportunity = ""
    role_error = _check_role(organization, kind, role)
    if role_error:
        errors["role"] = role_error
    try:
        rationale = clean_text(
            rationale, field="rationale", max_length=RATIONALE_MAX_LENGTH,
            min_length=RATIONALE_MIN_LENGTH,
            required=_("Say why: what have they shown that makes them ready?"),
            too_short=_("Say a little more about why: HR decides on what you write here."))
    except ValidationError as e:
        errors["rationale"] = e.message_dict["rationale"][0]
    if errors:
        raise ValidationError(errors)
    duplicate = Recommendation.objects.for_org(organization).filter(
        author=actor, member=member, kind=kind, role=role, opportunity__iexact=opportunity,
        status=RecommendationStatus.PENDING).exists()
    if duplicate:
        raise ValidationError(_(
            "You already recommended %(name)s for this and it is waiting for HR. Withdraw it "
            "first if you want to write it again.") % {"name": member.display_name})
    recommendation = Recommendation(organization=organization, author=actor, member=member,
                                    kind=kind, role=role, opportunity=opportunity,
                                    rationale=rationale)
    with tenancy.organization_scope(organization):
        recommendation.full_clean()
    recommendation.save()
    on_commit_in_organization(organization, lambda: _notify_hr(organization, recommendation))
    return recommendation


def _notify_hr(org: Organization, recommendation: Recommendation) -> None:
    """Tell HR admins a recommendation waits for them: never the member it is about (an HR
    admin may be recommended), nor its author."""
    from .notifications import notification_create

    author = recommendation.author.display_name if recommendation.author else ""
    member = recommendation.member.display_name
    url = recommendation_url(organization=org, recommendation=recommendation)
    admins = (Membership.objects.for_org(org).filter(is_active=True, is_hr_admin=True)
              .exclude(pk__in=[recommendation.member_id, recommendation.author_id or 0])
              .select_related("user", "organization"))
    for admin in admins:
        notification_create(
            organization=org, recipient=admin, kind=NotificationKind.RECOMMENDATION,
            title=lambda: _("%(author)s recommends %(member)s for %(what)s") % {
                "author": author, "member": member, "what": describe(recommendation)},
            url=url)


# --- Withdrawing and deciding -------------------------------------------------------------------


def _locked(organization: Organization, recommendation: Recommendation) -> Recommendation:
    """The row again, locked until commit, so two decisions cannot both pass the status check."""
    return (Recommendation.objects.for_org(organization).select_for_update()
            .get(pk=recommendation.pk))


def _not_pending_error(recommendation: Recommendation) -> ValidationError:
    return ValidationError(_("This recommendation is no longer waiting for a decision: it is "
                             "%(status)s.") % {
        "status": str(recommendation.get_status_display()).lower()})


@transaction.atomic
def recommendation_withdraw(*, organization: Organization, actor: Membership,
                            recommendation: Recommendation) -> Recommendation:
    """The author takes a recommendation back while it still waits for HR."""
    require_active_member(organization, actor)
    if recommendation.organization_id != organization.pk or \
            recommendation.author_id != actor.pk:
        raise PermissionDenied(_("Only the manager who wrote a recommendation can withdraw it."))
    locked = _locked(organization, recommendation)
    if locked.status != RecommendationStatus.PENDING:
        raise _not_pending_error(locked)
    locked.status = RecommendationStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    recommendation.status = locked.status
    return recommendation


@transaction.atomic
def recommendation_decide(*, organization: Organization, actor: Membership,
                          recommendation: Recommendation, decision: str,
                          decision_note: str) -> Recommendation:
    """HR accepts or declines a pending recommendation, with a note for its author, who is told
    in-app. Records who decided and when."""
    require_active_member(organization, actor)
    if not actor.is_hr_admin or recommendation.organization_id != organization.pk:
        raise PermissionDenied(_("Only HR admins decide recommendations."))
    if recommendation.member_id == actor.pk:
        raise PermissionDenied(_("A recommendation about you is decided by another HR admin."))
    if recommendation.author_id == actor.pk:
        raise PermissionDenied(_("You wrote this recommendation: another HR admin decides it."))
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = _("Choose to accept or to decline the recommendation.")
    try:
        decision_note = clean_text(
            decision_note, field="decision_note", max_length=NOTE_MAX_LENGTH,
            required=_("Write a note for the manager: what happens next, or why not now."))
    except ValidationError as e:
        errors["decision_note"] = e.message_dict["decision_note"][0]
    if errors:
        raise ValidationError(errors)
    locked = _locked(organization, recommendation)
    if locked.status != RecommendationStatus.PENDING:
        raise _not_pending_error(locked)
    locked.status = decision
    locked.decision_note = decision_note
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    for field in ("status", "decision_note", "decided_by", "decided_at"):
        setattr(recommendation, field, getattr(locked, field))
    on_commit_in_organization(organization, lambda: _notify_author(organization, recommendation))
    return recommendation


def _notify_author(org: Organization, recommendation: Recommendation) -> None:
    from .notifications import notification_create

    if recommendation.author_id is None:
        return
    author = (Membership.objects.for_org(org).select_related("user", "organization")
              .filter(pk=recommendation.author_id, is_active=True).first())
    if author is None:
        return
    member = recommendation.member.display_name
    accepted = recommendation.status == RecommendationStatus.ACCEPTED

    def title() -> str:
        if accepted:
            return _("HR accepted your recommendation of %(member)s") % {"member": member}
        return _("HR declined your recommendation of %(member)s") % {"member": member}

    notification_create(organization=org, recipient=author,
                        kind=NotificationKind.RECOMMENDATION, title=title,
                        body=recommendation.decision_note[:280],
                        url=recommendation_url(organization=org, recommendation=recommendation))
