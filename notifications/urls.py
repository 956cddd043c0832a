from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications.api import AlertViewSet, PreferenceView

router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="alert")

urlpatterns = [
    *router.urls,
    path("notification-preferences/", PreferenceView.as_view(), name="notification-preferences"),
]
