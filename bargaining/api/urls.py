from django.urls import include, path
from rest_framework.routers import DefaultRouter, SimpleRouter

from bargaining.api.views import (
    ContractRenewView,
    NegotiationViewSet,
    ProposalViewSet,
    RepresentativeViewSet,
    SessionViewSet,
)

# No ".json" suffix routes: the actions do not take a ``format`` argument (a 500 before).
router = DefaultRouter()
router.include_format_suffixes = False
router.register("negotiations", NegotiationViewSet, basename="negotiation")

nested = SimpleRouter()
nested.register("representatives", RepresentativeViewSet, basename="representative")
nested.register("sessions", SessionViewSet, basename="session")
nested.register("proposals", ProposalViewSet, basename="proposal")

urlpatterns = [
    path("", include(router.urls)),
    path("negotiations/<int:negotiation_pk>/", include(nested.urls)),
    path("contracts/<int:pk>/renew/", ContractRenewView.as_view(), name="contract-renew"),
]
