"""The change history as the API shows it (shared by negotiations and contracts)."""

from rest_framework import serializers


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    model = serializers.CharField()
    object_id = serializers.IntegerField()
    object = serializers.CharField()
    change = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())
    by = serializers.CharField(allow_null=True)
