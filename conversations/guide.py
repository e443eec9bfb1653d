"""The conversation guide: a suggested series of four career conversations, with the prompts a
manager, mentor or coach keeps beside the notes while they talk, and the employee's
preparation advice.

The words follow the source article (``000_d1b8b1412d3e48e0.txt``): a career conversation
should leave the employee with a clearer sense of direction, more self-insight, a broader view of
their options and the resources to learn more, and more confidence and motivation; the partner
gives genuine positive feedback and dovetails the employee's needs with the organisation's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Outcome:
    """One of the four things a good career conversation gives the employee."""

    key: str
    label: str
    question: str


#: In the order of ``conversations.models.Outcome``'s fields, which hold the ratings.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome("direction", _("A clearer sense of career direction"),
            _("Do you have a clearer idea of where you are going, even without a detailed "
              "path?")),
    Outcome("self_insight", _("Increased self-insight"),
            _("Do you have a more realistic view of your abilities and potential?")),
    Outcome("options", _("A broader understanding of options and resources"),
            _("Do you know more about the career options open to you, and what can help you "
              "learn more?")),
    Outcome("confidence", _("Increased confidence and motivation"),
            _("Do you feel more confident and motivated about your next steps?")),
)


@dataclass(frozen=True)
class GuideStep:
    number: int
    key: str
    title: str
    purpose: str
    prompts: tuple[str, ...]
    #: Advice for the partner who leads the conversation.
    tips: tuple[str, ...]
    #: Keys of ``OUTCOMES`` this conversation works on most.
    outcomes: tuple[str, ...]

    @property
    def outcome_labels(self) -> list[str]:
        return [o.label for o in OUTCOMES if o.key in self.outcomes]


STEPS: tuple[GuideStep, ...] = (
    GuideStep(
        number=1, key="where-you-are",
        title=_("Where you're at and what matters"),
        purpose=_("How they feel about their job and career today, and what is important to "
                  "them. Saying it out loud clears away what gets in the way of positive "
                  "thought and action."),
        prompts=(
            _("How do you feel about your current job?"),
            _("And about your career situation overall?"),
            _("Is anything getting in the way of feeling positive about your work?"),
            _("Which skills do you most like to use? Which activities do you enjoy most?"),
            _("What are your values in relation to work?"),
            _("What kind of work environment, and what kind of people, do you prefer?"),
        ),
        tips=(
            _("Listen more than you talk: this one is about them, not about the next role."),
            _("Show you care: ask follow-up questions and note what energises them."),
        ),
        outcomes=("self_insight", "direction"),
    ),
    GuideStep(
        number=2, key="strengths-success",
        title=_("Strengths and what success looks like"),
        purpose=_("What success would look like for them, and the skills and qualities they "
                  "bring, with genuine positive feedback on their strengths, attributes and "
                  "achievements."),
        prompts=(
            _("What does success look like for you? What would you be doing day to day?"),
            _("Where would you be working, and what responsibilities would you have?"),
            _("What outcomes and deliverables would you be producing, and who would you work "
              "with and for?"),
            _("What are your strengths? What would you like to get better at?"),
            _("How do you think the organisation sees you?"),
        ),
        tips=(
            _("Shine a spotlight on their strengths, attributes and achievements, with "
              "specific examples: genuine positive feedback builds confidence that lasts."),
            _("Be honest about how the organisation sees them, and about gaps, kindly."),
        ),
        outcomes=("self_insight", "confidence"),
    ),
    GuideStep(
        number=3, key="options",
        title=_("Options and opportunities"),
        purpose=_("The opportunities open to them, in their current role and elsewhere in the "
                  "organisation, how to navigate the way things are done here, and how to "
                  "weigh the options."),
        prompts=(
            _("What opportunities are there for you in your current role?"),
            _("Which opportunities elsewhere in the organisation interest you?"),
            _("How could you raise your profile and be more visible to key people?"),
            _("What are the pros and cons of each option? Which fits what matters to you?"),
            _("Who could you talk to, and what could you read or try, to learn more?"),
        ),
        tips=(
            _("Dovetail their needs with the organisation's: look for where what they want "
              "meets what the organisation needs, a win-win."),
            _("Explain how moves happen here: the processes, and the unwritten rules."),
        ),
        outcomes=("options", "direction"),
    ),
    GuideStep(
        number=4, key="plan",
        title=_("Plan and next steps"),
        purpose=_("Where they want to go next and the development or experience it takes, "
                  "turned into a focused, realistic plan of a few actions."),
        prompts=(
            _("Where do you want to go next, even if it is not a detailed career path?"),
            _("What development or experience do you need to get there?"),
            _("Which two or three actions will you take, and by when?"),
            _("What support do you need from me, and from others?"),
            _("How confident do you feel about these next steps? What would help?"),
        ),
        tips=(
            _("Agree a few concrete actions and record them as agreed actions: each one goes "
              "into their development plan."),
            _("Identify or create an opportunity for development you can offer yourself."),
        ),
        outcomes=("direction", "confidence"),
    ),
)


@dataclass(frozen=True)
class PreparationPart:
    field: str
    title: str
    help: str
    prompts: tuple[str, ...]


#: The employee's preparation, after the article's advice: reflect on the journey so far,
#: what to ask, what to share.
PREPARATION: tuple[PreparationPart, ...] = (
    PreparationPart(
        "journey", _("Reflect on your journey so far"),
        _("What you have done, learnt and enjoyed since you joined, or since your last career "
          "conversation."),
        (_("What are you proudest of?"), _("What have you learnt, and what surprised you?"),
         _("When did you feel most energised, and when least?")),
    ),
    PreparationPart(
        "to_ask", _("What I want to ask"),
        _("Questions for your partner: about opportunities, how the organisation sees you, "
          "how moves happen here."),
        (_("What opportunities might suit me, here or elsewhere in the organisation?"),
         _("How do you see my strengths, and what should I develop?"),
         _("Who else should I talk to?")),
    ),
    PreparationPart(
        "to_share", _("What I want to share"),
        _("What you would like them to know: your aspirations, what matters to you, what gets "
          "in your way."),
        (_("Where would I like to be in a year or two?"),
         _("What matters most to me in my work?"),
         _("What support would help me?")),
    ),
)


def step(number: int | str | None) -> GuideStep | None:
    """The step with this number (1 to 4), or None."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return next((s for s in STEPS if s.number == number), None)


def step_after(held: int) -> GuideStep:
    """The step for a pair's next conversation after ``held`` held ones: the series starts
    again after the fourth."""
    return STEPS[max(0, held) % len(STEPS)]
