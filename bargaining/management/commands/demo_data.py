"""Load a small, living demo: one federation, two enterprises, a negotiation three rounds in, a
contract in effect with breaches found in its payroll, a special wage contract before the
workers' congress with its secret ballot open, and a login for every role the pages serve.
Safe to run twice: what exists is kept, what is missing is added.

The last lines it prints are the table of the demo logins (``--logins-only`` prints just that)."""

import datetime as dt
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bargaining.models import Representative, Side
from bargaining.services import negotiations, proposals, representatives, sessions
from config.auth.tokens import token_issue
from contracts.articles import chinese_numeral
from contracts.compliance.services import imports as payroll
from contracts.compliance.services import runs as compliance
from contracts.enterprises.models import Enterprise, Federation, Membership, Role
from contracts.models import CongressMode, Contract, ContractKind
from contracts.rules.terms import ClauseCategory
from contracts.services import congress, lifecycle

FEDERATION = "浦东新区总工会"
MACHINERY = "东方精密机械有限公司"
TEXTILES = "华南纺织有限公司"
WAGE_CONTRACT = "华南纺织有限公司2027年度工资专项集体合同"
# R6 on 7 delegates: 5 must attend (two thirds) and 4 vote yes (more than half of all).
CONGRESS_DELEGATES_TOTAL = 7


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    # (enterprise name, or the federation's for an officer; role)
    roles: tuple[tuple[str, str], ...]


PEOPLE = (
    # The chiefs of both sides in the machinery talks (they sign the minutes), in both enterprises.
    Person(
        "demo",
        "王丽",
        (
            (MACHINERY, Role.UNION_NEGOTIATOR),
            (MACHINERY, Role.UNION_LEADER),
            (MACHINERY, Role.ADMIN),
            (TEXTILES, Role.UNION_NEGOTIATOR),
            (TEXTILES, Role.UNION_LEADER),
        ),
    ),
    Person("demo-employer", "陈刚", ((MACHINERY, Role.EMPLOYER_NEGOTIATOR), (TEXTILES, Role.EMPLOYER_NEGOTIATOR))),
    Person("demo-federation", "刘敏", ((FEDERATION, Role.FEDERATION_OFFICER),)),
    # A role in one enterprise only: each sees nothing of the other.
    Person("demo-machinery-union", "赵强", ((MACHINERY, Role.UNION_NEGOTIATOR),)),
    Person("demo-machinery-employer", "李伟", ((MACHINERY, Role.EMPLOYER_NEGOTIATOR),)),
    Person("demo-machinery-admin", "吴静", ((MACHINERY, Role.ADMIN),)),
    Person("demo-textiles-union", "林峰", ((TEXTILES, Role.UNION_NEGOTIATOR),)),
    Person("demo-textiles-leader", "黄建国", ((TEXTILES, Role.UNION_LEADER),)),
    *(
        Person(f"demo-delegate-{n}", name, ((TEXTILES, Role.CONGRESS_DELEGATE),))
        for n, name in enumerate(("张秀英", "杨帆", "何志明", "马丽娟", "罗建华"), 1)
    ),
)
SUPERUSER = Person("admin", "郑晓东", ())
SUPERUSER_LABEL = gettext_lazy("site administrator (/admin/)")
HEADER = (gettext_lazy("username"), gettext_lazy("full name"), gettext_lazy("enterprise"), gettext_lazy("role"))
CHIEF_LABELS = {
    Side.UNION: gettext_lazy("union chief representative"),
    Side.EMPLOYER: gettext_lazy("employer chief representative"),
}


def in_printed_order(clauses) -> list[dict]:
    """The demo's clauses (category, title, text, terms) in the order a contract prints them,
    chapter by chapter, each numbered as printed (第一条…), so the number the negotiators keep
    is the article people read."""
    chapters = list(ClauseCategory.values)
    ordered = sorted(clauses, key=lambda clause: chapters.index(clause[1]))
    return [
        {"number": f"第{chinese_numeral(n)}条", "category": c, "title": t, "text": x, "terms": terms}
        for n, (_number, c, t, x, terms) in enumerate(ordered, start=1)
    ]


