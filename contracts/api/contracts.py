"""API for collective contracts, their clauses, versions and lifecycle actions."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from config import limits
from config.api import ObjectFirstMixin
from contracts import selectors
from contracts.api.history import HistoryEntrySerializer
from contracts.enterprises.access import enterprise_list, require_contract_writer
from contracts.enterprises.models import Enterprise
from contracts.models import Clause, Contract, ContractKind, ContractVersion
from contracts.rules.terms import ClauseCategory
from contracts.services import lifecycle
from contracts.services.draft_check import contract_draft_check
from contracts.services.filing_pack import contract_filing_pack
from contracts.services.versions import contract_diff, version_change_text


@extend_schema_field(
    inline_serializer("Term", {"kind": serializers.CharField(), "params": serializers.DictField()}, many=True)
)
class TermsField(limits.BoundedJSONField):
    """Typed terms [{kind, params}], validated against the term kinds' schemas by the service
    (their numbers bounded here first: config.limits)."""


class ClauseSerializer(serializers.ModelSerializer):
    terms = TermsField(read_only=True)

    class Meta:
        model = Clause
        fields = ["id", "number", "position", "category", "title", "text", "terms"]
        read_only_fields = fields


class ContractSerializer(serializers.ModelSerializer):
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "enterprise",
            "kind",
            "title",
            "status",
            "term_start",
            "term_end",
            "version",
            "negotiation_id",
            "renewal_of",
            "union_chief",
            "employer_chief",
            "union_signed_at",
            "employer_signed_at",
            "signed_on",
            "filed_on",
            "receipt_on",
            "review_deadline",
            "effective_on",
            "effective_confirmed",
            "objection_text",
            "objected_on",
            "deadlines",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_deadlines(self, contract: Contract):
        return lifecycle.contract_deadlines(contract)


class ContractDetailSerializer(ContractSerializer):
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "clauses"]
        read_only_fields = fields


class ClauseInput(serializers.Serializer):
    number = serializers.CharField(max_length=32)
    position = serializers.IntegerField(min_value=1, max_value=limits.COUNT_MAX, required=False)
    category = serializers.ChoiceField(choices=ClauseCategory.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    text = serializers.CharField()
    terms = TermsField(required=False, default=list)


class ContractInput(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    kind = serializers.ChoiceField(choices=ContractKind.choices, default=ContractKind.GENERAL)
    title = serializers.CharField(max_length=200)
    term_start = limits.DateField()
    term_end = limits.DateField()
    union_chief = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False)
    employer_chief = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False)
    clauses = ClauseInput(many=True, required=False, default=list)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["enterprise"].queryset = enterprise_list(user=user)


class ContractUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContractKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    term_start = limits.DateField(required=False)
    term_end = limits.DateField(required=False)
    union_chief = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False)
    employer_chief = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False)


class FileInput(serializers.Serializer):
    filed_on = limits.DateField()
    receipt_on = limits.DateField(required=False)


class ReceiptInput(serializers.Serializer):
    receipt_on = limits.DateField()
    effective_on = limits.DateField(required=False, help_text="the administration's confirmed effective date")


class ObjectionInput(serializers.Serializer):
    objected_on = limits.DateField()
    text = serializers.CharField()


class VersionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="created_by.get_username", default=None, read_only=True)
    change = serializers.SerializerMethodField()

    def get_change(self, version: ContractVersion) -> str:
        return version_change_text(version)

    class Meta:
        model = ContractVersion
        fields = ["number", "status", "change", "by", "created_at", "snapshot"]
        read_only_fields = fields


class ContractViewSet(ObjectFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Collective and special contracts; status moves only through the actions."""

    filterset_fields = ["enterprise", "kind", "status"]

    def get_queryset(self):
        queryset = selectors.contract_list(user=self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related("clauses")
        return queryset

    def get_serializer_class(self):
        return ContractSerializer if self.action == "list" else ContractDetailSerializer

    def check_object_first(self, request) -> None:
        # A change by a role that does not write contracts (a congress delegate, a federation
        # officer) is a 403 whatever was sent.
        if self.detail:
            contract = self.get_object()
            # Signing is the two chiefs' own, whatever their roles: its service says so more precisely.
            if request.method not in SAFE_METHODS and self.action != "sign":
                require_contract_writer(user=request.user, enterprise=contract.enterprise)

    def _done(self, contract, code=status.HTTP_200_OK):
        return Response(ContractDetailSerializer(self.get_queryset().get(pk=contract.pk)).data, status=code)

    @extend_schema(request=ContractInput, responses={201: ContractDetailSerializer})
    def create(self, request):
        data = ContractInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        contract = lifecycle.contract_create(user=request.user, **data.validated_data)
        return self._done(contract, status.HTTP_201_CREATED)

    @extend_schema(request=ContractUpdateInput, responses=ContractDetailSerializer)
    def partial_update(self, request, pk=None):
        data = ContractUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = lifecycle.contract_update(user=request.user, contract=self.get_object(), **data.validated_data)
        return self._done(contract)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def check(self, request, pk=None):
        """What the draft lacks and which terms fall below the statutory floor."""
        return Response(contract_draft_check(contract=self.get_object()))

    @extend_schema(request=None, responses=ContractDetailSerializer)
    @action(detail=True, methods=["post"], url_path="submit-to-congress")
    def submit_to_congress(self, request, pk=None):
        return self._done(lifecycle.contract_submit_to_congress(user=request.user, contract=self.get_object()))

    @extend_schema(request=None, responses=ContractDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._done(lifecycle.contract_sign(user=request.user, contract=self.get_object()))

    @extend_schema(request=FileInput, responses=ContractDetailSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file_with_administration(self, request, pk=None):
        data = FileInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(lifecycle.contract_file(user=request.user, contract=self.get_object(), **data.validated_data))

    @extend_schema(request=ReceiptInput, responses=ContractDetailSerializer)
    @action(detail=True, methods=["post"])
    def receipt(self, request, pk=None):
        data = ReceiptInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = lifecycle.contract_record_receipt(
            user=request.user, contract=self.get_object(), **data.validated_data
        )
        return self._done(contract)

    @extend_schema(request=ObjectionInput, responses=ContractDetailSerializer)
    @action(detail=True, methods=["post"])
    def objection(self, request, pk=None):
        data = ObjectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = lifecycle.contract_record_objection(
            user=request.user, contract=self.get_object(), **data.validated_data
        )
        return self._done(contract)

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        versions = self.get_object().versions.select_related("created_by")
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(VersionSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, required=True, description="version number"),
            OpenApiParameter("to", int, required=True, description="version number"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        numbers = {}
        for name in ("from", "to"):
            try:
                numbers[name] = int(request.query_params[name])
            except (KeyError, ValueError):
                raise serializers.ValidationError({name: [_("Give a version number.")]}) from None
        # Any whole number is safe here: the service answers "no version N" for one past
        # VERSION_MAX without sending it to the database.
        return Response(contract_diff(contract=self.get_object(), from_number=numbers["from"], to_number=numbers["to"]))

    @extend_schema(
        parameters=[OpenApiParameter("language", str, enum=["zh-hans", "en"], required=False)],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="filing-pack")
    def filing_pack(self, request, pk=None):
        """R8: contract, congress resolution, representatives and signed minutes in one archive."""
        language = request.query_params.get("language", "zh-hans")
        name, data = contract_filing_pack(user=request.user, contract=self.get_object(), language=language)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return Response(HistoryEntrySerializer(selectors.contract_history(contract=self.get_object()), many=True).data)


class ClauseViewSet(ObjectFirstMixin, viewsets.ModelViewSet):
    """The clauses of one contract; they change only while it is a draft."""

    serializer_class = ClauseSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def contract(self):
        if not hasattr(self, "_contract"):
            self._contract = get_object_or_404(
                selectors.contract_list(user=self.request.user), pk=self.kwargs["contract_pk"]
            )
        return self._contract

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clause.objects.none()
        return self.contract.clauses.all()

    def check_object_first(self, request) -> None:
        contract = self.contract  # then the clause
        if "pk" in self.kwargs:
            self.get_object()
        if request.method not in SAFE_METHODS:
            require_contract_writer(user=request.user, enterprise=contract.enterprise)

    @extend_schema(request=ClauseInput, responses={201: ClauseSerializer})
    def create(self, request, contract_pk=None):
        data = ClauseInput(data=request.data)
        data.is_valid(raise_exception=True)
        clause = lifecycle.clause_add(user=request.user, contract=self.contract, **data.validated_data)
        return Response(ClauseSerializer(clause).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClauseInput(partial=True), responses=ClauseSerializer)
    def partial_update(self, request, contract_pk=None, pk=None):
        data = ClauseInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        clause = lifecycle.clause_update(user=request.user, clause=self.get_object(), **data.validated_data)
        return Response(ClauseSerializer(clause).data)

    def destroy(self, request, contract_pk=None, pk=None):
        lifecycle.clause_delete(user=request.user, clause=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
