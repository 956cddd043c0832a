"""Reads of payroll compliance shared by the API, the pages and bargaining's costing; each
applies the user's visibility, so no caller can forget it.

Payroll files and findings name colleagues and their wages: they are read by the negotiators,
union leaders and administrators of an enterprise and by its federation's officers, not by a
workers' congress delegate for being one."""

from django.db.models import QuerySet

from contracts.compliance.models import Breach, ComplianceRun, PayrollImport
from contracts.enterprises.access import User, enterprise_list
from contracts.enterprises.models import Enterprise, Role

COMPLIANCE_READERS = {
    Role.UNION_NEGOTIATOR,
    Role.EMPLOYER_NEGOTIATOR,
    Role.UNION_LEADER,
    Role.ADMIN,
    Role.FEDERATION_OFFICER,
}


def compliance_enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """The enterprises whose payroll compliance the user may read."""
    return enterprise_list(user=user, roles=COMPLIANCE_READERS)


def payroll_import_list(*, user: User) -> QuerySet[PayrollImport]:
    """The payroll imports of the enterprises the user holds a role in."""
    return PayrollImport.objects.filter(enterprise__in=compliance_enterprise_list(user=user))


def compliance_run_list(*, user: User) -> QuerySet[ComplianceRun]:
    """The compliance runs of the contracts of the user's enterprises."""
    return ComplianceRun.objects.filter(contract__enterprise__in=compliance_enterprise_list(user=user))


def breach_list(*, user: User) -> QuerySet[Breach]:
    """The breaches found in the user's enterprises."""
    return Breach.objects.filter(enterprise__in=compliance_enterprise_list(user=user))
