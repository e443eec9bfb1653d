from django.urls import path

from .views import reflections as views

urlpatterns = [
    path("", views.reflections, name="reflections"),
    path("new/", views.reflection_new, name="reflection_new"),
    path("<int:reflection_id>/", views.reflection, name="reflection"),
    path("<int:reflection_id>/delete/", views.reflection_delete, name="reflection_delete"),
    path("<int:reflection_id>/compare/", views.reflection_compare, name="reflection_compare"),
    path("<int:reflection_id>/areas/<int:area_id>/", views.reflection_area,
         name="reflection_area"),
    path("<int:reflection_id>/areas/<int:area_id>/share/", views.reflection_share,
         name="reflection_share"),
    path("<int:reflection_id>/prompts/<int:prompt_id>/", views.reflection_answer,
         name="reflection_answer"),
]
