"""Forms of the Office Career Champions pages. They check shape only (choices, lengths); the
rules live in ``services.champions``.

The colleague a nomination names comes from ``selectors.champions.colleagues`` (active members
of the organisation but the nominator), so another organisation's id is "Select a valid
choice" and never reaches the service. The form offers a short list at a time (the colleagues
found by a search, or the nominator's manager, reports and team) rather than everyone.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization

from .models import Champion, ChampionCriterion, NominationStatus
from .selectors import champions as selectors
from .services import champions as services

#: What each criterion looks like in practice, shown under it on the nomination form.
CRITERION_HELP: dict[str, str] = {
    ChampionCriterion.COMMITMENT: _("They live the organisation's values, and others notice."),
    ChampionCriterion.MENTORING: _("They help colleagues grow: advice, time, introductions, "
                                   "honest encouragement."),
    ChampionCriterion.ADVOCACY: _("They speak up for career development: sharing "
                                  "opportunities, encouraging others to apply, telling "
                                  "their own story."),
    ChampionCriterion.OWN_CAREER: _("They take and create chances to grow their own career: "
                                    "a stretch project, a move, learning something new."),
    ChampionCriterion.CONVERSATIONS: _("They hold regular career conversations with the people "
                                       "they work with."),
}

#: Short names of the criteria, for badges and charts.
CRITERION_SHORT: dict[str, str] = {
    ChampionCriterion.COMMITMENT: _("Commitment and values"),
    ChampionCriterion.MENTORING: _("Mentoring and support"),
    ChampionCriterion.ADVOCACY: _("Champions career development"),
    ChampionCriterion.OWN_CAREER: _("Grows their own career"),
    ChampionCriterion.CONVERSATIONS: _("Career conversations"),
}

CRITERION_ICONS: dict[str, str] = {
    ChampionCriterion.COMMITMENT: "heart",
    ChampionCriterion.MENTORING: "sprout",
    ChampionCriterion.ADVOCACY: "flag",
    ChampionCriterion.OWN_CAREER: "ladder",
    ChampionCriterion.CONVERSATIONS: "chat",
}

DECISION_HELP: dict[str, str] = {
    NominationStatus.CONFIRMED: _("They become an Office Career Champion today, with a badge "
                                  "and a page. They and the colleagues who nominated them are "
                                  "told."),
    NominationStatus.DECLINED: _("Not now. The colleagues who nominated them read your note; "
                                 "the nominee is not told."),
}


def evidence_name(criterion: str) -> str:
    return f"evidence_{criterion}"


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.display_name} · {obj.job_title}" if obj.job_title else obj.display_name


class NominationForm(forms.Form):
    nominee = ColleagueChoiceField(
        label=_("Who are you nominating?"), queryset=None, empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the colleague you are nominating."),
                        "invalid_choice": _("Choose a colleague from the list.")})
    criteria = forms.MultipleChoiceField(
        label=_("Which of the five criteria do they meet?"), required=False,
        choices=ChampionCriterion.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organization: Organization, nominator: Membership,
                 shown: list[Membership] | None = None, **kwargs):
        kwargs.setdefault("auto_id", "id_nomination_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["nominee"]
        field.queryset = selectors.colleagues(organization=organization, viewer=nominator)
        for criterion in ChampionCriterion.values:
            self.fields[evidence_name(criterion)] = forms.CharField(
                label=_("What did you see?"), required=False, strip=True,
                max_length=services.EVIDENCE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("A moment when they did this: what happened, and the difference "
                            "it made."))
        rows = list(shown or [])
        selected = self.data.get(self.add_prefix("nominee")) if self.is_bound else \
            getattr(self.initial.get("nominee"), "pk", self.initial.get("nominee"))
        if selected not in (None, "") and str(selected).isdigit() and \
                int(selected) not in {r.pk for r in rows}:
            extra = field.queryset.filter(pk=int(selected)).first()
            if extra is not None:
                rows.insert(0, extra)
        self.people = rows
        field.choices = [(row.pk, field.label_from_instance(row)) for row in rows]
        self.organization = organization

    @property
    def people(self) -> list[Membership]:
        return self._people

    @people.setter
    def people(self, rows: list[Membership]) -> None:
        self._people = list(rows)
        self._champion_ids = None

    def evidence(self) -> dict[str, str]:
        """``{criterion: what they saw}`` for the ticked criteria (text under an unticked one
        is dropped: the nominator took the tick away)."""
        data = self.cleaned_data
        return {c: data.get(evidence_name(c), "") for c in data.get("criteria", [])}

    def selected_nominee_id(self) -> str:
        value = self["nominee"].value()
        return str(value) if value not in (None, "") else ""

    def people_options(self) -> list[dict]:
        """The colleagues offered, as radio cards: member, id, checked, and whether they
        already are a champion (offered but not selectable): one query for them all."""
        if self._champion_ids is None:
            self._champion_ids = set(selectors.champion_member_ids(
                organization=self.organization, member_ids=[m.pk for m in self.people]))
        selected = self.selected_nominee_id()
        return [{"member": m, "id": f"{self['nominee'].auto_id}_{m.pk}",
                 "checked": str(m.pk) == selected, "is_champion": m.pk in self._champion_ids}
                for m in self.people]

    def criterion_rows(self) -> list[dict]:
        """Each criterion with its tick, help, icon and evidence field."""
        ticked = {str(v) for v in (self["criteria"].value() or [])}
        return [{"value": c, "label": label, "short": CRITERION_SHORT[c],
                 "help": CRITERION_HELP[c], "icon": CRITERION_ICONS[c],
                 "checked": c in ticked, "id": f"{self['criteria'].auto_id}_{c}",
                 "evidence": self[evidence_name(c)]}
                for c, label in ChampionCriterion.choices]

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's errors on the field they are about (``evidence.<criterion>`` on that
        criterion's text, ``evidence`` on the criteria)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            if key.startswith("evidence."):
                name = evidence_name(key.split(".", 1)[1])
            elif key == "evidence":
                name = "criteria"
            else:
                name = key
            if name in self.errors:
                continue
            self.add_error(name if name in self.fields else None, errors)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(NominationStatus.CONFIRMED, _("Confirm as a champion")),
                 (NominationStatus.DECLINED, _("Decline"))])
    note = forms.CharField(
        label=_("Note for the colleagues who nominated them"), required=False, strip=True,
        max_length=services.NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you decline: say why, and what would change the answer. "
                    "When you confirm, a thank-you is sent if you leave it empty."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)

    def decision_options(self) -> list[dict]:
        value = self["decision"].value()
        return [{"value": v, "label": label, "help": DECISION_HELP[v],
                 "checked": str(value) == v, "id": f"{self['decision'].auto_id}_{v}"}
                for v, label in self.fields["decision"].choices]


class SetAsideForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the colleague who made it"), strip=True,
        max_length=services.NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this nomination is set aside. Its author reads this; the nominee "
                    "does not."))


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=Champion._meta.get_field("statement").verbose_name, required=False, strip=True,
        max_length=services.STATEMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 7}),
        help_text=Champion._meta.get_field("statement").help_text)


class EndTermForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the champion"), required=False, strip=True,
        max_length=services.NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. They are told their term has ended; a thank-you is sent if you "
                    "leave this empty."))
