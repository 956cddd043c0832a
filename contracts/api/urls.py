from django.urls import include, path
from rest_framework.routers import SimpleRouter

from contracts.api.contracts import ClauseViewSet, ContractViewSet
from contracts.compliance.api import BreachViewSet, ComplianceRunViewSet, PayrollImportViewSet
from contracts.enterprises.api import EnterpriseViewSet
from contracts.rules.api import RulePackListView, TermKindListView

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("contracts", ContractViewSet, basename="contract")
router.register("payroll-imports", PayrollImportViewSet, basename="payroll-import")
router.register("compliance-runs", ComplianceRunViewSet, basename="compliance-run")
router.register("breaches", BreachViewSet, basename="breach")
clauses = SimpleRouter()
clauses.register("clauses", ClauseViewSet, basename="clause")

urlpatterns = [
    *router.urls,
    path("contracts/<int:contract_pk>/", include(clauses.urls)),
    path("rule-packs/", RulePackListView.as_view(), name="rule-packs"),
    path("term-kinds/", TermKindListView.as_view(), name="term-kinds"),
    path("", include("contracts.api.congress")),
    path("", include("contracts.api.documents")),
]
