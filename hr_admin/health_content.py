"""The Career Management Culture Health Check Trellis ships: dimensions, questions, strategies.

The dimensions follow the two source articles: career management is a partnership in which
employees own their careers, managers hold career conversations and create opportunities, HR
provides the tools and makes moves possible, and leaders commit, set goals and celebrate
progress. Questions are Likert statements (1 strongly disagree … 5 strongly agree), one career
eNPS question (0 to 10) and an optional comment. The wording is Trellis's own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dimension:
    key: str
    title: object
    description: object


@dataclass(frozen=True)
class Strategy:
    key: str
    dimension: str
    title: object
    text: object


DIMENSIONS = [
    Dimension("conversations", _("Career conversations happen"),
              _("People have regular, good-quality conversations about their careers, not only "
                "about their current objectives.")),
    Dimension("ownership", _("Employees own their careers"),
              _("People know where they are, what matters to them and where they want to go, "
                "and act on it.")),
    Dimension("managers", _("Managers support development"),
              _("Managers coach, give genuine positive feedback and create development "
                "opportunities.")),
    Dimension("opportunities", _("Opportunities are visible and moves happen"),
              _("Openings, projects and gigs are visible to everyone, and people move across "
                "the organisation.")),
    Dimension("hr_tools", _("HR tools and processes"),
              _("Skills frameworks, career paths and processes help people plan and make "
                "moves.")),
    Dimension("leadership", _("Leadership commitment and goals"),
              _("Leaders set goals for development, share progress and take part "
                "themselves.")),
    Dimension("recognition", _("Recognition and champions"),
              _("Growth is celebrated, and champions of career development are recognised.")),
    Dimension("skills", _("Skills and learning"),
              _("People know which skills their roles need, and have time and resources to "
                "learn them.")),
]

DIMENSION_KEYS = [d.key for d in DIMENSIONS]

# (key, dimension, kind, text)
QUESTIONS = [
    ("conv-regular", "conversations", "likert",
     _("I have a conversation about my career, not just my objectives, at least every few "
       "months.")),
    ("conv-quality", "conversations", "likert",
     _("My career conversations leave me clearer about where I am going.")),
    ("conv-prepared", "conversations", "likert",
     _("I know how to prepare for a career conversation and what to bring to it.")),
    ("own-direction", "ownership", "likert",
     _("I have a clear idea of the direction I want my career to take.")),
    ("own-plan", "ownership", "likert",
     _("I have a development plan that I keep up to date.")),
    ("own-initiative", "ownership", "likert",
     _("I feel able to take the initiative for my own development here.")),
    ("mgr-interest", "managers", "likert",
     _("My manager takes a genuine interest in my career.")),
    ("mgr-feedback", "managers", "likert",
     _("My manager gives me honest, positive feedback about my strengths.")),
    ("mgr-opportunities", "managers", "likert",
     _("My manager helps me find opportunities to develop.")),
    ("opp-visible", "opportunities", "likert",
     _("I can see the internal openings, projects and gigs I could apply for.")),
    ("opp-moves", "opportunities", "likert",
     _("People here move to new roles internally rather than leaving to progress.")),
    ("opp-fair", "opportunities", "likert",
     _("Internal opportunities are filled fairly and openly.")),
    ("hr-paths", "hr_tools", "likert",
     _("I understand the career paths open to me from my current role.")),
    ("hr-tools", "hr_tools", "likert",
     _("The tools and processes here make it easy to plan my development.")),
    ("hr-support", "hr_tools", "likert",
     _("I know where to get advice on my career inside the organisation.")),
    ("lead-commitment", "leadership", "likert",
     _("Our leaders show that developing people matters to them.")),
    ("lead-goals", "leadership", "likert",
     _("I know what goals the organisation has set for developing and promoting its "
       "people.")),
    ("lead-progress", "leadership", "likert",
     _("Leaders share how we are doing against those goals.")),
    ("rec-celebrated", "recognition", "likert",
     _("When people grow or move here, it is celebrated.")),
    ("rec-champions", "recognition", "likert",
     _("There are people here who champion career development and I know who they are.")),
    ("rec-valued", "recognition", "likert",
     _("Helping colleagues develop is valued and recognised.")),
    ("skills-known", "skills", "likert",
     _("I know which skills my role needs and where I stand against them.")),
    ("skills-time", "skills", "likert",
     _("I have time to learn during my working week.")),
    ("skills-resources", "skills", "likert",
     _("I can find the training, mentoring or resources I need to develop.")),
    ("enps", "", "enps",
     _("How likely are you to recommend this organisation as a place to grow a career?")),
    ("comment", "", "comment",
     _("Anything else you would like to say about career development here?")),
]

STRATEGIES = [
    Strategy("conv-cadence", "conversations", _("Set a rhythm for career conversations"),
             _("Agree a cadence (every three months is a good start), remind both sides ahead "
               "of time and follow up on people who are overdue.")),
    Strategy("conv-train", "conversations", _("Train managers and employees for the conversation"),
             _("Career conversations are a skill: a short workshop and a shared guide give "
               "both sides a structure and the confidence to use it.")),
    Strategy("conv-prepare", "conversations", _("Make preparation easy"),
             _("Invite people to reflect before the conversation — where they are, what "
               "matters, what success looks like — and bring it with them.")),
    Strategy("own-reflect", "ownership", _("Give people a structure to reflect"),
             _("A guided reflection on where they are, what is important to them and their "
               "options helps people take ownership instead of waiting to be told.")),
    Strategy("own-plan", "ownership", _("Make development plans living documents"),
             _("Ask everyone for a short plan with dated actions, and review it in each career "
               "conversation.")),
    Strategy("mgr-coach", "managers", _("Build managers' coaching skills"),
             _("Coaching and positive feedback can be learned; give managers practice and "
               "recognise those who do it well.")),
    Strategy("mgr-opportunities", "managers", _("Ask managers to create opportunities"),
             _("Stretch projects, shadowing and cross-team gigs grow people without waiting for "
               "a vacancy; make them part of how managers are judged.")),
    Strategy("opp-post", "opportunities", _("Post every opening internally first"),
             _("Make roles, projects and gigs visible to everyone, with the skills they need, "
               "before looking outside.")),
    Strategy("opp-mobility", "opportunities", _("Remove the barriers to moving"),
             _("Agree how managers release people for new roles and gigs, and set a goal for "
               "internal fills.")),
    Strategy("hr-paths", "hr_tools", _("Publish career paths and skills profiles"),
             _("Show the promotion, lateral and cross-functional moves from each role and the "
               "skills each needs.")),
    Strategy("hr-partner", "hr_tools", _("Make HR a career guide"),
             _("HR business partners can guide employees and managers, run skills validation "
               "and connect people with opportunities.")),
    Strategy("lead-goals", "leadership", _("Set and share development goals"),
             _("Leaders set goals — internal promotion rate, training hours, conversation "
               "coverage — and share progress regularly.")),
    Strategy("lead-example", "leadership", _("Lead by example"),
             _("Leaders hold career conversations with their own reports and talk about their "
               "own development.")),
    Strategy("rec-stories", "recognition", _("Celebrate success stories"),
             _("Share, with their consent, the stories of people who grew or moved, so others "
               "see what is possible.")),
    Strategy("rec-champions", "recognition", _("Name Office Career Champions"),
             _("Recognise the colleagues who mentor others, hold regular career conversations "
               "and champion development.")),
    Strategy("skills-framework", "skills", _("Keep skills profiles current"),
             _("Maintain the skills each role needs, spot emerging skills and tell people when "
               "they change.")),
    Strategy("skills-time", "skills", _("Protect time for learning"),
             _("Agree a number of learning hours per person and make them visible in "
               "development plans.")),
]

STRATEGIES_BY_DIMENSION: dict[str, list[Strategy]] = {}
for _strategy in STRATEGIES:
    STRATEGIES_BY_DIMENSION.setdefault(_strategy.dimension, []).append(_strategy)


def dimension(key: str) -> Dimension | None:
    return next((d for d in DIMENSIONS if d.key == key), None)


def _normal(text: str) -> str:
    return " ".join(str(text).split())


@functools.cache
def _shipped_index() -> dict[str, object]:
    index: dict[str, object] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for _key, _dimension, _kind, text in QUESTIONS:
                index.setdefault(_normal(text), text)
    return index


def shipped_question_text(text: str) -> str:
    """A shipped question in the reader's language; a question HR wrote, as written."""
    source = _shipped_index().get(_normal(text)) if text else None
    return str(source) if source is not None else text


