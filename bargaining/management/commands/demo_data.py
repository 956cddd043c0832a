"""Load a small, living demo: one federation, two enterprises, a negotiation three
rounds in, and logins to look around with. Safe to run twice."""

import datetime as dt
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from bargaining.models import Side
from bargaining.services import negotiations, proposals, representatives, sessions
from contracts.compliance.services import imports as payroll
from contracts.compliance.services import runs as compliance
from contracts.enterprises.models import Enterprise, Federation, Membership, Role
from contracts.models import CongressMode, Contract
from contracts.services import congress, lifecycle

FEDERATION = "浦东新区总工会"


class Command(BaseCommand):
    help = "Load the demo data set and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD", "concord-demo"), help="password of the demo logins"
        )

    def handle(self, *args, password: str, **options):
        if Federation.objects.filter(name=FEDERATION).exists():
            self.stdout.write(_("Demo data already loaded."))
        else:
            with transaction.atomic():
                self._load(password)
            self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        users = get_user_model().objects.filter(username__startswith="demo").order_by("username")
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(_("Demo logins (password: %(password)s):") % {"password": password}))
        for user in users:
            token, _created = Token.objects.get_or_create(user=user)
            roles = ", ".join(sorted({m.get_role_display() for m in user.memberships.all()}))
            self.stdout.write(f"  {user.username:<18} {roles}")
            self.stdout.write(f"  {'':<18} API: Authorization: Token {token.key}")
        self.stdout.write("")

    def _user(self, username: str, password: str, name: str):
        # The e-mails they are sent land as files in var/mail/ on the embedded defaults.
        user = get_user_model().objects.create_user(
            username=username, password=password, first_name=name, email=f"{username}@example.org"
        )
        return user

    def _load(self, password: str) -> None:
        federation = Federation.objects.create(name=FEDERATION)
        machinery = Enterprise.objects.create(
            name="东方精密机械有限公司",
            union_name="东方精密机械有限公司工会",
            federation=federation,
            rule_pack="shanghai",
            local_minimum_wage="2740.00",
            local_minimum_wage_since=dt.date(2025, 7, 1),
        )
        textiles = Enterprise.objects.create(
            name="华南纺织有限公司",
            union_name="华南纺织有限公司工会",
            federation=federation,
            rule_pack="national",
            local_minimum_wage="2500.00",
            local_minimum_wage_since=dt.date(2025, 3, 1),
        )
        demo = self._user("demo", password, "王丽")
        employer = self._user("demo-employer", password, "陈刚")
        officer = self._user("demo-federation", password, "刘敏")
        for role in (Role.UNION_NEGOTIATOR, Role.UNION_LEADER, Role.ADMIN):
            Membership.objects.create(user=demo, enterprise=machinery, role=role)
        Membership.objects.create(user=demo, enterprise=textiles, role=Role.UNION_NEGOTIATOR)
        Membership.objects.create(user=demo, enterprise=textiles, role=Role.UNION_LEADER)
        Membership.objects.create(user=employer, enterprise=machinery, role=Role.EMPLOYER_NEGOTIATOR)
        Membership.objects.create(user=employer, enterprise=textiles, role=Role.EMPLOYER_NEGOTIATOR)
        Membership.objects.create(user=officer, federation=federation, role=Role.FEDERATION_OFFICER)

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
            Side.UNION: [("王丽", demo, True, False), ("赵强", None, False, False), ("孙红", None, False, True)],
            Side.EMPLOYER: [
                ("陈刚", employer, True, False),
                ("李伟", None, False, False),
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

    def _effective_contract(self, enterprise, *, union, employer) -> None:
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
            clauses=[
                {"number": n, "category": c, "title": t, "text": x, "terms": terms} for n, c, t, x, terms in clauses
            ],
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
        Contract.objects.filter(pk=contract.pk).update(signed_on=dt.date(2025, 12, 15))
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
