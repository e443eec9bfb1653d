"""factory_boy factories for the careers app.

Each row takes its organisation from the row it belongs to (an answer from its reflection, a
reflection from its member …), so a factory graph never spans two organisations by accident.
"""

import factory

from organizations.factories import MembershipFactory, OrganizationFactory, TenantFactory

from .models import (
    Reflection,
    ReflectionAnswer,
    ReflectionArea,
    ReflectionPrompt,
    ReflectionShare,
    ReflectionTemplate,
)


class ReflectionTemplateFactory(TenantFactory):
    class Meta:
        model = ReflectionTemplate

    organization = factory.SubFactory(OrganizationFactory)
    version = factory.Sequence(lambda n: n + 1)
    is_current = True


class ReflectionAreaFactory(TenantFactory):
    class Meta:
        model = ReflectionArea

    template = factory.SubFactory(ReflectionTemplateFactory)
    organization = factory.SelfAttribute("template.organization")
    key = factory.Sequence(lambda n: f"area-{n}")
    title = factory.Sequence(lambda n: f"Area {n}")
    position = factory.Sequence(lambda n: n)


class ReflectionPromptFactory(TenantFactory):
    class Meta:
        model = ReflectionPrompt

    area = factory.SubFactory(ReflectionAreaFactory)
    organization = factory.SelfAttribute("area.organization")
    key = factory.Sequence(lambda n: f"prompt-{n}")
    text = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n)


class ReflectionFactory(TenantFactory):
    class Meta:
        model = Reflection

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    template = factory.SubFactory(ReflectionTemplateFactory,
                                  organization=factory.SelfAttribute("..organization"))


class ReflectionAnswerFactory(TenantFactory):
    class Meta:
        model = ReflectionAnswer

    reflection = factory.SubFactory(ReflectionFactory)
    organization = factory.SelfAttribute("reflection.organization")
    prompt = factory.SubFactory(
        ReflectionPromptFactory,
        area__template=factory.SelfAttribute("...reflection.template"))
    text = factory.Faker("sentence")


class ReflectionShareFactory(TenantFactory):
    class Meta:
        model = ReflectionShare

    reflection = factory.SubFactory(ReflectionFactory)
    organization = factory.SelfAttribute("reflection.organization")
    area = factory.SubFactory(ReflectionAreaFactory,
                              template=factory.SelfAttribute("..reflection.template"))


# --- Goals, options and the development plan ---------------------------------------------------
# Models are named as "app.Model" strings so this section needs no import of its own.


class CareerGoalFactory(TenantFactory):
    class Meta:
        model = "careers.CareerGoal"

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    target_role = None
    title = factory.Sequence(lambda n: f"Career goal {n}")
    horizon = "1y"
    status = "exploring"
    shared_with_manager = False


class CareerOptionFactory(TenantFactory):
    class Meta:
        model = "careers.CareerOption"

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    title = factory.Sequence(lambda n: f"Career option {n}")
    decision = "undecided"
    shared_with_manager = False


class OptionCriterionFactory(TenantFactory):
    class Meta:
        model = "careers.OptionCriterion"

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 3
    position = factory.Sequence(lambda n: n)


class OptionRatingFactory(TenantFactory):
    class Meta:
        model = "careers.OptionRating"

    option = factory.SubFactory(CareerOptionFactory)
    organization = factory.SelfAttribute("option.organization")
    criterion = factory.SubFactory(OptionCriterionFactory,
                                   member=factory.SelfAttribute("..option.member"))
    score = 3


class DevelopmentActionFactory(TenantFactory):
    class Meta:
        model = "careers.DevelopmentAction"

    member = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("member.organization")
    title = factory.Sequence(lambda n: f"Development action {n}")
    kind = "training"
    status = "planned"
    skill = None
    resource = None
    due_date = None
    hours = None
    shared_with_manager = True
