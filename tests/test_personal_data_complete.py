"""A member's export is complete, and every field that can describe a person is accounted for.

The architecture test walks every field (concrete and many-to-many) of every model of the five
apps that relates to a person (a foreign key leads, directly or through other models, to a
membership or an account) and holds each to one of:

* exported: named in a ``PersonalDataSection.fields`` of ``organizations.personal_data`` (the
  app's own registration, next to the code that exports it);
* erased: named in an ``EraserSection.fields`` of ``organizations.erasure``;
* ``ANONYMISED`` below: it describes a person but is not in their export, with why (the privacy
  rules withhold it, or it is the organisation's record of work done); erasure keeps it, and it
  then describes nobody, because the membership it hangs on moves to an anonymous account (or
  erasure deletes the row);
* not personal: ``NOT_PERSONAL`` below (and the text fields of ``test_erasure_complete``), each
  with why; primary keys and the tenant foreign key, by rule.

A model related to a person only through another model may be declared as a whole in
``MODELS_ABOUT_NO_PERSON`` (a survey's anonymous answers), as long as none of its own foreign
keys names a person. The test fails naming every field in none of these, and every stale entry.

The behavioural test builds a member with data in every app (the leaver of
``test_erasure_complete``, and what that world lacks) and proves each declaration against the
export itself, which is stronger than finding the values in it: changing a field declared
exported, on the rows about the member only, must change what its section exports (a boolean or
a foreign key too, whose value alone could be anywhere in the JSON); changing a field declared
``ANONYMISED`` must change nothing of the whole export. Every change is rolled back before the
next.
"""

import json
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from careers import models as ca
from conversations import models as cv
from hr_admin import models as hr
from organizations import tenancy
from organizations.erasure import erasure_sections
from organizations.factories import MembershipFactory, TeamFactory, UserFactory
from organizations.models import Membership, User
from organizations.personal_data import personal_data_export, personal_data_sections
from skills import models as sk
from skills.factories import RoleProfileFactory, SkillFactory
from tests.test_erasure_complete import NOT_PERSONAL as TEXT_NOT_PERSONAL
from tests.test_erasure_complete import build_world

APPS = ["organizations", "skills", "careers", "conversations", "hr_admin"]

#: Models that relate to a person only through another model, and why their own fields hold
#: nothing about one.
MODELS_ABOUT_NO_PERSON = {
    "careers.ReflectionArea": "organisational content: an area of the reflection template",
    "careers.ReflectionPrompt": "organisational content: a question of the template",
    "hr_admin.OpportunitySkill": "organisational content: a skill an opening asks for",
    "hr_admin.SurveyQuestion": "a question as a survey asked it",
    "hr_admin.SurveyResponse": "an anonymous response: nothing links it to its respondent",
    "hr_admin.SurveyAnswer": "an anonymous answer: nothing links it to its respondent",
    "hr_admin.SurveyComment": "an anonymous comment: nothing links it to its writer",
    "hr_admin.SurveyScore": "a figure computed over at least N respondents",
    "hr_admin.PublicHealthCheck": "an anonymous visitor's quick check, with no account",
}

