"""Erasing a leaver: every app's part, gathered from a registry, and this app's own part.

An HR admin erases a former member's personal data while the anonymous aggregates stay (ratings,
levels, conversation dates, moves). Each app registers an ``EraserSection`` from its
``AppConfig.ready``; ``erase(*, organization, member, actor, identity)`` blanks or deletes what
that app holds of the member and returns ``{count key: rows}``. ``fields`` names every
``app_label.Model.field`` the section takes care of, so that an architecture test can tell a new
personal field that nobody erases. This app cannot import the apps that build on it, hence the
registry.

What every section does, by the same rule:

* the member's own texts, and texts about them, are blanked or deleted;
* remarks they wrote about colleagues (feedback, notes, comments) are blanked;
* any other text of the organisation that names them (their email address, their full name, or
  a first or last name no other member shares) has the mention replaced by the anonymous name
  ("Former member 12"): ``ErasedIdentity.scrub`` and ``scrub_mentions``.

Security invariant: sections are only ever called by ``hr_admin.services.erasure`` for an
inactive member of ``organization``, inside one transaction with that organisation in scope, and
touch rows of that organisation only (``for_org``). The account section is the one place that
looks beyond it (``tenancy.cross_organization``), to learn whether another organisation still
holds a membership of the person's account before deleting it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from importlib import import_module
from operator import or_

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import tenancy
from .models import AuditEvent, Invitation, Membership, User

#: The one audit event an erasure records (counts only, no name).
ERASED_ACTION = "member.erased"
ERASED_EMAIL_PREFIX = "erased-"
# RFC 2606 reserves .invalid; Django's email validator refuses a domain without a dot, so no
# one can sign up with such an address.
ERASED_EMAIL_DOMAIN = "invalid"


@dataclass(frozen=True)
class EraserSection:
    key: str
    erase: Callable[..., dict[str, int]]
    order: int = 100
    #: What the section covers, for the confirmation page ("Career conversations").
    title: str = ""
    #: ``{count key: label}`` for the page, e.g. ``{"answers": _("reflection answers blanked")}``.
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    #: What stays of the member in this app, in a sentence.
    kept: str = ""
    #: ``"app_label.Model.field"`` of every text, char or JSON field this section erases or
    #: scrubs of mentions.
    fields: tuple[str, ...] = ()


SECTIONS: list[EraserSection] = []


def register_erasure(section: EraserSection) -> None:
    if any(s.key == section.key for s in SECTIONS):
        return
    SECTIONS.append(section)
    SECTIONS.sort(key=lambda s: (s.order, s.key))


def erasure_sections() -> list[EraserSection]:
    return list(SECTIONS)


def is_erased_user(user) -> bool:
    email = getattr(user, "email", "") or ""
    return email.startswith(ERASED_EMAIL_PREFIX) and email.endswith("@" + ERASED_EMAIL_DOMAIN)


# --- Who is being erased, and how their mentions are found ---------------------------------------


class ErasedIdentity:
    """The names and address of the person being erased, and the name that replaces them.

    ``scrub`` replaces the email address (any case), the full name (any case) and a first or
    last name on its own, when no other member of the organisation shares it: a bare "Sam"
    cannot be told from another Sam, so it is left alone. Bare names match case-sensitively, as
    written or in capitals, so that a name which is also a word ("Will") is not scrubbed from
    every sentence.
    """

    def __init__(self, *, email: str, first_name: str, last_name: str, replacement: str,
                 bare_names: Iterable[str] = ()) -> None:
        self.email = (email or "").strip()
        self.first_name = (first_name or "").strip()
        self.last_name = (last_name or "").strip()
        self.replacement = replacement
        self.bare_names = tuple(n for n in bare_names if len(n) >= 2)
        patterns = []
        if self.email:
            patterns.append(re.compile(re.escape(self.email), re.IGNORECASE))
        words = (self.first_name + " " + self.last_name).split()
        if len(words) >= 2:
            full = r"\s+".join(re.escape(w) for w in words)
            patterns.append(re.compile(rf"(?<!\w){full}(?!\w)", re.IGNORECASE))
        for name in self.bare_names:
            forms = sorted({re.escape(name), re.escape(name.upper())}, key=len, reverse=True)
            patterns.append(re.compile(rf"(?<!\w)(?:{'|'.join(forms)})(?!\w)"))
        self.patterns = patterns

    @property
    def full_name(self) -> str:
        return " ".join((self.first_name + " " + self.last_name).split())

    def terms(self) -> list[str]:
        """What a row must contain (any case) to be worth a look: a cheap SQL pre-filter."""
        full = [self.full_name] if self.first_name and self.last_name else []
        return [t for t in dict.fromkeys([self.email, *full, *self.bare_names]) if t]

    def scrub(self, text: str) -> str:
        if not text:
            return text
        for pattern in self.patterns:
            text = pattern.sub(self.replacement, text)
        return text

    def scrub_value(self, value):
        """``scrub`` through a JSON value: strings, and the strings inside lists and objects."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub_value(v) for k, v in value.items()}
        return value

    def mentions_q(self, *fields: str) -> Q:
        """Rows where any of ``fields`` contains one of the terms (case-insensitive)."""
        terms = self.terms()
        if not terms:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{f}__icontains": t}) for f in fields for t in terms))


