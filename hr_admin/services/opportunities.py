"""Internal opportunities: HR and managers post openings, members save them and express interest,
line managers approve the time a project or gig takes, the poster fills the opening.

Rules kept here:

* HR posts and manages any opening; a manager (a member with active reports) posts openings
  and manages only their own.
* A role names a role profile; its required skills default to the profile's requirements. A
  project or a gig has a share of time and a duration. Every opening lists at least one
  required skill, since that is what members are matched on.
* Projects and gigs take time from the day job, so expressing interest in either asks the
  member's line manager to approve that time (``selectors.KINDS_NEEDING_APPROVAL``); a member
  with no active line manager is approved by HR. Roles and mentoring need no approval.
* Filling with an internal candidate (for a project or gig, only one whose time is approved)
  records a career move: for a role, the new role profile (and team) with the move classified;
  for a project, a gig or mentoring, an assignment with the placement unchanged. Everyone else
  still interested is told they were not selected.

Every write is audited; every person affected is told in-app (notification kind
``opportunity``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.access import is_in_reporting_line
from organizations.models import Membership, Organization, Team
from organizations.services import audit, membership_update
from skills.models import Level, RoleProfile, RoleRequirement, Skill

from ..models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    InterestStatus,
    ManagerApproval,
    MoveKind,
    MoveSource,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)
from ..selectors import opportunities as selectors
from . import moves

MESSAGE_MAX_LENGTH = OpportunityInterest._meta.get_field("message").max_length
NOTE_MAX_LENGTH = OpportunityInterest._meta.get_field("approval_note").max_length
LOCATION_MAX_LENGTH = Opportunity._meta.get_field("location").max_length
#: How many skills one opening may require.
MAX_SKILLS = 30

STATUS_ACTIONS = ("publish", "close", "reopen")
DECISIONS = (ManagerApproval.APPROVED, ManagerApproval.DECLINED)


@dataclass(frozen=True)
class SkillRequirement:
    """A skill an opening requires: at least ``min_level``, essential or desirable."""

    skill: Skill
    min_level: int
    is_core: bool = True


# --- Helpers ------------------------------------------------------------------------------------


def _require_member(organization: Organization, actor: Membership | None) -> None:
    """Security invariant: only an active member of ``organization`` acts in it."""
    if actor is None or actor.organization_id != organization.pk or not actor.is_active:
        raise PermissionDenied(_("You are not a member of this organisation."))


def _require_own(organization: Organization, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.organization_id != organization.pk:
            raise PermissionDenied(_("Everything must belong to the same organisation."))


def _require_manager_of(actor: Membership, opportunity: Opportunity) -> None:
    if not selectors.can_manage(actor, opportunity):
        raise PermissionDenied(_("Only HR and the person who posted this opening can manage "
                                 "it."))


def _locked(organization: Organization, opportunity: Opportunity) -> Opportunity:
    """The row again, locked until commit, so that two requests cannot both change its state."""
    _require_own(organization, opportunity)
    return (Opportunity.objects.for_org(organization).select_for_update(of=("self",))
            .select_related("role", "team", "posted_by__user").get(pk=opportunity.pk))


def _locked_interest(organization: Organization,
                     interest: OpportunityInterest) -> OpportunityInterest:
    _require_own(organization, interest)
    return (OpportunityInterest.objects.for_org(organization).select_for_update(of=("self",))
            .select_related("member__user", "member__manager__user", "opportunity")
            .get(pk=interest.pk))


def _first_name(member: Membership) -> str:
    return member.user.first_name or member.display_name


def _clean_text(value: str | None, *, max_length: int, field: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > max_length:
        raise ValidationError({field: _("Keep this under %(limit)s characters (it has "
                                        "%(count)s).") % {"limit": f"{max_length:,}",
                                                          "count": f"{len(text):,}"}})
    return text


def _url(organization: Organization, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def _notify(organization: Organization, recipient: Membership | None, title, body="",
            url: str = "") -> None:
    if recipient is None or not recipient.is_active:
        return
    from conversations.models import NotificationKind
    from conversations.services.notifications import notification_create

    notification_create(organization=organization, recipient=recipient,
                        kind=NotificationKind.OPPORTUNITY, title=title, body=body, url=url)


def _time_text(opportunity: Opportunity) -> str:
    if opportunity.time_share and opportunity.duration_weeks:
        return _("%(share)s%% of their time for %(weeks)s weeks") % {
            "share": opportunity.time_share, "weeks": opportunity.duration_weeks}
    return ""


# --- Posting and editing ------------------------------------------------------------------------


def _scale_tops(organization: Organization, skills: list[Skill]) -> dict[int, int]:
    """Each framework's highest rank, for the frameworks of ``skills``. One query."""
    tops: dict[int, int] = {}
    framework_ids = {s.framework_id for s in skills}
    if framework_ids:
        for framework_id, rank in (Level.objects.for_org(organization)
                                   .filter(framework_id__in=framework_ids)
                                   .values_list("framework_id", "rank")):
            tops[framework_id] = max(tops.get(framework_id, 0), rank)
    return tops


