"""Erasure leaves no personal text of the leaver anywhere.

The acceptance test builds a leaver with data in every app (through the services where they
exist, with a canary string in every text they wrote and in everything written about them), and
a colleague whose texts carry a canary of their own. HR erases the leaver through the page; then
every text, varchar and JSON column of every table in the database is searched (the columns come
from ``information_schema``, not from a list kept by hand): the leaver's canary, first name, last
name and email address are nowhere; the colleague's texts are all still there; the figures built
from the leaver's data (held conversations, skill ratings, outcome ratings, training hours, moves)
have not moved.

The architecture test holds every future field to the same rule: each text, char or JSON field
of the five apps is erased by a registered eraser or listed below as not personal, with why.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careers import models as ca
from careers.services import plan as plan_services
from careers.services import reflections as reflection_services
from careers.services.templates import reflection_template_current
from conversations import models as cv
from conversations.factories import (
    AgendaTopicFactory,
    HeldConversationFactory,
    OutcomeFactory,
    PreparationFactory,
    PrivateNoteFactory,
    ReminderDeliveryFactory,
)
from conversations.services import conversations as conversation_services
from conversations.services import feedback as feedback_services
from conversations.services import notifications as notification_services
from conversations.services import recommendations as recommendation_services
from hr_admin import models as hr
from hr_admin.services.moves import Placement, move_record
from organizations import services as org_services
from organizations.erasure import erasure_sections
from organizations.factories import MembershipFactory, UserFactory
from organizations.models import ApiToken, AuditEvent, Membership, User
from skills import models as sk
from skills.factories import (
    FrameworkFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
)
from skills.services import assessments

pytestmark = pytest.mark.django_db

LEAVER_CANARY = "ZQCANARY7731"
COLLEAGUE_CANARY = "OTTCANARY4417"
FIRST, LAST, EMAIL = "Zebulonix", "Quixtrandov", "zq-leaver-7731@acme.test"
FULL = f"{FIRST} {LAST}"
LC, OC = LEAVER_CANARY, COLLEAGUE_CANARY

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c"
            " JOIN information_schema.tables t"
            "   ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
            " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
            "   AND c.data_type = ANY(%s) ORDER BY 1, 2", [list(TEXT_TYPES)])
        return cursor.fetchall()


def rows_containing(needle: str) -> dict[str, int]:
    """``{"table.column": rows}`` for every text column where ``needle`` occurs (any case)."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)}::text "
                           "ILIKE %s", [f"%{needle}%"])
            count = cursor.fetchone()[0]
            if count:
                found[f"{table}.{column}"] = count
    return found


# --- The leaver's footprint ---------------------------------------------------------------------


def _role(org):
    framework = FrameworkFactory(organization=org, name="Data")
    role = RoleProfileFactory(framework=framework, title="Data Engineer", grade="E3")
    for name in ("SQL", "Python"):
        RoleRequirementFactory(role=role, skill=SkillFactory(framework=framework, name=name),
                               min_level=3)
    return role


def _join_by_invitation(people):
    invitation, _token = org_services.invitation_create(
        organization=people.org, actor=people.hr, email=EMAIL, first_name=FIRST, last_name=LAST,
        job_title=f"Data lead {LC}", manager=people.manager)
    user = org_services.user_create_from_invitation(
        invitation=invitation, first_name=FIRST, last_name=LAST, password="a-long-passphrase-1")
    return org_services.invitation_accept(invitation=invitation, user=user)


