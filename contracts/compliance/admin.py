"""The admin of payroll compliance: read-only, as the service writes it (registered from ``ContractsConfig.ready``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.admin import ReadOnlyAdmin
from contracts.compliance.models import Breach, ComplianceRun, Finding, PayrollImport


@admin.register(PayrollImport)
class PayrollImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "enterprise", "status", "row_count", "problem_count", "uploaded_at"]
    list_filter = ["status"]


@admin.register(ComplianceRun)
class ComplianceRunAdmin(ReadOnlyAdmin):
    list_display = ["contract", "payroll_import", "status", "finding_count", "breach_count", "finished_at"]
    list_filter = ["status"]


@admin.register(Breach)
class BreachAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["contract", "clause_number", "term_kind", "period", "affected_count", "total_shortfall", "status"]
    list_filter = ["status", "term_kind"]
    search_fields = ["contract__title", "enterprise__name"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["breach", "employee_id", "period", "expected", "actual", "shortfall"]
    search_fields = ["employee_id"]
