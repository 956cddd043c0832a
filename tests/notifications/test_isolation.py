"""A user of enterprise A never receives anything about enterprise B: not by e-mail (at once
or in a digest), not in the app."""

import datetime as dt

import pytest

from bargaining.models import Side
from bargaining.services.deadline_alerts import negotiation_deadline_alerts_raise
from bargaining.services.negotiations import negotiation_request
from contracts.enterprises.models import Role
from contracts.models import ContractStatus
from contracts.services.deadline_alerts import contract_deadline_alerts_raise
from notifications.models import Mode, Preference
from notifications.services import digests_prepare
from tests.factories import (
    ContractFactory,
    EnterpriseFactory,
    FederationOfficerFactory,
    MembershipFactory,
    NegotiationFactory,
    contract_in_effect,
    payroll_check,
    payroll_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

D = dt.date.fromisoformat


def staff(enterprise, prefix):
    """Everyone who hears about ``enterprise``: a leader at once, a leader by digest, both
    sides' negotiators, and the officer of its federation."""
    people = {
        "leader": MembershipFactory(enterprise=enterprise, role=Role.UNION_LEADER).user,
        "digest_leader": MembershipFactory(enterprise=enterprise, role=Role.UNION_LEADER).user,
        "union": MembershipFactory(enterprise=enterprise, role=Role.UNION_NEGOTIATOR).user,
        "employer": MembershipFactory(enterprise=enterprise, role=Role.EMPLOYER_NEGOTIATOR).user,
        "officer": FederationOfficerFactory(federation=enterprise.federation).user,
    }
    for user in people.values():
        user.email = f"{prefix}-{user.username}@example.org"
        user.save()
    Preference.objects.create(user=people["digest_leader"], mode=Mode.DAILY_DIGEST)
    return people


def everything_about(enterprise, people, name):
    """A late filing (owed by the employer), an unanswered request (owed by the union) and a
    payroll breach, each naming ``name``."""
    ContractFactory(
        enterprise=enterprise, title=f"{name} contract", status=ContractStatus.SIGNED, signed_on=D("2026-03-02")
    )
    negotiation = NegotiationFactory(enterprise=enterprise, title=f"{name} talks")
    negotiation_request(
        user=people["employer"], negotiation=negotiation, requested_by=Side.EMPLOYER, received_on=D("2026-03-04")
    )
    contract_in_effect(enterprise, people["union"])
    payroll_check(people["union"], enterprise, payroll_csv(("E1", "2025-03", "2500.00")))


def test_users_of_enterprise_a_hear_nothing_about_enterprise_b(smtp_backend, send_outbox, client_for):
    # given two enterprises in different federations, each with its people and its troubles
    alpha = EnterpriseFactory(name="Alpha Textiles")
    beta = EnterpriseFactory(name="Beta Electronics")
    alpha_people, beta_people = staff(alpha, "alpha"), staff(beta, "beta")
    everything_about(alpha, alpha_people, "Alpha")
    everything_about(beta, beta_people, "Beta")

    # when the sweeps raise their alerts and everything, the digest included, is e-mailed
    contract_deadline_alerts_raise(today=D("2026-03-25"))
    negotiation_deadline_alerts_raise(today=D("2026-03-25"))
    digests_prepare()
    send_outbox()

    # then everyone got e-mail, and only about their own enterprise
    received = smtp_backend.received
    assert {r.rcpt_tos[0].split("-")[0] for r in received} == {"alpha", "beta"}
    sides = ((alpha, alpha_people, "Alpha", "Beta"), (beta, beta_people, "Beta", "Alpha"))
    for enterprise, people, own, other in sides:
        for role, user in people.items():
            messages = smtp_backend.to(user.email)
            assert messages, f"{own} {role} received nothing"
            for message in messages:
                assert message.rcpt_tos == [user.email]
                content = message.subject + message.text + message.html
                assert own in content
                assert other not in content, f"{own} {role} was told about {other}: {message.subject}"
            # and in the app, their alerts are about their own enterprise only
            listed = client_for(user).get("/api/v1/alerts/", {"page_size": 100}).json()["results"]
            assert {alert["context"]["enterprise"] for alert in listed} == {enterprise.name}
