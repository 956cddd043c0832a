"""API: the current user's alerts (unread first) and their notification preferences."""

import django_filters
from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.models import Alert, Level, Mode, Preference
from notifications.rendering import absolute_url, alert_subject
from notifications.selectors import alert_list
from notifications.services import alert_mark_read, alerts_mark_all_read, preference_get, preference_update


class AlertSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ["id", "level", "template", "subject", "context", "link", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_subject(self, alert: Alert) -> str:
        return alert_subject(alert)

    def get_url(self, alert: Alert) -> str:
        return absolute_url(alert.link)

    def get_is_read(self, alert: Alert) -> bool:
        return alert.read_at is not None


class AlertFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    read = django_filters.BooleanFilter(method="filter_read")

    class Meta:
        model = Alert
        fields = ["level", "read"]

    def filter_read(self, queryset, name, value):
        return queryset.filter(read_at__isnull=not value)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The current user's alerts, unread first; nobody sees anyone else's."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilter

    def get_queryset(self):
        return alert_list(user=self.request.user)

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        alert = alert_mark_read(user=request.user, alert=self.get_object())
        return Response(AlertSerializer(alert).data)

    @extend_schema(
        request=None, responses=inline_serializer("AlertsMarkedRead", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": alerts_mark_all_read(user=request.user)})


class PreferenceSerializer(serializers.ModelSerializer):
    mode = serializers.ChoiceField(choices=Mode.choices, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    opted_out_levels = serializers.ListField(
        child=serializers.ChoiceField(choices=Level.choices),
        required=False,
        help_text="Levels not e-mailed; breach and overdue cannot be turned off.",
    )

    class Meta:
        model = Preference
        fields = ["mode", "language", "opted_out_levels"]


class PreferenceView(APIView):
    """How the current user is told: ``immediate`` or ``daily_digest``, language, levels opted out."""

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response(PreferenceSerializer(preference_get(user=request.user)).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def patch(self, request):
        data = PreferenceSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        preference = preference_update(user=request.user, **data.validated_data)
        return Response(PreferenceSerializer(preference).data)
