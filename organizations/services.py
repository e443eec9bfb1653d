"""Every change of state in the organisations app goes through a function here."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tenancy
from .models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    Team,
    User,
    hash_token,
)
from .sessions import sessions_end_for_leavers
from .signals import member_placement_changed


def audit(
    *,
    organization: Organization,
    actor: Membership | None,
    action: str,
    subject: Membership | None = None,
    **detail,
) -> AuditEvent:
    return AuditEvent.objects_unscoped.create(
        organization=organization, actor=actor, action=action, subject=subject, detail=detail
    )


@transaction.atomic
def organization_create(
    *,
    name: str,
    slug: str,
    founder: User,
    default_language: str = "en",
    time_zone: str = "UTC",
    job_title: str = "",
) -> Organization:
    """Create an organisation whose founder becomes its first HR admin and leader."""
    org = Organization(
        name=name.strip(),
        slug=slug.strip().lower(),
        default_language=default_language,
        time_zone=time_zone,
    )
    org.full_clean()
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        raise ValidationError({"slug": _("This address is already taken.")}) from None
    with tenancy.organization_scope(org):
        membership = Membership(
            organization=org,
            user=founder,
            is_hr_admin=True,
            is_leader=True,
            job_title=job_title,
            started_on=timezone.localdate(),
        )
        membership.full_clean()
        membership.save()
        audit(organization=org, actor=membership, action="organization.created")
    return org


@transaction.atomic
def organization_update(*, organization: Organization, actor: Membership, **fields) -> Organization:
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save(update_fields=list(fields))
    audit(
        organization=organization, actor=actor, action="organization.updated", fields=sorted(fields)
    )
    return organization


@transaction.atomic
def team_create(
    *, organization: Organization, actor: Membership | None, name: str, parent: Team | None = None
) -> Team:
    team = Team(organization=organization, name=name.strip(), parent=parent)
    with tenancy.organization_scope(organization):
        team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_update(*, organization, team: Team, actor: Membership, **fields) -> Team:
    """Rename a team or move it in the tree; ``Team.clean`` refuses a loop."""
    for name, value in fields.items():
        setattr(team, name, value)
    with tenancy.organization_scope(organization):
        team.full_clean()
    team.save(update_fields=list(fields))
    audit(
        organization=organization,
        actor=actor,
        action="team.updated",
        team_id=team.pk,
        fields=sorted(fields),
    )
    return team


@transaction.atomic
def team_delete(*, organization, team: Team, actor: Membership) -> None:
    """Delete an empty team; one with active members or sub-teams is refused."""
    if Membership.objects.for_org(organization).filter(team=team, is_active=True).exists():
        raise ValidationError(
            _("This team still has members. Move them to another team before deleting it.")
        )
    if Team.objects.for_org(organization).filter(parent=team).exists():
        raise ValidationError(
            _("This team still has sub-teams. Move or delete them before deleting it.")
        )
    audit(
        organization=organization,
        actor=actor,
        action="team.deleted",
        team_id=team.pk,
        name=team.name,
    )
    team.delete()


@transaction.atomic
def membership_update(*, membership: Membership, actor: Membership, **fields) -> Membership:
    before_team_id, was_active = membership.team_id, membership.is_active
    for name, value in fields.items():
        setattr(membership, name, value)
    with tenancy.organization_scope(membership.organization_id):
        membership.full_clean()
    membership.save(update_fields=list(fields))
    audit(
        organization=membership.organization,
        actor=actor,
        action="membership.updated",
        subject=membership,
        fields=sorted(fields),
    )
    if "team" in fields and membership.team_id != before_team_id:
        member_placement_changed.send(
            sender=Membership, organization=membership.organization, member=membership,
            actor=actor, before={"team_id": before_team_id},
            after={"team_id": membership.team_id}, source="profile", effective_on=None)
    if was_active and not membership.is_active:
        sessions_end_for_leavers(user_ids=[membership.user_id])
    return membership


@transaction.atomic
def member_profile_update(
    *, member: Membership, actor: Membership, first_name: str, last_name: str, **fields
) -> Membership:
    """HR's edit of a member: name on the user, the rest on the membership."""
    user = member.user
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    return membership_update(membership=member, actor=actor, **fields)


def user_language_set(*, user: User, language: str, time_zone: str | None = None) -> User:
    """The member's language and, when given, time zone (empty: the organisation's)."""
    user.language = language
    fields = ["language"]
    if time_zone is not None:
        user.time_zone = time_zone
        fields.append("time_zone")
    user.full_clean(validate_unique=False)
    user.save(update_fields=fields)
    return user