def _career_texts(org, member, canary):
    reflection = reflection_services.reflection_start(organization=org, actor=member,
                                                      title=f"{canary} reflection")
    template = reflection_template_current(organization=org)
    area = ca.ReflectionArea.objects_unscoped.filter(template=template).order_by("position")[0]
    prompts = list(ca.ReflectionPrompt.objects_unscoped.filter(area=area).order_by("position"))
    reflection_services.reflection_answers_save(
        organization=org, actor=member, reflection=reflection,
        answers={p: f"My answer {canary} {i}" for i, p in enumerate(prompts[:2])})
    reflection_services.reflection_share_area(organization=org, actor=member,
                                              reflection=reflection, area=area)
    plan_services.goal_create(organization=org, actor=member, target_role=None,
                              title=f"Goal {canary}", horizon="1y",
                              motivation=f"Because {canary}", status="active",
                              shared_with_manager=True)
    option = plan_services.option_create(
        organization=org, actor=member, title=f"Option {canary}", description=f"d {canary}",
        pros=f"p {canary}", cons=f"c {canary}", decision="pursue",
        decision_note=f"n {canary}", shared_with_manager=False)
    criterion = plan_services.criterion_create(organization=org, actor=member,
                                               name=f"Values {canary}", weight=4)
    plan_services.option_rate(organization=org, actor=member, option=option,
                              scores={criterion.pk: 4})
    plan_services.action_create(
        organization=org, actor=member, title=f"Course {canary}", kind="training", skill=None,
        resource=None, due_date=None, hours=6, status="done", evidence=f"Certificate {canary}",
        shared_with_manager=True)


def _check_in(org, member, role, *, validator, comment):
    check_in = assessments.check_in_start(organization=org, actor=member, member=member,
                                          role=role)
    items = list(sk.CheckInItem.objects_unscoped.filter(check_in=check_in).order_by("pk"))
    assessments.check_in_rate_self(organization=org, actor=member, check_in=check_in,
                                   ratings={i.pk: 3 for i in items})
    assessments.check_in_submit(organization=org, actor=member, check_in=check_in)
    assessments.check_in_rate_manager(organization=org, actor=validator, check_in=check_in,
                                      ratings={items[0].pk: 4},
                                      comments={items[0].pk: comment})
    assessments.check_in_validate(organization=org, actor=validator, check_in=check_in,
                                  comment=comment)
    return check_in


def _make(model, org, **fields):
    return model.objects_unscoped.create(organization=org, **fields)


