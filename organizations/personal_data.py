"""What Trellis holds about one member, gathered from every app for their career record.

Each app registers a ``PersonalDataSection`` (in its ``AppConfig.ready``): ``collect`` returns
JSON-serialisable data about one member, ``template`` renders that data on the printable record.
This app cannot import the apps that build on it, so the record is assembled from the registry.

``fields`` names every ``app_label.Model.field`` whose value the section exports. With the
erasers' ``fields`` (``organizations.erasure``) it is what an architecture test holds every model
field to: each one that can describe a person is exported, erased, or declared with a reason, and
changing a field declared exported must change the member's export.

Security invariant: ``collect`` is only ever called for the member who asks for their own record
(``member`` is ``request.membership``), inside that member's organisation scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class PersonalDataSection:
    key: str
    title: str
    collect: Callable[..., dict | list]
    template: str
    order: int = 100
    #: Static paths of the stylesheets the section's template needs.
    stylesheets: tuple[str, ...] = ()
    #: ``"app_label.Model.field"`` of every field whose value ``collect`` exports (a foreign key
    #: counts when what it points at is exported: a partner's name, a skill's name).
    fields: tuple[str, ...] = ()


SECTIONS: list[PersonalDataSection] = []


def register_personal_data(section: PersonalDataSection) -> None:
    if any(s.key == section.key for s in SECTIONS):
        return
    SECTIONS.append(section)
    SECTIONS.sort(key=lambda s: (s.order, s.key))


def personal_data_export(*, organization, member) -> dict:
    """Every registered section's data about ``member``, keyed by section."""
    return {
        "format": "trellis.career-record/1",
        "exported_at": timezone.now().isoformat(),
        "organization": {"name": organization.name, "address": organization.slug},
        "sections": {s.key: s.collect(organization=organization, member=member)
                     for s in SECTIONS},
    }


def personal_data_sections() -> list[PersonalDataSection]:
    return list(SECTIONS)


def iso(value) -> str | None:
    """A date or datetime as ISO 8601, or None."""
    return value.isoformat() if value is not None else None
