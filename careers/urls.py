from django.urls import include, path

app_name = "careers"

urlpatterns = [
    path("reflections/", include("careers.urls_reflection")),
    path("", include("careers.urls_plan")),
]
