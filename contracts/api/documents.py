"""API for generated documents: ask for one (202), list them, see one, download it."""

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from config import limits
from contracts.enterprises.access import enterprise_list
from contracts.models import Contract, Document, DocumentKind, DocumentStatus
from contracts.services.documents import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    document_file,
    document_list,
    document_request,
)

FORMATS = ["docx", "pdf"]


class DocumentKindField(serializers.ChoiceField):
    pass


class DocumentStatusField(serializers.ChoiceField):
    pass


class _NamedEnum(OpenApiSerializerFieldExtension):
    """Documents' ``kind`` and ``status`` as their own enum components: left to
    drf-spectacular, they would share the names ``KindEnum``/``StatusEnum`` with the
    negotiation's fields and collide."""

    name: str
    choices: type

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name=self.name,
            type=ResolvedComponent.SCHEMA,
            object=self.name,
            schema={
                "type": "string",
                "enum": list(self.choices.values),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in self.choices.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class DocumentKindFieldSchema(_NamedEnum):
    target_class = DocumentKindField
    name = "DocumentKindEnum"
    choices = DocumentKind


class DocumentStatusFieldSchema(_NamedEnum):
    target_class = DocumentStatusField
    name = "DocumentStatusEnum"
    choices = DocumentStatus


class DocumentSerializer(serializers.ModelSerializer):
    kind = DocumentKindField(choices=DocumentKind.choices, read_only=True)
    status = DocumentStatusField(choices=DocumentStatus.choices, read_only=True)
    pdf_available = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "contract",
            "kind",
            "language",
            "subject_id",
            "contract_version",
            "status",
            "template",
            "checksum",
            "error",
            "requested_at",
            "rendered_at",
            "pdf_available",
            "download_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_available(self, document: Document) -> bool:
        return bool(document.pdf)

    def _url(self, document: Document) -> str:
        return reverse("contract-document-download", kwargs={"contract_pk": document.contract_id, "pk": document.pk})

    def get_download_url(self, document: Document) -> str | None:
        return self._url(document) if document.status == DocumentStatus.READY else None

    def get_pdf_url(self, document: Document) -> str | None:
        return f"{self._url(document)}?format=pdf" if document.status == DocumentStatus.READY and document.pdf else None


class DocumentRequestInput(serializers.Serializer):
    kind = DocumentKindField(choices=DocumentKind.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    subject_id = serializers.IntegerField(
        min_value=1, max_value=limits.ID_MAX, required=False, allow_null=True, default=None
    )


class ContractDocumentsMixin:
    """Resolves ``contract_pk`` through the user's enterprises: another enterprise's contract is 404."""

    def get_contract(self) -> Contract:
        if not hasattr(self, "_contract"):
            visible = Contract.objects.filter(enterprise__in=enterprise_list(user=self.request.user))
            self._contract = get_object_or_404(visible, pk=self.kwargs["contract_pk"])
        return self._contract

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no URL kwargs
            return Document.objects.none()
        # A kind the user may not read (a rectification notice, for a delegate) is a 404 like any unknown id.
        return document_list(user=self.request.user).filter(contract=self.get_contract())


class DocumentListView(ContractDocumentsMixin, generics.ListAPIView):
    """The contract's generated documents; POST asks for one, which is rendered in the background."""

    serializer_class = DocumentSerializer
    filterset_fields = ["kind", "language", "status"]

    @extend_schema(
        request=DocumentRequestInput,
        responses={
            202: DocumentSerializer,
            200: OpenApiResponse(DocumentSerializer, description="The same document, already rendered."),
        },
    )
    def post(self, request, contract_pk=None):
        data = DocumentRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = document_request(user=request.user, contract=self.get_contract(), **data.validated_data)
        code = status.HTTP_200_OK if document.status == DocumentStatus.READY else status.HTTP_202_ACCEPTED
        return Response(DocumentSerializer(document).data, status=code)


class DocumentDetailView(ContractDocumentsMixin, generics.RetrieveAPIView):
    """One generated document with its status; its file downloads from ``download/``."""

    serializer_class = DocumentSerializer


class IgnoreFormatParameter(DefaultContentNegotiation):
    """``?format=`` chooses the file here, not DRF's renderer; errors stay JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DocumentDownloadView(ContractDocumentsMixin, APIView):
    """The document's file: ``?format=docx`` (default) or ``pdf`` where LibreOffice made one; 409 until ready."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=FORMATS, default="docx")],
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, PDF_CONTENT_TYPE): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such document of a contract you can see."),
            409: OpenApiResponse(description="Not rendered yet, or no PDF of it."),
        },
    )
    def get(self, request, contract_pk=None, pk=None):
        document = get_object_or_404(self.get_queryset().select_related("contract"), pk=pk)
        stored = document_file(document=document, file_format=request.query_params.get("format", "docx"))
        return FileResponse(
            stored.file.open("rb"), as_attachment=True, filename=stored.filename, content_type=stored.content_type
        )


urlpatterns = [
    path("contracts/<int:contract_pk>/documents/", DocumentListView.as_view(), name="contract-documents"),
    path("contracts/<int:contract_pk>/documents/<int:pk>/", DocumentDetailView.as_view(), name="contract-document"),
    path(
        "contracts/<int:contract_pk>/documents/<int:pk>/download/",
        DocumentDownloadView.as_view(),
        name="contract-document-download",
    ),
]
