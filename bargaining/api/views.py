"""Thin API views: parse input, call one service, serialise the result."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from bargaining import selectors
from bargaining.api.serializers import (
    GapSerializer,
    NegotiationDetailSerializer,
    NegotiationSerializer,
    ParamsField,
    ProposalSerializer,
    RepresentativeSerializer,
    SessionSerializer,
)
from bargaining.models import ConsultationSession, Negotiation, NegotiationKind, Proposal, Representative, Side
from bargaining.services import negotiations as negotiation_services
from bargaining.services import proposals as proposal_services
from bargaining.services import representatives as representative_services
from bargaining.services import sessions as session_services
from bargaining.services.costing import costing_reader_required, negotiation_costing
from bargaining.services.permissions import require_negotiator
from config import limits
from config.api import ObjectFirstMixin
from contracts import selectors as contract_selectors
from contracts.api.history import HistoryEntrySerializer
from contracts.compliance.selectors import payroll_import_list
from contracts.enterprises.access import enterprise_list
from contracts.enterprises.models import Enterprise
from contracts.rules.terms import TERM_KIND_CHOICES, ClauseCategory


class NegotiationCreateInput(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=NegotiationKind.choices, default=NegotiationKind.GENERAL)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["enterprise"].queryset = enterprise_list(user=user)


class RequestInput(serializers.Serializer):
    requested_by = serializers.ChoiceField(choices=Side.choices)
    received_on = limits.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class RespondInput(serializers.Serializer):
    accepted = serializers.BooleanField()
    responded_on = limits.DateField(required=False)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class SuspendInput(serializers.Serializer):
    next_meeting_at = limits.DateTimeField()
    next_meeting_location = serializers.CharField(max_length=200)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PositionInput(serializers.Serializer):
    clause_category = serializers.ChoiceField(choices=ClauseCategory.choices)
    term_kind = serializers.ChoiceField(choices=TERM_KIND_CHOICES, required=False, allow_blank=True, default="")
    params = ParamsField(required=False, default=dict)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class ConcludeInput(serializers.Serializer):
    positions = PositionInput(many=True, required=False)
    contract_term_start = limits.DateField(required=False)
    contract_term_end = limits.DateField(required=False)


class NegotiationViewSet(ObjectFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Negotiations of the user's enterprises; status moves only through the actions."""

    filterset_fields = ["enterprise", "kind", "status"]

    def get_queryset(self):
        queryset = selectors.negotiation_list(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("representatives", "agreed_positions")
        return queryset

    def get_serializer_class(self):
        return NegotiationDetailSerializer if self.action != "list" else NegotiationSerializer

    def check_object_first(self, request) -> None:
        # A change by someone who negotiates for neither side is a 403 whatever they sent.
        if self.detail:
            negotiation = self.get_object()
            if request.method not in SAFE_METHODS:
                require_negotiator(user=request.user, enterprise=negotiation.enterprise)

    def _done(self, negotiation, code=status.HTTP_200_OK):
        negotiation = self.get_queryset().get(pk=negotiation.pk)
        return Response(NegotiationDetailSerializer(negotiation).data, status=code)

    @extend_schema(request=NegotiationCreateInput, responses={201: NegotiationDetailSerializer})
    def create(self, request):
        data = NegotiationCreateInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        negotiation = negotiation_services.negotiation_create(user=request.user, **data.validated_data)
        return self._done(negotiation, status.HTTP_201_CREATED)

    @extend_schema(request=RequestInput, responses=NegotiationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request")
    def record_request(self, request, pk=None):
        data = RequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        negotiation = negotiation_services.negotiation_request(
            user=request.user, negotiation=self.get_object(), **data.validated_data
        )
        return self._done(negotiation)

    @extend_schema(request=RespondInput, responses=NegotiationDetailSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        data = RespondInput(data=request.data)
        data.is_valid(raise_exception=True)
        negotiation = negotiation_services.negotiation_respond(
            user=request.user, negotiation=self.get_object(), **data.validated_data
        )
        return self._done(negotiation)

    @extend_schema(request=SuspendInput, responses=NegotiationDetailSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        data = SuspendInput(data=request.data)
        data.is_valid(raise_exception=True)
        negotiation = negotiation_services.negotiation_suspend(
            user=request.user, negotiation=self.get_object(), **data.validated_data
        )
        return self._done(negotiation)

    @extend_schema(request=None, responses=NegotiationDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        negotiation = negotiation_services.negotiation_resume(user=request.user, negotiation=self.get_object())
        return self._done(negotiation)

    @extend_schema(request=ConcludeInput, responses=NegotiationDetailSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        data = ConcludeInput(data=request.data)
        data.is_valid(raise_exception=True)
        negotiation = negotiation_services.negotiation_conclude(
            user=request.user, negotiation=self.get_object(), **data.validated_data
        )
        return self._done(negotiation)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        entries = selectors.negotiation_history(negotiation=self.get_object())
        return Response(HistoryEntrySerializer(entries, many=True).data)


class NegotiationChildMixin(ObjectFirstMixin):
    """Resolves ``negotiation_pk`` from the URL through the user's visible negotiations (404 otherwise)."""

    model: type

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return self.model.objects.none()
        return self.get_children()

    @property
    def negotiation(self):
        if not hasattr(self, "_negotiation"):
            self._negotiation = get_object_or_404(
                selectors.negotiation_list(user=self.request.user), pk=self.kwargs["negotiation_pk"]
            )
        return self._negotiation

    def check_object_first(self, request) -> None:
        # The negotiation, then the object; a change by someone who negotiates for neither side is a 403.
        negotiation = self.negotiation
        if "pk" in self.kwargs:
            self.get_object()
        if request.method not in SAFE_METHODS:
            require_negotiator(user=request.user, enterprise=negotiation.enterprise)


class RepresentativeInput(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.choices)
    name = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(), required=False, allow_null=True, source="login"
    )
    is_chief = serializers.BooleanField(required=False, default=False)
    is_external = serializers.BooleanField(required=False, default=False)
    replaces = serializers.PrimaryKeyRelatedField(
        queryset=Representative.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args, negotiation: Negotiation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if negotiation is None:  # the schema's copy: no one may be named
            return
        # Only people of this enterprise, only this negotiation's representatives: anyone else's
        # id gets the same "does not exist" as an id that exists nowhere.
        self.fields["user"].queryset = selectors.representative_candidates(negotiation=negotiation)
        self.fields["replaces"].queryset = Representative.objects.filter(negotiation=negotiation)


class VacateInput(serializers.Serializer):
    on = limits.DateField()


class RepresentativeViewSet(NegotiationChildMixin, viewsets.ModelViewSet):
    """The two sides' representatives (R2, R3)."""

    serializer_class = RepresentativeSerializer
    model = Representative
    filterset_fields = ["side", "is_chief"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_children(self):
        return selectors.representative_list(negotiation=self.negotiation)

    @extend_schema(request=RepresentativeInput, responses={201: RepresentativeSerializer})
    def create(self, request, negotiation_pk=None):
        data = RepresentativeInput(data=request.data, negotiation=self.negotiation)
        data.is_valid(raise_exception=True)
        representative = representative_services.representative_add(
            user=request.user, negotiation=self.negotiation, **data.validated_data
        )
        return Response(RepresentativeSerializer(representative).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RepresentativeInput(partial=True), responses=RepresentativeSerializer)
    def partial_update(self, request, negotiation_pk=None, pk=None):
        data = RepresentativeInput(data=request.data, partial=True, negotiation=self.negotiation)
        data.is_valid(raise_exception=True)
        representative = representative_services.representative_update(
            user=request.user, representative=self.get_object(), **data.validated_data
        )
        return Response(RepresentativeSerializer(representative).data)

    @extend_schema(request=VacateInput, responses=RepresentativeSerializer)
    @action(detail=True, methods=["post"])
    def vacate(self, request, negotiation_pk=None, pk=None):
        data = VacateInput(data=request.data)
        data.is_valid(raise_exception=True)
        representative = representative_services.representative_vacate(
            user=request.user, representative=self.get_object(), **data.validated_data
        )
        return Response(RepresentativeSerializer(representative).data)


class SessionInput(serializers.Serializer):
    held_at = limits.DateTimeField()
    location = serializers.CharField(max_length=200)
    chair_side = serializers.ChoiceField(choices=Side.choices, required=False)
    attendees = serializers.PrimaryKeyRelatedField(queryset=Representative.objects.all(), many=True, required=False)
    agenda = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)


class SessionViewSet(NegotiationChildMixin, viewsets.ModelViewSet):
    """Consultation rounds; minutes signed by both chiefs are immutable (R4)."""

    serializer_class = SessionSerializer
    model = ConsultationSession

    def get_children(self):
        return selectors.session_list(negotiation=self.negotiation)

    @extend_schema(request=SessionInput, responses={201: SessionSerializer})
    def create(self, request, negotiation_pk=None):
        data = SessionInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_services.session_create(
            user=request.user, negotiation=self.negotiation, **data.validated_data
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionInput, responses=SessionSerializer)
    def update(self, request, negotiation_pk=None, pk=None, partial=False):
        data = SessionInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        session = session_services.session_update(user=request.user, session=self.get_object(), **data.validated_data)
        return Response(SessionSerializer(session).data)

    @extend_schema(request=SessionInput(partial=True), responses=SessionSerializer)
    def partial_update(self, request, negotiation_pk=None, pk=None):
        return self.update(request, negotiation_pk, pk, partial=True)

    def destroy(self, request, negotiation_pk=None, pk=None):
        session_services.session_delete(user=request.user, session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, negotiation_pk=None, pk=None):
        session = session_services.session_sign(user=request.user, session=self.get_object())
        return Response(SessionSerializer(session).data)


class ProposalInput(serializers.Serializer):
    session = serializers.IntegerField(min_value=1, max_value=limits.ID_MAX)
    side = serializers.ChoiceField(choices=Side.choices)
    clause_category = serializers.ChoiceField(choices=ClauseCategory.choices)
    term_kind = serializers.ChoiceField(choices=TERM_KIND_CHOICES, required=False, allow_blank=True, default="")
    params = ParamsField(required=False, default=dict)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class ProposalViewSet(NegotiationChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Each side's positions, round by round; ``gap/`` compares the latest ones per topic."""

    serializer_class = ProposalSerializer
    model = Proposal
    filterset_fields = ["side", "clause_category", "term_kind", "session"]

    def get_children(self):
        return self.negotiation.proposals.select_related("session")

    @extend_schema(request=ProposalInput, responses={201: ProposalSerializer})
    def create(self, request, negotiation_pk=None):
        data = ProposalInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        session = get_object_or_404(self.negotiation.sessions, pk=fields.pop("session"))
        proposal = proposal_services.proposal_create(
            user=request.user, negotiation=self.negotiation, session=session, **fields
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("payroll_import", int, required=True, description="an accepted payroll import")],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def costing(self, request, negotiation_pk=None):
        """What each side's latest positions would cost, priced on a payroll import's latest month."""
        costing_reader_required(user=request.user, negotiation=self.negotiation)  # 404 for a delegate
        payroll_id = limits.query_int(
            request.query_params,
            "payroll_import",
            min_value=1,
            max_value=limits.ID_MAX,
            message=_("Give the id of a payroll import."),
        )
        payroll = get_object_or_404(payroll_import_list(user=request.user), pk=payroll_id)
        return Response(negotiation_costing(user=request.user, negotiation=self.negotiation, payroll_import=payroll))

    @extend_schema(responses=GapSerializer(many=True))
    @action(detail=False, methods=["get"])
    def gap(self, request, negotiation_pk=None):
        return Response(GapSerializer(selectors.negotiation_gap(negotiation=self.negotiation), many=True).data)


class ContractRenewView(APIView):
    """R10: start renewal talks from an effective contract, within the last months of its term."""

    @extend_schema(request=None, responses={201: NegotiationDetailSerializer})
    def post(self, request, pk: int):
        contract = get_object_or_404(contract_selectors.contract_list(user=request.user), pk=pk)
        negotiation = negotiation_services.negotiation_renew(user=request.user, contract=contract)
        return Response(NegotiationDetailSerializer(negotiation).data, status=status.HTTP_201_CREATED)