def both_languages(text) -> str:
    """``text`` in Chinese then English ("职工代表 workers' congress delegate"), once if they agree."""
    with translation.override("zh-hans"):
        chinese = str(text)
    with translation.override("en"):
        english = str(text)
    return chinese if chinese == english else f"{chinese} {english}"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class Command(BaseCommand):
    help = "Load the demo data set (safe to run twice) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD", "concord-demo"), help="password of the demo logins"
        )
        parser.add_argument(
            "--url", default=os.environ.get("DEMO_URL", "http://127.0.0.1:8000/"), help="where the site is served"
        )
        parser.add_argument("--logins-only", action="store_true", help="load nothing, only print the demo logins")
        parser.add_argument("--tokens", action="store_true", help="also issue and print a new API token per login")

    closing_code: str | None = None  # of the secret ballot opened by this run, to print once

    def handle(self, *args, password: str, url: str, logins_only: bool, tokens: bool, verbosity: int, **options):
        if not logins_only:
            with transaction.atomic():
                loaded = self._load(password)
            if verbosity:
                done = self.style.SUCCESS(_("Demo data loaded.")) if loaded else _("Demo data already loaded.")
                if self.closing_code:  # the ballot box opens only with it, stored nowhere: printed this once
                    done += " " + _(
                        "Closing code of the demo's secret ballot, needed to close it and shown only now: %(code)s"
                    ) % {"code": self.closing_code}
                self.stdout.write(done)
        if verbosity or logins_only:
            self._print_logins(password=password, url=url, tokens=tokens)

    # --- what it prints -----------------------------------------------------------------

    def _logins(self) -> list[tuple[str, str, str, str]]:
        """(username, name, where, what they are) of every demo login, a row per enterprise."""
        users = get_user_model().objects.filter(username__in=[p.username for p in (*PEOPLE, SUPERUSER)])
        users = users.prefetch_related("memberships__enterprise", "memberships__federation")
        chiefs: dict[tuple[int, int | None], set[str]] = defaultdict(set)
        for representative in Representative.objects.filter(
            user__in=users, is_chief=True, vacated_on__isnull=True
        ).select_related("negotiation"):
            key = (representative.user_id, representative.negotiation.enterprise_id)
            chiefs[key].add(both_languages(CHIEF_LABELS[representative.side]))
        order = {person.username: index for index, person in enumerate((*PEOPLE, SUPERUSER))}
        rows = []
        for user in sorted(users, key=lambda u: order[u.username]):
            name = user.get_full_name() or "—"
            if user.is_superuser:
                rows.append((user.username, name, "—", both_languages(SUPERUSER_LABEL)))
            places: dict[tuple[int | None, str], list[str]] = defaultdict(list)
            for membership in sorted(user.memberships.all(), key=lambda m: (m.enterprise_id or 0, m.role)):
                place = (membership.enterprise_id, str(membership.enterprise or membership.federation))
                places[place].append(both_languages(Role(membership.role).label))
            for (enterprise_id, place), labels in places.items():
                rows.append(
                    (user.username, name, place, " / ".join([*sorted(chiefs[user.pk, enterprise_id]), *labels]))
                )
        return rows

    def _print_logins(self, *, password: str, url: str, tokens: bool) -> None:
        rows = self._logins()
        if tokens:
            self.stdout.write("")
            # Only a digest of each token is stored: a token is printed once, a new one each run.
            issued = [
                (user.username, *token_issue(user))
                for user in get_user_model().objects.filter(username__in=sorted({row[0] for row in rows}))
            ]
            expiry = issued[0][1].expiry if issued else None
            self.stdout.write(
                _(
                    "New API tokens (header Authorization: Token …), valid until %(expiry)s; each run issues "
                    "new ones, and each login can revoke its own on the page /accounts/tokens/:"
                )
                % {"expiry": timezone.localtime(expiry).strftime("%Y-%m-%d %H:%M") if expiry else "—"}
            )
            for username, _instance, token in issued:
                self.stdout.write(f"  {username:<24} {token}")
        site = url.rstrip("/") + "/"
        header = tuple(both_languages(label) for label in HEADER)
        widths = [max(display_width(row[i]) for row in (header, *rows)) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                _("Demo logins, password %(password)s for all, at %(url)s (the Django admin: %(admin)s):")
                % {"password": password, "url": site, "admin": site + "admin/"}
            )
        )
        for index, row in enumerate((header, *rows)):
            line = "  ".join([*(pad(cell, width) for cell, width in zip(row, widths, strict=False)), row[3]])
            self.stdout.write("  " + line.rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in [*widths, display_width(row[3])]))

    # --- what it loads ------------------------------------------------------------------

    def _load(self, password: str) -> bool:
        """Build what is missing; True when the demo was loaded from nothing."""
        fresh = not Federation.objects.filter(name=FEDERATION).exists()
        if fresh:
            self._organisations()
        places = {FEDERATION: Federation.objects.get(name=FEDERATION)}
        places.update({e.name: e for e in Enterprise.objects.filter(federation=places[FEDERATION])})
        people = {person.username: self._person(person, password, places) for person in PEOPLE}
        self._superuser(password)
        if fresh:
            self._story(people, machinery=places[MACHINERY], textiles=places[TEXTILES])
        self._wage_contract_in_congress(places[TEXTILES], union=people["demo"], employer=people["demo-employer"])
        return fresh

    def _organisations(self) -> None:
        federation = Federation.objects.create(name=FEDERATION)
        Enterprise.objects.create(
            name=MACHINERY,
            union_name=f"{MACHINERY}工会",
            federation=federation,
            rule_pack="shanghai",
            local_minimum_wage="2740.00",
            local_minimum_wage_since=dt.date(2025, 7, 1),
        )
        Enterprise.objects.create(
            name=TEXTILES,
            union_name=f"{TEXTILES}工会",
            federation=federation,
            rule_pack="national",
            local_minimum_wage="2500.00",
            local_minimum_wage_since=dt.date(2025, 3, 1),
        )

    def _person(self, person: Person, password: str, places: dict):
        """The login with its roles, created when missing; an existing login keeps its password."""
        user = get_user_model().objects.filter(username=person.username).first()
        if user is None:
            # The e-mails they are sent land as files in var/mail/ on the embedded defaults.
            user = get_user_model().objects.create_user(
                username=person.username,
                password=password,
                first_name=person.name,
                email=f"{person.username}@example.org",
            )
        for place, role in person.roles:
            scope = {"federation": places[place]} if role == Role.FEDERATION_OFFICER else {"enterprise": places[place]}
            Membership.objects.get_or_create(user=user, role=role, **scope)
        return user

    def _superuser(self, password: str) -> None:
        if not get_user_model().objects.filter(username=SUPERUSER.username).exists():
            get_user_model().objects.create_superuser(
                username=SUPERUSER.username,
                email=f"{SUPERUSER.username}@example.org",
                password=password,
                first_name=SUPERUSER.name,
            )

    def _story(self, people: dict, *, machinery: Enterprise, textiles: Enterprise) -> None:
        """The wage talks at the machinery works, three rounds in; the textile mill's contract in
        effect with its payroll checked, and renewal talks asked for."""
        demo, employer = people["demo"], people["demo-employer"]
        today = timezone.localdate()
        talks = negotiations.negotiation_create(
            user=demo, enterprise=machinery, title="2027年度工资专项集体协商", kind="wages"
        )
        negotiations.negotiation_request(
            user=demo,
            negotiation=talks,
            requested_by=Side.UNION,
            received_on=today - dt.timedelta(days=45),
            text="工会提出就2027年度工资调整进行集体协商。",
        )
        negotiations.negotiation_respond(
            user=employer, negotiation=talks, accepted=True, responded_on=today - dt.timedelta(days=38)
        )
        team = {
            Side.UNION: [
                ("王丽", demo, True, False),
                ("赵强", people["demo-machinery-union"], False, False),
                ("孙红", None, False, True),
            ],
            Side.EMPLOYER: [
                ("陈刚", employer, True, False),
                ("李伟", people["demo-machinery-employer"], False, False),
                ("周芳", None, False, False),
            ],
        }
        members = {}
        for side, people in team.items():
            actor = demo if side == Side.UNION else employer
            for name, login, chief, external in people:
                members[name] = representatives.representative_add(
                    user=actor,
                    negotiation=talks,
                    side=side,
                    name=name,
                    login=login,
                    is_chief=chief,
                    is_external=external,
                    position="外部专家" if external else "",
                )
        rounds = [
            ("公司三楼会议室", {"amount": "2900"}, {"amount": "2750"}, "8", "3", True),
            ("工会活动中心", {"amount": "2850"}, {"amount": "2800"}, "6", "4", True),
            ("公司三楼会议室", {"amount": "2850"}, {"amount": "2850"}, "5", "5", False),
        ]
        for number, (place, union_wage, employer_wage, union_pct, employer_pct, signed) in enumerate(rounds, 1):
            session = sessions.session_create(
                user=demo,
                negotiation=talks,
                held_at=timezone.now() - dt.timedelta(days=30 - 10 * number),
                location=place,
                attendees=list(members.values()),
                agenda=["最低工资标准", "年度工资增幅", "发薪日"],
                minutes=f"第{number}轮协商：双方就最低工资标准和年度工资增幅交换意见。",
            )
            for side, actor, wage, pct in (
                (Side.UNION, demo, union_wage, union_pct),
                (Side.EMPLOYER, employer, employer_wage, employer_pct),
            ):
                proposals.proposal_create(
                    user=actor,
                    negotiation=talks,
                    session=session,
                    side=side,
                    clause_category="pay",
                    term_kind="min_monthly_wage",
                    params=wage,
                    text=f"最低月工资不低于{wage['amount']}元。",
                )
                proposals.proposal_create(
                    user=actor,
                    negotiation=talks,
                    session=session,
                    side=side,
                    clause_category="pay",
                    term_kind="wage_increase_pct",
                    params={"percent": pct, "reference_period": str(today.year)},
                    text=f"职工平均工资增长{pct}%。",
                )
            if number == 1:
                for side, actor in ((Side.UNION, demo), (Side.EMPLOYER, employer)):
                    proposals.proposal_create(
                        user=actor,
                        negotiation=talks,
                        session=session,
                        side=side,
                        clause_category="pay",
                        term_kind="pay_day",
                        params={"day": 10 if side == Side.UNION else 15},
                        text="每月发薪日。",
                    )
            if signed:
                sessions.session_sign(user=demo, session=session)
                sessions.session_sign(user=employer, session=session)

        self._wage_draft(machinery, talks, union=demo, employer=employer)
        contract = self._effective_contract(textiles, union=demo, employer=employer)
        self._payroll(contract, uploader=demo)

        pending = negotiations.negotiation_create(
            user=demo, enterprise=textiles, title="2027年度集体合同续签协商", kind="general"
        )
        negotiations.negotiation_request(
            user=demo,
            negotiation=pending,
            requested_by=Side.UNION,
            received_on=today - dt.timedelta(days=12),
            text="工会书面提出续签集体合同的协商要求。",
        )

    def _wage_draft(self, machinery: Enterprise, talks, *, union, employer) -> None:
        """The draft the machinery works' wage talks are writing from what the rounds agreed: the
        figures are in, the statutory closing clauses not yet, so its check has work to show."""
        clauses = [
            ("1", "term", "合同期限", "本合同期限为一年，自2027年1月1日起至2027年12月31日止。", []),
            (
                "2",
                "pay",
                "最低工资",
                "职工月基本工资不低于2850元。",
                [{"kind": "min_monthly_wage", "params": {"amount": "2850"}}],
            ),
            (
                "3",
                "pay",
                "工资增长",
                "2027年职工月平均工资比2026年增长不低于5%。",
                [{"kind": "wage_increase_pct", "params": {"percent": "5", "reference_period": "2026"}}],
            ),
            ("4", "women_minors", "同工同酬", "女职工与男职工同工同酬。", []),
        ]
        lifecycle.contract_create(
            user=union,
            enterprise=machinery,
            kind=ContractKind.WAGES,
            title="2027年度工资专项集体合同（草案）",
            term_start=dt.date(2027, 1, 1),
            term_end=dt.date(2027, 12, 31),
            negotiation_id=talks.pk,
            union_chief=union,
            employer_chief=employer,
            clauses=in_printed_order(clauses),
        )

    def _wage_contract_in_congress(self, textiles: Enterprise, *, union, employer) -> None:
        """A special contract on wages drafted, checked and submitted to the workers' congress, whose
        session is open for the delegates' secret ballots."""
        if Contract.objects.filter(enterprise=textiles, title=WAGE_CONTRACT).exists():
            return
        clauses = [
            ("第一条", "term", "合同期限", "本合同期限为一年，自2027年1月1日起至2027年12月31日止。", []),
            (
                "第二条",
                "pay",
                "最低工资",
                "职工月基本工资不低于2800元。",
                [{"kind": "min_monthly_wage", "params": {"amount": "2800"}}],
            ),
            (
                "第三条",
                "pay",
                "工资增长",
                "2027年职工月平均工资比2026年增长不低于5%。",
                [{"kind": "wage_increase_pct", "params": {"percent": "5", "reference_period": "2026"}}],
            ),
            (
                "第四条",
                "pay",
                "发薪日",
                "企业于每月15日支付上月工资，遇休息日或法定节假日提前至最近的工作日支付。",
                [{"kind": "pay_day", "params": {"day": 15}}],
            ),
            ("第五条", "women_minors", "同工同酬", "女职工与男职工同工同酬，孕期、产期、哺乳期工资不降低。", []),
            ("第六条", "amendment", "变更和解除", "本合同的变更、解除须经双方协商一致并提交职工代表大会审议。", []),
            ("第七条", "disputes", "争议处理", "履行本合同发生争议时，双方协商解决；协商不成的，依法申请仲裁。", []),
            ("第八条", "breach_liability", "违约责任", "任何一方违反本合同，应承担相应责任。", []),
        ]
        contract = lifecycle.contract_create(
            user=union,
            enterprise=textiles,
            kind=ContractKind.WAGES,
            title=WAGE_CONTRACT,
            term_start=dt.date(2027, 1, 1),
            term_end=dt.date(2027, 12, 31),
            union_chief=union,
            employer_chief=employer,
            clauses=in_printed_order(clauses),
        )
        lifecycle.contract_submit_to_congress(user=union, contract=contract)
        session = congress.congress_session_open(
            user=union,
            contract=contract,
            delegates_total=CONGRESS_DELEGATES_TOTAL,
            held_on=timezone.localdate(),
            mode=CongressMode.BALLOT,
        )
        self.closing_code = session.closing_code

    def _effective_contract(self, enterprise, *, union, employer) -> Contract:
        """A general contract taken through the congress, signing, filing and review: in effect."""
        clauses = [
            ("第一条", "term", "合同期限", "本合同期限为三年，自2026年1月1日起至2028年12月31日止。", []),
            (
                "第二条",
                "pay",
                "最低工资",
                "职工月基本工资不低于2600元。",
                [{"kind": "min_monthly_wage", "params": {"amount": "2600"}}],
            ),
            (
                "第三条",
                "pay",
                "发薪日",
                "企业于每月15日支付上月工资，遇休息日或法定节假日提前至最近的工作日支付。",
                [{"kind": "pay_day", "params": {"day": 15}}],
            ),
            (
                "第四条",
                "working_time",
                "加班",
                "每月加班时间不超过36小时。",
                [{"kind": "max_overtime_hours_month", "params": {"hours": "36"}}],
            ),
            (
                "第五条",
                "pay",
                "加班工资",
                "加班工资按不低于工资的150%、200%、300%支付。",
                [{"kind": "overtime_premium", "params": {}}],
            ),
            (
                "第六条",
                "rest_leave",
                "带薪年休假",
                "职工按工龄享受5天、10天、15天带薪年休假。",
                [{"kind": "annual_leave_days", "params": {}}],
            ),
            (
                "第七条",
                "women_minors",
                "女职工保护",
                "女职工产假不少于98天。",
                [{"kind": "maternity_leave_days", "params": {"days": 98}}],
            ),
            (
                "",
                "safety_health",
                "劳动安全卫生",
                "企业建立劳动安全卫生责任制，按标准发放劳动保护用品，每年组织职业健康检查。",
                [],
            ),
            ("", "insurance_welfare", "补充保险和福利", "企业为职工办理补充医疗保险。", []),
            ("", "training", "职业技能培训", "企业每年按职工工资总额的1.5%提取职工教育培训经费。", []),
            ("第八条", "amendment", "变更和解除", "本合同的变更、解除须经双方协商一致并提交职工代表大会审议。", []),
            ("第九条", "disputes", "争议处理", "履行本合同发生争议时，双方协商解决；协商不成的，依法申请仲裁。", []),
            ("第十条", "breach_liability", "违约责任", "任何一方违反本合同，应承担相应责任。", []),
        ]
        contract = lifecycle.contract_create(
            user=union,
            enterprise=enterprise,
            kind="general",
            title="华南纺织有限公司集体合同（2026—2028年）",
            term_start=dt.date(2026, 1, 1),
            term_end=dt.date(2028, 12, 31),
            union_chief=union,
            employer_chief=employer,
            clauses=in_printed_order(clauses),
        )
        lifecycle.contract_submit_to_congress(user=union, contract=contract)
        session = congress.congress_session_open(
            user=union, contract=contract, delegates_total=45, held_on=dt.date(2025, 12, 10), mode=CongressMode.TALLY
        )
        congress.congress_tally_record(user=union, session=session, present=41, yes=38, no=2, abstain=1)
        congress.congress_session_close(user=union, session=session)
        lifecycle.contract_sign(user=union, contract=contract)
        lifecycle.contract_sign(user=employer, contract=contract)
        # The demo's story happened last December: date the signature accordingly.
        signed_at = timezone.make_aware(dt.datetime(2025, 12, 15, 10, 0))
        Contract.objects.filter(pk=contract.pk).update(
            signed_on=dt.date(2025, 12, 15), union_signed_at=signed_at, employer_signed_at=signed_at
        )
        contract.refresh_from_db()
        lifecycle.contract_file(
            user=employer, contract=contract, filed_on=dt.date(2025, 12, 19), receipt_on=dt.date(2025, 12, 22)
        )
        lifecycle.contracts_make_effective()
        contract.refresh_from_db()
        return contract

    def _payroll(self, contract, *, uploader) -> None:
        """Ten months of 2026 for 24 workers, as a Chinese HR system exports them (GB18030, Chinese
        headers), with a few breaches planted: pay under the contract's 2,600 CNY floor, overtime
        over 36 hours, short overtime pay and wages paid late."""
        import csv
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["员工编号", "姓名", "部门", "性别", "入职日期", "月份", "基本工资", "加班小时", "加班费", "发薪日期"]
        )
        surnames, names = "王李张刘陈杨黄赵", "芳伟娜敏静磊"
        for n in range(24):
            employee = f"T{1001 + n}"
            name = surnames[n % 8] + names[n % 6]
            base = 2600 + 150 * (n % 9)
            for month in range(1, 11):
                wage = 2450 if (n == 3 and month in (3, 4)) else base
                hours = 40 if (n == 7 and month == 5) else (n % 5) * 4
                hourly = round(wage / 21.75 / 8 * 1.5 * hours, 2)
                overtime_pay = round(hourly * 0.8, 2) if (n == 11 and month == 6) else hourly
                paid = "2026/3/20" if month == 2 else f"2026/{month + 1}/{10}"
                writer.writerow(
                    [
                        employee,
                        name,
                        "纺纱车间" if n % 2 else "织造车间",
                        "女" if n % 3 else "男",
                        "2015/4/1",
                        f"2026{month:02d}",
                        f"{wage:,.2f}",
                        hours,
                        f"{overtime_pay:.2f}",
                        paid,
                    ]
                )
        upload = SimpleUploadedFile("2026年1-10月工资表.csv", out.getvalue().encode("gb18030"), content_type="text/csv")
        imported = payroll.payroll_import_upload(user=uploader, enterprise=contract.enterprise, upload=upload)
        payroll.payroll_import_process(payroll_id=imported.pk)
        for run in contract.compliance_runs.all():
            compliance.compliance_run_execute(run_id=run.pk)
