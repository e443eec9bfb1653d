from django.http import HttpResponse
from django.urls import path

# Placeholders until the pages exist; the navigation links to these names.
urlpatterns = [
    path("notifications/", lambda request, org_slug: HttpResponse(""), name="notifications"),
]