@transaction.atomic
def user_create_from_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """A new account for an invitee. The link reached their inbox, so the address is verified."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@transaction.atomic
def user_claim_from_invitation(
    *, invitation: Invitation, user: User, first_name: str, last_name: str, password: str
) -> User:
    """An account created for the invitee before they ever signed in (a people import) and
    never given a password: the invitation link reached their inbox, so they set the password
    and name now and the address is verified. An account that has a usable password is never
    claimed this way: its owner signs in."""
    from allauth.account.models import EmailAddress

    if user.has_usable_password() or user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This account already has a password: sign in instead."))
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.set_password(password)
    user.save(update_fields=["first_name", "last_name", "password"])
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True,
                                    primary=not EmailAddress.objects.filter(
                                        user=user, primary=True).exists())
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user


@transaction.atomic
def membership_deactivate(*, membership: Membership, actor: Membership,
                          source: str = "deactivation") -> Membership:
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit(
        organization=membership.organization,
        actor=actor,
        action="membership.deactivated",
        subject=membership,
    )
    member_placement_changed.send(
        sender=Membership, organization=membership.organization, member=membership, actor=actor,
        before={"is_active": True}, after={"is_active": False}, source=source, effective_on=None)
    sessions_end_for_leavers(user_ids=[membership.user_id])
    return membership


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    actor: Membership | None,
    email: str,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    team: Team | None = None,
    manager: Membership | None = None,
    is_hr_admin: bool = False,
    is_leader: bool = False,
) -> tuple[Invitation, str]:
    """Create an invitation and send it after commit. Returns it with its one-time token."""
    email = User.objects.normalize_email(email).strip().lower()
    if Membership.objects.for_org(organization).filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    if (
        Invitation.objects.for_org(organization)
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .exists()
    ):
        raise ValidationError(
            {"email": _("An invitation to this address is already open; resend it instead.")}
        )
    token = Invitation.new_token()
    invitation = Invitation(
        organization=organization,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        team=team,
        manager=manager,
        is_hr_admin=is_hr_admin,
        is_leader=is_leader,
        invited_by=actor,
        token_hash=hash_token(token),
        expires_at=invitation_expiry(),
    )
    with tenancy.organization_scope(organization):
        invitation.full_clean()
    invitation.save()
    audit(organization=organization, actor=actor, action="invitation.created", email=email)
    _send_invitation_after_commit(invitation, token)
    return invitation, token


def _send_invitation_after_commit(invitation: Invitation, token: str) -> None:
    from .tasks import send_invitation

    org_id, inv_id = invitation.organization_id, invitation.pk
    transaction.on_commit(lambda: send_invitation.delay(org_id, inv_id, token))


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: Membership) -> tuple[Invitation, str]:
    """Issue a fresh token and expiry; the old link stops working."""
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(_("Only an open invitation can be sent again."))
    token = _invitation_reissue(invitation)
    audit(
        organization=invitation.organization,
        actor=actor,
        action="invitation.resent",
        email=invitation.email,
    )
    return invitation, token


def _invitation_reissue(invitation: Invitation) -> str:
    """A fresh token and expiry, sent after commit: the old link stops working, and an email
    of it still queued sends nothing (``tasks.send_invitation`` checks the token)."""
    token = Invitation.new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = invitation_expiry()
    invitation.sent_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    _send_invitation_after_commit(invitation, token)
    return token


#: An open invitation whose link has not been emailed this long after it was issued lost its
#: email (the link's token travels only in the queued task, never stored).
INVITATION_UNSENT_AFTER = timedelta(minutes=10)


def invitations_unsent(now=None) -> list[tuple[int, int]]:
    """(organisation id, invitation id) of every open invitation whose email was not sent
    within ``INVITATION_UNSENT_AFTER`` of its link being issued."""
    now = now or timezone.now()
    issued_before = now - INVITATION_UNSENT_AFTER
    with tenancy.as_worker_across_organizations(reason="invitations: find unsent emails"):
        return list(
            Invitation.objects.filter(sent_at__isnull=True).pending()
            # Issued at its expiry less the validity (the token carries no date of its own).
            .filter(expires_at__lt=issued_before + timedelta(days=settings.INVITATION_VALID_DAYS))
            .order_by("pk").values_list("organization_id", "pk"))


@transaction.atomic
def invitation_send_again(*, organization: Organization, invitation_id: int) -> bool:
    """The email of an invitation went missing: issue a new link and send it (no one asked, so
    no one is audited as asking). False when it was sent or closed meanwhile."""
    invitation = (Invitation.objects.for_org(organization).select_for_update()
                  .filter(pk=invitation_id, sent_at__isnull=True).pending().first())
    if invitation is None:
        return False
    _invitation_reissue(invitation)
    return True


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Membership) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(
            organization=invitation.organization,
            actor=actor,
            action="invitation.revoked",
            email=invitation.email,
        )
    return invitation


def invitation_by_token(*, organization: Organization, token: str) -> Invitation | None:
    if not token or len(token) > 128:
        return None
    return (
        Invitation.objects.for_org(organization)
        .filter(token_hash=hash_token(token))
        .select_for_update()
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Turn an open invitation into an active membership, once.

    The invitation row is locked by ``invitation_by_token``, so two tabs accepting at once make
    one membership.
    """
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("This invitation can no longer be used."))
    org = invitation.organization
    membership = Membership.objects.for_org(org).filter(user=user).first()
    was_active = membership is not None and membership.is_active
    if membership is None:
        membership = Membership(organization=org, user=user)
    membership.is_active = True
    membership.job_title = invitation.job_title or membership.job_title
    membership.team = invitation.team or membership.team
    membership.manager = invitation.manager or membership.manager
    membership.is_hr_admin = membership.is_hr_admin or invitation.is_hr_admin
    membership.is_leader = membership.is_leader or invitation.is_leader
    membership.started_on = membership.started_on or timezone.localdate()
    with tenancy.organization_scope(org):
        membership.full_clean()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(organization=org, actor=membership, action="invitation.accepted", email=invitation.email)
    if not was_active:
        member_placement_changed.send(
            sender=Membership, organization=org, member=membership, actor=invitation.invited_by,
            before={"is_active": False}, after={"is_active": True, "team_id": membership.team_id},
            source="invitation", effective_on=membership.started_on)
    return membership


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the plain token is returned once and never stored."""
    secret = "trl_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip(), prefix=secret[:10], token_hash=hash_token(secret)
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
