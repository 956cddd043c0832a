"""A changed password revokes every API token of its user, whichever way it was changed (the
password-change page, the admin, ``set_password`` and ``save`` in a shell or a command)."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db.models.signals import post_save, pre_save

from config.auth.tokens import tokens_revoke_all

_FLAG = "_concord_password_changed"


def _note_password_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is None or stored == instance.password:
        return
    # Logging in re-hashes a password stored with an older hasher (same password, new hash):
    # that is not a change. ``set_password`` keeps the raw password until the save.
    new_raw = getattr(instance, "_password", None)
    if new_raw is not None and check_password(new_raw, stored):
        return
    setattr(instance, _FLAG, True)


def _revoke_tokens_after_password_change(sender, instance, raw=False, **kwargs) -> None:
    if getattr(instance, _FLAG, False):
        delattr(instance, _FLAG)
        tokens_revoke_all(instance)


def password_change_revokes_tokens() -> None:
    pre_save.connect(_note_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="concord-password-change")
    post_save.connect(
        _revoke_tokens_after_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="concord-password-revoke"
    )
