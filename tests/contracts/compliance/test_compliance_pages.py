"""Who reads payroll compliance in pages: the payroll and breach pages are for negotiators,
union leaders, administrators and federation officers, not for a congress delegate for being one."""

import pytest
from django.test import Client

from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory, FederationOfficerFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PAGES = ["/payroll/", "/breaches/"]


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_a_congress_delegate_is_refused_every_compliance_page(path, enterprise, make_member):
    delegate = make_member(enterprise, Role.CONGRESS_DELEGATE)

    assert page_client(delegate).get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR, Role.UNION_LEADER, Role.ADMIN])
def test_the_enterprise_s_negotiators_leaders_and_administrators_read_them(path, role, enterprise, make_member):
    assert page_client(make_member(enterprise, role)).get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_a_federation_officer_reads_them(path, enterprise):
    officer = FederationOfficerFactory(federation=enterprise.federation).user

    assert page_client(officer).get(path).status_code == 200


def test_a_delegate_here_and_a_negotiator_elsewhere_may_upload_only_where_they_negotiate(enterprise, make_member):
    user = make_member(enterprise, Role.CONGRESS_DELEGATE)
    elsewhere = EnterpriseFactory(name="另一家企业")
    MembershipFactory(user=user, enterprise=elsewhere, role=Role.UNION_NEGOTIATOR)

    response = page_client(user).get("/payroll/")

    assert response.status_code == 200
    choices = [str(label) for _value, label in response.context["form"].fields["enterprise"].choices if _value]
    assert choices == [elsewhere.name]
