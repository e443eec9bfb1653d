"""Emerging-skill notices: telling members that a skill their role needs is emerging.

Who is told: active members whose current role profile requires the skill, and members whose
target roles require it. Target roles belong to apps that build on this one (career goals), so
they register a source with ``register_target_role_source`` instead of being imported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from organizations import tenancy
from organizations.models import Membership, Organization
from skills.models import EmergingSkillNotice, MemberRole, Skill

# Callables ``(organization=..., skill=...) -> iterable of membership ids`` of members whose
# target roles require the skill.
TARGET_ROLE_SOURCES: list[Callable[..., Iterable[int]]] = []


def register_target_role_source(source: Callable[..., Iterable[int]]) -> None:
    if source not in TARGET_ROLE_SOURCES:
        TARGET_ROLE_SOURCES.append(source)


def emerging_skill_audience(*, organization: Organization, skill: Skill) -> set[int]:
    """Ids of the active members who should hear that ``skill`` is emerging."""
    member_ids = set(
        MemberRole.objects.for_org(organization)
        .filter(role__requirements__skill=skill, member__is_active=True)
        .values_list("member_id", flat=True)
    )
    extra: set[int] = set()
    for source in TARGET_ROLE_SOURCES:
        extra.update(source(organization=organization, skill=skill))
    extra -= member_ids
    if extra:
        member_ids |= set(
            Membership.objects.for_org(organization).filter(pk__in=extra, is_active=True)
            .values_list("pk", flat=True)
        )
    return member_ids


@transaction.atomic
def emerging_skill_notices_create(*, organization: Organization, skill: Skill) -> set[int]:
    """A notice for every member of the audience who has none for ``skill`` yet.

    Idempotent: the unique constraint on (skill, member) makes a repeated or concurrent run
    create nothing twice. Returns the ids of the members newly noticed. A skill no longer
    emerging, or retired, notifies nobody.
    """
    if not skill.is_emerging or skill.is_retired:
        return set()
    audience = emerging_skill_audience(organization=organization, skill=skill)
    already = set(
        EmergingSkillNotice.objects.for_org(organization).filter(skill=skill)
        .values_list("member_id", flat=True)
    )
    new = audience - already
    with tenancy.organization_scope(organization):
        EmergingSkillNotice.objects.bulk_create(
            [EmergingSkillNotice(organization=organization, skill=skill, member_id=member_id)
             for member_id in sorted(new)],
            ignore_conflicts=True, batch_size=1000,
        )
    return new


def emerging_skills_current() -> list[tuple[int, int]]:
    """(organisation id, skill id) of every skill emerging now, in every active organisation:
    what the scan hands to ``tasks.notify_emerging_skill``, so that a notice whose task was
    lost (or a member who took such a role since) is noticed late, never not at all."""
    with tenancy.as_worker_across_organizations(reason="emerging skills: notices still due"):
        return list(Skill.objects.filter(is_emerging=True, is_retired=False,
                                         organization__is_active=True)
                    .order_by("organization_id", "pk").values_list("organization_id", "pk"))


def notice_list(*, organization: Organization, member: Membership):
    """A member's own notices, newest first, with the skill and its learning resources."""
    return (
        EmergingSkillNotice.objects.for_org(organization).filter(member=member)
        .select_related("skill", "skill__category")
        .prefetch_related("skill__resources")
        .order_by("read_at", "-created_at")
    )


def unread_notice_count(*, organization: Organization, member: Membership) -> int:
    return (EmergingSkillNotice.objects.for_org(organization)
            .filter(member=member, read_at__isnull=True).count())


@transaction.atomic
def notice_mark_read(*, organization: Organization, member: Membership,
                     notice: EmergingSkillNotice) -> EmergingSkillNotice:
    if notice.member_id != member.pk or notice.organization_id != organization.pk:
        raise ValueError("a member can only mark their own notices as read")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_mark_all_read(*, organization: Organization, member: Membership) -> int:
    return (EmergingSkillNotice.objects.for_org(organization)
            .filter(member=member, read_at__isnull=True).update(read_at=timezone.now()))
