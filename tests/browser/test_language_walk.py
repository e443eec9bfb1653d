"""A member whose language is French (then Spanish) walks the employee's main pages and reads no
English: the interface comes from the catalogues, the shipped content (reflection areas, the
example skills framework) from its translations, and what the test itself writes is in the
member's language.

Each page's body text, less the names of the people and the organisation, is checked against
common English words that are not French or Spanish words; a failure names the page and the
offending lines.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from careers.services.plan import action_create, goal_create
from careers.services.reflections import reflection_start
from conversations.services.conversations import conversation_schedule
from hr_admin.services.opportunities import SkillRequirement, opportunity_create
from organizations import tenancy
from skills.data import example_framework_bytes
from skills.models import MemberRole, RoleProfile, Skill
from skills.services import interchange
from skills.services.assessments import check_in_rate_self, check_in_start, check_in_submit
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Common English words that are neither French nor Spanish words (so "plan", "actions", "on",
# "an", "no", "me", "or", "as", "manager", "conversation" … are left out).
_ENGLISH_WORDS = """
    the and your you with this that these those what which who when where why how for from
    have had been was were will would should could can't don't isn't about into over
    only some such than them then they their there here our out its of to is are be by at
    not yet any all more less other others just now soon since ago today yesterday tomorrow
    new add edit save show open start started view see back next none yes
    skill skills level levels goal goals role roles profile career reflection reflections
    development opportunity opportunities record home team people person help sign
    hours month months week weeks days read unread mark core gap gaps interest learning
    training book practice shared share review my engineer engineering testing writing
    programming specialist analyst executive developing advanced foundation practitioner
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())

# Names that are not words of any language the check looks at.
PEOPLE = {
    "employee": ("Zephyrine", "Quaglieri"),
    "manager": ("Ottokar", "Brzezinski"),
    "hr": ("Ysolde", "Marchetti"),
    "leader": ("Radegonde", "Okonkwo"),
}

CONTENT = {
    "fr": {
        "job_title": "Ingénieure logicielle",
        "reflection": "Mon bilan d'automne",
        "goal": "Devenir référente qualité",
        "action": "Suivre l'atelier sur les tests exploratoires",
        "location": "Salle Jacaranda",
        "opportunity": "Mission transverse : animation des retours d'expérience",
        "description": "Animer les retours d'expérience après chaque incident majeur.",
    },
    "es": {
        "job_title": "Ingeniera de software",
        "reflection": "Mi balance de otoño",
        "goal": "Llegar a ser referente de calidad",
        "action": "Asistir al taller de pruebas exploratorias",
        "location": "Sala Jacaranda",
        "opportunity": "Misión transversal: dinamizar las revisiones de incidentes",
        "description": "Dinamizar las revisiones tras cada incidente importante.",
    },
}

# Letters of any script; a hyphenated or elided word ("e-learning", "don't") is one word.
WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")
EMAIL = re.compile(r"\S+@\S+")


def english_lines(text: str, names: set[str]) -> list[str]:
    """The lines of ``text`` that hold a common English word (as a whole word)."""
    found = []
    for line in text.splitlines():
        cleaned = EMAIL.sub(" ", line)
        for name in names:
            cleaned = cleaned.replace(name, " ")
        words = {w.lower() for w in WORD.findall(cleaned)}
        hits = sorted(words & ENGLISH)
        if hits:
            found.append(f"{line.strip()!r} ({', '.join(hits)})")
    return found