#: Fields that describe a person but are not in their export, and why. Erasure keeps them: once
#: the membership is on an anonymous account they describe nobody (or the row goes).
ANONYMISED = {
    # Succession, recommendations and champion nominations about the member: not theirs to
    # read (DESIGN.md, privacy). The ones they wrote are exported.
    "hr_admin.KeyPosition.incumbent": "succession planning is for HR and leaders (privacy rules)",
    "hr_admin.Move.recommendation": "recommendations about the member are withheld from them",
    "hr_admin.Move.regretted": "HR's judgement of an exit, for the regretted-attrition figure",
    "hr_admin.ChampionNomination.decided_by": "which HR admin decided: HR's work, audited",
    # Who did the organisation's work: HR's and leaders' records, not the member's.
    "careers.ReflectionTemplate.created_by": "who edited the reflection template",
    "hr_admin.PeopleImport.uploaded_by": "who uploaded a people import",
    "hr_admin.Opportunity.posted_by": "who posted an opening",
    "hr_admin.Opportunity.filled_by": "whom an opening went to: their export holds the move "
                                      "it made and their interest",
    "hr_admin.KeyPosition.created_by": "who created a key position",
    "hr_admin.Survey.created_by": "who created a survey",
    "hr_admin.HealthAction.owner": "who owns an action of the organisation's health check",
    "hr_admin.HealthAction.created_by": "who added an action of the health check",
    "hr_admin.MetricGoal.created_by": "who set a leadership goal",
    # Delivery bookkeeping: what was sent to the member, and when, is exported.
    "conversations.ReminderDelivery.claimed_at": "when a worker claimed a send, so that it "
                                                  "goes once",
    "conversations.DigestDelivery.claimed_at": "when a worker claimed a send, so that it "
                                               "goes once",
    # A change of a conversation still to be told (the notifications it made are exported);
    # told ones are deleted after 30 days.
    "conversations.ConversationEvent.conversation": "which conversation a change to tell "
                                                    "is of: delivery bookkeeping",
    "conversations.ConversationEvent.actor": "who made a change, so that they are not told "
                                             "of their own",
    "conversations.ConversationEvent.event": "the kind of change to tell (coded)",
    "conversations.ConversationEvent.created_at": "when a change to tell was made",
    "conversations.ConversationEvent.notified_at": "when a change was told: delivery "
                                                   "bookkeeping",
    # The signed-in sessions of an account: deleted with the account by erasure.
    "organizations.UserSession.user": "which account a session signs in: a secret's index",
    "organizations.UserSession.created_at": "when a session began; the account's last "
                                            "sign-in is exported",
    # Django's own authorisation, for operators of the installation (members have none).
    "organizations.User.groups": "operator groups of the admin site, deleted with the account",
    "organizations.User.user_permissions": "operator permissions of the admin site, deleted "
                                           "with the account",
}

#: Non-text fields (and coded text fields) of those models that hold nothing about a person.
NOT_PERSONAL = {
    **TEXT_NOT_PERSONAL,
    # The order a list is shown in.
    "conversations.AgendaTopic.position": "the order of an agenda (exported in that order)",
    # Organisational content referred to by the member's rows (its name is exported as context).
    "careers.ReflectionTemplate.version": "organisational content: a template's version",
    "careers.ReflectionTemplate.is_current": "organisational content: the template in use",
    "careers.ReflectionTemplate.created_at": "organisational content: when a version began",
    "hr_admin.Opportunity.kind": "organisational content: an opening",
    "hr_admin.Opportunity.role": "organisational content: an opening",
    "hr_admin.Opportunity.team": "organisational content: an opening",
    "hr_admin.Opportunity.time_share": "organisational content: an opening",
    "hr_admin.Opportunity.duration_weeks": "organisational content: an opening",
    "hr_admin.Opportunity.starts_on": "organisational content: an opening",
    "hr_admin.Opportunity.closes_on": "organisational content: an opening",
    "hr_admin.Opportunity.status": "organisational content: an opening",
    "hr_admin.Opportunity.filled_internally": "organisational content: an opening",
    "hr_admin.Opportunity.filled_at": "organisational content: an opening",
    "hr_admin.Opportunity.created_at": "organisational content: an opening",
    "hr_admin.Opportunity.updated_at": "organisational content: an opening",
    "hr_admin.KeyPosition.role": "organisational content: a key position",
    "hr_admin.KeyPosition.team": "organisational content: a key position",
    "hr_admin.KeyPosition.criticality": "organisational content: a key position",
    "hr_admin.KeyPosition.created_at": "organisational content: a key position",
    "hr_admin.KeyPosition.is_active": "organisational content: a key position",
    "hr_admin.PeopleImport.is_full": "an option of an import run",
    "hr_admin.PeopleImport.deactivate_missing": "an option of an import run",
    "hr_admin.PeopleImport.send_invitations": "an option of an import run",
    "hr_admin.PeopleImport.status": "the state of an import run",
    "hr_admin.PeopleImport.total_rows": "a count of an import run",
    "hr_admin.PeopleImport.processed_rows": "a count of an import run",
    "hr_admin.PeopleImport.created_at": "when an import run began",
    "hr_admin.PeopleImport.started_at": "when an import run began applying",
    "hr_admin.PeopleImport.finished_at": "when an import run ended",
    "hr_admin.Survey.mode": "a survey of the organisation",
    "hr_admin.Survey.status": "a survey of the organisation",
    "hr_admin.Survey.opens_at": "a survey of the organisation",
    "hr_admin.Survey.closes_at": "a survey of the organisation",
    "hr_admin.Survey.min_group_size": "a survey's anonymity threshold",
    "hr_admin.Survey.comment_min_group_size": "a survey's anonymity threshold",
    "hr_admin.Survey.invited_count": "a count over a survey",
    "hr_admin.Survey.response_count": "a count over a survey",
    "hr_admin.Survey.previous": "the survey a survey follows",
    "hr_admin.Survey.teams": "the teams a survey asks",
    "hr_admin.Survey.launched_at": "a survey of the organisation",
    "hr_admin.Survey.closed_at": "a survey of the organisation",
    "hr_admin.Survey.scored_at": "a survey of the organisation",
    "hr_admin.Survey.created_at": "a survey of the organisation",
    "hr_admin.HealthAction.survey": "the organisation's action plan after a survey",
    "hr_admin.HealthAction.due_on": "the organisation's action plan after a survey",
    "hr_admin.HealthAction.is_done": "the organisation's action plan after a survey",
    "hr_admin.HealthAction.created_at": "the organisation's action plan after a survey",
    "hr_admin.MetricGoal.team": "a leadership goal of the organisation",
    "hr_admin.MetricGoal.comparison": "a leadership goal of the organisation",
    "hr_admin.MetricGoal.target": "a leadership goal of the organisation",
    "hr_admin.MetricGoal.starts_on": "a leadership goal of the organisation",
    "hr_admin.MetricGoal.ends_on": "a leadership goal of the organisation",
    "hr_admin.MetricGoal.created_at": "a leadership goal of the organisation",
    "hr_admin.MetricGoal.updated_at": "a leadership goal of the organisation",
}


