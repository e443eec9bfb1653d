"""Forms check shape only; rules live in services and model validation."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Organization, validate_org_slug


def add_service_errors(form, error) -> None:
    """Show a service's ``ValidationError`` on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


TIME_ZONE_CHOICES = [
    (tz, tz)
    for tz in sorted(zoneinfo.available_timezones())
    if "/" in tz and not tz.startswith(("Etc/", "SystemV/", "US/"))
] + [("UTC", "UTC")]


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation name"),
        max_length=120,
        help_text=_("As your colleagues know it, e.g. “Acme Corporation”."),
    )
    slug = forms.SlugField(
        label=_("Address"),
        max_length=50,
        required=False,
        help_text=_("Used in every link (/o/<address>/). Leave empty to derive it from the name."),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"), choices=settings.LANGUAGES, initial="en"
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES, initial="UTC")

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").lower()
        if not slug:
            slug = slugify(self.data.get("name", ""))[:50]
        if not slug:
            raise forms.ValidationError(_("Choose an address of letters, digits and hyphens."))
        validate_org_slug(slug)
        if Organization.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("This address is already taken."))
        return slug


class SignupForm(forms.Form):
    """Extra fields of the sign-up page: the organisation the new person creates (optional)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    organization_name = forms.CharField(
        label=_("Organisation name"),
        max_length=120,
        required=False,
        help_text=_(
            "Starting Trellis for your organisation? Name it and you become its first HR "
            "admin and leader. Joining one? Leave this empty and use your invitation link."
        ),
    )

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        name = self.cleaned_data.get("organization_name", "").strip()
        if name:
            from . import signals, tenancy
            from .models import Membership
            from .services import organization_create

            slug = _unique_slug(name)
            org = organization_create(
                name=name,
                slug=slug,
                founder=user,
                default_language=getattr(request, "LANGUAGE_CODE", "en")[:2],
            )
            with tenancy.organization_scope(org):
                founder = Membership.objects.for_org(org).get(user=user)
                signals.organization_created.send(sender=Organization, organization=org,
                                                  membership=founder, request=request)


def _unique_slug(name: str) -> str:
    from .models import RESERVED_SLUGS

    base = slugify(name)[:40] or "org"
    slug, n = base, 1

    while slug in RESERVED_SLUGS or Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class OrganizationSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = Organization
        fields = [
            "name",
            "default_language",
            "time_zone",
            "conversation_cadence_days",
            "survey_anonymity_threshold",
        ]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The invitation link is sent here and works once.")
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("No team")
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=None, required=False, empty_label=_("No manager")
    )
    is_hr_admin = forms.BooleanField(
        label=_("HR admin"),
        required=False,
        help_text=_("Maintains people, frameworks and settings."),
    )
    is_leader = forms.BooleanField(
        label=_("Leader"),
        required=False,
        help_text=_("Sets organisation goals and sees dashboards."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from selectors, so another organisation's id is never a valid choice.
        self.fields["team"].queryset = selectors.team_choices(organization=organization)
        self.fields["manager"].queryset = selectors.manager_choices(organization=organization)


class MemberForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("No team")
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"),
        queryset=None,
        required=False,
        empty_label=_("No manager"),
        help_text=_("Their line manager in Trellis."),
    )
    is_hr_admin = forms.BooleanField(label=_("HR admin"), required=False)
    is_leader = forms.BooleanField(label=_("Leader"), required=False)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive member can no longer sign in to this organisation."),
    )

    def __init__(self, *args, organization, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = selectors.team_choices(organization=organization)
        managers = selectors.manager_choices(organization=organization)
        if member is not None:
            managers = managers.exclude(pk=member.pk)
        self.fields["manager"].queryset = managers


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=None,
        required=False,
        empty_label=_("Top-level team"),
        help_text=_("Leave empty for a top-level team."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = selectors.team_choices(organization=organization)


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        help_text=_("At least 8 characters, not only digits."),
    )
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import password_validation

        from .models import User

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “HRIS sync script”."),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Organisation default")), *settings.LANGUAGES],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("Organisation default")), *TIME_ZONE_CHOICES],
        help_text=_("Conversation times are shown to you in this zone."),
    )
