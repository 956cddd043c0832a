"""API tokens (django-rest-knox): issued to a user, listed, revoked by their owner.

Only a SHA-512 digest of each token is stored, so a token is shown once, when it is issued.
The digest is also the token's id in the API: it cannot be turned back into the token."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

# How many characters of a token its owner is shown to recognise it (knox indexes 15).
PREFIX_LENGTH = 8


def token_issue(user) -> tuple[AuthToken, str]:
    """A new token for ``user``, valid for REST_KNOX["TOKEN_TTL"]: the row and the secret."""
    return AuthToken.objects.create(user=user)


def tokens_of(user) -> QuerySet[AuthToken]:
    """The user's tokens that still work, newest first."""
    now = timezone.now()
    return AuthToken.objects.filter(Q(expiry__gt=now) | Q(expiry__isnull=True), user=user).order_by("-created")


def token_prefix(token: AuthToken) -> str:
    return token.token_key[:PREFIX_LENGTH]


def token_revoke(user, token_id: str) -> bool:
    """Revoke one of the user's own tokens; False if it is not theirs or does not exist (the
    caller answers both the same way)."""
    deleted, _ = AuthToken.objects.filter(user=user, digest=token_id).delete()
    return bool(deleted)


def tokens_revoke_all(user) -> int:
    """Revoke every token of the user; how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
