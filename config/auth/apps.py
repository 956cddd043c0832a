from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcordAuthConfig(AppConfig):
    """Login lockout, API tokens and throttles (config/auth/). No models of its own: the
    tokens are django-rest-knox's, the failed attempts django-axes'."""

    name = "config.auth"
    label = "concord_auth"
    verbose_name = _("Logins and API tokens")

    def ready(self):
        from config.auth.signals import password_change_revokes_tokens

        password_change_revokes_tokens()
