"""What the domain hands to ``alert_raise``, for the notifications tests to raise alerts with.
The SMTP server, the SMTP backend and the outbox sender are in tests/conftest.py: the alert
tests beside what raises them use them too."""


def breach_context(**overrides):
    """What ``contracts.compliance.services.runs.breach_facts`` hands to ``alert_raise``."""
    return {
        "breach": 1,
        "enterprise": "Hengda Textiles",
        "contract": "Collective contract 2026–2029",
        "clause": "3",
        "term_kind": "min_monthly_wage",
        "period": "2026-03",
        "unit": "fen",
        "affected": 12,
        "total_shortfall": 123456,
        "worst_shortfall": 30000,
        "rule": "R13",
        "article": "Labour Law, Art. 48",
        **overrides,
    }


def deadline_context(**overrides):
    """What the domain's deadline sweeps hand to ``alert_raise``."""
    return {
        "deadline": "R8",
        "rule": "R8",
        "what": "filing the signed contract with the labour administration",
        "who": "the employer side",
        "title": "Collective contract 2026–2029",
        "detail": "",
        "enterprise": "Hengda Textiles",
        "due": "2026-03-24",
        "contract": 7,
        **overrides,
    }
