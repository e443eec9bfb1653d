"""Office Career Champions: colleagues nominate, HR confirms, champions say how they can help.

"Do you have an Office Career Champion? Someone who demonstrates commitment to the organisation
and its values, mentors and supports people to get the best out of them, champions career
development within the organisation, takes and creates opportunities to progress their own
career, has regular career conversations with their team members."

* Any active member nominates a colleague (never themselves): they tick the criteria the
  colleague meets and, for each one ticked, say what they saw. One open nomination per nominator
  and nominee; someone who already is a champion is not nominated again.
* HR decides per nominee, all their waiting nominations at once: confirming makes them a
  champion (the nominee and every nominator are told in-app), declining tells the nominators
  why. HR can set one nomination aside (declined, with a note to its author) and end a
  champion's term. Nobody decides about themselves.
* What a nominator wrote is read by HR (never by HR about themselves) and, once confirmed, by
  the champion as anonymous citations; nobody else reads it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conversations.models import NotificationKind
from conversations.services.feedback import (
    clean_text,
    on_commit_in_organization,
    require_active_member,
)
from conversations.services.notifications import notification_create
from organizations import tenancy
from organizations.models import Membership, Organization
from organizations.services import audit

from ..models import Champion, ChampionCriterion, ChampionNomination, NominationStatus

EVIDENCE_MIN_LENGTH = 10
EVIDENCE_MAX_LENGTH = 1500
NOTE_MAX_LENGTH = ChampionNomination._meta.get_field("decision_note").max_length
STATEMENT_MAX_LENGTH = Champion._meta.get_field("statement").max_length
#: The decisions HR takes on a nominee's waiting nominations.
DECISIONS = (NominationStatus.CONFIRMED, NominationStatus.DECLINED)


def evidence_field(criterion: str) -> str:
    """The error key of one criterion's evidence: ``evidence.<criterion>``."""
    return f"evidence.{criterion}"


def _name(member: Membership | None) -> str:
    if member is None:
        return _("a former colleague")
    return member.user.first_name or member.display_name


def champion_url(*, organization: Organization, champion: Champion) -> str:
    return reverse("hr_admin:champion", kwargs={"org_slug": organization.slug,
                                                "champion_id": champion.pk})


def _require_hr(actor: Membership) -> None:
    if not actor.is_hr_admin:
        raise PermissionDenied(_("Only HR admins decide champion nominations."))


# --- Nominating ---------------------------------------------------------------------------------


def active_champion(*, organization: Organization, member: Membership) -> Champion | None:
    return (Champion.objects.for_org(organization)
            .filter(member=member, ended_at__isnull=True).first())


def _check_nominee(organization: Organization, actor: Membership,
                   nominee: Membership | None) -> str | None:
    if nominee is None or nominee.organization_id != organization.pk:
        return _("Choose the colleague you are nominating.")
    if nominee.pk == actor.pk:
        return _("Champions are nominated by their colleagues: choose someone other than "
                 "yourself.")
    if not nominee.is_active:
        return _("%(name)s is no longer an active member.") % {"name": nominee.display_name}
    if active_champion(organization=organization, member=nominee) is not None:
        return _("%(name)s is already an Office Career Champion.") % {
            "name": nominee.display_name}
    if ChampionNomination.objects.for_org(organization).filter(
            nominee=nominee, nominated_by=actor, status=NominationStatus.PENDING).exists():
        return _("You have already nominated %(name)s and HR has not decided yet. Withdraw "
                 "that nomination first if you want to write it again.") % {
            "name": nominee.display_name}
    return None