def role_requirements(*, organization: Organization, role: RoleProfile) -> list[SkillRequirement]:
    """A role profile's requirements as an opening's required skills (retired skills aside)."""
    rows = (RoleRequirement.objects.for_org(organization)
            .filter(role=role, skill__is_retired=False).select_related("skill")
            .order_by("skill__name", "pk"))
    return [SkillRequirement(skill=r.skill, min_level=r.min_level,
                             is_core=r.importance == "core") for r in rows]


def _check_skills(organization: Organization,
                  skills: list[SkillRequirement]) -> tuple[list[SkillRequirement], str | None]:
    if not skills:
        return [], _("Add at least one required skill: members are matched on them.")
    if len(skills) > MAX_SKILLS:
        return [], _("List at most %(n)s skills: the ones that matter most.") % {"n": MAX_SKILLS}
    seen: set[int] = set()
    for row in skills:
        if row.skill is None or row.skill.organization_id != organization.pk:
            return [], _("Choose skills from your organisation's frameworks.")
        if row.skill.pk in seen:
            return [], _("“%(skill)s” is listed twice: keep one line for it.") % {
                "skill": row.skill.name}
        seen.add(row.skill.pk)
        if row.skill.is_retired:
            return [], _("“%(skill)s” is retired: choose a current skill.") % {
                "skill": row.skill.name}
    tops = _scale_tops(organization, [row.skill for row in skills])
    for row in skills:
        top = tops.get(row.skill.framework_id, 12)
        if not isinstance(row.min_level, int) or not 1 <= row.min_level <= top:
            return [], _("The minimum level of “%(skill)s” must be between 1 and %(top)s.") % {
                "skill": row.skill.name, "top": top}
    return skills, None