def build_world(people, django_capture_on_commit_callbacks):
    """The leaver (reporting to acme's manager, managing the colleague), with data everywhere."""
    org, hr_admin, manager = people.org, people.hr, people.manager
    role = _role(org)
    with django_capture_on_commit_callbacks(execute=True):
        leaver = _join_by_invitation(people)
        colleague = MembershipFactory(
            organization=org, manager=leaver, job_title=f"Analyst {OC}",
            user=UserFactory(email="ottoline@acme.test", first_name="Ottoline",
                             last_name="Brackenbury"))
        for member in (leaver, colleague):
            assessments.member_role_set(organization=org, actor=hr_admin, member=member,
                                        role=role, source="profile")
        _career_texts(org, leaver, LC)
        _career_texts(org, colleague, OC)
        # Skills: the manager comments on the leaver's check-in; the leaver on the colleague's.
        _check_in(org, leaver, role, validator=manager, comment=f"About them {LC}")
        _check_in(org, colleague, role, validator=leaver, comment=f"By them {LC}")

        # The leaver's own career conversation, held, with texts from both sides.
        held = HeldConversationFactory(member=leaver, partner=manager, location=f"Room {LC}",
                                       video_url=f"https://meet.example.test/{LC}",
                                       shared_notes=f"We agreed {LC}")
        AgendaTopicFactory(conversation=held, author=leaver, text=f"Topic {LC}")
        AgendaTopicFactory(conversation=held, author=manager, text=f"About them {LC}")
        PreparationFactory(conversation=held, journey=f"Journey {LC}", to_ask=f"Ask {LC}",
                           to_share=f"Share {LC}")
        PrivateNoteFactory(conversation=held, author=leaver, text=f"Mine {LC}")
        PrivateNoteFactory(conversation=held, author=manager, text=f"About them {LC}")
        OutcomeFactory(conversation=held, direction=4, self_insight=5, options=3, confidence=4,
                       comment=f"Useful {LC}")
        conversation_services.agreed_action_add(
            organization=org, actor=manager, conversation=held, title=f"Shadow {LC}",
            kind="shadowing", due_date=None, skill=None, hours=2)
        upcoming = conversation_services.conversation_schedule(
            organization=org, actor=leaver, member=leaver, partner=manager,
            scheduled_at=timezone.now() + timedelta(days=5), duration_minutes=45,
            location=f"Cafe {LC}", video_url="")
        conversation_services.topic_add(organization=org, actor=leaver, conversation=upcoming,
                                        text=f"Next {LC}")
        ReminderDeliveryFactory(conversation=upcoming, recipient=leaver,
                                last_error=f"550 {EMAIL} mailbox unavailable")
        notification_services.calendar_feed_create(organization=org, actor=leaver)

        # The colleague's conversation, held with the leaver as their manager.
        theirs = HeldConversationFactory(member=colleague, partner=leaver,
                                         shared_notes=f"{OC}: agreed with {FULL} on a plan")
        AgendaTopicFactory(conversation=theirs, author=colleague, text=f"Topic {OC}")
        AgendaTopicFactory(conversation=theirs, author=leaver, text=f"For you {LC}")
        PreparationFactory(conversation=theirs, journey=f"Journey {OC}")
        PrivateNoteFactory(conversation=theirs, author=colleague, text=f"Mine {OC}")
        PrivateNoteFactory(conversation=theirs, author=leaver, text=f"About my report {LC}")
        OutcomeFactory(conversation=theirs, comment=f"Useful {OC}")

        # Feedback and recommendations, about them and by them (HR is told, by name).
        feedback_services.feedback_give(organization=org, actor=manager, member=leaver,
                                        kind="strength", text=f"You shine {LC}",
                                        conversation=None)
        feedback_services.feedback_give(organization=org, actor=leaver, member=colleague,
                                        kind="achievement", text=f"Well done {LC}",
                                        conversation=None)
        recommendation_services.recommendation_create(
            organization=org, actor=manager, member=leaver, kind="opportunity",
            rationale=f"Ready for a bigger platform role: {LC}", role=None,
            opportunity=f"Platform {LC}")
        recommendation_services.recommendation_create(
            organization=org, actor=leaver, member=colleague, kind="promotion",
            rationale=f"Promote: leads the analytics work well {LC}", role=None, opportunity="")

        # hr_admin: openings, succession, champions, stories, an import naming them, moves.
        move_record(organization=org, actor=hr_admin, member=leaver,
                    before=Placement(role_id=role.pk), after=Placement(role_id=role.pk),
                    kind=hr.MoveKind.PROMOTION, effective_on=timezone.localdate())
        gig = _make(hr.Opportunity, org, kind=hr.OpportunityKind.GIG, title="Data gig",
                    description=f"Shadow {FULL} ({EMAIL}) on the platform.", posted_by=hr_admin,
                    time_share=20, duration_weeks=6)
        _make(hr.OpportunityInterest, org, opportunity=gig, member=leaver,
              message=f"Pick me {LC}", approval=hr.ManagerApproval.APPROVED,
              approval_by=manager, approval_note=f"About them {LC}")
        _make(hr.OpportunityInterest, org, opportunity=gig, member=colleague,
              message=f"Pick me {OC}", approval=hr.ManagerApproval.APPROVED,
              approval_by=leaver, approval_note=f"By them {LC}")
        position = _make(hr.KeyPosition, org, role=role, incumbent=leaver,
                         notes=f"Held by {FULL} since 2020", created_by=hr_admin)
        _make(hr.SuccessorNomination, org, position=position, candidate=leaver,
              readiness=hr.Readiness.READY_NOW, notes=f"About them {LC}", nominated_by=hr_admin)
        _make(hr.SuccessorNomination, org, position=position, candidate=colleague,
              readiness=hr.Readiness.ONE_TWO_YEARS, notes=f"By them {LC}", nominated_by=leaver)
        _make(hr.ChampionNomination, org, nominee=leaver, nominated_by=colleague,
              evidence={"mentoring": f"About them {LC}"})
        _make(hr.ChampionNomination, org, nominee=colleague, nominated_by=leaver,
              evidence={"mentoring": f"By them {LC}"})
        _make(hr.Champion, org, member=leaver, since=timezone.localdate(),
              statement=f"Ask me {LC}", confirmed_by=hr_admin)
        _make(hr.SuccessStory, org, subject=leaver, title=f"{FULL} moves up",
              body=f"Story {LC}", author=hr_admin)
        _make(hr.PeopleImport, org, uploaded_by=hr_admin, file_name="hris.csv",
              content=("email,first_name,last_name,job_title\n"
                       f"{EMAIL},{FIRST},{LAST},Data lead\n"
                       f"ottoline@acme.test,Ottoline,Brackenbury,Analyst {OC}\n"),
              problems=[{"line": 2, "column": "manager_email",
                         "message": f"No member with the address {EMAIL}"}],
              summary={"created": 1}, total_rows=2, status=hr.ImportStatus.APPLIED)

        # The account: an API token and a signed-in session.
        org_services.api_token_create(user=leaver.user, name=f"Sync {LC}")
    Client().force_login(leaver.user)
    # HR looks at their profile (an audit event), then records that they left.
    hr_client = Client()
    hr_client.force_login(hr_admin.user)
    hr_client.get(reverse("organizations:member_detail",
                          kwargs={"org_slug": org.slug, "member_id": leaver.pk}))
    with django_capture_on_commit_callbacks(execute=True):
        org_services.membership_deactivate(membership=leaver, actor=hr_admin)
    return leaver, colleague, hr_client


