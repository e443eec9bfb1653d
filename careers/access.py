"""Turning an id from a request into a careers object the caller may see.

A member's reflections are theirs alone: every lookup here is filtered on the caller's
organisation *and* on the caller being the owner, so another organisation's id, a colleague's id,
an absent id and a malformed id are all the same ``Http404``. Nothing here confirms that someone
else's reflection exists. A manager reads what a report shares through ``access_report_sharing``.
"""

from __future__ import annotations

from django.http import Http404

from organizations.models import Membership

from .models import Reflection, ReflectionArea, ReflectionPrompt


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_reflection_by_id(*, membership: Membership, reflection_id) -> Reflection:
    """One of the caller's own reflections.

    Security invariant: filtered on the organisation and on ``member`` being the caller; anyone
    else's reflection is ``Http404``, whatever the caller's role (HR sees completion only and
    managers see shared areas only, through other reads).
    """
    reflection = (Reflection.objects.for_org(membership.organization_id)
                  .select_related("template")
                  .filter(pk=_as_id(reflection_id), member=membership).first())
    if reflection is None:
        raise Http404
    return reflection


def access_area_of(*, reflection: Reflection, area_id) -> ReflectionArea:
    """An area of the reflection's own template version, else ``Http404``."""
    area = (ReflectionArea.objects.for_org(reflection.organization_id)
            .filter(pk=_as_id(area_id), template_id=reflection.template_id).first())
    if area is None:
        raise Http404
    return area


def access_prompt_of(*, reflection: Reflection, prompt_id) -> ReflectionPrompt:
    """A prompt of the reflection's own template version, else ``Http404``."""
    prompt = (ReflectionPrompt.objects.for_org(reflection.organization_id)
              .select_related("area")
              .filter(pk=_as_id(prompt_id), area__template_id=reflection.template_id).first())
    if prompt is None:
        raise Http404
    return prompt


def access_report_sharing(*, membership: Membership, member_id) -> Membership:
    """A direct report of the caller, whose shared career work the caller may read.

    Security invariant: the member is looked up in the caller's organisation and must be an
    active member whose line manager is the caller. Members share with their own manager only,
    so a skip-level manager, HR, a leader and a colleague all get ``Http404``.
    """
    member = (Membership.objects.for_org(membership.organization_id)
              .select_related("user", "team")
              .filter(pk=_as_id(member_id), manager=membership, is_active=True).first())
    if member is None:
        raise Http404
    return member