def build(people, language: str) -> dict:
    """The organisation of ``people`` with the example framework and the employee's content."""
    org, employee, manager, hr = people.org, people.employee, people.manager, people.hr
    texts = CONTENT[language]
    for key, member in people.by_role().items():
        first, last = PEOPLE[key]
        member.user.first_name, member.user.last_name = first, last
        member.user.language = language
        member.user.save()
        member.job_title = texts["job_title"]
        member.save(update_fields=["job_title"])
    with tenancy.organization_scope(org):
        report = interchange.framework_import(
            organization=org, actor=hr, data=example_framework_bytes(), fmt=interchange.JSON,
            dry_run=False, notify_emerging=False)
        assert report.ok, report.errors[:5]
        role = RoleProfile.objects.for_org(org).get(title="Software Engineer II")
        target = RoleProfile.objects.for_org(org).get(title="Quality Engineer")
        MemberRole.objects.create(organization=org, member=employee, role=role)
        testing = Skill.objects.for_org(org).get(name="Software testing")
        incidents = Skill.objects.for_org(org).get(name="Incident response")
        reflection = reflection_start(organization=org, actor=employee,
                                      title=texts["reflection"])
        goal_create(organization=org, actor=employee, target_role=target, title=texts["goal"])
        action_create(organization=org, actor=employee, title=texts["action"], skill=testing)
        conversation_schedule(
            organization=org, actor=employee, member=employee, partner=manager,
            scheduled_at=timezone.now() + timedelta(days=6), location=texts["location"])
        check_in = check_in_start(organization=org, actor=employee, member=employee, role=role)
        check_in_rate_self(organization=org, actor=employee, check_in=check_in,
                           ratings={item.pk: 2 for item in check_in.items.all()})
        check_in_submit(organization=org, actor=employee, check_in=check_in)
        opportunity_create(
            organization=org, actor=hr, kind="gig", title=texts["opportunity"],
            description=texts["description"], time_share=10, duration_weeks=8,
            skills=[SkillRequirement(skill=incidents, min_level=3)])
    return {"reflection": reflection, "check_in": check_in}


def walk(page, base: str, org_slug: str, built: dict) -> list[tuple[str, str]]:
    """(name, url) of the employee's main pages."""
    kw = {"org_slug": org_slug}
    return [
        ("home", reverse("organizations:home", kwargs=kw)),
        ("reflection", reverse("careers:reflection",
                               kwargs={**kw, "reflection_id": built["reflection"].pk})),
        ("goals", reverse("careers:goals", kwargs=kw)),
        ("plan", reverse("careers:plan", kwargs=kw)),
        ("my-skills", reverse("skills:my_skills", kwargs=kw)),
        ("check-in", reverse("skills:check_in",
                             kwargs={**kw, "check_in_id": built["check_in"].pk})),
        ("gaps", reverse("skills:gaps", kwargs={**kw, "role_id": built["check_in"].role_id})),
        ("opportunities", reverse("hr_admin:opportunities", kwargs=kw)),
        ("conversations", reverse("conversations:list", kwargs=kw)),
        ("feedback", reverse("conversations:feedback", kwargs=kw)),
        ("notifications", reverse("conversations:notifications", kwargs=kw)),
        ("record", reverse("careers:record", kwargs=kw)),
    ]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_member_reads_no_english_on_the_main_pages(language, people, other_people, live_server,
                                                    page, screenshot):
    built = build(people, language)
    names = {part for pair in PEOPLE.values() for part in pair} | {people.org.name}
    base = live_server.url
    sign_in(page, base, people.employee.user.email)
    problems = []
    for name, url in walk(page, base, people.org.slug, built):
        response = page.goto(f"{base}{url}")
        assert response is not None and response.ok, f"{name}: {url} answered " \
            f"{response.status if response else 'nothing'}"
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang", timeout=5_000).startswith(language)
        screenshot(page, f"walk-{language}-{name}")
        lines = english_lines(page.locator("body").inner_text(), names)
        if lines:
            problems.append(f"{name} ({url}):\n  " + "\n  ".join(lines))
    assert not problems, "English on the pages:\n" + "\n".join(problems)


def test_hr_gives_a_skill_its_french_name_and_the_member_reads_it(people, other_people,
                                                                  live_server, browser,
                                                                  screenshot):
    built = build(people, "fr")
    people.hr.user.language = ""
    people.hr.user.save()
    skill = Skill.objects_unscoped.get(organization=people.org, name="Software testing")
    base, kw = live_server.url, {"org_slug": people.org.slug}

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    hr = context.new_page()
    hr.set_default_timeout(15_000)
    sign_in(hr, base, people.hr.user.email)
    hr.goto(base + reverse("skills:skill_detail", kwargs={**kw, "skill_id": skill.pk}))
    assert hr.get_by_label("Skill name", exact=True).input_value() == "Software testing"
    hr.get_by_text("Other languages").first.click()
    french = hr.get_by_label("Skill name (Français)")
    assert french.input_value() == "Tests logiciels"
    french.fill("Tests et qualité logicielle")
    screenshot(hr, "walk-hr-skill-other-languages")
    hr.get_by_role("button", name="Save").first.click()
    assert "saved" in hr.content()
    context.close()

    member = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = member.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, people.employee.user.email)
    page.goto(base + reverse("skills:gaps", kwargs={**kw, "role_id": built["check_in"].role_id}))
    assert "Tests et qualité logicielle" in page.locator("body").inner_text()
    member.close()
