"""Reads of payroll compliance shared by the API, the pages and bargaining's costing; each
applies the user's visibility, so no caller can forget it."""

from django.db.models import QuerySet

from contracts.compliance.models import Breach, ComplianceRun, PayrollImport
from contracts.enterprises.access import User, enterprise_list


def payroll_import_list(*, user: User) -> QuerySet[PayrollImport]:
    """The payroll imports of the enterprises the user holds a role in."""
    return PayrollImport.objects.filter(enterprise__in=enterprise_list(user=user))


def compliance_run_list(*, user: User) -> QuerySet[ComplianceRun]:
    """The compliance runs of the contracts of the user's enterprises."""
    return ComplianceRun.objects.filter(contract__enterprise__in=enterprise_list(user=user))


def breach_list(*, user: User) -> QuerySet[Breach]:
    """The breaches found in the user's enterprises."""
    return Breach.objects.filter(enterprise__in=enterprise_list(user=user))