def anonymous_name(*, organization, member) -> str:
    """"Former member 12", in the organisation's language: what is left of the person."""
    with translation.override(organization.default_language or settings.LANGUAGE_CODE):
        return gettext("Former member %(number)s") % {"number": member.pk}


def erasure_identity(*, organization, member) -> ErasedIdentity:
    user = member.user
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    others = Membership.objects.for_org(organization).exclude(pk=member.pk)
    bare = []
    for name in dict.fromkeys(n for n in (first, last) if n):
        shared = others.filter(Q(user__first_name__iexact=name) | Q(user__last_name__iexact=name))
        if not shared.exists():
            bare.append(name)
    return ErasedIdentity(email=user.email, first_name=first, last_name=last,
                          replacement=anonymous_name(organization=organization, member=member),
                          bare_names=bare)


def scrub_mentions(queryset: QuerySet, fields: Iterable[str], identity: ErasedIdentity) -> int:
    """Replace mentions of the erased person in ``fields`` of the rows of ``queryset`` (already
    filtered on the organisation). Returns how many rows changed."""
    fields = list(fields)
    rows = queryset.filter(identity.mentions_q(*fields))
    changed = []
    for row in rows.only("pk", *fields).iterator(chunk_size=500):
        dirty = False
        for name in fields:
            before = getattr(row, name)
            after = identity.scrub_value(before)
            if after != before:
                setattr(row, name, after)
                dirty = True
        if dirty:
            changed.append(row)
    if changed:
        queryset.model._base_manager.bulk_update(changed, fields, batch_size=500)
    return len(changed)


def blank(queryset: QuerySet, **values) -> int:
    """Set text fields to empty on the rows that still hold something; returns how many."""
    holding = reduce(or_, (~Q(**{name: value}) for name, value in values.items()))
    return queryset.filter(holding).update(**values)


# --- This app's part: the membership, invitations, the audit trail --------------------------------


def erase_organization_data(*, organization, member, actor, identity: ErasedIdentity) -> dict:
    user = member.user
    counts = {"job_title": 0, "invitations": 0, "audit_details": 0}
    if member.job_title:
        counts["job_title"] = Membership.objects.for_org(organization).filter(
            pk=member.pk).update(job_title="")
    invitations = Invitation.objects.for_org(organization).filter(
        Q(email__iexact=user.email) | Q(accepted_by=user))
    counts["invitations"] = invitations.delete()[1].get(Invitation._meta.label, 0)
    # Who did what and when stays; the names and addresses in the details go.
    counts["audit_details"] = scrub_mentions(
        AuditEvent.objects.for_org(organization), ["detail"], identity)
    return counts


# --- The account: detached from the membership, deleted unless another organisation holds it ----


