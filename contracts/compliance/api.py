"""API for payroll imports, compliance runs and breaches."""

import django_filters
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from config.api import ObjectFirstMixin
from config.limits import file_name_shortened
from config.private_files import private_file_response
from config.uploads import upload_refusal
from contracts.api.documents import DocumentSerializer
from contracts.compliance.models import Breach, ComplianceRun, Finding, PayrollImport
from contracts.compliance.parsing.problems import problem_reason
from contracts.compliance.selectors import breach_list, compliance_run_list, payroll_import_list
from contracts.compliance.services.breaches import breach_notice_request, breach_transition
from contracts.compliance.services.imports import payroll_import_upload
from contracts.compliance.services.runs import compliance_run_start, run_breaches
from contracts.enterprises.access import enterprise_list, require_contract_writer
from contracts.enterprises.models import Enterprise
from contracts.models import Contract, DocumentStatus


class PayrollProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()
    code = serializers.CharField(required=False)

    def to_representation(self, problem):
        # Worded in the reader's language, not the worker's that found it.
        return {**super().to_representation(problem), "reason": problem_reason(problem)}


class PayrollImportSerializer(serializers.ModelSerializer):
    problems = PayrollProblemSerializer(many=True, read_only=True)

    class Meta:
        model = PayrollImport
        fields = [
            "id",
            "enterprise",
            "original_name",
            "size",
            "checksum",
            "status",
            "progress",
            "encoding",
            "row_count",
            "periods",
            "problem_count",
            "problems",
            "uploaded_at",
            "finished_at",
        ]
        read_only_fields = fields


