"""Forms of the audit log and leavers' erasure pages: shape only, the rules live in the
selectors and services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership

from .selectors.audit import FAMILIES, AuditFilters

ROLE_CHOICES = [
    ("either", _("Either")),
    ("subject", _("Whose data it was")),
    ("actor", _("Who did it")),
]


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "placeholder": _("Name or email")}),
        help_text=_("Part of a name or an email address."))
    member = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    role = forms.ChoiceField(label=_("As"), choices=ROLE_CHOICES, required=False,
                             initial="either")
    family = forms.ChoiceField(
        label=_("What"), required=False,
        choices=[("", _("Everything"))] + [(key, label) for key, label, _p in FAMILIES])
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organization, **kwargs) -> None:
        self.organization = organization
        super().__init__(*args, **kwargs)

    def clean_member(self) -> Membership | None:
        pk = self.cleaned_data.get("member")
        if pk is None:
            return None
        member = (Membership.objects.for_org(self.organization).select_related("user")
                  .filter(pk=pk).first())
        if member is None:
            # The field is hidden (it comes from a link), so the message goes on the form.
            self.add_error(None, _("No such member in this organisation."))
        return member

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    def filters(self) -> AuditFilters:
        """The filters of a valid form (an invalid one filters nothing)."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(member=data.get("member"), person=(data.get("person") or "").strip(),
                            role=data.get("role") or "either", family=data.get("family") or "",
                            since=data.get("since"), until=data.get("until"))


class ErasureConfirmForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type their full name or email address to confirm"), max_length=320,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("As shown above; capitals and spacing do not matter."))
