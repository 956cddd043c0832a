from django.urls import path

from contracts import pages
from contracts.compliance import pages as compliance_pages

app_name = "contracts"

urlpatterns = [
    path("contracts/", pages.contract_index, name="index"),
    path("contracts/<int:pk>/", pages.contract_page, name="contract"),
    path("breaches/", compliance_pages.breach_index, name="breaches"),
    path("payroll/", compliance_pages.payroll_index, name="payroll"),
]
