"""The organisation's reflection template, and HR's changes to it.

Versions are copy-on-write: a template version that any reflection was written against is never
changed. The first change HR makes to such a version copies it whole into a new current version
(areas and prompts keep their ``key``) and applies the change there; later changes edit that new
version in place until a reflection is written against it. Old reflections therefore keep their
original prompts, and two reflections of different versions can still be compared by key.
"""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.models import Membership, Organization
from organizations.services import audit

from ..content import DEFAULT_AREAS
from ..models import Reflection, ReflectionArea, ReflectionPrompt, ReflectionTemplate

AUDIT_ACTION = "careers.template_changed"
#: The model leaves an area's introduction unbounded; HR's editor does not.
INTRO_MAX_LENGTH = 2000
MAX_AREAS = 20
MAX_PROMPTS_PER_AREA = 20
KEY_MAX_LENGTH = ReflectionPrompt._meta.get_field("key").max_length
DIRECTIONS = ("up", "down")


def _current(organization: Organization) -> ReflectionTemplate | None:
    return (ReflectionTemplate.objects.for_org(organization).filter(is_current=True)
            .order_by("-version").first())


def reflection_template_current(*, organization: Organization,
                                actor: Membership | None = None) -> ReflectionTemplate:
    """The current template version, made from the shipped default on first use.

    The default is written in the organisation's default language. Two requests racing to make
    it both end with the same row: the loser's insert hits the one-current constraint and it
    reads the winner's.
    """
    template = _current(organization)
    if template is not None:
        return template
    try:
        with transaction.atomic():
            template = ReflectionTemplate.objects.for_org(organization).create(
                organization=organization, version=1, is_current=True, created_by=actor)
            _write_default_areas(organization, template)
    except IntegrityError:
        template = _current(organization)
        if template is None:
            raise
    return template


def _write_default_areas(organization: Organization, template: ReflectionTemplate) -> None:
    with translation.override(organization.default_language):
        for a_pos, spec in enumerate(DEFAULT_AREAS):
            area = ReflectionArea.objects.for_org(organization).create(
                organization=organization, template=template, key=spec["key"],
                title=str(spec["title"]), intro=str(spec["intro"]), position=a_pos)
            ReflectionPrompt.objects.for_org(organization).bulk_create([
                ReflectionPrompt(organization=organization, area=area, key=key, text=str(text),
                                 help_text=str(hint), position=p_pos)
                for p_pos, (key, text, hint) in enumerate(spec["prompts"])
            ])


# --- HR's changes: guards -----------------------------------------------------------------------


class TemplateChange(NamedTuple):
    """What an HR change leaves behind: the current template after it, the changed area or
    prompt as it is in that template (None when it was removed), whether the change made a new
    version, and whether anything changed at all (saving the same text, moving the first area
    up and resetting a default template change nothing)."""

    template: ReflectionTemplate
    item: ReflectionArea | ReflectionPrompt | None
    new_version: bool
    changed: bool = True


def _require_hr(organization: Organization, actor: Membership | None) -> None:
    """Security invariant: only an active HR admin of ``organization`` changes its template."""
    if (
        actor is None
        or actor.organization_id != organization.pk
        or not actor.is_active
        or not actor.is_hr_admin
    ):
        raise PermissionDenied(_("Only HR admins can change the reflection template."))


def _require_own(organization: Organization, obj) -> None:
    if obj is None or obj.organization_id != organization.pk:
        raise ValidationError(_("Everything must belong to the same organisation."))


def _stale() -> ValidationError:
    return ValidationError(_(
        "This version of the template is no longer the current one: someone changed the "
        "template since you opened it. Reload the page and make your change again."))


def _lock_current(organization: Organization, actor: Membership) -> ReflectionTemplate:
    """The current version, locked until the end of the transaction.

    The row lock serialises HR changes, so two admins cannot both copy version N into N+1: a
    waiter whose row stopped being current while it waited finds no row and reads again, and so
    sees the version the other admin made (and its own stale area or prompt is refused). Starting
    a reflection does not take this lock (the foreign key check on the template is deferred to
    commit), so a reflection started in the very instant of an in-place edit may open on the
    edited questions; it has no answers yet, so nothing written is changed.
    """
    for _attempt in range(3):
        reflection_template_current(organization=organization, actor=actor)
        current = (ReflectionTemplate.objects.for_org(organization).select_for_update()
                   .filter(is_current=True).order_by("-version").first())
        if current is not None:
            return current
    raise ValidationError(_("Someone else is changing the template at this moment. Try again."))


