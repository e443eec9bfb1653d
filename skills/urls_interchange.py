"""HR pages to import and export frameworks (mounted under /o/<org_slug>/skills/manage/)."""

from django.urls import path

from .views import interchange

urlpatterns = [
    path("import/", interchange.framework_import, name="framework_import"),
    path("import/esco/", interchange.esco_import, name="esco_import"),
    path("frameworks/<int:framework_id>/export/", interchange.framework_export,
         name="framework_export"),
]
