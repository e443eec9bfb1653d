"""Every URL route of Trellis, and the ids to fill them with: what the cross-cutting suites walk.

Routes are discovered from the URL configuration, so a new page or API endpoint is covered the
day it is added. A route with a URL argument ``ID_SOURCES`` does not know how to fill fails the
suites that walk it: add the argument there, pointing at an object of that kind.
"""

import re
import secrets
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from organizations.factories import InvitationFactory, TeamFactory


def walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def tenant_routes():
    return [
        (route, p) for route, p in walk(get_resolver().url_patterns) if "<slug:org_slug>" in route
    ]


def fill(route: str, values: dict) -> str:
    def sub(match):
        name = match.group(2)
        if name not in values:
            raise AssertionError(
                f"The tenant matrix does not know how to fill <{name}> in {route!r}: "
                "add it to ID_SOURCES in tests/routes.py"
            )
        return str(values[name])

    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: sub(m), route)
    return "/" + path.replace("^", "").replace("$", "")


def ID_SOURCES(victim):
    """URL argument → the id of an object of that kind in the victim organisation (acme)."""
    from skills import models as sk

    org = victim.org
    team = TeamFactory(organization=org)
    invitation = InvitationFactory(organization=org)

    def make(model, **fields):
        return model.objects_unscoped.create(organization=org, **fields)

    framework = make(sk.Framework, name="Matrix framework")
    level = make(sk.Level, framework=framework, rank=1, name="Follow")
    category = make(sk.SkillCategory, framework=framework, name="Matrix category")
    skill = make(sk.Skill, framework=framework, category=category, name="Matrix skill")
    role = make(sk.RoleProfile, framework=framework, title="Matrix role")
    other_role = make(sk.RoleProfile, framework=framework, title="Matrix next role")
    requirement = make(sk.RoleRequirement, role=role, skill=skill, min_level=1)
    path = make(sk.CareerPath, from_role=role, to_role=other_role)
    resource = make(sk.LearningResource, skill=skill, title="Matrix course")
    make(sk.MemberRole, member=victim.employee, role=role)
    check_in = make(sk.CheckIn, member=victim.employee, role=role, role_title=role.title,
                    status=sk.CheckInStatus.SUBMITTED)
    item = make(sk.CheckInItem, check_in=check_in, skill=skill, skill_name=skill.name,
                required_level=1, self_level=1)
    notice = make(sk.EmergingSkillNotice, skill=skill, member=victim.employee)

    from careers import models as ca
    from careers.services.templates import reflection_template_current

    template = reflection_template_current(organization=org)
    area = ca.ReflectionArea.objects_unscoped.filter(template=template).order_by("position")[0]
    prompt = ca.ReflectionPrompt.objects_unscoped.filter(area=area).order_by("position")[0]
    reflection = make(ca.Reflection, member=victim.employee, template=template)
    make(ca.ReflectionAnswer, reflection=reflection, prompt=prompt, text="Matrix answer")
    make(ca.ReflectionShare, reflection=reflection, area=area)
    goal = make(ca.CareerGoal, member=victim.employee, title="Matrix goal")
    option = make(ca.CareerOption, member=victim.employee, title="Matrix option")
    criterion = make(ca.OptionCriterion, member=victim.employee, name="Values")
    action = make(ca.DevelopmentAction, member=victim.employee, title="Matrix action",
                  resource=resource, skill=skill)
    from conversations import models as cv

    conversation = make(cv.Conversation, member=victim.employee, partner=victim.manager,
                        scheduled_at=timezone.now() + timedelta(days=3))
    topic = make(cv.AgendaTopic, conversation=conversation, author=victim.employee,
                 text="Matrix topic")
    make(cv.PrivateNote, conversation=conversation, author=victim.manager, text="Matrix note")
    partner = make(cv.CareerPartner, member=victim.employee, partner=victim.hr)
    feedback = make(cv.Feedback, author=victim.manager, member=victim.employee,
                    text="Matrix feedback")
    recommendation = make(cv.Recommendation, author=victim.manager, member=victim.employee,
                          rationale="Matrix recommendation")
    notification = make(cv.Notification, recipient=victim.employee, kind="reminder",
                        title="Matrix notification")
    from hr_admin import models as hr

    people_import = make(hr.PeopleImport, uploaded_by=victim.hr, file_name="matrix.csv",
                         content="email\nmatrix@acme.test\n", total_rows=1)
    move = make(hr.Move, member=victim.employee, kind=hr.MoveKind.LATERAL,
                effective_on=timezone.localdate(), to_role=role, to_team=team)
    opportunity = make(hr.Opportunity, kind=hr.OpportunityKind.GIG, title="Matrix gig",
                       posted_by=victim.hr, time_share=20, duration_weeks=6)
    make(hr.OpportunitySkill, opportunity=opportunity, skill=skill, min_level=1)
    interest = make(hr.OpportunityInterest, opportunity=opportunity, member=victim.employee,
                    message="Matrix interest", approval=hr.ManagerApproval.PENDING)
    position = make(hr.KeyPosition, role=role, incumbent=victim.manager, notes="Matrix position")
    nomination = make(hr.SuccessorNomination, position=position, candidate=victim.employee,
                      readiness=hr.Readiness.READY_NOW, nominated_by=victim.manager,
                      notes="Matrix successor")
    champion_nomination = make(hr.ChampionNomination, nominee=victim.manager,
                               nominated_by=victim.employee,
                               evidence={"mentoring": "Matrix evidence"})
    champion = make(hr.Champion, member=victim.hr, since=timezone.localdate(),
                    statement="Matrix champion")
    story = make(hr.SuccessStory, subject=victim.employee, move=move, title="Matrix story",
                 body="Matrix story body", author=victim.hr)
    health_question = make(hr.HealthQuestion, dimension="conversations", text="Matrix question")
    survey = make(hr.Survey, title="Matrix survey", status=hr.SurveyStatus.OPEN,
                  created_by=victim.hr, opens_at=timezone.now())
    make(hr.SurveyQuestion, survey=survey, dimension="conversations", kind="likert",
         text="Matrix question")
    make(hr.SurveyParticipation, survey=survey, member=victim.employee)
    health_action = make(hr.HealthAction, survey=survey, title="Matrix health action",
                         owner=victim.leader)
    metric_goal = make(hr.MetricGoal, metric="internal_promotion_rate", target=30.0,
                       starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                       created_by=victim.leader, note="Matrix goal")
    return {
        "survey_id": survey.pk,
        "health_question_id": health_question.pk,
        "health_action_id": health_action.pk,
        "metric_goal_id": metric_goal.pk,
        # Not an id: a metric's key is the same in every organisation.
        "metric": "internal_promotion_rate",
        "import_id": people_import.pk,
        "move_id": move.pk,
        "opportunity_id": opportunity.pk,
        "interest_id": interest.pk,
        "position_id": position.pk,
        "nomination_id": nomination.pk,
        "champion_nomination_id": champion_nomination.pk,
        "champion_id": champion.pk,
        "story_id": story.pk,
        "conversation_id": conversation.pk,
        "topic_id": topic.pk,
        "partner_id": partner.pk,
        "feedback_id": feedback.pk,
        "recommendation_id": recommendation.pk,
        "notification_id": notification.pk,
        "member_id": victim.employee.pk,
        "team_id": team.pk,
        "invitation_id": invitation.pk,
        "token": secrets.token_urlsafe(16),
        "framework_id": framework.pk,
        "level_id": level.pk,
        "category_id": category.pk,
        "skill_id": skill.pk,
        "role_id": role.pk,
        "requirement_id": requirement.pk,
        "path_id": path.pk,
        "resource_id": resource.pk,
        "check_in_id": check_in.pk,
        "item_id": item.pk,
        "notice_id": notice.pk,
        "reflection_id": reflection.pk,
        "area_id": area.pk,
        "prompt_id": prompt.pk,
        "goal_id": goal.pk,
        "option_id": option.pk,
        "criterion_id": criterion.pk,
        "action_id": action.pk,
    }