# --- Which models and fields -------------------------------------------------------------------


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _app_models() -> list[type[models.Model]]:
    return [m for label in APPS for m in apps.get_app_config(label).get_models()]


def _is_person(model) -> bool:
    return model in (Membership, User)


def _links(model):
    """The forward relations of ``model`` (the tenant foreign key aside)."""
    return [f for f in model._meta.concrete_fields
            if f.is_relation and f.name != "organization"]


def models_about_a_person() -> list[type[models.Model]]:
    """The people themselves, and every model a foreign key chain leads from to one of them."""
    found = {Membership, User}
    grew = True
    while grew:
        grew = False
        for model in _app_models():
            if model not in found and any(f.related_model in found for f in _links(model)):
                found.add(model)
                grew = True
    return [m for m in _app_models() if m in found]


def fields_to_account_for() -> dict[str, models.Field]:
    fields = {}
    for model in models_about_a_person():
        if _label(model) in MODELS_ABOUT_NO_PERSON:
            continue
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if field.primary_key or field.name == "organization":
                continue  # a row's key, and the organisation it belongs to
            fields[f"{_label(model)}.{field.name}"] = field
    return fields


def exported_fields() -> set[str]:
    return {name for section in personal_data_sections() for name in section.fields}


def erased_fields() -> set[str]:
    return {name for section in erasure_sections() for name in section.fields}


def test_every_field_that_can_describe_a_person_is_exported_erased_or_declared():
    fields = fields_to_account_for()
    exported, erased = exported_fields(), erased_fields()
    declared = exported | erased | set(ANONYMISED) | set(NOT_PERSONAL)
    undeclared = sorted(set(fields) - declared)
    assert undeclared == [], (
        "These fields may describe a person: export them (the app's PersonalDataSection and its "
        "fields), erase them (its EraserSection), or declare them in ANONYMISED or NOT_PERSONAL "
        f"with the reason: {undeclared}")

    every_field = {f"{_label(m)}.{f.name}" for m in _app_models()
                   for f in [*m._meta.concrete_fields, *m._meta.many_to_many]}
    assert sorted(exported - every_field) == [], "sections export fields that do not exist"
    assert sorted((set(ANONYMISED) | set(NOT_PERSONAL)) - every_field) == [], "stale entries"
    assert sorted(set(ANONYMISED) - set(fields)) == [], "ANONYMISED names fields out of scope"
    assert sorted(set(ANONYMISED) & (exported | erased)) == [], \
        "a field declared ANONYMISED is exported or erased: drop the declaration"
    mine = set(NOT_PERSONAL) - set(TEXT_NOT_PERSONAL)
    assert sorted(mine & (exported | erased | set(ANONYMISED))) == [], \
        "a field declared not personal is exported, erased or anonymised"

    models_by_label = {_label(m): m for m in _app_models()}
    about = set(models_about_a_person())
    for label in MODELS_ABOUT_NO_PERSON:
        model = models_by_label[label]
        assert model in about, f"{label} relates to nobody: drop it from MODELS_ABOUT_NO_PERSON"
        named = [f.name for f in _links(model) if _is_person(f.related_model)]
        assert named == [], f"{label} names a person ({named}): account for its fields"
    for section in personal_data_sections():
        assert section.fields, f"the {section.key} section declares no field it exports"


