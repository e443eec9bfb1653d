"""The reflection template Trellis ships: the eight areas an employee reflects on.

The areas and their questions follow "Career Management. Whose Responsibility is it Anyway?"
(the areas employees need support with to take ownership of their careers). An organisation's
first template is made from these, in its default language; HR adapts it from there.
"""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

DEFAULT_AREAS = [
    {
        "key": "where-i-am",
        "title": _("Where I'm at"),
        "intro": _("How you feel about your current job and career situation. Saying it "
                   "clearly can discharge negative emotions that get in the way of positive "
                   "thought and action."),
        "prompts": [
            ("current-job", _("How do you feel about your current job?"),
             _("What energises you at the moment, and what drains you?")),
            ("career-situation", _("How do you feel about your career situation overall?"), ""),
            ("in-the-way", _("Is anything getting in the way of positive thought and action?"),
             _("Naming it is the first step to putting it aside.")),
        ],
    },
    {
        "key": "what-matters",
        "title": _("What's important to me"),
        "intro": _("What you value in your career: the skills you like to use, the work you "
                   "enjoy and the people and places you work best with."),
        "prompts": [
            ("skills-i-like", _("What skills do you like to use?"), ""),
            ("activities", _("What kind of activities do you enjoy most?"), ""),
            ("values", _("What are your values in relation to work?"), ""),
            ("environment", _("What kind of work environment do you prefer?"), ""),
            ("people", _("What kind of people do you enjoy working with?"), ""),
        ],
    },
    {
        "key": "success",
        "title": _("What success looks like"),
        "intro": _("Picture your career going well. Be as concrete as you can."),
        "prompts": [
            ("day-to-day", _("What kind of activities would you be doing on a day-to-day "
                             "basis?"), ""),
            ("location", _("Where would you be working, in terms of geography or location?"),
             ""),
            ("responsibilities", _("What kinds of responsibilities would you have?"), ""),
            ("outcomes", _("What kinds of outcomes and deliverables would you be producing?"),
             ""),
            ("working-with", _("Who would you be working with and for?"), ""),
        ],
    },
    {
        "key": "skills-qualities",
        "title": _("My skills and qualities"),
        "intro": _("An honest look at what you bring, and at how others see it."),
        "prompts": [
            ("strengths", _("What are your strengths?"),
             _("Think of the achievements you are proudest of: what made them possible?")),
            ("weaknesses", _("What are your weaknesses, or the areas you want to develop?"), ""),
            ("how-seen", _("How does the organisation view you?"),
             _("Feedback you have received, and what you think people would say.")),
        ],
    },
    {
        "key": "opportunities",
        "title": _("Opportunities available to me"),
        "intro": _("Opportunities can be found in your current role as well as elsewhere in "
                   "the organisation."),
        "prompts": [
            ("in-my-role", _("What opportunities are available to you in your current role?"),
             _("New responsibilities, projects, people to learn from.")),
            ("elsewhere", _("What opportunities are there elsewhere in the organisation?"),
             _("Other teams, roles, projects or gigs you have heard of.")),
        ],
    },
    {
        "key": "navigating",
        "title": _("Navigating the organisation"),
        "intro": _("Understanding how things are done “around here”: both the processes and "
                   "the tactics."),
        "prompts": [
            ("processes", _("How do career moves happen here, and what are the processes?"),
             ""),
            ("visibility", _("How could you raise your profile and be more visible to key "
                             "people?"), ""),
            ("moving-job", _("If you want to move job, what would it take here?"), ""),
        ],
    },
    {
        "key": "options",
        "title": _("Identifying and evaluating options"),
        "intro": _("Look at the pros and cons of each option, make a decision, or at least get "
                   "clearer about where you want to go."),
        "prompts": [
            ("options", _("What options do you see for your next step?"),
             _("You can weigh each one against your own criteria under Options.")),
            ("pros-cons", _("What are the pros and cons of the options you prefer?"), ""),
            ("direction", _("Where do you want to go, and what development or experience would "
                            "it need?"), ""),
        ],
    },
    {
        "key": "strategies",
        "title": _("Strategies and actions"),
        "intro": _("The career development strategies you can use to make progress, and the "
                   "actions you will take."),
        "prompts": [
            ("strategies", _("What career development strategies can you use to make "
                             "progress?"), _("Training, mentoring, a stretch project, "
                                             "shadowing, building your network …")),
            ("actions", _("What actions will you take, and by when?"),
             _("Add them to your development plan so they are not forgotten.")),
            ("support", _("Who could help you, and what will you ask them?"), ""),
        ],
    },
]


def _shipped_strings():
    for area in DEFAULT_AREAS:
        yield area["title"]
        yield area["intro"]
        for _key, text, hint in area["prompts"]:
            yield text
            if hint:
                yield hint


def _normal(text: str) -> str:
    return " ".join(str(text).split())


@functools.cache
def _shipped_index() -> dict[str, object]:
    """Each shipped text, as written in any of Trellis's languages → its translatable source."""
    index: dict[str, object] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for source in _shipped_strings():
                index.setdefault(_normal(source), source)
    return index


def shipped_text(text: str) -> str:
    """``text`` in the reader's language when it is a text Trellis ships, left as the
    organisation wrote it otherwise.

    An organisation's template is written once, in its default language; a member who reads
    Trellis in another language still sees the shipped areas and questions in their own, until
    HR rewords them (a reworded text is the organisation's own and is shown as written).
    """
    source = _shipped_index().get(_normal(text)) if text else None
    return str(source) if source is not None else text
