"""A member's reflections: start one, write answers (as they type), share areas, withdraw.

Reflections are the member's own. Only the member writes them; their manager reads the areas the
member shares (``selectors.reflections.shared_reflection_areas``) and nobody else reads the text
(HR sees completion, leaders aggregates). Every function checks that the actor is the owner and
that every object named belongs to the organisation and to the reflection's own template version.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Membership, Organization

from ..models import (
    ANSWER_MAX_LENGTH,
    Reflection,
    ReflectionAnswer,
    ReflectionArea,
    ReflectionPrompt,
    ReflectionShare,
    ReflectionTemplate,
)
from .templates import reflection_template_current

TITLE_MAX_LENGTH = 120


# --- Guards -------------------------------------------------------------------------------------


def _require_owner(organization: Organization, actor: Membership | None,
                   reflection: Reflection | None = None) -> None:
    """Security invariant: only the active member who owns a reflection changes it."""
    if actor is None or actor.organization_id != organization.pk or not actor.is_active:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if reflection is not None:
        if reflection.organization_id != organization.pk:
            raise PermissionDenied(_("This reflection is not in this organisation."))
        if reflection.member_id != actor.pk:
            raise PermissionDenied(_("Only the person who wrote a reflection can change it."))


def _require_area_of(reflection: Reflection, area: ReflectionArea) -> None:
    if area.organization_id != reflection.organization_id or \
            area.template_id != reflection.template_id:
        raise ValidationError({"area": _("This area is not part of this reflection.")})


def _require_prompt_of(reflection: Reflection, prompt: ReflectionPrompt) -> None:
    if prompt.organization_id != reflection.organization_id or \
            prompt.area.template_id != reflection.template_id:
        raise ValidationError({"prompt": _("This question is not part of this reflection.")})


def _clean_text(text: str | None) -> str:
    text = (text or "").replace("\r\n", "\n")
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationError({"text": _(
            "Answers can be up to %(max)s characters long; this one has %(length)s. Shorten it "
            "or move part of it to another question.") % {"max": f"{ANSWER_MAX_LENGTH:,}",
                                                          "length": f"{len(text):,}"}})
    return text


def _clean_title(title: str | None) -> str:
    title = (title or "").strip()
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({"title": _("Keep the title to %(max)s characters or fewer.")
                               % {"max": TITLE_MAX_LENGTH}})
    return title


# --- Reflections --------------------------------------------------------------------------------


@transaction.atomic
def reflection_start(*, organization: Organization, actor: Membership,
                     title: str = "") -> Reflection:
    """A new, dated reflection of ``actor`` against the organisation's current template."""
    _require_owner(organization, actor)
    template = reflection_template_current(organization=organization)
    # Holding the template row until commit keeps HR from editing this version in place (an
    # edit of a version no reflection uses yet) while the reflection is being started on it.
    ReflectionTemplate.objects.for_org(organization).select_for_update(no_key=True).filter(
        pk=template.pk).first()
    reflection = Reflection(organization=organization, member=actor, template=template,
                            title=_clean_title(title))
    reflection.full_clean()
    reflection.save()
    return reflection


@transaction.atomic
def reflection_rename(*, organization: Organization, actor: Membership, reflection: Reflection,
                      title: str) -> Reflection:
    _require_owner(organization, actor, reflection)
    reflection.title = _clean_title(title)
    reflection.save(update_fields=["title", "updated_at"])
    return reflection


@transaction.atomic
def reflection_delete(*, organization: Organization, actor: Membership,
                      reflection: Reflection) -> None:
    """Delete a reflection with its answers and shares: the member's right over their text."""
    _require_owner(organization, actor, reflection)
    reflection.delete()


# --- Answers ------------------------------------------------------------------------------------


def _save_answer(organization: Organization, reflection: Reflection, prompt: ReflectionPrompt,
                 text: str) -> ReflectionAnswer | None:
    """Write one answer; an emptied answer is removed, so "answered" means a row exists."""
    answers = ReflectionAnswer.objects.for_org(organization)
    if not text.strip():
        answers.filter(reflection=reflection, prompt=prompt).delete()
        return None
    answer, created = answers.get_or_create(
        organization=organization, reflection=reflection, prompt=prompt,
        defaults={"text": text})
    if not created and answer.text != text:
        answer.text = text
        answer.save(update_fields=["text", "updated_at"])
    return answer


@transaction.atomic
def reflection_answer_save(*, organization: Organization, actor: Membership,
                           reflection: Reflection, prompt: ReflectionPrompt,
                           text: str) -> ReflectionAnswer | None:
    """Save one answer as the member types it (autosave). Idempotent: the same text twice
    writes once. Returns the answer, or None when the text was emptied."""
    _require_owner(organization, actor, reflection)
    _require_prompt_of(reflection, prompt)
    answer = _save_answer(organization, reflection, prompt, _clean_text(text))
    Reflection.objects.for_org(organization).filter(pk=reflection.pk).update(
        updated_at=timezone.now())
    return answer


@transaction.atomic
def reflection_answers_save(*, organization: Organization, actor: Membership,
                            reflection: Reflection,
                            answers: Mapping[ReflectionPrompt, str]) -> None:
    """Save several answers at once (the area form without JavaScript).

    Every answer is checked before any is written, so one over-long answer saves none and the
    form shows the member everything they typed.
    """
    _require_owner(organization, actor, reflection)
    errors: dict[str, list] = {}
    cleaned = {}
    for prompt, text in answers.items():
        _require_prompt_of(reflection, prompt)
        try:
            cleaned[prompt] = _clean_text(text)
        except ValidationError as e:
            errors[f"prompt_{prompt.pk}"] = e.message_dict["text"]
    if errors:
        raise ValidationError(errors)
    for prompt, text in cleaned.items():
        _save_answer(organization, reflection, prompt, text)
    reflection.save(update_fields=["updated_at"])


# --- Sharing ------------------------------------------------------------------------------------


@transaction.atomic
def reflection_share_area(*, organization: Organization, actor: Membership,
                          reflection: Reflection, area: ReflectionArea) -> ReflectionShare:
    """Share one area of a reflection with the member's manager. Sharing twice is one share."""
    _require_owner(organization, actor, reflection)
    _require_area_of(reflection, area)
    share, _created = ReflectionShare.objects.for_org(organization).get_or_create(
        organization=organization, reflection=reflection, area=area)
    return share


@transaction.atomic
def reflection_unshare_area(*, organization: Organization, actor: Membership,
                            reflection: Reflection, area: ReflectionArea) -> bool:
    """Withdraw a share: from now on the manager no longer sees the area. True if it was
    shared."""
    _require_owner(organization, actor, reflection)
    _require_area_of(reflection, area)
    deleted, _rows = ReflectionShare.objects.for_org(organization).filter(
        reflection=reflection, area=area).delete()
    return bool(deleted)