# --- The export, proved field by field -----------------------------------------------------------


def _extend_world(org, leaver, colleague, people):
    """What the leaver's world lacks: spare rows for foreign keys to point at, and a row of
    every kind the export reads that ``build_world`` does not make."""
    def add(model, **fields):
        return model.objects_unscoped.create(organization=org, **fields)

    now = timezone.now()
    framework = sk.Framework.objects_unscoped.filter(organization=org).first()
    for i in range(2):
        TeamFactory(organization=org, name=f"Spare team {i}")
    for i in range(2):
        SkillFactory(framework=framework, name=f"Spare skill {i}")
    role = RoleProfileFactory(framework=framework, title="Spare role", grade="E9")
    add(sk.LearningResource, skill=sk.Skill.objects_unscoped.filter(organization=org).first(),
        title="Spare course")
    add(ca.ReflectionTemplate, version=999, is_current=False)
    add(hr.KeyPosition, role=role, title="Spare position")
    gig = hr.Opportunity.objects_unscoped.filter(organization=org).first()
    add(hr.Opportunity, kind=hr.OpportunityKind.GIG, title="Spare gig", posted_by=people.hr,
        time_share=10, duration_weeks=4)
    add(hr.OpportunityBookmark, opportunity=gig, member=leaver)
    held = cv.Conversation.objects_unscoped.filter(member=leaver,
                                                   status=cv.ConversationStatus.HELD).get()
    share = ca.ReflectionShare.objects_unscoped.filter(reflection__member=leaver).first()
    add(cv.ConversationArea, conversation=held, reflection=share.reflection, area=share.area)
    add(cv.MemberCadence, member=leaver, days=60, set_by=people.manager)
    add(cv.NotificationPreference, member=leaver)
    add(cv.DigestDelivery, manager=leaver, week=date(2025, 3, 3), sent_at=now)
    add(cv.Notification, recipient=leaver, kind=cv.NotificationKind.REMINDER,
        title="Your conversation is soon", body="Prepare for it", url="/o/acme/conversations/",
        conversation=held)
    add(cv.CareerPartner, member=leaver, partner=people.hr, kind=cv.PartnerKind.MENTOR,
        added_by=leaver)
    add(cv.CareerPartner, member=colleague, partner=leaver, kind=cv.PartnerKind.COACH,
        added_by=colleague)
    add(sk.EmergingSkillNotice, skill=sk.Skill.objects_unscoped.filter(organization=org).first(),
        member=leaver)
    survey = add(hr.Survey, title="Autumn health check", status=hr.SurveyStatus.OPEN,
                 created_by=people.hr, opens_at=now)
    add(hr.Survey, title="Spring health check", status=hr.SurveyStatus.CLOSED,
        created_by=people.hr)
    add(hr.SurveyParticipation, survey=survey, member=leaver, invited_at=now)
    # Empty ones, for a row to move to without meeting a uniqueness rule.
    add(ca.Reflection, member=colleague,
        template=ca.ReflectionTemplate.objects_unscoped.get(organization=org, is_current=True))
    add(sk.CheckIn, member=colleague, role=role, role_title=role.title)
    # Decided and asked: what the export shows only then.
    hr.ChampionNomination.objects_unscoped.filter(nominated_by=leaver).update(
        status=hr.NominationStatus.DECLINED, decided_at=now, decided_by=people.hr,
        decision_note="Not this year")
    hr.SuccessStory.objects_unscoped.filter(subject=leaver).update(consent_requested_at=now)


