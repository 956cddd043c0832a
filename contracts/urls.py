from django.urls import path

from contracts.compliance import pages as compliance_pages
from contracts.pages import congress
from contracts.pages import contracts as contract_pages

app_name = "contracts"

urlpatterns = [
    path("contracts/", contract_pages.contract_index, name="index"),
    path("contracts/<int:pk>/", contract_pages.contract_page, name="contract"),
    path("breaches/", compliance_pages.breach_index, name="breaches"),
    path("payroll/", compliance_pages.payroll_index, name="payroll"),
    *congress.urlpatterns,
]
