"""Placeholder until the documents page is built in this step."""

from django.http import HttpResponse
from django.urls import path


def contract_documents(request, pk: int):
    return HttpResponse(status=501)


urlpatterns = [path("contracts/<int:pk>/documents/", contract_documents, name="contract_documents")]