def _clean_posting(organization: Organization, *, kind: str, title: str, description: str,
                   role: RoleProfile | None, team: Team | None, time_share: int | None,
                   duration_weeks: int | None, location: str, starts_on, closes_on,
                   skills: list[SkillRequirement] | None, opening: bool,
                   previous_closes_on=None) -> tuple[dict, list[SkillRequirement]]:
    """The posting's fields cleaned for ``kind``, or every problem at once by field."""
    errors: dict[str, str] = {}
    if kind not in OpportunityKind.values:
        errors["kind"] = _("Choose a role, a project, a gig or mentoring.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the opening a title people will recognise, e.g. “Data "
                            "visualisation for the churn project”.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Keep the title under %(n)s characters.") % {"n": TITLE_MAX_LENGTH}
    try:
        description = _clean_text(description, max_length=TEXT_MAX_LENGTH, field="description")
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    try:
        location = _clean_text(location, max_length=LOCATION_MAX_LENGTH, field="location")
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    if kind == OpportunityKind.ROLE:
        if role is None:
            errors["role"] = _("Choose the role profile of this opening: it says what the "
                               "role asks for.")
        elif role.organization_id != organization.pk:
            errors["role"] = _("Choose one of your organisation's role profiles.")
        elif not role.is_active:
            errors["role"] = _("“%(role)s” is no longer in use: choose a current role "
                               "profile.") % {"role": role.title}
    else:
        role = None
    if team is not None and team.organization_id != organization.pk:
        errors["team"] = _("Choose a team of your organisation.")
    if kind in selectors.KINDS_WITH_TIME_SHARE:
        if time_share is None:
            errors["time_share"] = _("Say how much of their time it takes, from 5 to 100%.")
        elif not 5 <= time_share <= 100:
            errors["time_share"] = _("A share of time is between 5 and 100%.")
        if duration_weeks is None:
            errors["duration_weeks"] = _("Say how many weeks it lasts, from 1 to 260.")
        elif not 1 <= duration_weeks <= 260:
            errors["duration_weeks"] = _("A duration is between 1 and 260 weeks.")
    else:
        time_share = duration_weeks = None
    today = timezone.localdate()
    if opening and closes_on is not None and closes_on < today and \
            closes_on != previous_closes_on:
        errors["closes_on"] = _("Applications cannot close in the past: choose today or a "
                                "later date, or leave it empty.")
    if starts_on is not None and closes_on is not None and starts_on < closes_on:
        errors["starts_on"] = _("It would start before applications close: choose a start "
                                "on or after the closing date.")
    if kind == OpportunityKind.ROLE and not skills and role is not None and "role" not in errors:
        skills = role_requirements(organization=organization, role=role)
        if not skills:
            errors["skills"] = _("“%(role)s” lists no required skills: add the skills this "
                                 "opening asks for.") % {"role": role.title}
    if "skills" not in errors:
        skills, problem = _check_skills(organization, list(skills or []))
        if problem:
            errors["skills"] = problem
    if errors:
        raise ValidationError(errors)
    fields = {"kind": kind, "title": title, "description": description, "role": role,
              "team": team, "time_share": time_share, "duration_weeks": duration_weeks,
              "location": location, "starts_on": starts_on, "closes_on": closes_on}
    return fields, skills


def _save_skills(organization: Organization, opportunity: Opportunity,
                 skills: list[SkillRequirement]) -> None:
    OpportunitySkill.objects.for_org(organization).filter(opportunity=opportunity).delete()
    OpportunitySkill.objects.for_org(organization).bulk_create([
        OpportunitySkill(organization=organization, opportunity=opportunity, skill=row.skill,
                         min_level=row.min_level, is_core=row.is_core)
        for row in skills])


@transaction.atomic
def opportunity_create(*, organization: Organization, actor: Membership, kind: str,
                       title: str, description: str = "", role: RoleProfile | None = None,
                       team: Team | None = None, time_share: int | None = None,
                       duration_weeks: int | None = None, location: str = "",
                       starts_on=None, closes_on=None,
                       skills: list[SkillRequirement] | None = None,
                       publish: bool = True) -> Opportunity:
    """Post an opening (HR or a manager), published at once or kept as a draft.

    Fields that do not apply to the kind are dropped (a role profile on a gig, a share of time
    on a role). A role given no skills takes its role profile's requirements.
    """
    _require_member(organization, actor)
    if not selectors.can_post(actor):
        raise PermissionDenied(_("HR and managers post openings. Ask HR, or your manager, to "
                                 "post this one."))
    fields, skills = _clean_posting(
        organization, kind=kind, title=title, description=description, role=role, team=team,
        time_share=time_share, duration_weeks=duration_weeks, location=location,
        starts_on=starts_on, closes_on=closes_on, skills=skills, opening=True)
    opportunity = Opportunity(organization=organization, posted_by=actor,
                              status=OpportunityStatus.OPEN if publish
                              else OpportunityStatus.DRAFT, **fields)
    with tenancy.organization_scope(organization):
        opportunity.full_clean()
    opportunity.save()
    _save_skills(organization, opportunity, skills)
    audit(organization=organization, actor=actor, action="hr.opportunity_created",
          opportunity_id=opportunity.pk, kind=opportunity.kind, status=opportunity.status,
          skills=len(skills))
    return opportunity