# --- How answers become scores (one definition, used by every mode) ------------------------------
#
# - A Likert answer counts as favourable at 4 or 5; a question's favourability is the share of its
#   answers that are favourable, its mean the mean of its answers (1 to 5).
# - Points: a Likert answer is worth (value - 1) * 25, from 0 (1, strongly disagree) to 100
#   (5, strongly agree). A dimension's score is the mean of the points of all answers to its
#   questions; the index is the mean of the dimension scores (each dimension weighs the same).
# - Career eNPS: the share answering 9 or 10 minus the share answering 0 to 6, in points
#   from -100 to 100.
# - Weak dimensions score below WEAK_BELOW; the strongest and weakest are the top and bottom
#   HIGHLIGHTED dimensions by score.

FAVOURABLE_FROM = 4
WEAK_BELOW = 60
HIGHLIGHTED = 2
LIKERT = range(1, 6)
ENPS = range(0, 11)


def points(value: int) -> int:
    return (value - 1) * 25


def enps(values) -> float | None:
    values = list(values)
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return 100 * (promoters - detractors) / len(values)


def quick_scores(answers: dict[str, int]) -> dict:
    """One person's answers (question key → value) scored by the definitions above:
    ``{"dimensions": {key: score}, "index": …, "enps": …, "weak": [keys], "strongest": [keys],
    "weakest": [keys]}``. Used by the quick self-assessment; the survey scoring (in SQL) follows
    the same definitions."""
    by_dimension: dict[str, list[int]] = {}
    enps_values = []
    for key, dimension_key, kind, _text in QUESTIONS:
        value = answers.get(key)
        if value is None:
            continue
        if kind == "likert" and value in LIKERT:
            by_dimension.setdefault(dimension_key, []).append(points(value))
        elif kind == "enps" and value in ENPS:
            enps_values.append(value)
    dimensions = {key: sum(v) / len(v) for key, v in by_dimension.items()}
    ranked = sorted(dimensions, key=lambda k: (dimensions[k], DIMENSION_KEYS.index(k)))
    return {
        "dimensions": dimensions,
        "index": sum(dimensions.values()) / len(dimensions) if dimensions else None,
        "enps": enps(enps_values),
        "weak": [k for k in ranked if dimensions[k] < WEAK_BELOW],
        "weakest": ranked[:HIGHLIGHTED],
        "strongest": list(reversed(ranked[-HIGHLIGHTED:])) if ranked else [],
    }
