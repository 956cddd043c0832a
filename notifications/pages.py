"""Placeholder until the alert pages are built in this step."""

from django.http import HttpResponse
from django.urls import path

app_name = "notifications"


def alert_index(request):
    return HttpResponse(status=501)


def preferences(request):
    return HttpResponse(status=501)


urlpatterns = [
    path("alerts/", alert_index, name="alerts"),
    path("alerts/preferences/", preferences, name="preferences"),
]
