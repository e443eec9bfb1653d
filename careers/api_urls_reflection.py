from django.urls import path

from .api import reflections as api

urlpatterns = [
    path("reflections/", api.ReflectionListView.as_view(), name="reflection-list"),
    path("reflections/<int:reflection_id>/", api.ReflectionDetailView.as_view(),
         name="reflection-detail"),
    path("reflections/<int:reflection_id>/compare/", api.ReflectionCompareView.as_view(),
         name="reflection-compare"),
    path("reflections/<int:reflection_id>/answers/<int:prompt_id>/",
         api.ReflectionAnswerView.as_view(), name="reflection-answer"),
    path("reflections/<int:reflection_id>/shares/<int:area_id>/",
         api.ReflectionShareView.as_view(), name="reflection-share"),
    path("shared/", api.SharedListView.as_view(), name="shared-list"),
    path("shared/<int:member_id>/", api.SharedMemberView.as_view(), name="shared-detail"),
    path("record/", api.RecordView.as_view(), name="record"),
]
