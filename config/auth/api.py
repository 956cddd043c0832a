"""The token endpoints: obtain one with a username and password, list, revoke one, revoke all."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.auth.throttles import TokenRateThrottle
from config.auth.tokens import token_issue, token_prefix, token_revoke, tokens_of, tokens_revoke_all


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(
        label=_("Password"), max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The token, shown this once: send it as “Authorization: Token …”."))
    expiry = serializers.DateTimeField(allow_null=True, help_text=_("When the token stops working."))


class TokenSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="digest", read_only=True, help_text=_("The token's id (not the token)."))
    prefix = serializers.SerializerMethodField(help_text=_("The first characters of the token, to recognise it."))
    current = serializers.SerializerMethodField(help_text=_("Whether this request was sent with this token."))

    class Meta:
        model = AuthToken
        fields = ["id", "prefix", "created", "expiry", "current"]

    def get_prefix(self, token: AuthToken) -> str:
        return token_prefix(token)

    def get_current(self, token: AuthToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == token.digest


class TokenObtainView(APIView):
    """A new API token for a username and password (JSON or form). Wrong passwords count
    towards the login lockout (django-axes), and requests are throttled per address."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]

    @extend_schema(request=TokenObtainSerializer, responses={200: IssuedTokenSerializer}, auth=[])
    def post(self, request):
        credentials = TokenObtainSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # The Django request, so django-axes counts a failure on it and its middleware
        # answers a locked-out client.
        user = authenticate(request=request._request, **credentials.validated_data)
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The username or the password is wrong, or the account is disabled.")]}
            )
        instance, token = token_issue(user)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(IssuedTokenSerializer({"token": token, "expiry": instance.expiry}).data)


class TokenListView(generics.ListAPIView):
    """The caller's own API tokens that still work, newest first (never the tokens themselves)."""

    serializer_class = TokenSerializer
    queryset = AuthToken.objects.none()  # for the schema; get_queryset is the caller's own

    def get_queryset(self):
        return tokens_of(self.request.user)


class TokenRevokeView(APIView):
    """Revoke one of the caller's tokens: it gets 401 from then on."""

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("token_id", str, OpenApiParameter.PATH, description=_("The token's id."))],
    )
    def delete(self, request, token_id: str):
        if not token_revoke(request.user, token_id):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeAllView(APIView):
    """Revoke every token of the caller (a changed password does the same)."""

    @extend_schema(
        request=None, responses={200: inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()})}
    )
    def post(self, request):
        return Response({"revoked": tokens_revoke_all(request.user)})