@transaction.atomic
def opportunity_update(*, organization: Organization, actor: Membership,
                       opportunity: Opportunity, kind: str, title: str, description: str = "",
                       role: RoleProfile | None = None, team: Team | None = None,
                       time_share: int | None = None, duration_weeks: int | None = None,
                       location: str = "", starts_on=None, closes_on=None,
                       skills: list[SkillRequirement] | None = None) -> Opportunity:
    """Edit an opening that is not filled yet (its poster or HR). Its kind stays once someone
    has expressed interest, since approvals depend on it."""
    _require_member(organization, actor)
    _require_manager_of(actor, opportunity)
    locked = _locked(organization, opportunity)
    if locked.status == OpportunityStatus.FILLED:
        raise ValidationError(_("This opening is filled: it can no longer be edited."))
    if kind != locked.kind and OpportunityInterest.objects.for_org(organization).filter(
            opportunity=locked).exists():
        raise ValidationError({"kind": _("People have already expressed interest in this "
                                         "%(kind)s: its kind cannot change. Close it and post "
                                         "a new opening instead.") % {
            "kind": str(locked.get_kind_display()).lower()}})
    fields, skills = _clean_posting(
        organization, kind=kind, title=title, description=description, role=role, team=team,
        time_share=time_share, duration_weeks=duration_weeks, location=location,
        starts_on=starts_on, closes_on=closes_on, skills=skills,
        opening=locked.status != OpportunityStatus.CLOSED, previous_closes_on=locked.closes_on)
    for name, value in fields.items():
        setattr(locked, name, value)
    with tenancy.organization_scope(organization):
        locked.full_clean()
    locked.save()
    _save_skills(organization, locked, skills)
    audit(organization=organization, actor=actor, action="hr.opportunity_updated",
          opportunity_id=locked.pk, kind=locked.kind, skills=len(skills))
    return locked


@transaction.atomic
def opportunity_status_set(*, organization: Organization, actor: Membership,
                           opportunity: Opportunity, action: str) -> Opportunity:
    """Publish a draft, close an opening without filling it, or reopen a closed one.

    Closing tells everyone still interested; a draft or a closed opening is published only
    with a closing date that has not passed.
    """
    _require_member(organization, actor)
    _require_manager_of(actor, opportunity)
    if action not in STATUS_ACTIONS:
        raise ValidationError({"action": _("Choose to publish, close or reopen.")})
    locked = _locked(organization, opportunity)
    allowed = {"publish": (OpportunityStatus.DRAFT,),
               "close": (OpportunityStatus.DRAFT, OpportunityStatus.OPEN),
               "reopen": (OpportunityStatus.CLOSED,)}[action]
    if locked.status not in allowed:
        raise ValidationError(_("This opening is %(status)s: it cannot be %(action)s.") % {
            "status": str(locked.get_status_display()).lower(),
            "action": {"publish": _("published"), "close": _("closed"),
                       "reopen": _("reopened")}[action]})
    if action in ("publish", "reopen") and locked.closes_on is not None and \
            locked.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("Its closing date has passed: edit the opening "
                                              "and choose a new closing date first.")})
    locked.status = (OpportunityStatus.CLOSED if action == "close" else OpportunityStatus.OPEN)
    locked.save(update_fields=["status", "updated_at"])
    audit(organization=organization, actor=actor, action=f"hr.opportunity_{action}",
          opportunity_id=locked.pk)
    if action == "close":
        url = _url(organization, "opportunity_detail", opportunity_id=locked.pk)
        for interest in _still_interested(organization, locked):
            _notify(organization, interest.member,
                    lambda o=locked: _("“%(title)s” was closed without being filled") % {
                        "title": o.title},
                    body=lambda: _("Thank you for your interest. Keep an eye on Opportunities "
                                   "for the next one."), url=url)
    opportunity.status = locked.status
    return locked