def _person_paths(model, depth=3, prefix="") -> list[tuple[str, type]]:
    """``(lookup, Membership or User)`` for every foreign key chain from ``model`` to a person,
    stopping at the first person reached."""
    if _is_person(model) and not prefix:
        return [("pk", model)]
    paths = []
    for field in _links(model):
        lookup = prefix + field.name
        if _is_person(field.related_model):
            paths.append((lookup, field.related_model))
        elif depth > 1:
            paths += _person_paths(field.related_model, depth - 1, lookup + "__")
    return paths


def rows_about(model, member) -> list:
    """The rows of ``model`` that name ``member`` (or their account) through some chain."""
    q = Q(pk__in=[])
    for lookup, person in _person_paths(model):
        q |= Q(**{lookup: member.pk if person is Membership else member.user_id})
    manager = getattr(model, "objects_unscoped", model._base_manager)
    return list(manager.filter(q).distinct())


class Alternatives:
    """Values to try in place of a field's value, most telling first."""

    def __init__(self, org, spares):
        self.org = org
        self.members = spares["members"]
        self.users = spares["users"]

    def __call__(self, field, row, current, index):
        if field.is_relation:
            yield from self._relation(field, current, index)
        elif field.choices:
            yield from [value for value, _label in field.flatchoices if value != current]
        elif isinstance(field, models.BooleanField):
            yield (not current) if current is not None else True
        elif isinstance(field, models.JSONField):
            if isinstance(current, list):
                yield [*current, "mutated"]
            else:
                yield {**(current if isinstance(current, dict) else {}), "mutated": "yes"}
        elif isinstance(field, models.EmailField):
            yield f"mutated-{uuid.uuid4().hex[:8]}@example.test"
        elif isinstance(field, models.URLField):
            yield f"https://mutated.example.test/{row.pk}"
        elif isinstance(field, models.CharField | models.TextField):
            for text in (f"Mutated {row.pk}", f"M{row.pk}"):
                yield text[:field.max_length] if field.max_length else text
        elif isinstance(field, models.DateTimeField):
            base = current or datetime(2001, 2, 3, 4, 5, tzinfo=timezone.get_current_timezone())
            yield from (base - timedelta(days=3, hours=1), base + timedelta(days=3, hours=1))
        elif isinstance(field, models.DateField):
            base = current or date(2001, 2, 3)
            yield from (base - timedelta(days=3), base + timedelta(days=3))
        elif isinstance(field, models.DecimalField | models.FloatField):
            yield (current or 0) + (Decimal("1.5") if isinstance(field, models.DecimalField)
                                    else 1.5)
        elif isinstance(field, models.IntegerField):
            yield from ((current or 0) + 1, (current or 2) - 1)

    def _relation(self, field, current, index):
        target = field.related_model
        if target is Membership:
            pool = self.members
        elif target is User:
            pool = self.users
        else:
            rows = target._base_manager.exclude(pk=current)
            if any(f.name == "organization" for f in target._meta.concrete_fields):
                rows = rows.filter(organization=self.org)
            pool = list(rows.order_by("pk")[:8])
        pool = pool[index % len(pool):] + pool[:index % len(pool)] if pool else []
        for candidate in pool:
            if candidate.pk != current:
                yield candidate.pk
        if field.null and current is not None:
            yield None


def _mutate(model, field, rows, alternatives) -> int:
    """Give ``field`` another value on each of ``rows``; returns how many rows changed. One
    update for them all when the database takes it, else row by row (each in a savepoint, with
    the first value the database accepts): a value may meet a uniqueness rule."""
    def others(index, row):
        current = getattr(row, field.attname)
        return [v for v in alternatives(field, row, current, index) if v != current]

    choices = {row.pk: others(index, row) for index, row in enumerate(rows)}
    firsts = {pk: values[0] for pk, values in choices.items() if values}
    if not firsts:
        return 0
    output = field.target_field if field.is_relation else field
    try:
        with transaction.atomic():
            model._base_manager.filter(pk__in=list(firsts)).update(**{field.attname: Case(
                *[When(pk=pk, then=Value(v, output_field=output)) for pk, v in firsts.items()],
                output_field=output)})
        return len(firsts)
    except (IntegrityError, DatabaseError, ValueError, TypeError):
        pass
    changed = 0
    for pk, values in choices.items():
        for value in values:
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field.attname: value})
            except (IntegrityError, DatabaseError, ValueError):
                continue
            changed += 1
            break
    return changed


