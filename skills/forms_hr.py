"""Forms of HR's framework, role profile and career path editors. They check shape only.

Choices of rows (categories, skills, levels, roles) are lists the view has already read for its
organisation, handed in as ``objects``: a form can never accept another organisation's id, and
rendering a dozen inline forms runs no query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import (
    Framework,
    Importance,
    LearningResource,
    Level,
    PathKind,
    ResourceKind,
    RoleProfile,
    Skill,
    SkillCategory,
    Track,
)
from .translations import language_name


def _max(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


class ObjectChoiceField(forms.ChoiceField):
    """A choice among rows already loaded; ``clean`` returns the row itself (or None).

    ``group`` optionally names an option group for each row (e.g. a skill's category).
    """

    def __init__(self, *, empty_label=None, **kwargs):
        self.empty_label = empty_label
        self._by_key: dict[str, object] = {}
        super().__init__(choices=(), **kwargs)

    def set_objects(self, objects: Iterable, *, label: Callable = str,
                    group: Callable | None = None) -> None:
        objects = list(objects)
        self._by_key = {str(o.pk): o for o in objects}
        choices: list = []
        if self.empty_label is not None or not self.required:
            choices.append(("", self.empty_label or "—"))
        if group is None:
            choices += [(str(o.pk), label(o)) for o in objects]
        else:
            groups: dict[str, list] = {}
            for o in objects:
                groups.setdefault(group(o) or "", []).append((str(o.pk), label(o)))
            ungrouped = groups.pop("", [])
            choices += ungrouped + sorted(groups.items(), key=lambda kv: kv[0].lower())
        self.choices = choices

    def clean(self, value):
        key = super().clean(value)
        if key in self.empty_values:
            return None
        return self._by_key[key]


# --- Texts in other languages -------------------------------------------------------------------


class TranslatedForm(forms.Form):
    """A form whose texts (``TRANSLATED``) may also be given in other languages.

    ``languages`` are the codes to offer (the organisation's other languages; none on forms that
    create); ``translations`` the object's current ones. One optional field per text and language
    (``name_fr`` …); ``cleaned_data["translations"]`` then holds the object's translations with
    these fields applied, an emptied field removing its text.
    """

    TRANSLATED: tuple[str, ...] = ()

    def __init__(self, *args, languages: Iterable[str] = (), translations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        self.existing_translations = translations or {}
        self.translation_names: list[str] = []
        for code in self.languages:
            given = self.existing_translations.get(code) or {}
            for name in self.TRANSLATED:
                base = self.fields[name]
                field_name = f"{name}_{code}"
                widget = (forms.Textarea(attrs={"rows": 2, "lang": code})
                          if isinstance(base.widget, forms.Textarea)
                          else forms.TextInput(attrs={"lang": code}))
                self.fields[field_name] = forms.CharField(
                    label=gettext("%(field)s (%(language)s)")
                    % {"field": base.label, "language": language_name(code)},
                    required=False, max_length=getattr(base, "max_length", None),
                    initial=given.get(name, ""), widget=widget,
                )
                self.translation_names.append(field_name)

    @property
    def translation_fields(self) -> list:
        return [self[name] for name in self.translation_names]

    @property
    def translation_errors(self) -> bool:
        return any(self[name].errors for name in self.translation_names)

    def clean(self):
        cleaned = super().clean()
        if not self.languages:
            return cleaned
        translations = {code: dict(texts) for code, texts in self.existing_translations.items()
                        if isinstance(texts, dict)}
        for code in self.languages:
            texts = translations.setdefault(code, {})
            for name in self.TRANSLATED:
                text = (cleaned.pop(f"{name}_{code}", "") or "").strip()
                if text:
                    texts[name] = text
                else:
                    texts.pop(name, None)
        cleaned["translations"] = {code: texts for code, texts in translations.items() if texts}
        return cleaned


# --- Frameworks, levels, categories ------------------------------------------------------------


class FrameworkForm(TranslatedForm):
    TRANSLATED = ("name", "description")

    name = forms.CharField(label=_("Name"), max_length=_max(Framework, "name"),
                           help_text=_("e.g. “Engineering skills” or “Company-wide skills”."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class FrameworkCreateForm(FrameworkForm):
    starter_scale = forms.BooleanField(
        label=_("Start with a five-level scale"), required=False, initial=True,
        help_text=_("Learning, Developing, Proficient, Advanced, Expert. You can rename, add or "
                    "remove levels afterwards."),
    )


class LevelForm(TranslatedForm):
    TRANSLATED = ("name", "descriptor")

    name = forms.CharField(label=_("Level name"), max_length=_max(Level, "name"))
    descriptor = forms.CharField(
        label=_("What this level means in general"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Responsibility, autonomy and complexity at this level, for every skill."),
    )


class CategoryForm(TranslatedForm):
    TRANSLATED = ("name",)

    name = forms.CharField(label=_("Category name"), max_length=_max(SkillCategory, "name"))
    parent = ObjectChoiceField(label=_("Inside"), required=False,
                               empty_label=_("Top level"))

    def __init__(self, *args, categories: Iterable[SkillCategory] = (), exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].set_objects(
            [c for c in categories if exclude is None or c.pk != exclude.pk],
            label=lambda c: getattr(c, "path_label", c.name),
        )


# --- Skills -------------------------------------------------------------------------------------


class SkillForm(TranslatedForm):
    TRANSLATED = ("name", "description")

    name = forms.CharField(label=_("Skill name"), max_length=_max(Skill, "name"))
    category = ObjectChoiceField(label=_("Category"), required=False,
                                 empty_label=_("No category"))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What the skill covers, in a sentence or two."))

    def __init__(self, *args, categories: Iterable[SkillCategory] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].set_objects(
            categories, label=lambda c: getattr(c, "path_label", c.name)
        )


class SkillEditForm(SkillForm):
    external_uri = forms.CharField(
        label=_("External identifier"), required=False, max_length=_max(Skill, "external_uri"),
        help_text=_("Where the skill comes from, e.g. an ESCO concept URI. Leave empty if none."),
    )


class SkillSearchForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Current skills")),
        ("emerging", _("Emerging")),
        ("retired", _("Retired")),
        ("all", _("All, with retired")),
    ]
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = ObjectChoiceField(label=_("Category"), required=False,
                                 empty_label=_("All categories"))
    status = forms.ChoiceField(label=_("Show"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, categories: Iterable[SkillCategory] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].set_objects(
            categories, label=lambda c: getattr(c, "path_label", c.name)
        )


class DescriptorsForm(forms.Form):
    """One text per level of the framework: what that level means for this skill."""

    def __init__(self, *args, levels: Iterable[Level] = (), initial_texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_texts = initial_texts or {}
        self.levels = list(levels)
        for level in self.levels:
            self.fields[self.field_name(level)] = forms.CharField(
                label=str(level), required=False, initial=initial_texts.get(level.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=level.descriptor,
            )

    @staticmethod
    def field_name(level: Level) -> str:
        return f"level_{level.pk}"

    def texts(self) -> list[tuple[Level, str]]:
        return [(level, self.cleaned_data.get(self.field_name(level), "")) for level in self.levels]


class EmergingForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is emerging"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("People whose roles need this skill are told, with this note. Say what is "
                    "changing and how they can start learning."),
    )


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=_max(LearningResource, "title"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices,
                             initial=ResourceKind.COURSE)
    url = forms.URLField(label=_("Link"), required=False, max_length=200,
                         assume_scheme="https")
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0, max_digits=6,
                               decimal_places=1, help_text=_("Roughly how long it takes."))


# --- Role profiles ------------------------------------------------------------------------------


class RoleForm(TranslatedForm):
    TRANSLATED = ("title", "family", "description")

    title = forms.CharField(label=_("Title"), max_length=_max(RoleProfile, "title"))
    framework = ObjectChoiceField(label=_("Skills framework"),
                                  help_text=_("The skills this role can require come from it."))
    family = forms.CharField(label=_("Job family"), required=False,
                             max_length=_max(RoleProfile, "family"),
                             widget=forms.TextInput(attrs={"list": "role-families"}),
                             help_text=_("e.g. Engineering, Sales, People."))
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices, initial=Track.INDIVIDUAL)
    grade = forms.CharField(label=_("Grade"), required=False,
                            max_length=_max(RoleProfile, "grade"))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Purpose of the role and what success looks like."))

    def __init__(self, *args, frameworks: Iterable[Framework] = (), **kwargs):
        super().__init__(*args, **kwargs)
        frameworks = list(frameworks)
        self.fields["framework"].set_objects(frameworks)
        if len(frameworks) == 1 and not self.is_bound and "framework" not in self.initial:
            self.initial["framework"] = str(frameworks[0].pk)


class RequirementChangeForm(forms.Form):
    """The level and importance of a skill a role already requires."""

    min_level = forms.TypedChoiceField(label=_("Minimum level"), coerce=int)
    importance = forms.ChoiceField(label=_("Importance"), choices=Importance.choices,
                                   initial=Importance.CORE)

    def __init__(self, *args, levels: Iterable[Level] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_level"].choices = [("", _("Choose a level"))] + [
            (level.rank, str(level)) for level in levels
        ]


class RequirementForm(RequirementChangeForm):
    skill = ObjectChoiceField(label=_("Skill"), empty_label=_("Choose a skill"))

    field_order = ["skill", "min_level", "importance"]

    def __init__(self, *args, skills: Iterable[Skill] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].set_objects(
            skills, group=lambda s: s.category.name if s.category_id else "",
        )


# --- Career paths -------------------------------------------------------------------------------


def _role_label(role: RoleProfile) -> str:
    bits = [role.title]
    if role.grade:
        bits.append(f"({role.grade})")
    return " ".join(bits)


class PathFields(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of move"), choices=PathKind.choices,
                             initial=PathKind.PROMOTION)
    typical_months = forms.IntegerField(
        label=_("Typical time (months)"), required=False, min_value=0, max_value=240,
        help_text=_("How long people usually spend in the first role before this move."),
    )
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("What usually makes the move work."))


class PathForm(PathFields):
    from_role = ObjectChoiceField(label=_("From role"), empty_label=_("Choose a role"))
    to_role = ObjectChoiceField(label=_("To role"), empty_label=_("Choose a role"))

    field_order = ["from_role", "to_role", "kind", "typical_months", "notes"]

    def __init__(self, *args, roles: Iterable[RoleProfile] = (), **kwargs):
        super().__init__(*args, **kwargs)
        roles = list(roles)
        for name in ("from_role", "to_role"):
            self.fields[name].set_objects(roles, label=_role_label,
                                          group=lambda r: r.family)


class RolePathForm(PathFields):
    """A path added from a role's page: into or out of that role."""

    OUT, IN = "out", "in"
    direction = forms.ChoiceField(
        label=_("Direction"), widget=forms.RadioSelect, initial=OUT,
        choices=[(OUT, _("From this role to another")), (IN, _("From another role to this one"))],
    )
    other_role = ObjectChoiceField(label=_("Other role"), empty_label=_("Choose a role"))

    field_order = ["direction", "other_role", "kind", "typical_months", "notes"]

    def __init__(self, *args, roles: Iterable[RoleProfile] = (), role: RoleProfile | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_role"].set_objects(
            [r for r in roles if role is None or r.pk != role.pk],
            label=_role_label, group=lambda r: r.family,
        )

    def path_ends(self, role: RoleProfile) -> tuple[RoleProfile, RoleProfile]:
        other = self.cleaned_data["other_role"]
        if self.cleaned_data["direction"] == self.IN:
            return other, role
        return role, other