def _still_interested(organization: Organization, opportunity: Opportunity,
                      exclude: int | None = None) -> list[OpportunityInterest]:
    rows = (OpportunityInterest.objects.for_org(organization)
            .filter(opportunity=opportunity, status=InterestStatus.INTERESTED)
            .select_related("member__user", "member__organization"))
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return list(rows)


# --- Saving and expressing interest -------------------------------------------------------------


@transaction.atomic
def opportunity_bookmark(*, organization: Organization, actor: Membership,
                         opportunity: Opportunity) -> OpportunityBookmark:
    """Save an open opportunity to come back to (saving it twice changes nothing)."""
    _require_member(organization, actor)
    _require_own(organization, opportunity)
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError(_("Only open opportunities can be saved."))
    bookmark, created = OpportunityBookmark.objects.for_org(organization).get_or_create(
        organization=organization, opportunity=opportunity, member=actor)
    if created:
        audit(organization=organization, actor=actor, action="hr.opportunity_saved",
              subject=actor, opportunity_id=opportunity.pk)
    return bookmark


@transaction.atomic
def opportunity_unbookmark(*, organization: Organization, actor: Membership,
                           opportunity: Opportunity) -> bool:
    """Un-save; True when something was removed."""
    _require_member(organization, actor)
    _require_own(organization, opportunity)
    removed, _rows = OpportunityBookmark.objects.for_org(organization).filter(
        opportunity=opportunity, member=actor).delete()
    if removed:
        audit(organization=organization, actor=actor, action="hr.opportunity_unsaved",
              subject=actor, opportunity_id=opportunity.pk)
    return bool(removed)


def approvers_of(organization: Organization, member: Membership) -> list[Membership]:
    """Who approves ``member``'s time: their active line manager, else every HR admin but
    them."""
    if selectors.has_active_manager(member):
        return [member.manager]
    return list(Membership.objects.for_org(organization)
                .filter(is_active=True, is_hr_admin=True).exclude(pk=member.pk)
                .select_related("user", "organization"))


@transaction.atomic
def interest_express(*, organization: Organization, actor: Membership,
                     opportunity: Opportunity, message: str = "") -> OpportunityInterest:
    """The actor tells the poster they are interested, with an optional message. Their match at
    this moment is kept with it. For a project or gig, their line manager (or HR, for a member
    without one) is asked to approve the time.

    Someone who withdrew may express interest again; someone already decided on may not.
    """
    _require_member(organization, actor)
    _require_own(organization, opportunity)
    message = _clean_text(message, max_length=MESSAGE_MAX_LENGTH, field="message")
    locked = _locked(organization, opportunity)
    if not selectors.is_open_for_interest(locked):
        raise ValidationError(_("This opening no longer takes expressions of interest."))
    if locked.posted_by_id == actor.pk:
        raise ValidationError(_("You posted this opening: you cannot express interest in it."))
    interest = (OpportunityInterest.objects.for_org(organization).select_for_update()
                .filter(opportunity=locked, member=actor).first())
    if interest is not None and interest.status == InterestStatus.INTERESTED:
        raise ValidationError(_("You have already expressed interest in this opening."))
    if interest is not None and interest.status != InterestStatus.WITHDRAWN:
        raise ValidationError(_("The poster has already decided on your interest in this "
                                "opening."))
    score = selectors.match_for(organization=organization, member=actor,
                                opportunity=locked).score
    needs = selectors.needs_manager_approval(locked.kind)
    if interest is None:
        interest = OpportunityInterest(organization=organization, opportunity=locked,
                                       member=actor)
    interest.message = message
    interest.status = InterestStatus.INTERESTED
    interest.approval = ManagerApproval.PENDING if needs else ManagerApproval.NOT_NEEDED
    interest.approval_by, interest.approval_at, interest.approval_note = None, None, ""
    interest.match_score = score
    with tenancy.organization_scope(organization):
        interest.full_clean(validate_unique=False)
    interest.save()
    audit(organization=organization, actor=actor, action="hr.opportunity_interest_expressed",
          subject=actor, opportunity_id=locked.pk, interest_id=interest.pk, match_score=score,
          approval=interest.approval)
    name = actor.display_name
    approvers = approvers_of(organization, actor) if needs else []
    for approver in approvers:
        _notify(organization, approver,
                lambda o=locked: _("%(name)s asks to join “%(title)s”: approve their time?") % {
                    "name": name, "title": o.title},
                body=lambda o=locked: _time_text(o),
                url=_url(organization, "opportunity_approvals"))
    if locked.posted_by is not None and locked.posted_by not in approvers:
        _notify(organization, locked.posted_by,
                lambda o=locked: _("%(name)s is interested in “%(title)s”") % {
                    "name": name, "title": o.title},
                url=_url(organization, "opportunity_candidates", opportunity_id=locked.pk))
    return interest