def export_text(org, member, sections=None) -> str:
    """The member's export as JSON text (its time aside), or only ``sections``' part of it;
    inside the organisation's scope, as the record's page runs it."""
    if sections is None:
        data = personal_data_export(organization=org, member=member)
        data.pop("exported_at")
    else:
        data = {s.key: s.collect(organization=org, member=member) for s in sections}
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)


def _fresh(member):
    return Membership.objects_unscoped.select_related("user", "team", "manager__user").get(
        pk=member.pk)


@pytest.mark.django_db
def test_changing_a_field_changes_the_export_exactly_when_it_is_declared_exported(
        people, django_capture_on_commit_callbacks, capsys):
    # Given a member with data in every app, and spare people and rows to point at
    org = people.org
    leaver, colleague, _hr_client = build_world(people, django_capture_on_commit_callbacks)
    _extend_world(org, leaver, colleague, people)
    spares = {"members": [MembershipFactory(organization=org, job_title=f"Spare {i}",
                                            user=UserFactory(first_name="Spare",
                                                             last_name=f"Person {i}"))
                          for i in range(3)],
              "users": [UserFactory(first_name="Spare", last_name=f"Account {i}")
                        for i in range(3)]}
    alternatives = Alternatives(org, spares)
    with tenancy.organization_scope(org):
        leaver = _fresh(leaver)
        baseline = export_text(org, leaver)
        assert export_text(org, _fresh(leaver)) == baseline, "the export is not stable"
        failures, mutations = _prove_every_declaration(org, leaver, alternatives, baseline)
        assert export_text(org, _fresh(leaver)) == baseline, "a change was not rolled back"
    with capsys.disabled():
        print(f"\nexport proved: {len(exported_fields())} fields exported and {len(ANONYMISED)} "
              f"withheld of {len(fields_to_account_for())} accounted for, {mutations} rows "
              f"changed, {sum(map(len, failures.values()))} failures")
    assert failures["no rows"] == [], \
        f"the world holds no row about the member to change: {failures['no rows']}"
    assert failures["not reflected"] == [], (
        "declared exported, but changing them does not change the export: "
        f"{failures['not reflected']}")
    assert failures["leaked"] == [], \
        f"declared ANONYMISED, but the export shows them: {failures['leaked']}"


def _prove_every_declaration(org, leaver, alternatives, baseline) -> tuple[dict, int]:
    exported = exported_fields()
    sections_of = {}
    for section in personal_data_sections():
        for name in section.fields:
            sections_of.setdefault(name, []).append(section)
    failures = {"no rows": [], "not reflected": [], "leaked": []}
    mutations, rows_of, befores = 0, {}, {}
    for name in sorted(exported | set(ANONYMISED)):
        app_label, model_name, field_name = name.split(".")
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        if field.many_to_many:
            continue  # a table of its own, not a value to change on the row
        if model not in rows_of:
            rows_of[model] = rows_about(model, leaver)
        # A field declared exported must show in its own section; a withheld one in none.
        sections = sections_of.get(name)
        key = tuple(s.key for s in sections or ())
        if key not in befores:
            befores[key] = baseline if not key else export_text(org, leaver, sections)
        # When the field changes on every row about the member (and is then rolled back)
        with transaction.atomic():
            changed = _mutate(model, field, rows_of[model], alternatives)
            member = _fresh(leaver) if model in (Membership, User) else leaver
            after = export_text(org, member, sections) if changed else befores[key]
            transaction.set_rollback(True)
        mutations += changed
        # Then the export changes if, and only if, the field is declared exported
        if name in exported and not changed:
            failures["no rows"].append(name)
        elif name in exported and after == befores[key]:
            failures["not reflected"].append(name)
        elif name in ANONYMISED and after != befores[key]:
            failures["leaked"].append(name)
    return failures, mutations
