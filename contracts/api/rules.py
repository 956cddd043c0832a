"""How the API shows the rule a decision applied (SPEC §2: every decision cites its rule)."""

from rest_framework import serializers


class RuleSerializer(serializers.Serializer):
    rule = serializers.CharField()
    article = serializers.CharField()
    pack = serializers.CharField()
    detail = serializers.CharField()
    params = serializers.DictField()
