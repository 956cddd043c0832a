"""API for the workers' congress sessions (R6): open, vote in secret or record a paper count, close.

No response carries a delegate's choice. While a session is open not even the
counts of yes, no and abstain are shown, only how many delegates have voted. Opening
an electronic ballot answers, once, with the closing code that alone opens its
ballot box at close; nothing else ever shows it again.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from config import limits
from config.api import ObjectFirstMixin
from contracts import selectors
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


class CongressSessionOpenedSerializer(CongressSessionSerializer):
    closing_code = serializers.SerializerMethodField(
        help_text=(
            "Electronic ballot only (null for a paper tally): the code that alone opens the ballot box at close, "
            "32 letters and digits in groups of four. Shown in this answer only and stored nowhere: write it down "
            "or print it. Without it the session can only be cancelled."
        )
    )

    class Meta(CongressSessionSerializer.Meta):
        fields = [*CongressSessionSerializer.Meta.fields, "closing_code"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_closing_code(self, session: CongressSession) -> str | None:
        return session.closing_code


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


class CloseInput(serializers.Serializer):
    closing_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        trim_whitespace=True,
        help_text="Electronic ballot: the closing code shown when the session was opened. Not used for a paper tally.",
    )


class TallyInput(serializers.Serializer):
    present = limits.count_field()
    yes = limits.count_field()
    no = limits.count_field()
    abstain = limits.count_field()


# --- views ------------------------------------------------------------------------------


# What only the organisers of the enterprise do to a session (the delegates vote: ``ballot_cast``).
ORGANISERS_ACTIONS = frozenset({"tally", "close", "cancel"})


class CongressSessionViewSet(
    ObjectFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Workers' congress sessions of the contracts in the user's enterprises."""

    serializer_class = CongressSessionSerializer
    filterset_fields = ["contract", "mode"]

    def get_queryset(self):
        return congress_services.congress_session_list(user=self.request.user)

    def check_object_first(self, request) -> None:
        # A ballot from anyone but a delegate, or a count, close or cancel from anyone but an
        # organiser, is a 403 whatever was sent.
        if self.detail:
            enterprise = self.get_object().contract.enterprise
            if self.action == "ballot_cast":
                congress_services.require_congress_delegate(user=request.user, enterprise=enterprise)
            elif self.action in ORGANISERS_ACTIONS:
                congress_services.require_congress_organiser(user=request.user, enterprise=enterprise)

    def _contract_named(self, request) -> Contract | None:
        """The contract the body names, if the user can see it (else None, for the input's check)."""
        contract_id = request.data.get("contract") if hasattr(request.data, "get") else None
        if isinstance(contract_id, bool) or not isinstance(contract_id, int | str):
            return None
        contract_id = str(contract_id).strip()
        if not contract_id.isdigit() or len(contract_id) > 18:
            return None
        return selectors.contract_list(user=request.user).filter(pk=int(contract_id)).first()

    @extend_schema(request=CongressSessionInput, responses={201: CongressSessionOpenedSerializer})
    def create(self, request):
        """Open a session; for an electronic ballot the answer carries the closing code, this once."""
        # Who may, before the body is checked: a delegate or an officer gets a 403 whatever they sent.
        congress_services.require_congress_opener(user=request.user, contract=self._contract_named(request))
        data = CongressSessionInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        session = congress_services.congress_session_open(user=request.user, **data.validated_data)
        return Response(CongressSessionOpenedSerializer(session).data, status=status.HTTP_201_CREATED)

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

    @extend_schema(request=CloseInput, responses=CongressDecisionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the vote and decide under R6: passed, why, and the rule applied. An electronic ballot
        needs its closing code; a wrong one is refused and changes nothing."""
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = congress_services.congress_session_close(
            user=request.user, session=self.get_object(), closing_code=data.validated_data.get("closing_code")
        )
        return Response(CongressDecisionSerializer(congress_services.congress_result_describe(session.result)).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Call off an open session with no result (e.g. its closing code is lost): it is deleted with its
        receipts and ballot box, and the contract can be put to a new session."""
        congress_services.congress_session_cancel(user=request.user, session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
router.register("congress-sessions", CongressSessionViewSet, basename="congress-session")

urlpatterns = router.urls
