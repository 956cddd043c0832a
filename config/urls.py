from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health

api_v1 = [
    path("", include("contracts.api.urls")),
    path("", include("bargaining.api.urls")),
    path("", include("notifications.urls")),
    path("health/", health.HealthView.as_view(), name="health"),
    path("", include("config.auth.urls")),  # auth/token/ (auth-token) and auth/tokens/
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start script from /api/docs/?script, not inline: the page keeps
    # the site's Content-Security-Policy (templates/drf_spectacular/swagger_ui.html).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("contracts.urls")),
    path("", include("bargaining.urls")),
    path("", include("notifications.pages")),
    path("", include("config.auth.pages")),  # accounts/tokens/: the user's API tokens
]

# No media route, whatever DEBUG says: payroll files and documents are private
# (config/private_files.py) and are downloaded only through views that check the user.
