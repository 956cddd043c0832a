"""The breaches' heat map: one row per commitment (term kind), one column per month, each cell
the employees affected there summed over the breaches in it, shaded by that number, and each
cell a link to the list of breaches narrowed to its term and month. The chart and the table
under it show the same grid."""

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contracts.compliance.heatmap import breach_heatmap
from contracts.compliance.models import Breach
from contracts.compliance.selectors import breach_list
from contracts.enterprises.models import Role
from contracts.rules.terms import TERM_KINDS
from tests.factories import EnterpriseFactory, MembershipFactory, contract_in_effect, payroll_check, payroll_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

MIN_WAGE = {"kind": "min_monthly_wage", "params": {"amount": "3000"}}
OVERTIME = {"kind": "max_overtime_hours_month", "params": {"hours": "36"}}
COLUMNS = ("employee_id", "period", "base_wage", "overtime_hours")


@pytest.fixture
def other_enterprise(db):
    return EnterpriseFactory(name="第二纺织厂")


@pytest.fixture
def leader(enterprise, other_enterprise, make_member):
    """A union leader of both enterprises."""
    user = make_member(enterprise, Role.UNION_LEADER)
    MembershipFactory(user=user, enterprise=other_enterprise, role=Role.UNION_LEADER)
    return user


@pytest.fixture
def breaches(enterprise, other_enterprise, union_user, make_member):
    """The first enterprise: one under the wage floor in January, two in March, two over 36 hours
    of overtime in March; the second: three under its wage floor in March."""
    contract_in_effect(enterprise, union_user, title="Contract A", terms=[MIN_WAGE, OVERTIME])
    payroll_check(
        union_user,
        enterprise,
        payroll_csv(
            ("E1", "2025-01", 2900, 0),
            ("E1", "2025-03", 2800, 10),
            ("E2", "2025-03", 2700, 50),
            ("E3", "2025-03", 3100, 40),
            columns=COLUMNS,
        ),
    )
    second = make_member(other_enterprise, Role.UNION_NEGOTIATOR)
    contract_in_effect(other_enterprise, second, title="Contract B", terms=[MIN_WAGE])
    payroll_check(
        second, other_enterprise, payroll_csv(("F1", "2025-03", 2000), ("F2", "2025-03", 2500), ("F3", "2025-03", 2999))
    )
    return Breach.objects.all()


def page_client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def grid(response) -> dict[tuple[str, str], tuple[str, str, str]]:
    """The heat map's table: (row heading, column) -> (figure, link, shade class)."""
    body = response.content.decode()
    table = re.search(r'<table class="heat" id="heatmap-table">(.*?)</table>', body, re.S).group(1)
    columns = re.findall(r'<th scope="col">([^<]*)</th>', table)[1:]
    cells = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", table, re.S):
        heading = " ".join(re.sub(r"<[^>]+>", " ", row.split("</th>")[0]).split())
        for column, td in zip(columns, re.findall(r"<td[^>]*>.*?</td>", row, re.S), strict=True):
            found = re.search(r'<td class="(heat-\d)"><a href="([^"]+)"[^>]*>(\d+)</a>', td)
            if found:
                cells[(heading, column)] = (found.group(3), html.unescape(found.group(2)), found.group(1))
    return cells


def chart(response) -> dict:
    body = response.content.decode()
    return json.loads(
        re.search(r'<script id="heatmap-data" type="application/json">(.*?)</script>', body, re.S).group(1)
    )


def listed(response) -> list[str]:
    """The breaches in the list under the map, each row's words."""
    body = response.content.decode()
    table = re.search(r'<table id="breaches" class="stack breach-list">(.*?)</table>', body, re.S).group(1)
    return sorted(
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r'<tr id="breach-\d+">(.*?)</tr>', table, re.S)
    )


def labels():
    with translation.override("en"):
        return {code: str(kind.label) for code, kind in TERM_KINDS.items()}


def test_the_map_is_term_by_month_with_the_affected_summed_over_enterprises(breaches, leader):
    heatmap = breach_heatmap(breaches=breach_list(user=leader))

    assert heatmap.columns == ["2025-01", "2025-02", "2025-03"]  # the month without a breach included
    assert [row.term_kind for row in heatmap.rows] == ["min_monthly_wage", "max_overtime_hours_month"]
    wage, overtime = heatmap.rows
    assert [(cell.affected, cell.breaches) if cell else None for cell in wage.cells] == [(1, 1), None, (2 + 3, 2)]
    assert [(cell.affected, cell.breaches) if cell else None for cell in overtime.cells] == [None, None, (2, 1)]
    assert heatmap.max_affected == 5
    assert [cell.level for cell in heatmap.cells] == [1, 5, 2]  # of 5 shades, the most the darkest
    assert wage.articles == ""  # two contracts: no one article numbers the row


