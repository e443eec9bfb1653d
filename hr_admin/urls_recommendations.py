"""Pages of hr_admin: HR's recommendations queue, under /o/<org_slug>/hr/recommendations/.

HR admins decide (and can record the move); leaders read; anyone else gets 404. Managers write
and follow their own recommendations in the conversations app.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import recommendations as views

urlpatterns = [
    path("", views.queue, name="recommendations"),
    path("<int:recommendation_id>/", views.recommendation, name="recommendation"),
    path("<int:recommendation_id>/decide/", views.recommendation_decide,
         name="recommendation_decide"),
]


def _pending(request) -> int:
    """Recommendations waiting for HR: one indexed count (``recommendation_status``)."""
    from conversations.models import Recommendation, RecommendationStatus

    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_hr_admin:
        return 0
    return (Recommendation.objects.for_org(membership.organization_id)
            .filter(status=RecommendationStatus.PENDING).exclude(member=membership).count())


# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("organizations:people", [
        NavItem(_("Recommendations"), "hr_admin:recommendations", "thumbs-up",
                frozenset({"hr", "leader"}), count=_pending),
    ]),
]
