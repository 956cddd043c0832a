from django.urls import include, path
from rest_framework.routers import SimpleRouter

from contracts.api.enterprises import EnterpriseViewSet
from contracts.api.reference import RulePackListView, TermKindListView

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = [
    *router.urls,
    path("rule-packs/", RulePackListView.as_view(), name="rule-packs"),
    path("term-kinds/", TermKindListView.as_view(), name="term-kinds"),
    path("", include("contracts.api.congress")),
    path("", include("contracts.api.documents")),
]