def clean_evidence(evidence) -> dict[str, str]:
    """``{criterion: what they saw}`` in the article's order, or a ``ValidationError`` with
    ``evidence`` (nothing ticked, an unknown criterion) and ``evidence.<criterion>`` keys."""
    if not isinstance(evidence, dict):
        raise ValidationError({"evidence": _(
            "Tick the criteria your colleague meets and say what you saw for each.")})
    unknown = sorted(str(k) for k in evidence if k not in ChampionCriterion.values)
    if unknown:
        raise ValidationError({"evidence": _("Unknown criterion: %(keys)s. Use one of: "
                                             "%(known)s.") % {
            "keys": ", ".join(unknown), "known": ", ".join(ChampionCriterion.values)}})
    if not evidence:
        raise ValidationError({"evidence": _(
            "Tick at least one of the five criteria and say what you saw.")})
    cleaned, errors = {}, {}
    for criterion in ChampionCriterion.values:
        if criterion not in evidence:
            continue
        value = evidence[criterion]
        try:
            cleaned[criterion] = clean_text(
                value if isinstance(value, str) else "", field=evidence_field(criterion),
                max_length=EVIDENCE_MAX_LENGTH, min_length=EVIDENCE_MIN_LENGTH,
                required=_("Say what you saw: a moment when they did this."),
                too_short=_("Say a little more: what did they do, and when?"))
        except ValidationError as e:
            errors.update({k: v[0] for k, v in e.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def champion_nominate(*, organization: Organization, actor: Membership,
                      nominee: Membership | None, evidence) -> ChampionNomination:
    """Nominate ``nominee`` as an Office Career Champion, with ``evidence`` per criterion.

    Every problem is reported at once, by field: ``nominee`` (oneself, inactive, already a
    champion, already nominated by the actor and waiting), ``evidence`` (nothing ticked, an
    unknown criterion) and ``evidence.<criterion>`` (nothing said, too short, too long).
    """
    require_active_member(organization, actor)
    errors: dict[str, str] = {}
    nominee_error = _check_nominee(organization, actor, nominee)
    if nominee_error:
        errors["nominee"] = nominee_error
    try:
        cleaned = clean_evidence(evidence)
    except ValidationError as e:
        errors.update({k: v[0] for k, v in e.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    nomination = ChampionNomination(organization=organization, nominee=nominee,
                                    nominated_by=actor, evidence=cleaned)
    with tenancy.organization_scope(organization):
        nomination.full_clean()
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        # Two submissions racing past the check: the constraint keeps one.
        raise ValidationError({"nominee": _(
            "You have already nominated %(name)s and HR has not decided yet.")
            % {"name": nominee.display_name}}) from None
    audit(organization=organization, actor=actor, action="champions.nominated",
          subject=nominee, nomination=nomination.pk, criteria=list(cleaned))
    return nomination


@transaction.atomic
def champion_nomination_withdraw(*, organization: Organization, actor: Membership,
                                 nomination: ChampionNomination) -> None:
    """Withdraw a nomination the actor made, while it waits for HR. It leaves no trace for the
    nominee, who never knew of it."""
    require_active_member(organization, actor)
    if nomination.organization_id != organization.pk or nomination.nominated_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who made a nomination can withdraw it."))
    if nomination.status != NominationStatus.PENDING:
        raise ValidationError(_("HR has already decided on this nomination; it can no longer "
                                "be withdrawn."))
    audit(organization=organization, actor=actor, action="champions.nomination_withdrawn",
          subject=nomination.nominee, nomination=nomination.pk)
    nomination.delete()


# --- Deciding -----------------------------------------------------------------------------------


def _check_note(note: str | None, *, required: bool) -> str:
    text = (note or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({"note": _(
            "Say why, for the colleagues who made the nomination: they read this note.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _(
            "Keep this under %(limit)s characters (it has %(count)s).")
            % {"limit": f"{NOTE_MAX_LENGTH:,}", "count": f"{len(text):,}"}})
    return text


@transaction.atomic
def champion_nominee_decide(*, organization: Organization, actor: Membership,
                            nominee: Membership, decision: str,
                            note: str = "") -> Champion | None:
    """Confirm or decline every nomination of ``nominee`` that waits for HR.

    Confirming makes them a champion from today and tells them and each nominator; declining
    needs a note, which the nominators read (the nominee is not told: they never knew).
    Returns the new champion, or None when declined.
    """
    require_active_member(organization, actor)
    _require_hr(actor)
    if nominee.organization_id != organization.pk:
        raise ValidationError({"nominee": _("Choose a member of this organisation.")})
    if nominee.pk == actor.pk:
        raise PermissionDenied(_("Another HR admin decides nominations about you."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose whether to confirm or decline.")})
    note = _check_note(note, required=decision == NominationStatus.DECLINED)
    pending = list(ChampionNomination.objects.for_org(organization).select_for_update()
                   .filter(nominee=nominee, status=NominationStatus.PENDING).order_by("pk"))
    if not pending:
        raise ValidationError(_("No nomination of %(name)s is waiting for a decision.")
                              % {"name": nominee.display_name})
    now = timezone.now()
    champion = None
    if decision == NominationStatus.CONFIRMED:
        if not nominee.is_active:
            raise ValidationError(_("%(name)s is no longer an active member: decline instead.")
                                  % {"name": nominee.display_name})
        if active_champion(organization=organization, member=nominee) is not None:
            raise ValidationError(_("%(name)s is already an Office Career Champion.")
                                  % {"name": nominee.display_name})
        champion = Champion(organization=organization, member=nominee,
                            since=timezone.localdate(), confirmed_by=actor)
        with tenancy.organization_scope(organization):
            champion.full_clean()
        champion.save()
    ChampionNomination.objects.for_org(organization).filter(
        pk__in=[n.pk for n in pending]).update(status=decision, decided_by=actor,
                                               decided_at=now, decision_note=note)
    audit(organization=organization, actor=actor, action=f"champions.nominations_{decision}",
          subject=nominee, nominations=[n.pk for n in pending],
          champion=champion.pk if champion else None)
    nominator_ids = sorted({n.nominated_by_id for n in pending if n.nominated_by_id})
    on_commit_in_organization(organization, lambda: _notify_decision(
        organization, nominee.pk, nominator_ids, decision, note, champion, len(pending)))
    return champion


@transaction.atomic
def champion_nomination_set_aside(*, organization: Organization, actor: Membership,
                                  nomination: ChampionNomination, note: str) -> None:
    """Decline one waiting nomination (its evidence will never be cited), with a note its
    author reads. The nominee's other nominations keep waiting."""
    require_active_member(organization, actor)
    _require_hr(actor)
    if nomination.organization_id != organization.pk:
        raise ValidationError(_("Choose a nomination of this organisation."))
    if nomination.nominee_id == actor.pk:
        raise PermissionDenied(_("Another HR admin decides nominations about you."))
    note = _check_note(note, required=True)
    locked = (ChampionNomination.objects.for_org(organization).select_for_update()
              .filter(pk=nomination.pk).first())
    if locked is None or locked.status != NominationStatus.PENDING:
        raise ValidationError(_("This nomination has already been decided."))
    locked.status = NominationStatus.DECLINED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    nomination.status = locked.status
    audit(organization=organization, actor=actor, action="champions.nomination_set_aside",
          subject=nomination.nominee, nomination=nomination.pk)
    if locked.nominated_by_id:
        ids = [locked.nominated_by_id]
        on_commit_in_organization(organization, lambda: _notify_decision(
            organization, locked.nominee_id, ids, NominationStatus.DECLINED, note, None, 1))


def _notify_decision(organization: Organization, nominee_id: int, nominator_ids: list[int],
                     decision: str, note: str, champion: Champion | None, count: int) -> None:
    people = {m.pk: m for m in Membership.objects.for_org(organization)
              .select_related("user", "organization")
              .filter(pk__in=[nominee_id, *nominator_ids])}
    nominee = people.get(nominee_id)
    name = nominee.display_name if nominee else ""
    if champion is not None:
        url = champion_url(organization=organization, champion=champion)
        if nominee is not None:
            notification_create(
                organization=organization, recipient=nominee, kind=NotificationKind.CHAMPION,
                title=lambda: _("You are now an Office Career Champion"),
                body=lambda: ngettext(
                    "A colleague nominated you, and HR confirmed it. Say how you can help on "
                    "your champion page.",
                    "%(count)s colleagues nominated you, and HR confirmed it. Say how you can "
                    "help on your champion page.", count) % {"count": count},
                url=url)
        for pk in nominator_ids:
            if pk in people:
                notification_create(
                    organization=organization, recipient=people[pk],
                    kind=NotificationKind.CHAMPION,
                    title=lambda: _("%(name)s is now an Office Career Champion") % {"name": name},
                    body=note or (lambda: _("Thank you for your nomination.")), url=url)
        return
    url = reverse("hr_admin:champion_nominate", kwargs={"org_slug": organization.slug}) + "#mine"
    for pk in nominator_ids:
        if pk in people:
            notification_create(
                organization=organization, recipient=people[pk], kind=NotificationKind.CHAMPION,
                title=lambda: _("Your nomination of %(name)s was not confirmed") % {"name": name},
                body=note, url=url)


# --- Champions ----------------------------------------------------------------------------------


@transaction.atomic
def champion_statement_update(*, organization: Organization, actor: Membership,
                              champion: Champion, statement: str) -> Champion:
    """The champion's own words on how they can help. Only they write it."""
    require_active_member(organization, actor)
    if champion.organization_id != organization.pk or champion.member_id != actor.pk:
        raise PermissionDenied(_("Only the champion writes how they can help."))
    if champion.ended_at is not None:
        raise ValidationError(_("This term as champion has ended."))
    text = (statement or "").replace("\r\n", "\n").strip()
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError({"statement": _(
            "Keep this under %(limit)s characters (it has %(count)s).")
            % {"limit": f"{STATEMENT_MAX_LENGTH:,}", "count": f"{len(text):,}"}})
    champion.statement = text
    with tenancy.organization_scope(organization):
        # Whoever confirmed them may have left since (the column is then empty).
        champion.full_clean(exclude=["confirmed_by"])
    champion.save(update_fields=["statement"])
    return champion


@transaction.atomic
def champion_end(*, organization: Organization, actor: Membership, champion: Champion,
                 note: str = "") -> Champion:
    """End a champion's term (HR): their badge and page leave the directory; they are told."""
    require_active_member(organization, actor)
    if not actor.is_hr_admin:
        raise PermissionDenied(_("Only HR admins end a champion's term."))
    if champion.organization_id != organization.pk:
        raise ValidationError(_("Choose a champion of this organisation."))
    note = _check_note(note, required=False)
    locked = (Champion.objects.for_org(organization).select_for_update()
              .filter(pk=champion.pk).first())
    if locked is None or locked.ended_at is not None:
        raise ValidationError(_("This term as champion has already ended."))
    champion.ended_at = timezone.now()
    champion.save(update_fields=["ended_at"])
    audit(organization=organization, actor=actor, action="champions.term_ended",
          subject=champion.member, champion=champion.pk)
    if champion.member_id != actor.pk:
        member_id = champion.member_id

        def notify() -> None:
            member = (Membership.objects.for_org(organization)
                      .select_related("user", "organization").filter(pk=member_id).first())
            if member is not None:
                notification_create(
                    organization=organization, recipient=member, kind=NotificationKind.CHAMPION,
                    title=lambda: _("Your term as Office Career Champion has ended"),
                    body=note or (lambda: _("Thank you for championing careers here.")),
                    url=champion_url(organization=organization, champion=champion))

        on_commit_in_organization(organization, notify)
    return champion
