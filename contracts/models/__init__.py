from contracts.models.congress import BallotBox, BallotChoice, BallotReceipt, CongressMode, CongressSession
from contracts.models.contracts import Clause, Contract, ContractKind, ContractStatus, ContractVersion
from contracts.models.documents import Document, DocumentKind, DocumentStatus
from contracts.models.enterprises import Enterprise, Federation, Membership, Role

__all__ = [
    "BallotBox",
    "BallotChoice",
    "BallotReceipt",
    "Clause",
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
    "Membership",
    "Role",
]