class PayrollUploadInput(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    file = serializers.FileField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            enterprise = self.fields["enterprise"]
            assert isinstance(enterprise, serializers.PrimaryKeyRelatedField)
            enterprise.queryset = enterprise_list(user=user)

    def validate_file(self, upload):
        # A name over 255 bytes broke the stored path (a 500): cut it, keeping the extension.
        upload.name = file_name_shortened(upload.name or "")
        return upload


class PayrollImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payroll files: kept as uploaded, checked all-or-nothing in the background."""

    serializer_class = PayrollImportSerializer
    filterset_fields = ["enterprise", "status"]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return payroll_import_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": PayrollUploadInput},
        responses={
            202: PayrollImportSerializer,
            413: OpenApiResponse(description="The upload is over the size limit; refused before it was read."),
        },
    )
    def create(self, request):
        if (refused := upload_refusal(request)) is not None:
            raise refused  # 413: the file was never read (config/uploads.py)
        data = PayrollUploadInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        payroll = payroll_import_upload(
            user=request.user, enterprise=data.validated_data["enterprise"], upload=data.validated_data["file"]
        )
        return Response(PayrollImportSerializer(payroll).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such import of an enterprise whose payroll you may read."),
        }
    )
    @action(detail=True, methods=["get"], url_path="file", renderer_classes=[JSONRenderer])
    def file(self, request, pk=None):
        """The uploaded file, byte for byte, under the name it was uploaded as."""
        payroll = self.get_object()
        return private_file_response(payroll.file, payroll.original_name or "payroll")


class BreachSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Breach
        fields = [
            "id",
            "clause_number",
            "term_kind",
            "period",
            "unit",
            "affected_count",
            "total_shortfall",
            "worst_shortfall",
            "worst_employee",
            "status",
        ]
        read_only_fields = fields


class ComplianceRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplianceRun
        fields = [
            "id",
            "contract",
            "payroll_import",
            "status",
            "finding_count",
            "breach_count",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class RunBreachSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    clause_number = serializers.CharField()
    term_kind = serializers.CharField()
    period = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.CharField()
    affected_count = serializers.IntegerField()
    total_shortfall = serializers.IntegerField()
    worst_shortfall = serializers.IntegerField()
    worst_employee = serializers.CharField()


class ComplianceRunDetailSerializer(ComplianceRunSerializer):
    breaches = serializers.SerializerMethodField()

    class Meta(ComplianceRunSerializer.Meta):
        fields = [*ComplianceRunSerializer.Meta.fields, "breaches"]
        read_only_fields = fields

    @extend_schema_field(RunBreachSerializer(many=True))
    def get_breaches(self, run: ComplianceRun):
        """The breaches as this run found them: counted from its own findings, not today's figures."""
        return RunBreachSerializer(run_breaches(run=run), many=True).data


class ComplianceRunInput(serializers.Serializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.none())
    payroll_import = serializers.PrimaryKeyRelatedField(queryset=PayrollImport.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            visible = enterprise_list(user=user)
            contract, payroll_import = self.fields["contract"], self.fields["payroll_import"]
            assert isinstance(contract, serializers.PrimaryKeyRelatedField)
            assert isinstance(payroll_import, serializers.PrimaryKeyRelatedField)
            contract.queryset = Contract.objects.filter(enterprise__in=visible)
            # Any import of the user's enterprises: who may run the checks is the service's to say (403).
            payroll_import.queryset = PayrollImport.objects.filter(enterprise__in=visible)


class ComplianceRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Checks of a contract against a payroll import; the result lists the breaches found."""

    def get_serializer_class(self):
        return ComplianceRunSerializer if self.action == "list" else ComplianceRunDetailSerializer

    filterset_fields = ["contract", "payroll_import", "status"]

    def get_queryset(self):
        return compliance_run_list(user=self.request.user)

    @extend_schema(request=ComplianceRunInput, responses={202: ComplianceRunDetailSerializer})
    def create(self, request):
        data = ComplianceRunInput(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        run = compliance_run_start(user=request.user, **data.validated_data)
        return Response(ComplianceRunDetailSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class BreachFilter(django_filters.FilterSet):
    term = django_filters.CharFilter(field_name="term_kind")

    class Meta:
        model = Breach
        fields = ["enterprise", "contract", "status", "term_kind", "period"]


class BreachSerializer(BreachSummarySerializer):
    class Meta(BreachSummarySerializer.Meta):
        fields = [
            *BreachSummarySerializer.Meta.fields,
            "contract",
            "enterprise",
            "dispute_reason",
            "status_changed_by",
            "status_changed_at",
            "created_at",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["employee_id", "period", "expected", "actual", "shortfall"]
        read_only_fields = fields


class NoticeInput(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class DisputeInput(serializers.Serializer):
    reason = serializers.CharField()


class BreachViewSet(ObjectFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Breaches of the user's enterprises, with their lifecycle actions and findings."""

    serializer_class = BreachSerializer
    filterset_class = BreachFilter

    def get_queryset(self):
        return breach_list(user=self.request.user)

    def check_object_first(self, request) -> None:
        # A change by a role that changes nothing here (a federation officer) is a 403 whatever was sent.
        if self.detail:
            breach = self.get_object()
            if request.method not in SAFE_METHODS:
                require_contract_writer(user=request.user, enterprise=breach.enterprise)

    def _move(self, request, action_name: str, reason: str = ""):
        breach = breach_transition(user=request.user, breach=self.get_object(), action=action_name, reason=reason)
        return Response(BreachSerializer(breach).data)

    @extend_schema(request=None, responses=BreachSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._move(request, "acknowledge")

    @extend_schema(request=DisputeInput, responses=BreachSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        data = DisputeInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._move(request, "dispute", data.validated_data["reason"])

    @extend_schema(request=None, responses=BreachSerializer)
    @action(detail=True, methods=["post"])
    def remedy(self, request, pk=None):
        return self._move(request, "remedy")

    @extend_schema(request=None, responses=BreachSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(request, "close")

    @extend_schema(request=NoticeInput, responses={202: DocumentSerializer, 200: DocumentSerializer})
    @action(detail=True, methods=["post"], url_path="rectification-notice")
    def rectification_notice(self, request, pk=None):
        """Ask for a rectification notice to the employer about this breach (rendered in the background)."""
        breach = self.get_object()
        data = NoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The service says who may (the union side) and while when, as on the breach's page.
        document = breach_notice_request(user=request.user, breach=breach, **data.validated_data)
        code = status.HTTP_200_OK if document.status == DocumentStatus.READY else status.HTTP_202_ACCEPTED
        return Response(DocumentSerializer(document, context={"request": request}).data, status=code)

    @extend_schema(responses=FindingSerializer(many=True))
    @action(detail=True, methods=["get"])
    def findings(self, request, pk=None):
        breach = self.get_object()
        page = self.paginate_queryset(breach.findings.order_by("-shortfall", "employee_id"))
        return self.get_paginated_response(FindingSerializer(page, many=True).data)