def test_a_map_of_one_contract_names_each_row_by_its_printed_article(breaches, enterprise, leader):
    with translation.override("en"):
        heatmap = breach_heatmap(breaches=breach_list(user=leader).filter(enterprise=enterprise))
        assert [row.heading for row in heatmap.rows] == [
            f"Article 1 {labels()['min_monthly_wage']}",
            f"Article 1 {labels()['max_overtime_hours_month']}",
        ]
    assert [cell.affected for cell in heatmap.cells] == [1, 2, 2]


def test_a_yearly_term_s_column_follows_its_year_s_months(breaches, leader):
    breach = Breach.objects.filter(period="2025-01").get()
    Breach.objects.create(
        **{
            field.name: getattr(breach, field.name)
            for field in Breach._meta.concrete_fields
            if field.name not in ("id", "period", "term_kind", "created_at")
        },
        term_kind="annual_leave_days",
        period="2025",
    )

    heatmap = breach_heatmap(breaches=breach_list(user=leader))

    assert heatmap.columns == ["2025-01", "2025-02", "2025-03", "2025"]
    assert [row.term_kind for row in heatmap.rows][-1] == "annual_leave_days"
    assert [cell.period for cell in heatmap.rows[-1].cells if cell] == ["2025"]


def test_the_page_shows_each_cell_as_a_link_to_the_list_narrowed_to_its_term_and_month(
    breaches, enterprise, other_enterprise, leader
):
    client = page_client(leader)

    response = client.get(reverse("contracts:breaches"))

    assert response.status_code == 200
    name = labels()
    cells = grid(response)
    assert cells == {
        (name["min_monthly_wage"], "2025-01"): ("1", "/breaches/?term=min_monthly_wage&period=2025-01#list", "heat-1"),
        (name["min_monthly_wage"], "2025-03"): ("5", "/breaches/?term=min_monthly_wage&period=2025-03#list", "heat-5"),
        (name["max_overtime_hours_month"], "2025-03"): (
            "2",
            "/breaches/?term=max_overtime_hours_month&period=2025-03#list",
            "heat-2",
        ),
    }
    # the cell's link lists the breaches behind its figure, and only those
    narrowed = client.get(cells[(name["min_monthly_wage"], "2025-03")][1].split("#")[0])
    assert narrowed.status_code == 200
    assert listed(narrowed) == [
        f"{enterprise.name} Contract A Article 1 Wages {name['min_monthly_wage']} 2025-03 2 ¥500.00 open",
        f"{other_enterprise.name} Contract B Article 1 Wages {name['min_monthly_wage']} 2025-03 3 ¥1,501.00 open",
    ]
    words = " ".join(re.sub(r"<[^>]+>", " ", narrowed.content.decode()).split())
    assert "Only the period 2025-03." in words
    assert [figure for figure, _link, _shade in grid(narrowed).values()] == ["5"]  # the map narrowed too


def test_the_chart_draws_the_same_cells_with_the_same_links(breaches, leader):
    response = page_client(leader).get(reverse("contracts:breaches"))

    data = chart(response)
    name = labels()
    assert data["columns"] == ["2025-01", "2025-02", "2025-03"]
    assert data["rows"] == [name["min_monthly_wage"], name["max_overtime_hours_month"]]
    assert data["max"] == 5
    assert sorted((cell["value"], cell["url"]) for cell in data["cells"]) == [
        ([0, 0, 1], "/breaches/?term=min_monthly_wage&period=2025-01#list"),
        ([2, 0, 5], "/breaches/?term=min_monthly_wage&period=2025-03#list"),
        ([2, 1, 2], "/breaches/?term=max_overtime_hours_month&period=2025-03#list"),
    ]


def test_a_cell_s_link_keeps_the_filters_the_map_was_narrowed_by(breaches, enterprise, leader):
    response = page_client(leader).get(reverse("contracts:breaches"), {"enterprise": enterprise.pk})

    links = {link for _figure, link, _shade in grid(response).values()}
    assert links == {
        f"/breaches/?enterprise={enterprise.pk}&term=min_monthly_wage&period=2025-01#list",
        f"/breaches/?enterprise={enterprise.pk}&term=min_monthly_wage&period=2025-03#list",
        f"/breaches/?enterprise={enterprise.pk}&term=max_overtime_hours_month&period=2025-03#list",
    }
    figures = sorted(figure for figure, _link, _shade in grid(response).values())
    assert figures == ["1", "2", "2"]  # the second enterprise's three are not on it


def test_a_user_of_another_enterprise_sees_none_of_it(breaches, make_member):
    stranger = page_client(make_member(EnterpriseFactory(), Role.UNION_LEADER))

    response = stranger.get(reverse("contracts:breaches"))

    assert response.status_code == 200
    assert 'id="heatmap-table"' not in response.content.decode()
    assert "No breaches found in your enterprises." in response.content.decode()
