"""Forms of the reflection pages. They check shape only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ANSWER_MAX_LENGTH
from .selectors.reflections import AreaView
from .services.reflections import TITLE_MAX_LENGTH


def prompt_field_name(prompt) -> str:
    return f"prompt_{prompt.pk}"


class StartReflectionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), required=False, max_length=TITLE_MAX_LENGTH,
        help_text=_("Optional, e.g. “Before my mid-year conversation”. The date is kept anyway."),
    )


class AreaAnswersForm(forms.Form):
    """One text box per question of an area. The page saves each as it is typed; this form is
    what a browser without JavaScript sends, and what shows errors after a failed save."""

    def __init__(self, *args, area: AreaView, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        for view in area.prompts:
            self.fields[prompt_field_name(view.prompt)] = forms.CharField(
                label=view.prompt.shown_text, required=False, strip=False,
                max_length=ANSWER_MAX_LENGTH, initial=view.text,
                help_text=view.prompt.shown_help_text,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": _(
                    "Answers can be up to %(limit_value)s characters long; this one has "
                    "%(show_value)s. Shorten it or move part of it to another question.")},
            )
            # No maxlength in the browser: it would silently cut a pasted answer. The server
            # refuses an over-long answer with a message instead, and the text stays on screen.
            self.fields[prompt_field_name(view.prompt)].widget.attrs.pop("maxlength", None)

    def answers(self) -> dict:
        return {view.prompt: self.cleaned_data[prompt_field_name(view.prompt)]
                for view in self.area.prompts
                if prompt_field_name(view.prompt) in self.data}


class AnswerForm(forms.Form):
    """One answer, sent by the page while the member types."""

    text = forms.CharField(
        required=False, strip=False, max_length=ANSWER_MAX_LENGTH,
        error_messages={"max_length": _(
            "Answers can be up to %(limit_value)s characters long; this one has "
            "%(show_value)s. Shorten it or move part of it to another question.")},
    )