def get_every_route(client, values: dict, *, routes=None):
    """GET every organisation route with ``values`` filled in; yields ``(url, response)``.

    API routes are asked for JSON; pages are fetched as a browser would (redirects not followed,
    so a redirect's target is a route of its own in the walk).
    """
    for route, _pattern in routes or tenant_routes():
        url = fill(route, values)
        if route.startswith("api/"):
            yield url, client.get(url, HTTP_ACCEPT="application/json")
        else:
            yield url, client.get(url)


WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


# URL arguments that do not name an object of one organisation.
NOT_OBJECTS = frozenset({"org_slug", "metric"})


def names_an_object(route: str, values: dict) -> bool:
    """Whether ``route`` has a URL argument naming one of an organisation's objects."""
    return any(f"<{kind}:{name}>" in route for name in values if name not in NOT_OBJECTS
               for kind in ("int", "str", "slug", "path"))


def write_methods(pattern) -> list[str]:
    """The writing methods a route takes: those its DRF or class-based view implements; a
    POST for a function page (which cannot be asked, and must answer a POST it does not take
    with another organisation's ids as 404 all the same)."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:
        return [m for m in WRITE_METHODS if m.lower() in actions]
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return [m for m in WRITE_METHODS if hasattr(view_class, m.lower())]
    return ["POST"]