def figures(member) -> dict:
    """What the organisation's aggregates read of one membership."""
    return {
        "held_conversations": cv.Conversation.objects_unscoped.filter(
            member=member, status=cv.ConversationStatus.HELD).count(),
        "conversations": cv.Conversation.objects_unscoped.filter(member=member).count(),
        "ratings": sorted(sk.SkillRating.objects_unscoped.filter(member=member)
                          .values_list("skill__name", "self_level", "validated_level")),
        "outcomes": sorted(cv.Outcome.objects_unscoped.filter(conversation__member=member)
                           .values_list("direction", "self_insight", "options", "confidence")),
        "training_hours": ca.DevelopmentAction.objects_unscoped.filter(member=member)
        .aggregate(h=Sum("hours"))["h"],
        "moves": sorted(hr.Move.objects_unscoped.filter(member=member)
                        .values_list("kind", "effective_on")),
        "feedback": cv.Feedback.objects_unscoped.filter(member=member).count(),
        "recommendations": cv.Recommendation.objects_unscoped.filter(member=member).count(),
        "check_ins": sorted(sk.CheckIn.objects_unscoped.filter(member=member)
                            .values_list("status", "role_title")),
    }


def test_erasure_leaves_no_personal_text_of_the_leaver_anywhere(
        people, django_capture_on_commit_callbacks):
    # Given a leaver with data in every app, and a colleague with data of their own
    leaver, colleague, hr_client = build_world(people, django_capture_on_commit_callbacks)
    real_user_id = leaver.user_id
    before = figures(leaver)
    colleague_before = rows_containing(COLLEAGUE_CANARY)
    planted = rows_containing(LEAVER_CANARY)
    # (the world really holds them: a dozen apps' tables carry the canary and the names)
    assert len(planted) >= 25, planted
    assert rows_containing(EMAIL) and rows_containing(LAST)

    # When HR erases the leaver, confirming with their name
    response = hr_client.post(
        reverse("hr_admin:leaver_erase", kwargs={"org_slug": people.org.slug,
                                                 "member_id": leaver.pk}),
        {"confirmation": FULL})
    assert response.status_code == 302, response.content.decode()[:2000]

    # Then nothing of the leaver is left in any text column of any table
    for needle in (LEAVER_CANARY, FIRST, LAST, EMAIL):
        assert rows_containing(needle) == {}, needle
    # the colleague's texts are all still there
    assert rows_containing(COLLEAGUE_CANARY) == colleague_before
    theirs = cv.Conversation.objects_unscoped.get(member=colleague)
    assert theirs.shared_notes == f"{OC}: agreed with Former member {leaver.pk} on a plan"
    # the figures are unchanged, now attached to an anonymous membership
    leaver = Membership.objects_unscoped.select_related("user").get(pk=leaver.pk)
    assert figures(leaver) == before
    assert before["held_conversations"] == 1 and before["ratings"]
    assert leaver.display_name == f"Former member {leaver.pk}"
    assert not leaver.user.is_active and not leaver.user.has_usable_password()
    # the real account is gone, with its addresses, tokens and sessions
    assert not User.objects.filter(pk=real_user_id).exists()
    assert not EmailAddress.objects.filter(user_id=real_user_id).exists()
    assert not ApiToken.objects.filter(user_id=real_user_id).exists()
    assert all(s.get_decoded().get("_auth_user_id") != str(real_user_id)
               for s in Session.objects.all())
    # and one audit event says it happened, by whom
    erased = AuditEvent.objects_unscoped.get(action="member.erased")
    assert (erased.actor, erased.subject) == (people.hr, leaver)


