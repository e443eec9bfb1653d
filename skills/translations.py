"""Content an organisation writes in several languages: the text as written, plus translations.

A translatable object keeps its text as written (in the organisation's default language) in its
ordinary fields and other languages in ``translations``::

    {"fr": {"name": "…", "description": "…"}, "es": {"name": "…"}}

Readers see the text in the active language when it is given, else the text as written, so a
partial translation never leaves a blank. Editors (HR's forms, the interchange files) work on the
text as written and on ``translations`` directly.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def language_codes() -> tuple[str, ...]:
    """The languages a translation may be given in: those of the interface."""
    return tuple(code for code, _name in settings.LANGUAGES)


def language_name(code: str) -> str:
    """The language's own name ("Français", "Español"), as a translation form labels it."""
    info = translation.get_language_info(code)
    return info["name_local"].capitalize()


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def shown_value(value: str, translations: dict | None, field: str,
                language: str | None = None) -> str:
    """``value`` (the text as written of ``field``) in ``language`` (default: the active one)
    when ``translations`` give it. For rows read with ``values_list``."""
    texts = (translations or {}).get(language or _language()) or {}
    text = texts.get(field) if isinstance(texts, dict) else None
    return text if isinstance(text, str) and text.strip() else value


def shown(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.field`` in ``language`` (default: the active one) when translated, else as written."""
    return shown_value(getattr(obj, field), getattr(obj, "translations", None), field, language)


def cleaned_translations(value: Any, fields: dict[str, int | None]) -> dict[str, dict[str, str]]:
    """``value`` without empty texts; ``fields`` maps each translatable field to its max length.

    Raises ``ValueError`` naming the first unusable part; callers that report by place (the
    import) check piece by piece themselves.
    """
    if not isinstance(value, dict):
        raise ValueError("translations must be an object")
    known = language_codes()
    out: dict[str, dict[str, str]] = {}
    for code, texts in value.items():
        if code not in known or not isinstance(texts, dict):
            raise ValueError(f"unknown language {code!r}")
        kept = {}
        for field, text in texts.items():
            if field not in fields or not isinstance(text, str):
                raise ValueError(f"unknown field {field!r}")
            limit = fields[field]
            if limit is not None and len(text) > limit:
                raise ValueError(f"{field!r} is too long")
            if text.strip():
                kept[field] = text
        if kept:
            out[code] = kept
    return out


def translations_field() -> models.JSONField:
    return models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_("The texts in other languages, by language code."),
    )


class Translatable(models.Model):
    """Gives a model ``translations`` and the ``shown_*`` texts for readers.

    ``TRANSLATED_FIELDS`` names the fields that may be translated.
    """

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    translations = translations_field()

    class Meta:
        abstract = True

    def shown(self, field: str) -> str:
        return shown(self, field)

    @classmethod
    def translated_field_limits(cls) -> dict[str, int | None]:
        return {name: cls._meta.get_field(name).max_length for name in cls.TRANSLATED_FIELDS}

    @property
    def shown_name(self) -> str:
        return shown(self, "name")

    @property
    def shown_title(self) -> str:
        return shown(self, "title")

    @property
    def shown_description(self) -> str:
        return shown(self, "description")

    @property
    def shown_family(self) -> str:
        return shown(self, "family")

    @property
    def shown_notes(self) -> str:
        return shown(self, "notes")

    @property
    def shown_emerging_note(self) -> str:
        return shown(self, "emerging_note")
