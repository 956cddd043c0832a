"""API for the workers' congress sessions (R6): open, vote in secret or record a paper count, close.

No response carries a delegate's choice. While a session is open not even the
counts of yes, no and abstain are shown, only how many delegates have voted.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from config import limits
from contracts.enterprises.access import enterprise_list
from contracts.models import BallotChoice, CongressMode, CongressSession, Contract
from contracts.rules.api import RuleSerializer
from contracts.services import congress as congress_services

# --- output -----------------------------------------------------------------------------


class CongressResultSerializer(serializers.Serializer):
    """The facts of an R6 decision as stored when the session closed."""

    rule = serializers.CharField()
    article = serializers.CharField()
    pack = serializers.CharField()
    delegates_total = serializers.IntegerField()
    present = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    quorum = serializers.CharField(help_text="Share of all delegates who must attend, e.g. 2/3.")
    present_needed = serializers.IntegerField()
    quorum_met = serializers.BooleanField()
    majority = serializers.CharField(help_text="more_than_half or half_or_more (of all delegates).")
    yes_needed = serializers.IntegerField()
    majority_met = serializers.BooleanField()
    passed = serializers.BooleanField()


class CongressDecisionSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    reason = serializers.CharField()
    rule = RuleSerializer()
    result = CongressResultSerializer()


class CongressSessionSerializer(serializers.ModelSerializer):
    is_closed = serializers.BooleanField(read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = CongressSession
        fields = [
            "id",
            "contract",
            "delegates_total",
            "held_on",
            "mode",
            "contract_version",
            "present",
            "yes",
            "no",
            "abstain",
            "is_closed",
            "closed_at",
            "passed",
            "decision",
        ]
        read_only_fields = fields

    @extend_schema_field(CongressDecisionSerializer(allow_null=True))
    def get_decision(self, session: CongressSession):
        return congress_services.congress_result_describe(session.result) if session.is_closed else None

    def to_representation(self, session):
        data = super().to_representation(session)
        if not session.is_closed:
            data.update(yes=None, no=None, abstain=None)
        return data


class BallotCountSerializer(serializers.Serializer):
    ballots_cast = serializers.IntegerField()
    delegates_total = serializers.IntegerField()
    you_voted = serializers.BooleanField()


# --- input ------------------------------------------------------------------------------


class CongressSessionInput(serializers.Serializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.none())
    delegates_total = limits.count_field(min_value=1)
    held_on = limits.DateField()
    mode = serializers.ChoiceField(choices=CongressMode.choices, default=CongressMode.BALLOT)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["contract"].queryset = Contract.objects.filter(enterprise__in=enterprise_list(user=user))


class BallotInput(serializers.Serializer):
    choice = serializers.ChoiceField(choices=BallotChoice.choices)


class TallyInput(serializers.Serializer):
    present = limits.count_field()
    yes = limits.count_field()
    no = limits.count_field()
    abstain = limits.count_field()


# --- views ------------------------------------------------------------------------------


class CongressSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Workers' congress sessions of the contracts in the user's enterprises."""

    serializer_class = CongressSessionSerializer
    filterset_fields = ["contract", "mode"]

    def get_queryset(self):
        return congress_services.congress_session_list(user=self.request.user)

    @extend_schema(request=CongressSessionInput, responses={201: CongressSessionSerializer})
    def create(self, request):
        data = CongressSessionInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        session = congress_services.congress_session_open(user=request.user, **data.validated_data)
        return Response(CongressSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BallotCountSerializer)
    @action(detail=True, methods=["get"])
    def ballots(self, request, pk=None):
        """How many delegates have voted and whether you have; never what anyone chose."""
        count = congress_services.ballot_count(user=request.user, session=self.get_object())
        return Response(BallotCountSerializer(count).data)

    @extend_schema(
        request=BallotInput,
        responses={201: inline_serializer("BallotCast", {"voted": serializers.BooleanField()})},
    )
    @ballots.mapping.post
    def ballot_cast(self, request, pk=None):
        """Cast your secret ballot: the answer only acknowledges that you voted."""
        data = BallotInput(data=request.data)
        data.is_valid(raise_exception=True)
        congress_services.ballot_cast(user=request.user, session=self.get_object(), **data.validated_data)
        return Response({"voted": True}, status=status.HTTP_201_CREATED)

    @extend_schema(request=TallyInput, responses=CongressSessionSerializer)
    @action(detail=True, methods=["post"])
    def tally(self, request, pk=None):
        """Record the hand count of a paper vote (yes, no and abstain show once the session closes)."""
        data = TallyInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = congress_services.congress_tally_record(
            user=request.user, session=self.get_object(), **data.validated_data
        )
        return Response(CongressSessionSerializer(session).data)

    @extend_schema(request=None, responses=CongressDecisionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the vote and decide under R6: passed, why, and the rule applied."""
        session = congress_services.congress_session_close(user=request.user, session=self.get_object())
        return Response(CongressDecisionSerializer(congress_services.congress_result_describe(session.result)).data)


router = SimpleRouter()
router.register("congress-sessions", CongressSessionViewSet, basename="congress-session")

urlpatterns = router.urls
