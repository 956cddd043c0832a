"""The demo data set: safe to load twice, a login for every role the pages serve (with a Chinese
name and an e-mail address), the superuser of /admin/, a special wage contract before the
workers' congress with its secret ballot open, and the table of logins as the last lines printed."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from bargaining.management.commands.demo_data import PEOPLE, SUPERUSER, WAGE_CONTRACT
from bargaining.models import ConsultationSession, Negotiation, Proposal, Representative, Side
from contracts.compliance.models import Breach
from contracts.enterprises.models import Enterprise, Membership, Role
from contracts.models import CongressMode, CongressSession, Contract, ContractKind, ContractStatus
from contracts.rules.packs import rule_pack_get
from contracts.services.congress import congress_decide
from notifications.models import Alert

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-word"
CHINESE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def demo_data(*args: str) -> list[str]:
    """Run the command; the lines it printed."""
    out = StringIO()
    call_command("demo_data", "--password", PASSWORD, "--url", "http://127.0.0.1:8000/", *args, stdout=out)
    return out.getvalue().splitlines()


def counts() -> dict[str, int]:
    models = (
        get_user_model(),
        Membership,
        Enterprise,
        Negotiation,
        Representative,
        ConsultationSession,
        Proposal,
        Contract,
        CongressSession,
        Breach,
        Alert,
    )
    return {model.__name__: model.objects.count() for model in models}


def roles_of(username: str) -> set[str]:
    return set(Membership.objects.filter(user__username=username).values_list("role", flat=True))


@pytest.fixture
def loaded(media_root):
    return demo_data()


def test_demo_data_loads_twice_and_the_second_run_changes_nothing(media_root):
    demo_data()
    before = counts()

    second = demo_data()

    assert counts() == before
    assert before["Breach"] > 0 and before["ConsultationSession"] == 3 and before["CongressSession"] == 2
    assert "Demo data already loaded." in second[0] or "演示数据已加载" in second[0]


def test_demo_data_creates_a_login_for_every_role_with_a_chinese_name_and_an_email(loaded):
    users = get_user_model().objects.filter(username__in=[p.username for p in (*PEOPLE, SUPERUSER)])

    assert users.count() == len(PEOPLE) + 1
    for user in users:
        assert CHINESE.match(user.get_full_name()), user.username
        assert user.email == f"{user.username}@example.org"
        assert user.check_password(PASSWORD), user.username
    held = set(Membership.objects.filter(user__in=users).values_list("role", flat=True))
    assert held == set(Role.values)


def test_demo_data_has_both_chief_representatives_as_logins_who_signed_the_minutes(loaded):
    chiefs = Representative.objects.filter(is_chief=True, user__isnull=False).select_related("user")

    assert {(chief.side, chief.user.username) for chief in chiefs} == {
        (Side.UNION, "demo"),
        (Side.EMPLOYER, "demo-employer"),
    }
    signed = ConsultationSession.objects.filter(union_signed_by__isnull=False, employer_signed_by__isnull=False)
    assert signed.count() == 2


def test_demo_data_has_logins_of_one_enterprise_only_in_each_enterprise(loaded):
    one_only: dict[str, set[str]] = {}
    for person in PEOPLE:
        places = {place for place, role in person.roles if role != Role.FEDERATION_OFFICER}
        if len(places) == 1 and Role.CONGRESS_DELEGATE not in {role for _place, role in person.roles}:
            one_only.setdefault(places.pop(), set()).add(person.username)

    assert set(one_only) == set(Enterprise.objects.values_list("name", flat=True))
    for usernames in one_only.values():
        assert any(Role.UNION_NEGOTIATOR in roles_of(username) for username in usernames)


def test_demo_data_has_a_superuser_for_the_admin(loaded):
    admin = get_user_model().objects.get(username="admin")

    assert admin.is_staff and admin.is_superuser
    client = Client()
    assert admin.check_password(PASSWORD)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_demo_data_opens_a_secret_ballot_on_a_wage_contract_its_delegates_can_pass(loaded):
    session = CongressSession.objects.select_related("contract__enterprise").get(closed_at__isnull=True)
    delegates = Membership.objects.filter(enterprise=session.contract.enterprise, role=Role.CONGRESS_DELEGATE)

    assert session.contract.title == WAGE_CONTRACT
    assert session.contract.kind == ContractKind.WAGES
    assert session.contract.status == ContractStatus.IN_CONGRESS
    assert session.mode == CongressMode.BALLOT
    assert session.receipts.count() == 0
    assert delegates.count() >= 5
    assert session.delegates_total >= delegates.count()
    # R6: the demo's delegates, all present and voting yes, carry the vote
    result = congress_decide(
        delegates_total=session.delegates_total,
        present=delegates.count(),
        yes=delegates.count(),
        no=0,
        abstain=0,
        pack=rule_pack_get(session.contract.enterprise.rule_pack),
    )
    assert result["passed"] is True


def test_demo_data_prints_the_table_of_logins_as_its_last_lines(media_root):
    lines = demo_data()

    start = next(index for index, line in enumerate(lines) if PASSWORD in line)
    heading, columns, rule, *rows = lines[start:]
    assert "http://127.0.0.1:8000/" in heading and "http://127.0.0.1:8000/admin/" in heading
    assert all(word in columns for word in ("username", "enterprise", "role"))
    assert set(rule.strip()) == {"-", " "}
    # then nothing but the rows, one per login and enterprise, in the order of PEOPLE, the admin last
    usernames = [person.username for person in (*PEOPLE, SUPERUSER)]
    assert list(dict.fromkeys(row.split()[0] for row in rows)) == usernames
    # each saying who it is in words: name, enterprise, role in Chinese and English, never a code
    delegate = next(row for row in rows if row.split()[0] == "demo-delegate-1")
    assert "张秀英" in delegate and "华南纺织有限公司" in delegate
    assert "职工代表 workers' congress delegate" in delegate
    chief = next(row for row in rows if row.split()[0] == "demo-employer")
    assert "东方精密机械有限公司" in chief and "employer chief representative" in chief
    for code in Role.values:
        assert "_" not in code or code not in "\n".join(rows), code


def test_demo_data_logins_only_prints_the_same_table_and_loads_nothing(loaded):
    before = counts()

    only = demo_data("--logins-only")

    assert counts() == before
    assert only == loaded[1:]  # all but "Demo data loaded."


def test_demo_data_is_silent_at_verbosity_zero(media_root):
    assert demo_data("--verbosity", "0") == []
    assert get_user_model().objects.filter(username="demo-delegate-5").exists()


def test_demo_logins_of_one_enterprise_see_only_it_and_the_delegates_their_vote(loaded):
    def home_of(username):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client.get("/").content.decode()

    machinery, textiles = (Enterprise.objects.get(name=name) for name in ("东方精密机械有限公司", "华南纺织有限公司"))
    machinery_union = home_of("demo-machinery-union")
    assert f'id="enterprise-{machinery.pk}"' in machinery_union
    assert f'id="enterprise-{textiles.pk}"' not in machinery_union
    textiles_union = home_of("demo-textiles-union")
    assert f'id="enterprise-{textiles.pk}"' in textiles_union
    assert f'id="enterprise-{machinery.pk}"' not in textiles_union
    delegate = home_of("demo-delegate-1")
    assert 'class="button primary vote"' in delegate
    assert WAGE_CONTRACT in delegate
