"""The people import's upload form: it checks the file's shape (size, text); the import checks
its content."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import people_import as services


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("HRIS export (CSV)"),
        error_messages={"required": _("Choose the CSV file to check.")},
        help_text=_("One line per person, with a header line naming the columns. UTF-8, "
                    "separated by commas or semicolons, up to 100,000 people."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    is_full = forms.BooleanField(
        label=_("This file lists everyone in the organisation"), required=False,
        help_text=_("The page then counts the members who are not in the file."))
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate members who are not in the file"), required=False,
        help_text=_("Only with a file that lists everyone. Each is recorded as an exit; you are "
                    "never deactivated yourself."))
    create_teams = forms.BooleanField(
        label=_("Create teams that do not exist yet"), required=False,
        help_text=_("Otherwise an unknown team path is a problem to correct."))
    send_invitations = forms.BooleanField(
        label=_("Invite people who are new to Trellis by email"), required=False, initial=True,
        help_text=_("They set their password from the link. People who already have an account "
                    "or an open invitation are not invited again."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.MAX_FILE_BYTES:
            raise ValidationError(_("This file is larger than %(limit)s MB; split it into "
                                    "several files.")
                                  % {"limit": services.MAX_FILE_BYTES // (1024 * 1024)})
        self.cleaned_data["text"] = services.decode_upload(upload.read())
        return upload

    def clean(self):
        data = super().clean()
        if data.get("deactivate_missing") and not data.get("is_full"):
            self.add_error("deactivate_missing", _(
                "Only a file that lists everyone can deactivate the people missing from it: "
                "tick “This file lists everyone” too."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"text": data["text"], "file_name": data["file"].name,
                "is_full": data["is_full"], "deactivate_missing": data["deactivate_missing"],
                "create_teams": data["create_teams"],
                "send_invitations": data["send_invitations"]}
