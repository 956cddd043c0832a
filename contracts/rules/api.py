"""The rules in the API: how a decision cites the rule it applied (SPEC §2), and the read-only
reference data: the regional rule packs and the typed term kinds."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.rules.decisions import ARTICLES
from contracts.rules.packs import PACKS
from contracts.rules.terms import TERM_KINDS, ClauseCategory


class RuleSerializer(serializers.Serializer):
    rule = serializers.CharField()
    article = serializers.CharField()
    pack = serializers.CharField()
    detail = serializers.CharField()
    params = serializers.DictField()


class RulePackListView(APIView):
    """Every regional rule pack with all its parameters, and the articles the rules cite."""

    @extend_schema(
        responses=inline_serializer(
            "RulePacks",
            {
                "packs": serializers.ListField(child=serializers.DictField()),
                "articles": serializers.DictField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request):
        return Response(
            {
                "packs": [pack.as_dict() for pack in PACKS.values()],
                "articles": {rule: str(text) for rule, text in ARTICLES.items()},
            }
        )


class TermKindListView(APIView):
    """The clause categories and the typed term kinds with their parameters and defaults."""

    @extend_schema(
        responses=inline_serializer(
            "TermKinds",
            {
                "categories": serializers.ListField(child=serializers.DictField()),
                "term_kinds": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        return Response(
            {
                "categories": [{"code": code, "label": str(label)} for code, label in ClauseCategory.choices],
                "term_kinds": [
                    {
                        "code": kind.code,
                        "label": str(kind.label),
                        "category": kind.category,
                        "params": [
                            {"name": param.name, "required": param.required, "default": param.default}
                            for param in kind.params
                        ],
                    }
                    for kind in TERM_KINDS.values()
                ],
            }
        )
