"""Django admin for every domain model (the ballot box deliberately excepted), and every
changelist opens."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Its counters are the only place ballot choices exist; they show on the closed session.
NOT_IN_ADMIN = {"ballotbox"}


def domain_models():
    for label in ("bargaining", "contracts", "notifications"):
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical") and model._meta.model_name not in NOT_IN_ADMIN:
                yield model


@pytest.mark.parametrize("model", list(domain_models()), ids=lambda m: m._meta.label)
def test_every_domain_model_has_an_admin_whose_list_opens(model, admin_client):
    assert admin.site.is_registered(model)

    response = admin_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))

    assert response.status_code == 200
