from django.urls import path

from .views import people, record

urlpatterns = [
    path("shared/", people.shared, name="shared"),
    path("shared/<int:member_id>/", people.shared_member, name="shared_member"),
    path("record/", record.record, name="record"),
    path("record.json", record.record_json, name="record_json"),
]