@transaction.atomic
def interest_withdraw(*, organization: Organization, actor: Membership,
                      opportunity: Opportunity) -> OpportunityInterest:
    """The member takes their interest back while the opening is still being decided."""
    _require_member(organization, actor)
    _require_own(organization, opportunity)
    interest = (OpportunityInterest.objects.for_org(organization).select_for_update()
                .filter(opportunity=opportunity, member=actor).first())
    if interest is None or interest.status != InterestStatus.INTERESTED:
        raise ValidationError(_("You have no interest to withdraw in this opening."))
    interest.status = InterestStatus.WITHDRAWN
    interest.save(update_fields=["status", "updated_at"])
    audit(organization=organization, actor=actor, action="hr.opportunity_interest_withdrawn",
          subject=actor, opportunity_id=opportunity.pk, interest_id=interest.pk)
    return interest


# --- The manager's approval ---------------------------------------------------------------------


@transaction.atomic
def interest_approval_decide(*, organization: Organization, actor: Membership,
                             interest: OpportunityInterest, decision: str,
                             note: str = "") -> OpportunityInterest:
    """The member's line manager (or HR, for a member without one) approves or declines the
    time a project or gig takes, with a note; a decline says why. The member is told either
    way, and the poster when it is approved."""
    _require_member(organization, actor)
    locked = _locked_interest(organization, interest)
    if not selectors.can_decide_approval(actor, locked):
        raise PermissionDenied(_("Only %(name)s's line manager can approve their time.") % {
            "name": locked.member.display_name})
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = _("Approve or decline.")
    try:
        note = _clean_text(note, max_length=NOTE_MAX_LENGTH, field="note")
    except ValidationError as e:
        errors["note"] = e.message_dict["note"][0]
    if decision == ManagerApproval.DECLINED and not note and "note" not in errors:
        errors["note"] = _("Say why, and what would change the answer: %(name)s reads this.") % {
            "name": _first_name(locked.member)}
    if errors:
        raise ValidationError(errors)
    if locked.approval != ManagerApproval.PENDING or \
            locked.status != InterestStatus.INTERESTED:
        raise ValidationError(_("This request is no longer waiting for approval."))
    locked.approval = decision
    locked.approval_by = actor
    locked.approval_at = timezone.now()
    locked.approval_note = note
    locked.save(update_fields=["approval", "approval_by", "approval_at", "approval_note",
                               "updated_at"])
    audit(organization=organization, actor=actor, action="hr.opportunity_approval_decided",
          subject=locked.member, interest_id=locked.pk, opportunity_id=locked.opportunity_id,
          decision=decision)
    opportunity = locked.opportunity
    manager_name = actor.display_name
    url = _url(organization, "opportunity_detail", opportunity_id=opportunity.pk)
    if decision == ManagerApproval.APPROVED:
        _notify(organization, locked.member,
                lambda: _("%(manager)s approved your time for “%(title)s”") % {
                    "manager": manager_name, "title": opportunity.title},
                body=note, url=url)
        poster = (Membership.objects.for_org(organization).select_related("user")
                  .filter(pk=opportunity.posted_by_id).first())
        if poster is not None and poster.pk != actor.pk:
            member_name = locked.member.display_name
            _notify(organization, poster,
                    lambda: _("%(name)s's time for “%(title)s” is approved") % {
                        "name": member_name, "title": opportunity.title},
                    url=_url(organization, "opportunity_candidates",
                             opportunity_id=opportunity.pk))
    else:
        _notify(organization, locked.member,
                lambda: _("%(manager)s declined your time for “%(title)s”") % {
                    "manager": manager_name, "title": opportunity.title},
                body=note, url=url)
    interest.approval, interest.approval_by = locked.approval, locked.approval_by
    interest.approval_at, interest.approval_note = locked.approval_at, locked.approval_note
    return locked


