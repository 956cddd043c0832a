"""Placeholder until the versions page is built in this step."""

from django.http import HttpResponse
from django.urls import path


def contract_versions(request, pk: int):
    return HttpResponse(status=501)


urlpatterns = [path("contracts/<int:pk>/versions/", contract_versions, name="contract_versions")]
