"""Forms of the conversation pages. They check shape only (lengths, formats, choices); the
services in ``services.conversations`` hold the rules (who, when, overlaps).

Times are typed as a local date and time in the organisation's time zone and stored in UTC;
each person then sees them in their own zone.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.forms_plan import DATE_INPUT_FORMATS, SkillChoiceField
from careers.models import ActionKind, DevelopmentAction
from careers.selectors.plan import plan_skill_choices

from . import guide
from .models import (
    TEXT_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    Conversation,
    MemberCadence,
    PartnerKind,
)
from .selectors.conversations import organization_zone

DURATION_CHOICES = [
    (15, _("15 minutes")), (30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour")),
    (90, _("1 hour 30 minutes")), (120, _("2 hours")),
]
RATING_CHOICES = [(1, _("1 · not at all")), (2, "2"), (3, "3"), (4, "4"),
                  (5, _("5 · very much"))]


class _OwnIds:
    """Several forms share the conversation page: each gets its own element ids (``auto_id``),
    so every label points at its own field."""

    auto_id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.auto_id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _textarea(label, *, rows: int = 4, help_text="", max_length: int = TEXT_MAX_LENGTH,
              placeholder: str = ""):
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(label=label, required=False, max_length=max_length, strip=True,
                           help_text=help_text, widget=forms.Textarea(attrs=attrs))


class _WhenForm(forms.Form):
    """Date, time and length of a conversation, in the organisation's time zone."""

    date = forms.DateField(label=_("Date"), input_formats=DATE_INPUT_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time"), input_formats=["%H:%M", "%H:%M:%S"],
                           widget=forms.TimeInput(attrs={"type": "time", "step": 300},
                                                  format="%H:%M"))
    duration_minutes = forms.TypedChoiceField(label=_("Length"), coerce=int,
                                              choices=DURATION_CHOICES, initial=45)
    location = forms.CharField(label=_("Place"), required=False,
                               max_length=_max_length(Conversation, "location"),
                               help_text=_("A meeting room, a café, a walk … A quiet place "
                                           "where you will not be interrupted."))
    video_url = forms.URLField(label=_("Video link"), required=False,
                               max_length=_max_length(Conversation, "video_url"),
                               assume_scheme="https",
                               help_text=_("For a conversation on a video call."))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = organization_zone(organization)
        self.fields["time"].help_text = _(
            "In the organisation's time zone, %(zone)s. Everyone sees it in their own.") % {
            "zone": self.zone.key}

    def clean(self):
        data = super().clean()
        day, time = data.get("date"), data.get("time")
        if day is not None and time is not None:
            data["scheduled_at"] = datetime.combine(day, time).replace(tzinfo=self.zone)
        return data

    def service_errors_field(self, name: str) -> str:
        """Where a service's error on ``name`` shows on this form."""
        return {"scheduled_at": "date"}.get(name, name)