def _in_use(organization: Organization, template: ReflectionTemplate) -> bool:
    return Reflection.objects.for_org(organization).filter(template=template).exists()


def _fresh_area(organization: Organization, area: ReflectionArea,
                current: ReflectionTemplate) -> ReflectionArea:
    _require_own(organization, area)
    fresh = ReflectionArea.objects.for_org(organization).filter(pk=area.pk).first()
    if fresh is None:
        raise ValidationError(_("This area no longer exists: someone may have removed it. "
                                "Reload the page."))
    if fresh.template_id != current.pk:
        raise _stale()
    return fresh


def _fresh_prompt(organization: Organization, prompt: ReflectionPrompt,
                  current: ReflectionTemplate) -> ReflectionPrompt:
    _require_own(organization, prompt)
    fresh = (ReflectionPrompt.objects.for_org(organization).select_related("area")
             .filter(pk=prompt.pk).first())
    if fresh is None:
        raise ValidationError(_("This question no longer exists: someone may have removed it. "
                                "Reload the page."))
    if fresh.area.template_id != current.pk:
        raise _stale()
    return fresh


def _text(errors: dict, field: str, value, *, max_length: int, required_message: str = "",
          too_long_message: str, single_line: bool = True) -> str:
    value = (value or "").strip().replace("\r\n", "\n")
    if single_line:
        # Questions, hints and titles are shown on one line; a pasted line break is a space.
        value = " ".join(value.split())
    if required_message and not value:
        errors[field] = [required_message]
    elif len(value) > max_length:
        errors[field] = [too_long_message % {"max": f"{max_length:,}",
                                             "length": f"{len(value):,}"}]
    return value


