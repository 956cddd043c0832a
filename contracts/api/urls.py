from rest_framework.routers import SimpleRouter

from contracts.api.enterprises import EnterpriseViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