class ScheduleForm(_WhenForm):
    """Schedule a conversation with one of ``people``: ``(key, label, member, partner)``."""

    with_whom = forms.ChoiceField(label=_("With"), choices=())

    field_order = ["with_whom", "date", "time", "duration_minutes", "location", "video_url"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {key: (member, partner) for key, _label, member, partner in people or []}
        if people is None:
            del self.fields["with_whom"]
        else:
            self.fields["with_whom"].choices = [(key, label) for key, label, *_ in people]
            self.fields["with_whom"].help_text = _(
                "Your line manager, a mentor or coach of yours, or someone you mentor or "
                "coach.")

    def clean(self):
        data = super().clean()
        key = data.get("with_whom")
        if key is not None and key in self.people:
            data["member"], data["partner"] = self.people[key]
        return data

    def service_errors_field(self, name: str) -> str:
        if name in ("partner", "member") and "with_whom" in self.fields:
            return "with_whom"
        return super().service_errors_field(name)


class RescheduleForm(_WhenForm):
    def __init__(self, *args, conversation: Conversation, **kwargs):
        super().__init__(*args, **kwargs)
        local = timezone.localtime(conversation.scheduled_at, self.zone)
        self.initial.setdefault("date", local.date())
        self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))
        self.initial.setdefault("duration_minutes", conversation.duration_minutes)
        self.initial.setdefault("location", conversation.location)
        self.initial.setdefault("video_url", conversation.video_url)
        choices = dict(DURATION_CHOICES)
        if conversation.duration_minutes not in choices:
            self.fields["duration_minutes"].choices = [
                *DURATION_CHOICES,
                (conversation.duration_minutes,
                 _("%(n)s minutes") % {"n": conversation.duration_minutes})]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why"), required=False,
                             max_length=_max_length(Conversation, "cancel_reason"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Shown to the other person, with the cancellation."))


class TopicForm(_OwnIds, forms.Form):
    auto_id_prefix = "topic"

    text = forms.CharField(label=_("Add a topic"), max_length=TOPIC_MAX_LENGTH, strip=True,
                           help_text=_("Something you would like to talk about. Both of you "
                                       "can add topics."),
                           widget=forms.TextInput(attrs={
                               "placeholder": _("e.g. Moving towards a tech lead role")}))


class PreparationForm(_OwnIds, forms.Form):
    auto_id_prefix = "prep"

    journey = _textarea(guide.PREPARATION[0].title, rows=5, help_text=guide.PREPARATION[0].help)
    to_ask = _textarea(guide.PREPARATION[1].title, rows=4, help_text=guide.PREPARATION[1].help)
    to_share = _textarea(guide.PREPARATION[2].title, rows=4,
                         help_text=guide.PREPARATION[2].help)


class AreaForm(_OwnIds, forms.Form):
    """One area of one of the employee's reflections: ``<reflection id>-<area id>``."""

    auto_id_prefix = "areas"

    area = forms.ChoiceField(label=_("Reflection area"), choices=())

    def __init__(self, *args, attachable=(), attached=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        groups = []
        for item in attachable:
            options = [(f"{item.reflection.pk}-{a.pk}", a.title) for a in item.areas
                       if (item.reflection.pk, a.pk) not in attached]
            if options:
                groups.append((item.reflection.display_title, options))
        self.fields["area"].choices = groups
        self.has_choices = bool(groups)

    def ids(self) -> tuple[int, int]:
        reflection_id, area_id = self.cleaned_data["area"].split("-")
        return int(reflection_id), int(area_id)


class SharedNotesForm(_OwnIds, forms.Form):
    auto_id_prefix = "notes"

    text = _textarea(_("Shared notes"), rows=10,
                     help_text=_("You both see these notes, and either of you can edit them."))


class PrivateNoteForm(_OwnIds, forms.Form):
    auto_id_prefix = "private"

    text = _textarea(_("My private notes"), rows=6,
                     help_text=_("Not the other person, not HR, not leaders: only you."))


class AgreedActionForm(_OwnIds, forms.Form):
    auto_id_prefix = "action"

    title = forms.CharField(label=_("Action"), max_length=_max_length(DevelopmentAction, "title"),
                            help_text=_("Concrete and small enough to start: “Shadow Ana in "
                                        "two incident reviews”."))
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices,
                             initial=ActionKind.ON_THE_JOB)
    due_date = forms.DateField(label=_("Due"), required=False, input_formats=DATE_INPUT_FORMATS,
                               widget=forms.DateInput(attrs={"type": "date"},
                                                      format="%Y-%m-%d"))
    skill = SkillChoiceField(label=_("Skill it develops"), queryset=None, required=False,
                             empty_label=_("No particular skill"))

    def __init__(self, *args, organization, employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = plan_skill_choices(organization=organization,
                                                           member=employee)


class OutcomeForm(_OwnIds, forms.Form):
    auto_id_prefix = "outcome"

    comment = _textarea(_("Anything else?"), rows=3, max_length=4000,
                        help_text=_("What helped most, or what would make the next one "
                                    "better."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ratings = {outcome.key: forms.TypedChoiceField(
            label=outcome.label, coerce=int, choices=RATING_CHOICES, widget=forms.RadioSelect,
            help_text=outcome.question,
            error_messages={"required": _("Give a rating from 1 to 5.")})
            for outcome in guide.OUTCOMES}
        self.fields = {**ratings, **self.fields}

    def ratings(self):
        return [self[o.key] for o in guide.OUTCOMES]


class PartnerForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"),
                             help_text=_("A colleague in your organisation, as they sign in to "
                                         "Trellis."))
    kind = forms.ChoiceField(label=_("As my"), widget=forms.RadioSelect,
                             choices=[(PartnerKind.MENTOR, PartnerKind.MENTOR.label),
                                      (PartnerKind.COACH, PartnerKind.COACH.label)],
                             initial=PartnerKind.MENTOR)

    def __init__(self, *args, for_self: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_self:
            self.fields["kind"].label = _("As their")


class CadenceForm(forms.Form):
    days = forms.IntegerField(
        label=_("Every (days)"), required=False,
        min_value=MemberCadence._meta.get_field("days").validators[0].limit_value,
        max_value=MemberCadence._meta.get_field("days").validators[1].limit_value,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, default_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].help_text = _(
            "Leave empty for the organisation's default, every %(days)s days.") % {
            "days": default_days}