def _area_fields(title, intro) -> dict:
    errors: dict = {}
    cleaned = {}
    if title is not None:
        cleaned["title"] = _text(
            errors, "title", title, max_length=ReflectionArea._meta.get_field("title").max_length,
            required_message=_("Give the area a title, e.g. “What's important to me”."),
            too_long_message=_("Keep the title to %(max)s characters or fewer (it has "
                               "%(length)s)."))
    if intro is not None:
        cleaned["intro"] = _text(
            errors, "intro", intro, max_length=INTRO_MAX_LENGTH, single_line=False,
            too_long_message=_("Keep the introduction to %(max)s characters or fewer (it has "
                               "%(length)s)."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _prompt_fields(text, help_text) -> dict:
    errors: dict = {}
    cleaned = {}
    if text is not None:
        cleaned["text"] = _text(
            errors, "text", text, max_length=ReflectionPrompt._meta.get_field("text").max_length,
            required_message=_("Write the question members will answer."),
            too_long_message=_("Keep the question to %(max)s characters or fewer (it has "
                               "%(length)s)."))
    if help_text is not None:
        cleaned["help_text"] = _text(
            errors, "help_text", help_text,
            max_length=ReflectionPrompt._meta.get_field("help_text").max_length,
            too_long_message=_("Keep the hint to %(max)s characters or fewer (it has "
                               "%(length)s)."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _direction(direction: str) -> int:
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": _("Move a question or an area “up” or “down”.")})
    return -1 if direction == "up" else 1


def _clean(organization: Organization, obj) -> None:
    # Unique-constraint validation queries the default (scoped) manager.
    with tenancy.organization_scope(organization):
        obj.full_clean()


def _unique_key(text: str, taken: set[str], fallback: str) -> str:
    base = slugify(text)[:KEY_MAX_LENGTH].strip("-") or fallback
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key = base[:KEY_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1
    return key


def _log(organization: Organization, actor: Membership, change: TemplateChange, what: str,
         **detail) -> TemplateChange:
    audit(organization=organization, actor=actor, action=AUDIT_ACTION, change=what,
          version=change.template.version, new_version=change.new_version, **detail)
    return change


# --- HR's changes: copy-on-write ----------------------------------------------------------------


class _Writable(NamedTuple):
    template: ReflectionTemplate
    areas: dict[int, ReflectionArea]  # pk in the locked version → the same area in ``template``
    prompts: dict[int, ReflectionPrompt]
    new_version: bool

    def area(self, area: ReflectionArea) -> ReflectionArea:
        return self.areas.get(area.pk, area)

    def prompt(self, prompt: ReflectionPrompt) -> ReflectionPrompt:
        return self.prompts.get(prompt.pk, prompt)


def _writable(organization: Organization, actor: Membership,
              current: ReflectionTemplate) -> _Writable:
    """The version a change may be written to: ``current`` itself while no reflection uses it,
    else a whole copy of it that becomes the current version."""
    if not _in_use(organization, current):
        return _Writable(current, {}, {}, False)
    copy = _new_version(organization, actor, current)
    old_areas = list(ReflectionArea.objects.for_org(organization).filter(template=current)
                     .order_by("position", "pk"))
    new_areas = ReflectionArea.objects.for_org(organization).bulk_create([
        ReflectionArea(organization=organization, template=copy, key=a.key, title=a.title,
                       intro=a.intro, position=a.position)
        for a in old_areas
    ])
    areas = {old.pk: new for old, new in zip(old_areas, new_areas, strict=True)}
    old_prompts = list(ReflectionPrompt.objects.for_org(organization)
                       .filter(area__template=current).order_by("area_id", "position", "pk"))
    new_prompts = ReflectionPrompt.objects.for_org(organization).bulk_create([
        ReflectionPrompt(organization=organization, area=areas[p.area_id], key=p.key,
                         text=p.text, help_text=p.help_text, position=p.position)
        for p in old_prompts
    ])
    prompts = {old.pk: new for old, new in zip(old_prompts, new_prompts, strict=True)}
    return _Writable(copy, areas, prompts, True)


def _new_version(organization: Organization, actor: Membership,
                 current: ReflectionTemplate) -> ReflectionTemplate:
    """Version N+1, current; ``current`` stops being current first, because the one-current
    constraint is checked row by row, not at commit."""
    templates = ReflectionTemplate.objects.for_org(organization)
    top = templates.aggregate(top=Max("version"))["top"] or 0
    templates.filter(pk=current.pk).update(is_current=False)
    current.is_current = False
    return templates.create(organization=organization, version=top + 1, is_current=True,
                            created_by=actor)


def _renumber(rows) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


# --- HR's changes: areas ------------------------------------------------------------------------


@transaction.atomic
def template_area_update(*, organization: Organization, actor: Membership, area: ReflectionArea,
                         title: str | None = None, intro: str | None = None) -> TemplateChange:
    """Rename an area or change its introduction. The area keeps its key."""
    _require_hr(organization, actor)
    _require_own(organization, area)
    fields = _area_fields(title, intro)
    current = _lock_current(organization, actor)
    area = _fresh_area(organization, area, current)
    changed = sorted(name for name, value in fields.items() if getattr(area, name) != value)
    if not changed:
        return TemplateChange(current, area, False, changed=False)
    target = _writable(organization, actor, current)
    edited = target.area(area)
    for name in changed:
        setattr(edited, name, fields[name])
    _clean(organization, edited)
    edited.save(update_fields=changed)
    return _log(organization, actor, TemplateChange(target.template, edited, target.new_version),
                "area_updated", area=edited.key, fields=changed)


@transaction.atomic
def template_area_add(*, organization: Organization, actor: Membership, title: str,
                      intro: str = "") -> TemplateChange:
    """Add an area, with no question yet, after the others."""
    _require_hr(organization, actor)
    fields = _area_fields(title, intro or "")
    current = _lock_current(organization, actor)
    count = ReflectionArea.objects.for_org(organization).filter(template=current).count()
    if count >= MAX_AREAS:
        raise ValidationError(_("A template has at most %(max)d areas. Remove or merge one "
                                "first.") % {"max": MAX_AREAS})
    target = _writable(organization, actor, current)
    taken = set(ReflectionArea.objects.for_org(organization).values_list("key", flat=True))
    area = ReflectionArea(organization=organization, template=target.template,
                          key=_unique_key(fields["title"], taken, "area"), position=count,
                          **fields)
    _clean(organization, area)
    area.save()
    return _log(organization, actor, TemplateChange(target.template, area, target.new_version),
                "area_added", area=area.key)


@transaction.atomic
def template_area_remove(*, organization: Organization, actor: Membership,
                         area: ReflectionArea) -> TemplateChange:
    """Remove an area and its questions from the current version; refused for the last one.
    Reflections written against earlier versions keep it."""
    _require_hr(organization, actor)
    _require_own(organization, area)
    current = _lock_current(organization, actor)
    area = _fresh_area(organization, area, current)
    areas = ReflectionArea.objects.for_org(organization)
    if areas.filter(template=current).count() <= 1:
        raise ValidationError(_("A template needs at least one area. Add another area before "
                                "removing this one."))
    target = _writable(organization, actor, current)
    target.area(area).delete()
    _renumber(areas.filter(template=target.template).order_by("position", "pk"))
    return _log(organization, actor, TemplateChange(target.template, None, target.new_version),
                "area_removed", area=area.key)


@transaction.atomic
def template_area_move(*, organization: Organization, actor: Membership, area: ReflectionArea,
                       direction: str) -> TemplateChange:
    """Move an area one place up or down; at the top (or bottom) already, nothing changes."""
    _require_hr(organization, actor)
    _require_own(organization, area)
    step = _direction(direction)
    current = _lock_current(organization, actor)
    area = _fresh_area(organization, area, current)
    order = list(ReflectionArea.objects.for_org(organization).filter(template=current)
                 .order_by("position", "pk"))
    at = next(i for i, a in enumerate(order) if a.pk == area.pk)
    if not 0 <= at + step < len(order):
        return TemplateChange(current, area, False, changed=False)
    order[at], order[at + step] = order[at + step], order[at]
    target = _writable(organization, actor, current)
    _renumber([target.area(a) for a in order])
    return _log(organization, actor,
                TemplateChange(target.template, target.area(area), target.new_version),
                "area_moved", area=area.key, direction=direction)


# --- HR's changes: prompts ----------------------------------------------------------------------


@transaction.atomic
def template_prompt_update(*, organization: Organization, actor: Membership,
                           prompt: ReflectionPrompt, text: str | None = None,
                           help_text: str | None = None) -> TemplateChange:
    """Reword a question or its hint. It keeps its key, so answers to it in reflections of
    different versions can still be compared."""
    _require_hr(organization, actor)
    _require_own(organization, prompt)
    fields = _prompt_fields(text, help_text)
    current = _lock_current(organization, actor)
    prompt = _fresh_prompt(organization, prompt, current)
    changed = sorted(name for name, value in fields.items() if getattr(prompt, name) != value)
    if not changed:
        return TemplateChange(current, prompt, False, changed=False)
    target = _writable(organization, actor, current)
    edited = target.prompt(prompt)
    for name in changed:
        setattr(edited, name, fields[name])
    _clean(organization, edited)
    edited.save(update_fields=changed)
    return _log(organization, actor, TemplateChange(target.template, edited, target.new_version),
                "prompt_updated", area=prompt.area.key, prompt=edited.key, fields=changed)


@transaction.atomic
def template_prompt_add(*, organization: Organization, actor: Membership, area: ReflectionArea,
                        text: str, help_text: str = "") -> TemplateChange:
    """Add a question at the end of an area. Its key comes from its text and is unique among
    the questions this area has had in any version."""
    _require_hr(organization, actor)
    _require_own(organization, area)
    fields = _prompt_fields(text, help_text or "")
    current = _lock_current(organization, actor)
    area = _fresh_area(organization, area, current)
    prompts = ReflectionPrompt.objects.for_org(organization)
    count = prompts.filter(area=area).count()
    if count >= MAX_PROMPTS_PER_AREA:
        raise ValidationError(_("An area has at most %(max)d questions. Remove one first, or "
                                "put this question in another area.")
                              % {"max": MAX_PROMPTS_PER_AREA})
    target = _writable(organization, actor, current)
    taken = set(prompts.filter(area__key=area.key).values_list("key", flat=True))
    prompt = ReflectionPrompt(organization=organization, area=target.area(area),
                              key=_unique_key(fields["text"], taken, "question"),
                              position=count, **fields)
    _clean(organization, prompt)
    prompt.save()
    return _log(organization, actor, TemplateChange(target.template, prompt, target.new_version),
                "prompt_added", area=area.key, prompt=prompt.key)


@transaction.atomic
def template_prompt_remove(*, organization: Organization, actor: Membership,
                           prompt: ReflectionPrompt) -> TemplateChange:
    """Remove a question from the current version; refused for the last one of its area.
    ``item`` of the result is the area it was in."""
    _require_hr(organization, actor)
    _require_own(organization, prompt)
    current = _lock_current(organization, actor)
    prompt = _fresh_prompt(organization, prompt, current)
    prompts = ReflectionPrompt.objects.for_org(organization)
    if prompts.filter(area_id=prompt.area_id).count() <= 1:
        raise ValidationError(_("Each area needs at least one question. Add another question "
                                "to this area before removing this one, or remove the area."))
    target = _writable(organization, actor, current)
    area = target.area(prompt.area)
    target.prompt(prompt).delete()
    _renumber(prompts.filter(area=area).order_by("position", "pk"))
    return _log(organization, actor, TemplateChange(target.template, area, target.new_version),
                "prompt_removed", area=prompt.area.key, prompt=prompt.key)


@transaction.atomic
def template_prompt_move(*, organization: Organization, actor: Membership,
                         prompt: ReflectionPrompt, direction: str) -> TemplateChange:
    """Move a question one place up or down within its area."""
    _require_hr(organization, actor)
    _require_own(organization, prompt)
    step = _direction(direction)
    current = _lock_current(organization, actor)
    prompt = _fresh_prompt(organization, prompt, current)
    order = list(ReflectionPrompt.objects.for_org(organization).filter(area_id=prompt.area_id)
                 .order_by("position", "pk"))
    at = next(i for i, p in enumerate(order) if p.pk == prompt.pk)
    if not 0 <= at + step < len(order):
        return TemplateChange(current, prompt, False, changed=False)
    order[at], order[at + step] = order[at + step], order[at]
    target = _writable(organization, actor, current)
    _renumber([target.prompt(p) for p in order])
    return _log(organization, actor,
                TemplateChange(target.template, target.prompt(prompt), target.new_version),
                "prompt_moved", area=prompt.area.key, prompt=prompt.key, direction=direction)


# --- HR's changes: the whole template -----------------------------------------------------------


def _signature(organization: Organization, template: ReflectionTemplate) -> list:
    areas = list(ReflectionArea.objects.for_org(organization).filter(template=template)
                 .order_by("position", "pk").values_list("pk", "key", "title", "intro"))
    prompts: dict[int, list] = {}
    for area_id, key, text, hint in (ReflectionPrompt.objects.for_org(organization)
                                     .filter(area__template=template)
                                     .order_by("position", "pk")
                                     .values_list("area_id", "key", "text", "help_text")):
        prompts.setdefault(area_id, []).append((key, text, hint))
    return [(key, title, intro, prompts.get(pk, [])) for pk, key, title, intro in areas]


def _default_signature(organization: Organization) -> list:
    with translation.override(organization.default_language):
        return [(spec["key"], str(spec["title"]), str(spec["intro"]),
                 [(key, str(text), str(hint)) for key, text, hint in spec["prompts"]])
                for spec in DEFAULT_AREAS]


@transaction.atomic
def template_reset_to_default(*, organization: Organization,
                              actor: Membership) -> TemplateChange:
    """Put back the template Trellis ships (content.py), in the organisation's language.

    Like every change it is copy-on-write: a version reflections use is kept and a new one made;
    a version no one has written against yet is rewritten. Already the default: nothing changes.
    """
    _require_hr(organization, actor)
    current = _lock_current(organization, actor)
    if _signature(organization, current) == _default_signature(organization):
        return TemplateChange(current, None, False, changed=False)
    if _in_use(organization, current):
        template, new_version = _new_version(organization, actor, current), True
    else:
        ReflectionArea.objects.for_org(organization).filter(template=current).delete()
        template, new_version = current, False
    _write_default_areas(organization, template)
    return _log(organization, actor, TemplateChange(template, None, new_version), "reset")
