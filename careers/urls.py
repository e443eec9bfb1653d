from django.urls import include, path

app_name = "careers"

urlpatterns = [
    # The member: reflections (with autosave, sharing, comparison), the career record.
    path("reflections/", include("careers.urls_reflection")),
    # The member: goals, options and the development plan.
    path("", include("careers.urls_plan")),
    # Managers: what their reports share. HR: the template. HR and leaders: participation.
    path("", include("careers.urls_people")),
    path("manage/", include("careers.urls_hr")),
]
