"""Operators' command: create an organisation and its founder (its first HR admin and leader)."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.urls import reverse

from organizations import services
from organizations.models import Organization, User, validate_org_slug, validate_time_zone
from organizations.tenancy import cross_organization


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{'' if name == '__all__' else name + ': '}{' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create an organisation. The founder (an existing account, or a new one) becomes its "
        "first HR admin and leader and can invite everyone else from /o/<slug>/invitations/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Display name, e.g. “Acme”.")
        parser.add_argument(
            "--slug", required=True,
            help="Address in every link (/o/<slug>/): lower-case letters, digits and hyphens.",
        )
        parser.add_argument("--founder-email", required=True)
        parser.add_argument(
            "--founder-password",
            help="Password for a new founder account. Without it a one-time link to choose a "
                 "password is printed; hand it to the founder.",
        )
        parser.add_argument("--founder-first-name", default="")
        parser.add_argument("--founder-last-name", default="")
        parser.add_argument("--job-title", default="", help="The founder's job title.")
        parser.add_argument(
            "--language", default="en", choices=[code for code, _name in settings.LANGUAGES],
            help="Default language of the organisation's members (default: en).",
        )
        parser.add_argument(
            "--time-zone", default="UTC",
            help="IANA time zone conversations are scheduled in, e.g. Europe/Paris (default: UTC).",
        )

    def handle(self, *args, **options):
        name = options["name"].strip()
        slug = options["slug"].strip().lower()
        email = User.objects.normalize_email(options["founder_email"].strip()).lower()
        password = options["founder_password"]
        self._check(name=name, slug=slug, email=email, time_zone=options["time_zone"])

        with transaction.atomic(), cross_organization(reason="operator creates an organisation"):
            founder = User.objects.filter(email__iexact=email).first()
            new_founder = founder is None
            if new_founder:
                founder = User(email=email, first_name=options["founder_first_name"].strip(),
                               last_name=options["founder_last_name"].strip())
                if password:
                    try:
                        validate_password(password, founder)
                    except ValidationError as e:
                        raise CommandError(f"--founder-password: {_messages(e)}") from None
                    founder.set_password(password)
                else:
                    founder.set_unusable_password()
                founder.save()
                # The operator vouches for the address, so the founder can sign in at once.
                EmailAddress.objects.create(user=founder, email=founder.email, verified=True,
                                            primary=True)
            elif password:
                raise CommandError(
                    f"{email} already has an account; its password is left alone. "
                    "Run again without --founder-password."
                )
            elif not EmailAddress.objects.filter(
                user=founder, email__iexact=email, verified=True
            ).exists():
                # Anyone can sign up with any address: an unverified account may not be the
                # founder's, and must not be handed an organisation.
                raise CommandError(
                    f"{email} already has an account whose address has not been verified. "
                    "Ask its owner to sign in and confirm the address first."
                )
            try:
                org = services.organization_create(
                    name=name, slug=slug, founder=founder,
                    default_language=options["language"], time_zone=options["time_zone"],
                    job_title=options["job_title"].strip(),
                )
            except ValidationError as e:
                raise CommandError(_messages(e)) from None

        self.stdout.write(self.style.SUCCESS(
            f"Created {org.name} at {settings.SITE_URL}/o/{org.slug}/ "
            f"({org.default_language}, {org.time_zone})."
        ))
        self.stdout.write(f"{founder.email} is its HR admin and leader.")
        if new_founder and not password:
            self.stdout.write(
                "Send the founder this one-time link to choose a password (valid for "
                f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days):\n"
                f"  {self.set_password_link(founder)}"
            )
        elif new_founder:
            self.stdout.write(f"They sign in at {settings.SITE_URL}/accounts/login/.")
        else:
            self.stdout.write("They sign in with their existing account.")

    def _check(self, *, name: str, slug: str, email: str, time_zone: str) -> None:
        """Refuse, with one clear message, what would otherwise fail half-way."""
        if not name:
            raise CommandError("--name must not be empty.")
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(
                f"--slug: “{slug}” may hold only letters, digits, hyphens and underscores."
            ) from None
        try:
            validate_org_slug(slug)
        except ValidationError:
            raise CommandError(
                f"The address “{slug}” is reserved (it would clash with a page of Trellis); "
                "choose another --slug."
            ) from None
        taken_by = Organization.objects.filter(slug=slug).first()
        if taken_by is not None:
            raise CommandError(
                f"The address “{slug}” is already taken by the organisation “{taken_by.name}”; "
                "choose another --slug."
            )
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"--founder-email: “{email}” is not an email address.") from None
        try:
            validate_time_zone(time_zone)
        except ValidationError:
            raise CommandError(
                f"--time-zone: “{time_zone}” is not a known IANA time zone "
                "(for example Europe/Paris, America/New_York, UTC)."
            ) from None

    @staticmethod
    def set_password_link(user: User) -> str:
        """allauth's password-reset link: it expires, and stops working once a password is set."""
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user),
                    "key": default_token_generator.make_token(user)},
        )
        return settings.SITE_URL + path
