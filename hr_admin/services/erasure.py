"""Erasing a leaver's personal data, keeping the anonymous aggregates.

Only a former member (an inactive membership) can be erased, by an HR admin of their
organisation, who confirms by typing the person's name or email address. In one transaction every
section registered in ``organizations.erasure`` runs, in order: the apps blank or delete the
person's texts and scrub mentions of them, and the last section moves the membership to an
anonymous account ("Former member 12") and deletes the real account unless another organisation
still holds a membership of it. One audit event, ``member.erased``, records that it happened,
by whom, and the counts: no name.

``erasure_preview`` runs the same work in a savepoint and rolls it back, so the confirmation page
shows exactly what the erasure would change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations import tenancy
from organizations.erasure import (
    ERASED_ACTION,
    EraserSection,
    erasure_identity,
    erasure_sections,
    is_erased_user,
)
from organizations.models import AuditEvent, Membership, Organization
from organizations.services import audit


@dataclass
class SectionCounts:
    section: EraserSection
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[dict]:
        """``[{"key", "label", "count"}]`` of what changed (non-zero counts), for pages."""
        order = list(self.section.labels)
        keys = sorted(self.counts, key=lambda k: (order.index(k) if k in order else len(order), k))
        return [{"key": key, "label": self.section.labels.get(key, key), "count": self.counts[key]}
                for key in keys if self.counts[key]]


@dataclass
class ErasureResult:
    member: Membership
    sections: list[SectionCounts] = field(default_factory=list)
    already_erased: bool = False

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    def as_counts(self) -> dict[str, dict[str, int]]:
        return {s.section.key: dict(s.counts) for s in self.sections}


class _Rollback(Exception):
    def __init__(self, result: ErasureResult) -> None:
        self.result = result


def is_erased(member: Membership) -> bool:
    return is_erased_user(member.user)


def confirmation_matches(member: Membership, typed: str) -> bool:
    """The person's full name or email address, in any case and spacing."""
    def norm(value: str) -> str:
        return " ".join((value or "").split()).casefold()

    typed = norm(typed)
    if not typed:
        return False
    user = member.user
    return typed in {norm(user.email), norm(user.get_full_name())} - {""}


def _check(*, organization: Organization, actor: Membership, member: Membership) -> None:
    if not actor.is_hr_admin or actor.organization_id != organization.pk:
        raise PermissionDenied(_("Only HR admins can erase a former member's data."))
    if member.organization_id != organization.pk:
        raise PermissionDenied(_("This person is not a member of this organisation."))
    if member.is_active:
        raise ValidationError({"member": _(
            "%(name)s is still an active member. Deactivate their membership when they leave; "
            "only a former member's data can be erased.") % {"name": member.display_name}})


def _run(*, organization: Organization, actor: Membership, member: Membership) -> ErasureResult:
    identity = erasure_identity(organization=organization, member=member)
    result = ErasureResult(member=member)
    with tenancy.organization_scope(organization):
        for section in erasure_sections():
            counts = section.erase(organization=organization, member=member, actor=actor,
                                   identity=identity)
            result.sections.append(SectionCounts(section=section, counts=dict(counts)))
    return result


def _locked(organization: Organization, member: Membership) -> Membership:
    """The membership again, locked until commit: two HR admins confirming at once erase once."""
    return (Membership.objects.for_org(organization).select_for_update(of=("self",))
            .select_related("user").get(pk=member.pk))


def previous_result(*, organization: Organization, member: Membership) -> AuditEvent | None:
    """The ``member.erased`` event of an erased member (its ``detail`` holds the counts)."""
    return (AuditEvent.objects.for_org(organization)
            .filter(action=ERASED_ACTION, subject=member)
            .select_related("actor__user").order_by("-created_at").first())


def result_sections(counts: dict[str, dict[str, int]]) -> list[SectionCounts]:
    """Stored counts (``member.erased``'s detail) back as sections, in the registry's order."""
    return [SectionCounts(section=section, counts=dict(counts.get(section.key) or {}))
            for section in erasure_sections()]


def erasure_preview(*, organization: Organization, actor: Membership,
                    member: Membership) -> ErasureResult:
    """What erasing ``member`` would change, section by section; nothing is kept."""
    _check(organization=organization, actor=actor, member=member)
    if is_erased(member):
        return ErasureResult(member=member, already_erased=True)
    try:
        with transaction.atomic():
            result = _run(organization=organization, actor=actor,
                          member=_locked(organization, member))
            raise _Rollback(result)
    except _Rollback as done:
        done.result.member = member
        return done.result


@transaction.atomic
def member_erase(*, organization: Organization, actor: Membership, member: Membership,
                 confirmation: str) -> ErasureResult:
    """Erase a former member's personal data; see the module docstring.

    Erasing an already erased member changes nothing and records nothing.
    """
    _check(organization=organization, actor=actor, member=member)
    member = _locked(organization, member)
    if is_erased(member):
        return ErasureResult(member=member, already_erased=True)
    if not confirmation_matches(member, confirmation):
        raise ValidationError({"confirmation": _(
            "Type the person's full name or email address exactly as shown to confirm.")})
    result = _run(organization=organization, actor=actor, member=member)
    audit(organization=organization, actor=actor, action=ERASED_ACTION, subject=member,
          counts=result.as_counts(), total=result.total)
    return result
