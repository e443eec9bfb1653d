"""Forms of the framework import pages: they check shape only; the import checks content."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_FRAMEWORK_FILE = 20 * 1024 * 1024
MAX_ESCO_FILE = 200 * 1024 * 1024


def _check_size(upload, limit: int):
    if upload is not None and upload.size > limit:
        raise forms.ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    return upload


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file"), error_messages={"required": _("Choose the file to import.")},
        help_text=_("A JSON or CSV file in the Trellis framework format, such as an export from "
                    "this page. A framework of the same name is updated; nothing is deleted."),
    )
    fmt = forms.ChoiceField(
        label=_("Format"), choices=[("json", _("JSON")), ("csv", _("CSV"))], initial="json",
        widget=forms.RadioSelect,
    )
    # A file that was checked a moment ago and kept for “Import it now”.
    checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # “Import it now” after a check sends the kept file's token instead of the file.
        self.fields["file"].required = not self.data.get("checked")

    def clean_file(self):
        return _check_size(self.cleaned_data.get("file"), MAX_FRAMEWORK_FILE)


class EscoImportForm(forms.Form):
    framework_name = forms.CharField(
        label=_("Framework"), max_length=120, initial="ESCO",
        help_text=_("The name of the framework to import into. A new one gets the seven "
                    "generic levels; an existing one is updated and keeps its levels."),
    )
    default_level = forms.IntegerField(
        label=_("Minimum level of requirements"), min_value=1, max_value=12, initial=3,
        help_text=_("ESCO has no levels: each occupation's skills are required at this level. "
                    "Adjust role profiles afterwards."),
    )
    skills_file = forms.FileField(
        label=_("Skills (skills_en.csv)"),
        error_messages={"required": _("Choose ESCO's skills file (skills_en.csv).")},
    )
    occupations_file = forms.FileField(label=_("Occupations (occupations_en.csv)"),
                                       required=False)
    relations_file = forms.FileField(
        label=_("Occupation-skill relations (occupationSkillRelations_en.csv)"), required=False,
    )
    checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills_file"].required = not self.data.get("checked")

    def clean_skills_file(self):
        return _check_size(self.cleaned_data.get("skills_file"), MAX_ESCO_FILE)

    def clean_occupations_file(self):
        return _check_size(self.cleaned_data.get("occupations_file"), MAX_ESCO_FILE)

    def clean_relations_file(self):
        return _check_size(self.cleaned_data.get("relations_file"), MAX_ESCO_FILE)
