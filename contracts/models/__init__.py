from contracts.models.compliance import (
    Breach,
    BreachStatus,
    ComplianceRun,
    Finding,
    ImportStatus,
    PayrollImport,
    RunStatus,
)
from contracts.models.congress import BallotBox, BallotChoice, BallotReceipt, CongressMode, CongressSession
from contracts.models.contracts import Clause, Contract, ContractKind, ContractStatus, ContractVersion
from contracts.models.documents import Document, DocumentKind, DocumentStatus
from contracts.models.enterprises import Enterprise, Federation, Membership, Role

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
    "ImportStatus",
    "Membership",
    "PayrollImport",
    "Role",
    "RunStatus",
]
