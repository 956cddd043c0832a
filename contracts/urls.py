from django.urls import path

from contracts import pages

app_name = "contracts"

urlpatterns = [
    path("contracts/", pages.contract_index, name="index"),
    path("contracts/<int:pk>/", pages.contract_page, name="contract"),
    path("breaches/", pages.breach_index, name="breaches"),
    path("payroll/", pages.payroll_index, name="payroll"),
]
