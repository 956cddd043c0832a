from django.urls import path

from config.auth import api

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="auth-token"),
    path("auth/tokens/", api.TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/revoke-all/", api.TokenRevokeAllView.as_view(), name="auth-tokens-revoke-all"),
    path("auth/tokens/<str:token_id>/", api.TokenRevokeView.as_view(), name="auth-token-revoke"),
]