# --- Every field is erased or declared not personal ----------------------------------------------

APPS = ["organizations", "skills", "careers", "conversations", "hr_admin"]

# Text, char and JSON fields that cannot hold a person's words or identity, and why. A field with
# ``choices`` holds a code from a fixed list and needs no entry.
NOT_PERSONAL = {
    "organizations.Organization.name": "the organisation's name",
    "organizations.Organization.slug": "the organisation's address",
    "organizations.Organization.time_zone": "the organisation's time zone",
    "organizations.Team.name": "a team of the organisation's tree",
    "organizations.Invitation.token_hash": "SHA-256 of a one-time secret",
    "organizations.AuditEvent.action": "an action code (the detail is scrubbed)",
    "skills.Framework.name": "organisational content: a skills framework",
    "skills.Framework.description": "organisational content: a skills framework",
    "skills.Level.name": "organisational content: a level of a scale",
    "skills.Level.descriptor": "organisational content: a level of a scale",
    "skills.SkillCategory.name": "organisational content: a category of skills",
    "skills.Skill.name": "organisational content: a skill",
    "skills.Skill.description": "organisational content: a skill",
    "skills.Skill.emerging_note": "organisational content: why a skill is emerging",
    "skills.Skill.external_uri": "an identifier in an external taxonomy (ESCO)",
    "skills.SkillLevelDescriptor.description": "organisational content: what a level means",
    "skills.RoleProfile.title": "organisational content: a role profile",
    "skills.RoleProfile.family": "organisational content: a job family",
    "skills.RoleProfile.grade": "organisational content: a grade",
    "skills.RoleProfile.description": "organisational content: a role profile",
    "skills.RoleProfile.external_uri": "an identifier in an external taxonomy (ESCO)",
    "skills.CareerPath.notes": "organisational content: a path between two roles",
    "skills.LearningResource.title": "organisational content: a course or book",
    "skills.LearningResource.url": "organisational content: where a resource is",
    "skills.CheckIn.role_title": "a copy of the role profile's title when the check-in began",
    "skills.CheckInItem.skill_name": "a copy of the skill's name when the check-in began",
    "careers.ReflectionArea.key": "a key of the reflection template",
    "careers.ReflectionArea.title": "organisational content: the reflection template",
    "careers.ReflectionArea.intro": "organisational content: the reflection template",
    "careers.ReflectionPrompt.key": "a key of the reflection template",
    "careers.ReflectionPrompt.text": "organisational content: a question of the template",
    "careers.ReflectionPrompt.help_text": "organisational content: a hint of the template",
    "conversations.CalendarFeed.token_hash": "SHA-256 of a feed secret (the feed is deleted)",
    "conversations.ConversationEvent.event": "a coded kind of change (scheduled, cancelled …)",
    "hr_admin.PeopleImport.content_sha256": "SHA-256 of an uploaded file",
    "hr_admin.Move.from_grade": "a role profile's grade: feeds promotion figures",
    "hr_admin.Move.to_grade": "a role profile's grade: feeds promotion figures",
    # The health check: anonymous by construction, or the organisation's own questions.
    "hr_admin.HealthAction.dimension": "a shipped dimension key",
    "hr_admin.HealthAction.strategy": "a shipped strategy key",
    "hr_admin.HealthQuestion.dimension": "a shipped dimension key",
    "hr_admin.HealthQuestion.key": "a shipped question key",
    "hr_admin.HealthQuestion.text": "a question the organisation asks everyone",
    "hr_admin.SurveyQuestion.dimension": "a shipped dimension key",
    "hr_admin.SurveyQuestion.key": "a shipped question key",
    "hr_admin.SurveyQuestion.text": "a question as the survey asked it",
    "hr_admin.Survey.title": "the name of a survey of the organisation",
    "hr_admin.SurveyComment.text": "an anonymous comment: nothing links it to its writer",
    "hr_admin.SurveyScore.measure": "which figure a computed score is",
    # A skills framework in other languages: the organisation's content, like the original.
    "skills.Framework.translations": "organisational content: a skills framework in other "
                                     "languages",
    "skills.Level.translations": "organisational content: a level of a scale in other languages",
    "skills.SkillCategory.translations": "organisational content: a category of skills in other "
                                         "languages",
    "skills.Skill.translations": "organisational content: a skill in other languages",
    "skills.SkillLevelDescriptor.translations": "organisational content: what a level means, in "
                                                "other languages",
    "skills.RoleProfile.translations": "organisational content: a role profile in other "
                                       "languages",
    "skills.CareerPath.translations": "organisational content: a path between two roles, in "
                                      "other languages",
    "skills.LearningResource.translations": "organisational content: a course or book, in other "
                                            "languages",
    # Leadership metrics: figures of groups, and which metric a goal is about.
    "hr_admin.MetricGoal.metric": "a metric's key",
    "hr_admin.MetricSnapshot.metric": "a metric's key",
    "hr_admin.SurveyScore.slice_key": "a team id or tenure band of an aggregate",
    "hr_admin.SurveyScore.suppressed": "why an aggregate is hidden",
    "hr_admin.PublicHealthCheck.answers": "an anonymous visitor's answers, with no account",
    "hr_admin.PublicHealthCheck.language": "the language an anonymous check was taken in",
    "hr_admin.PublicHealthCheck.token_hash": "SHA-256 of a one-time secret",
}