def _session_keys_of(user_id: int) -> list[str]:
    """Keys of the live sessions signed in as ``user_id`` (database-backed sessions).

    Sessions are not indexed by user, so this reads every live one. A session of a deleted
    account is inert anyway (its user id no longer exists and ids are not reused); ending them
    makes that explicit.
    """
    if not settings.SESSION_ENGINE.startswith("django.contrib.sessions.backends.") or \
            settings.SESSION_ENGINE.rsplit(".", 1)[-1] not in ("db", "cached_db"):
        return []
    from django.contrib.sessions.models import Session

    wanted = str(user_id)
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(
            chunk_size=1000):
        if str(session.get_decoded().get("_auth_user_id", "")) == wanted:
            keys.append(session.session_key)
    return keys


def _scrub_admin_history(*, user: User, member: Membership, identity: ErasedIdentity) -> int:
    """Operators' Django admin history names the account and membership it changed; those
    entries keep what was done, under the anonymous name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(User, Membership)
    about = Q(content_type=types[User], object_id=str(user.pk)) | \
        Q(content_type=types[Membership], object_id=str(member.pk))
    changed = []
    for entry in LogEntry.objects.filter(about):
        entry.object_repr = identity.replacement
        entry.change_message = identity.scrub(entry.change_message)
        changed.append(entry)
    if changed:
        LogEntry.objects.bulk_update(changed, ["object_repr", "change_message"])
    return len(changed)


def erase_account(*, organization, member, actor, identity: ErasedIdentity) -> dict:
    """Re-point the membership to a fresh anonymous account; delete the real one when no other
    organisation holds a membership of it (its email addresses, API tokens, two-factor devices
    and sessions go with it). A person who still belongs elsewhere keeps their account as it is.

    Security invariant: the only cross-organisation work is the existence check of other
    memberships of this one account and the deletion of that account with what hangs on it;
    nothing of another organisation is read or returned.
    """
    real = member.user
    first, _space, number = identity.replacement.rpartition(" ")
    anonymous = User(email=f"{ERASED_EMAIL_PREFIX}{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}",
                     first_name=first or identity.replacement, last_name=number if first else "",
                     is_active=False)
    anonymous.set_unusable_password()
    anonymous.save()
    member.user = anonymous
    member.save(update_fields=["user"])
    counts = {"account_deleted": 0, "sessions": 0, "api_tokens": 0, "admin_history": 0}
    counts["admin_history"] = _scrub_admin_history(user=real, member=member, identity=identity)
    with tenancy.cross_organization(reason="erasure: does another organisation hold the account"):
        if Membership.objects_unscoped.filter(user=real).exists():
            return counts
        session_keys = _session_keys_of(real.pk)
        counts["api_tokens"] = real.api_tokens.count()
        real.delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store(session_key=key).delete()
    counts["sessions"] = len(session_keys)
    counts["account_deleted"] = 1
    return counts


register_erasure(EraserSection(
    key="organization", erase=erase_organization_data, order=10,
    title=_("Membership and audit trail"),
    labels={
        "job_title": _("job title removed"),
        "invitations": _("invitations to their address deleted"),
        "audit_details": _("audit events with their name or address scrubbed"),
    },
    kept=_("The membership itself (team, manager line, start date, roles), and every audit "
           "event: who did what and when, with their name and address replaced."),
    fields=(
        "organizations.Membership.job_title",
        "organizations.Invitation.email",
        "organizations.Invitation.first_name",
        "organizations.Invitation.last_name",
        "organizations.Invitation.job_title",
        "organizations.AuditEvent.detail",
    ),
))

register_erasure(EraserSection(
    key="account", erase=erase_account, order=1000,
    title=_("Sign-in account"),
    labels={
        "account_deleted": _("sign-in account deleted"),
        "sessions": _("signed-in sessions ended"),
        "api_tokens": _("API tokens deleted"),
        "admin_history": _("operator history entries scrubbed"),
    },
    kept=_("The membership moves to an anonymous account that cannot sign in. Someone who "
           "still belongs to another organisation keeps their account there, untouched."),
    fields=(
        "organizations.User.email",
        "organizations.User.first_name",
        "organizations.User.last_name",
        "organizations.User.password",
        "organizations.User.language",
        "organizations.User.time_zone",
        "organizations.ApiToken.name",
        "organizations.ApiToken.prefix",
        "organizations.ApiToken.token_hash",
    ),
))
