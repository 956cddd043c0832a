"""The contracts app's model registry: Django loads ``contracts.models`` and finds every model
of the app here, the contract core's own and those of its sub-rooms (enterprises, compliance,
the holiday calendar and the rule packs' settings of the rules). Code imports a model from the
room that defines it."""

from contracts.compliance.models import (
    Breach,
    BreachStatus,
    ComplianceRun,
    Finding,
    ImportStatus,
    PayrollImport,
    RunStatus,
)
from contracts.enterprises.models import Enterprise, Federation, Membership, Role
from contracts.models.congress import BallotBox, BallotChoice, BallotReceipt, CongressMode, CongressSession
from contracts.models.contracts import Clause, Contract, ContractKind, ContractStatus, ContractVersion
from contracts.models.documents import Document, DocumentKind, DocumentStatus
from contracts.rules.calendar.models import HolidayDay, HolidayYear
from contracts.rules.pack_settings.models import RulePackSetting

__all__ = [
    "BallotBox",
    "BallotChoice",
    "BallotReceipt",
    "Breach",
    "BreachStatus",
    "Clause",
    "ComplianceRun",
    "CongressMode",
    "CongressSession",
    "Contract",
    "ContractKind",
    "ContractStatus",
    "ContractVersion",
    "Document",
    "DocumentKind",
    "DocumentStatus",
    "Enterprise",
    "Federation",
    "Finding",
    "HolidayDay",
    "HolidayYear",
    "ImportStatus",
    "Membership",
    "PayrollImport",
    "Role",
    "RulePackSetting",
    "RunStatus",
]
