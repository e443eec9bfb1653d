"""Forms of the success stories pages. They check shape only; ``services.stories`` holds the
rules (never about oneself, a move of the member's own, consent before publishing).

The member a story is about comes from ``selectors.stories.story_subjects`` and its move from
that member's own moves (``selectors.stories.moves_of``), so another organisation's id, or a
move of someone else, is "Select a valid choice" and never reaches the service.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization

from .models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Move
from .selectors import stories as selectors


class MoveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Move) -> str:
        return selectors.describe_move(obj)


class _StoryContent(forms.Form):
    move = MoveChoiceField(
        label=_("Which move is it about?"), queryset=None, required=False,
        empty_label=_("No particular move"), widget=forms.RadioSelect,
        help_text=_("The member's recorded moves. Choose none for a story about their path "
                    "as a whole."))
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_LENGTH, strip=True,
        help_text=_("What happened, in a line: “From customer support to platform "
                    "engineering”."))
    body = forms.CharField(
        label=_("The story"), max_length=TEXT_MAX_LENGTH, strip=True,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Where they started, the move, what made it possible (a conversation, a "
                    "gig, a mentor), and what it changed. The member reads it before anyone "
                    "else does, and decides whether it is published."))

    def __init__(self, *args, organization: Organization, subject: Membership | None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].queryset = (
            selectors.moves_of(organization=organization, member=subject)
            if subject is not None else Move.objects_unscoped.none())
        self.subject = subject

    def move_options(self) -> list[dict]:
        """The member's moves as radio cards (the latest few), plus "no particular move"."""
        field = self.fields["move"]
        value = self["move"].value()
        value = "" if value in (None, "") else str(value)
        rows = list(field.queryset[:selectors.MOVES_SHOWN])
        options = [{"value": "", "label": str(field.empty_label), "move": None,
                    "checked": value == "", "id": f"{self['move'].auto_id}_none"}]
        options += [{"value": str(m.pk), "label": field.label_from_instance(m), "move": m,
                     "checked": value == str(m.pk), "id": f"{self['move'].auto_id}_{m.pk}"}
                    for m in rows]
        return options


class StoryForm(_StoryContent):
    subject = forms.ModelChoiceField(queryset=None,
                                     widget=forms.HiddenInput,
                                     error_messages={"invalid_choice": _(
                                         "Choose the colleague the story is about.")})
    field_order = ["subject", "move", "title", "body"]

    def __init__(self, *args, organization: Organization, author: Membership,
                 subject: Membership | None, **kwargs):
        kwargs.setdefault("auto_id", "id_story_%s")
        super().__init__(*args, organization=organization, subject=subject, **kwargs)
        self.fields["subject"].queryset = selectors.story_subjects(organization=organization,
                                                                   author=author)


class StoryEditForm(_StoryContent):
    def __init__(self, *args, organization: Organization, story, **kwargs):
        kwargs.setdefault("auto_id", "id_story_%s")
        super().__init__(*args, organization=organization, subject=story.subject, **kwargs)


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(choices=[("give", _("I agree")), ("decline", _("No thanks")),
                                          ("withdraw", _("Withdraw my consent"))])
