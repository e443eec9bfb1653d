from django.urls import include, path

app_name = "skills"

urlpatterns = [
    # Members and managers: my skills, check-ins, gaps, pathway explorer, validation, team matrix.
    path("", include("skills.urls_member")),
    path("notices/", include("skills.urls_notices")),
    # HR: framework, role profile and career path editors; import and export.
    path("manage/", include("skills.urls_hr")),
    path("manage/", include("skills.urls_interchange")),
]
