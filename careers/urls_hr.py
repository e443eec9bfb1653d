"""HR's reflection template editor and the participation page of HR and leaders, mounted at
/o/<org_slug>/career/manage/ (names in the ``careers`` namespace)."""

from django.urls import path

from .views import hr

urlpatterns = [
    # The template: the current version to edit (?version=N shows an earlier one as it was).
    path("template/", hr.template_editor, name="template"),
    path("template/reset/", hr.template_reset, name="template_reset"),
    path("template/areas/", hr.template_area_add, name="template_area_add"),
    path("template/areas/<int:area_id>/", hr.template_area_update, name="template_area_update"),
    path("template/areas/<int:area_id>/remove/", hr.template_area_remove,
         name="template_area_remove"),
    path("template/areas/<int:area_id>/move/", hr.template_area_move,
         name="template_area_move"),
    path("template/areas/<int:area_id>/prompts/", hr.template_prompt_add,
         name="template_prompt_add"),
    path("template/prompts/<int:prompt_id>/", hr.template_prompt_update,
         name="template_prompt_update"),
    path("template/prompts/<int:prompt_id>/remove/", hr.template_prompt_remove,
         name="template_prompt_remove"),
    path("template/prompts/<int:prompt_id>/move/", hr.template_prompt_move,
         name="template_prompt_move"),
    # Who takes part: completion for HR admins, aggregates for leaders.
    path("participation/", hr.participation, name="participation"),
]
