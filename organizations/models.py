import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantManager, TenantModel, TenantQuerySet

RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "accounts",
        "account",
        "static",
        "media",
        "o",
        "org",
        "orgs",
        "organization",
        "organizations",
        "organisation",
        "organisations",
        "new",
        "create",
        "settings",
        "login",
        "logout",
        "signup",
        "healthz",
        "health",
        "www",
        "mail",
        "help",
        "support",
        "docs",
        "about",
        "trellis",
        "root",
        "system",
        "public",
        "me",
        "www-data",
        "invitations",
        "invite",
        "join",
        "auth",
        "status",
        "billing",
        "security",
    }
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def validate_org_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is reserved; choose another address."), params={"value": value}
        )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. What they are in an organisation lives on ``Membership``."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to follow your organisation's default language."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Times are shown in this zone. Leave empty to use your organisation's."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # The people directory's order: the first page without sorting every member.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="user_name_order")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Organization(models.Model):
    """A tenant. Not itself a tenant row: it is what every tenant row points to."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("address"),
        max_length=50,
        unique=True,
        validators=[validate_org_slug],
        help_text=_("Lower-case letters, digits and hyphens; used in every link: /o/<address>/."),
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Conversations are scheduled in this time zone, e.g. Europe/Paris."),
    )
    conversation_cadence_days = models.PositiveSmallIntegerField(
        _("career conversation cadence (days)"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text=_(
            "Managers are nudged when a report has had no career conversation for this long."
        ),
    )
    survey_anonymity_threshold = models.PositiveSmallIntegerField(
        _("survey anonymity threshold"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_(
            "Health-check results are shown only for groups of at least this many answers."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Team(TenantModel):
    """A node of the organisation's team tree."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        # Services refuse to delete a team with sub-teams; CASCADE lets an organisation go whole.
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent team"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "parent", "name"],
                name="team_unique_name_per_parent",
                nulls_distinct=False,
                violation_error_message=_("A team of this name already exists at this place."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent.organization_id != self.organization_id:
            raise ValidationError({"parent": _("Choose a team of this organisation.")})
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A team cannot sit under itself.")})
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent


class MembershipQuerySet(TenantQuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True)


class MembershipManager(TenantManager.from_queryset(MembershipQuerySet)):
    def of_user(self, user) -> MembershipQuerySet:
        """Every membership of one user, across organisations (the organisation switcher).

        Security invariant: filtered on the user, so it only ever returns the caller's own rows;
        the database policy ``membership_self_read`` allows exactly these rows.
        """
        return self._queryset_class(self.model, using=self._db).filter(user=user)


class Membership(TenantModel):
    """A user's place in one organisation: job, team, manager line and roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("team"),
    )
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("manager"),
    )
    is_hr_admin = models.BooleanField(_("HR admin"), default=False)
    is_leader = models.BooleanField(_("leader"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipManager()
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_one_per_org"),
            models.CheckConstraint(
                condition=~Q(manager=models.F("id")), name="membership_not_own_manager"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "manager"], name="membership_org_manager"),
            models.Index(fields=["organization", "team"], name="membership_org_team"),
            models.Index(fields=["organization", "is_active"], name="membership_org_active"),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def display_name(self) -> str:
        return self.user.display_name

    def clean(self) -> None:
        errors = {}
        if self.manager_id:
            if self.manager.organization_id != self.organization_id:
                errors["manager"] = _("Choose a manager from this organisation.")
            else:
                node, seen = self.manager, {self.pk}
                while node is not None:
                    if node.pk in seen:
                        errors["manager"] = _("This would make a loop in the manager line.")
                        break
                    seen.add(node.pk)
                    node = node.manager
        if self.team_id and self.team.organization_id != self.organization_id:
            errors["team"] = _("Choose a team of this organisation.")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR admin")
    LEADER = "leader", _("Leader")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(TenantQuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(TenantModel):
    """An emailed, one-time, expiring link that makes its holder a member."""

    email = models.EmailField(_("email address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("team")
    )
    manager = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("manager"),
    )
    is_hr_admin = models.BooleanField(_("HR admin"), default=False)
    is_leader = models.BooleanField(_("leader"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager.from_queryset(InvitationQuerySet)()
    objects_unscoped = models.Manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=80, help_text=_("What the token is for, e.g. “HRIS sync script”.")
    )
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(TenantModel):
    """Who read or changed another person's data, and when. Append-only."""

    actor = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    subject = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="audit_org_time"),
            # One person's trail in the audit log: as the one whose data it was, or who acted.
            models.Index(fields=["organization", "subject", "-created_at"],
                         name="audit_org_subject_time"),
            models.Index(fields=["organization", "actor", "-created_at"],
                         name="audit_org_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """Which account a signed-in session belongs to, so that every session of one person can be
    ended at once: database sessions are not indexed by user. Written at sign-in by
    ``organizations.sessions``; the row goes with its session (signing out, a new session key,
    ``clearsessions``) through the cascade."""

    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