# --- Deciding and filling -----------------------------------------------------------------------


@transaction.atomic
def interest_not_selected(*, organization: Organization, actor: Membership,
                          interest: OpportunityInterest) -> OpportunityInterest:
    """The poster (or HR) tells a candidate they are not selected."""
    _require_member(organization, actor)
    locked = _locked_interest(organization, interest)
    _require_manager_of(actor, locked.opportunity)
    if locked.status != InterestStatus.INTERESTED:
        raise ValidationError(_("Only a candidate still interested can be marked not "
                                "selected."))
    locked.status = InterestStatus.NOT_SELECTED
    locked.save(update_fields=["status", "updated_at"])
    audit(organization=organization, actor=actor, action="hr.opportunity_not_selected",
          subject=locked.member, interest_id=locked.pk, opportunity_id=locked.opportunity_id)
    opportunity = locked.opportunity
    _notify(organization, locked.member,
            lambda: _("You were not selected for “%(title)s”") % {"title": opportunity.title},
            body=lambda: _("Thank you for your interest. Your skills and plan stay yours to "
                           "build on: look out for the next opening."),
            url=_url(organization, "opportunity_detail", opportunity_id=opportunity.pk))
    interest.status = locked.status
    return locked


def _record_role_move(organization: Organization, actor: Membership, member: Membership,
                      opportunity: Opportunity):
    """The member takes the opening's role profile (and team): one move, classified, linked
    to the opportunity. The role and team changes announce nothing of their own."""
    before = moves.current_placement(organization=organization, member=member)
    from skills.services.assessments import member_role_set

    with moves.placement_moves_suppressed():
        member_role_set(organization=organization, actor=actor, member=member,
                        role=opportunity.role, source="opportunity")
        if opportunity.team_id and member.team_id != opportunity.team_id:
            membership_update(membership=member, actor=actor, team=opportunity.team)
    after = moves.current_placement(organization=organization, member=member)
    return moves.move_record(organization=organization, actor=actor, member=member,
                             before=before, after=after, source=MoveSource.OPPORTUNITY,
                             opportunity=opportunity, is_internal_fill=True)