def _text_fields() -> dict[str, models.Field]:
    fields = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField | models.JSONField):
                    fields[f"{label}.{model.__name__}.{field.name}"] = field
    return fields


def test_every_text_field_is_erased_by_a_registered_eraser_or_declared_not_personal():
    fields = _text_fields()
    erased = {name for section in erasure_sections() for name in section.fields}
    coded = {name for name, field in fields.items() if field.choices}
    undeclared = sorted(set(fields) - erased - coded - set(NOT_PERSONAL))
    assert undeclared == [], (
        "These fields may hold a person's words or identity: erase them in the app's "
        f"erasure.py (and list them in its EraserSection.fields), or add them to NOT_PERSONAL "
        f"with the reason: {undeclared}")
    assert sorted(erased - set(fields)) == [], "erasers list fields that do not exist"
    assert sorted(set(NOT_PERSONAL) - set(fields)) == [], "NOT_PERSONAL lists stale fields"
    assert sorted(erased & set(NOT_PERSONAL)) == [], "a field is both erased and not personal"


def test_every_app_registers_its_eraser_and_the_account_goes_last():
    keys = [section.key for section in erasure_sections()]
    assert set(keys) >= {"organization", "skills", "careers", "conversations", "hr_admin",
                         "account"}
    assert keys[-1] == "account"
    for section in erasure_sections():
        assert section.title and section.kept and section.fields
