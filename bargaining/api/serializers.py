"""Output serializers for the bargaining API (input serializers sit beside their views)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bargaining.models import AgreedPosition, ConsultationSession, Negotiation, Proposal, Representative
from bargaining.services.negotiations import negotiation_reply_overdue, reply_rule_describe
from bargaining.services.representatives import representation_problems, vacancy_fill_deadline_shown
from config import limits
from contracts.models import Contract
from contracts.rules.api import RuleSerializer


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    rule = serializers.CharField()
    article = serializers.CharField()
    side = serializers.CharField()


class AgreedPositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreedPosition
        fields = ["id", "clause_category", "term_kind", "params", "text"]


class NegotiationSerializer(serializers.ModelSerializer):
    reply_overdue = serializers.SerializerMethodField()
    reply_rule = serializers.SerializerMethodField()

    class Meta:
        model = Negotiation
        fields = [
            "id",
            "enterprise",
            "title",
            "kind",
            "status",
            "requested_by",
            "request_received_on",
            "request_text",
            "reply_due",
            "reply_rule",
            "reply_overdue",
            "responded_on",
            "accepted",
            "response_text",
            "next_meeting_at",
            "next_meeting_location",
            "suspension_reason",
            "concluded_on",
            "created_at",
        ]
        read_only_fields = fields

    def get_reply_overdue(self, negotiation: Negotiation) -> bool:
        return negotiation_reply_overdue(negotiation)

    @extend_schema_field(RuleSerializer(allow_null=True))
    def get_reply_rule(self, negotiation: Negotiation):
        """R1: the answer deadline's rule, article and reasoning, in the reader's language."""
        return reply_rule_describe(negotiation.reply_rule)


class NegotiationDetailSerializer(NegotiationSerializer):
    representation_problems = serializers.SerializerMethodField()
    agreed_positions = AgreedPositionSerializer(many=True, read_only=True)
    contract = serializers.SerializerMethodField()

    class Meta(NegotiationSerializer.Meta):
        fields = [
            *NegotiationSerializer.Meta.fields,
            "renews_contract",
            "representation_problems",
            "agreed_positions",
            "contract",
        ]
        read_only_fields = fields

    def get_contract(self, negotiation: Negotiation) -> int | None:
        """The contract drafted from this negotiation's agreed positions."""
        return Contract.objects.filter(negotiation_id=negotiation.pk).values_list("pk", flat=True).first()

    @extend_schema_field(ProblemSerializer(many=True))
    def get_representation_problems(self, negotiation: Negotiation):
        return [problem.as_dict() for problem in representation_problems(negotiation=negotiation)]


class VacancySerializer(serializers.Serializer):
    fill_due = serializers.DateField()
    filled = serializers.BooleanField()
    overdue = serializers.BooleanField()
    rule = RuleSerializer()


class RepresentativeSerializer(serializers.ModelSerializer):
    vacancy = serializers.SerializerMethodField()

    class Meta:
        model = Representative
        fields = [
            "id",
            "side",
            "name",
            "position",
            "user",
            "is_chief",
            "is_external",
            "vacated_on",
            "replaces",
            "vacancy",
        ]
        read_only_fields = fields

    @extend_schema_field(VacancySerializer(allow_null=True))
    def get_vacancy(self, representative: Representative):
        return vacancy_fill_deadline_shown(representative=representative)


class SessionSerializer(serializers.ModelSerializer):
    is_signed = serializers.BooleanField(read_only=True)

    class Meta:
        model = ConsultationSession
        fields = [
            "id",
            "round_no",
            "held_at",
            "location",
            "chair_side",
            "attendees",
            "agenda",
            "minutes",
            "union_signed_by",
            "union_signed_at",
            "employer_signed_by",
            "employer_signed_at",
            "is_signed",
        ]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    round_no = serializers.IntegerField(source="session.round_no", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "session", "round_no", "side", "clause_category", "term_kind", "params", "text", "created_at"]
        read_only_fields = fields


class PositionSerializer(serializers.Serializer):
    proposal = serializers.IntegerField()
    round_no = serializers.IntegerField()
    params = serializers.DictField()
    text = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)


class HistoryPositionSerializer(PositionSerializer):
    side = serializers.CharField()


class CurrentTermSerializer(serializers.Serializer):
    clause = serializers.CharField()
    params = serializers.DictField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)


class GapSerializer(serializers.Serializer):
    clause_category = serializers.CharField()
    term_kind = serializers.CharField()
    union = PositionSerializer(allow_null=True)
    employer = PositionSerializer(allow_null=True)
    gap = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    agreed = serializers.BooleanField()
    current = CurrentTermSerializer(allow_null=True, help_text="the renewed contract's term (renewal talks)")
    history = HistoryPositionSerializer(many=True)


@extend_schema_field(OpenApiTypes.OBJECT)
class ParamsField(limits.BoundedJSONField):
    """Typed term parameters; validated against the term kind's schema by the service (their
    numbers bounded here first: config.limits)."""