@transaction.atomic
def opportunity_fill(*, organization: Organization, actor: Membership,
                     opportunity: Opportunity, interest: OpportunityInterest | None = None,
                     external: bool = False) -> Opportunity:
    """Fill an opening with an internal candidate (``interest``) or record an external hire.

    An internal candidate must still be interested and, for a project or gig, have their time
    approved. Filling a role moves them into its role profile (and team): a manager can do that
    for someone in their own reporting line; anyone else's role is changed by HR. Every other
    candidate still interested is marked not selected; everyone is told.
    """
    _require_member(organization, actor)
    _require_manager_of(actor, opportunity)
    if (interest is None) == (not external):
        raise ValidationError({"candidate": _("Choose the candidate who takes it, or record "
                                              "that someone from outside was hired.")})
    locked = _locked(organization, opportunity)
    if locked.status not in (OpportunityStatus.OPEN, OpportunityStatus.CLOSED):
        raise ValidationError(_("This opening is %(status)s: it cannot be filled.") % {
            "status": str(locked.get_status_display()).lower()})
    chosen = None
    if interest is not None:
        chosen = _locked_interest(organization, interest)
        if chosen.opportunity_id != locked.pk:
            raise ValidationError({"candidate": _("Choose one of this opening's candidates.")})
        member = chosen.member
        if chosen.status != InterestStatus.INTERESTED or not member.is_active:
            raise ValidationError({"candidate": _("%(name)s is no longer a candidate for this "
                                                  "opening.") % {"name": member.display_name}})
        if selectors.needs_manager_approval(locked.kind) and \
                chosen.approval != ManagerApproval.APPROVED:
            raise ValidationError({"candidate": _(
                "%(name)s's time is not approved yet: their line manager approves it first.")
                % {"name": member.display_name}})
        if locked.kind == OpportunityKind.ROLE:
            if locked.role is None:
                raise ValidationError({"candidate": _("This opening has no role profile any "
                                                      "more: edit it and choose one first.")})
            if not (actor.is_hr_admin or is_in_reporting_line(manager=actor, member=member)):
                raise ValidationError({"candidate": _(
                    "A change of role for someone outside your reporting line is made by HR: "
                    "ask HR to fill this opening with %(name)s.") % {"name": member.display_name}})
    now = timezone.now()
    locked.status = OpportunityStatus.FILLED
    locked.filled_at = now
    locked.filled_internally = chosen is not None
    locked.filled_by = chosen.member if chosen is not None else None
    locked.save(update_fields=["status", "filled_at", "filled_internally", "filled_by",
                               "updated_at"])
    move = None
    if chosen is not None:
        chosen.status = InterestStatus.SELECTED
        chosen.save(update_fields=["status", "updated_at"])
        member = chosen.member
        if locked.kind == OpportunityKind.ROLE:
            move = _record_role_move(organization, actor, member, locked)
        else:
            here = moves.current_placement(organization=organization, member=member)
            move = moves.move_record(organization=organization, actor=actor, member=member,
                                     before=here, after=here, kind=MoveKind.ASSIGNMENT,
                                     source=MoveSource.OPPORTUNITY, opportunity=locked,
                                     is_internal_fill=True)
    others = _still_interested(organization, locked, exclude=chosen.pk if chosen else None)
    for other in others:
        other.status = InterestStatus.NOT_SELECTED
        other.save(update_fields=["status", "updated_at"])
    audit(organization=organization, actor=actor, action="hr.opportunity_filled",
          subject=chosen.member if chosen else None, opportunity_id=locked.pk,
          internal=chosen is not None, move_id=move.pk if move else None,
          not_selected=len(others))
    url = _url(organization, "opportunity_detail", opportunity_id=locked.pk)
    title = locked.title
    if chosen is not None:
        _notify(organization, chosen.member,
                lambda: _("You have been selected for “%(title)s”") % {"title": title},
                body=lambda: _("Congratulations! The poster will be in touch about what "
                               "happens next."), url=url)
    for other in others:
        _notify(organization, other.member,
                lambda: _("“%(title)s” has been filled") % {"title": title},
                body=lambda: _("You were not selected this time. Thank you for your "
                               "interest: look out for the next opening."), url=url)
    opportunity.status, opportunity.filled_internally = locked.status, locked.filled_internally
    opportunity.filled_by, opportunity.filled_at = locked.filled_by, locked.filled_at
    return locked
