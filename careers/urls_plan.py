"""The member's goals, options and development plan, under /o/<org_slug>/career/ (names in the
``careers`` namespace). Every page is the member's own."""

from django.urls import path

from .views import plan

urlpatterns = [
    # Goals & options on one page; each goal and option on its own.
    path("goals/", plan.goals, name="goals"),
    path("goals/add/", plan.goal_create, name="goal_create"),
    path("goals/<int:goal_id>/", plan.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/delete/", plan.goal_delete, name="goal_delete"),
    path("options/add/", plan.option_create, name="option_create"),
    path("options/<int:option_id>/", plan.option, name="option"),
    path("options/<int:option_id>/delete/", plan.option_delete, name="option_delete"),
    # What the member weighs options against.
    path("options/criteria/", plan.criteria, name="criteria"),
    path("options/criteria/suggested/", plan.criteria_defaults, name="criteria_defaults"),
    path("options/criteria/<int:criterion_id>/", plan.criterion_edit, name="criterion_edit"),
    path("options/criteria/<int:criterion_id>/delete/", plan.criterion_delete,
         name="criterion_delete"),
    # The development plan.
    path("plan/", plan.plan, name="plan"),
    path("plan/add/", plan.action_create, name="action_create"),
    path("plan/from-resource/<int:resource_id>/", plan.action_from_resource,
         name="action_from_resource"),
    path("plan/<int:action_id>/", plan.action_edit, name="action_edit"),
    path("plan/<int:action_id>/status/", plan.action_status, name="action_status"),
    path("plan/<int:action_id>/delete/", plan.action_delete, name="action_delete"),
]
