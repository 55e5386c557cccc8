"""Evidence documents over the API: `/api/v1/evidence/`.

- list `?person=<id>`: the evidence of one file the caller may open;
- create (multipart): upload a scan with its details — checked by content, size-limited,
  hashed and stored like an upload on the pages (one `services.evidence_upload`);
- retrieve: the details; `download/`: the file itself.

Reads start from `documents.selectors` (the permission path); an evidence row is never
changed or deleted, so there is no PUT, PATCH or DELETE.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from hoso.api.viewsets import ApiViewSet
from hoso.core.errors import NotFound
from hoso.records.sections import SECTIONS
from hoso.records.selectors import person_list

from . import selectors, services
from .models import EvidenceDocument
from .views import file_response


def person_or_404(*, user, pk: int):
    """A file the caller may view, else "not found" (a file outside one's scope is not
    confirmed to exist); whether they may change it is the service's decision (403)."""
    person = person_list(user=user).filter(pk=pk).first()
    if person is None:
        raise NotFound(_("No such file."))
    return person


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(label=_("download address"))

    class Meta:
        model = EvidenceDocument
        fields = [
            "id", "person", "kind", "number", "issued_on", "issuer", "section", "note",
            "content_type", "size", "pages", "sha256", "uploaded_by", "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: EvidenceDocument) -> str:
        return reverse("api:evidence-download", args=[obj.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        label=_("personnel file"),
        help_text=_("The file the document belongs to (yours, or one you keep)."),
    )
    file = serializers.FileField(
        label=_("file"), allow_empty_file=True,
        help_text=_("PDF, JPEG or PNG, checked by content; at most HOSO_EVIDENCE_MAX_MB."),
    )
    kind = serializers.CharField(
        label=_("kind of document"), max_length=40,
        help_text=_("A code of the “evidence_kinds” code list."),
    )
    number = serializers.CharField(
        label=_("document number"), max_length=60, required=False, allow_blank=True,
        default="",
    )
    issued_on = serializers.DateField(
        label=_("date of issue"), required=False, allow_null=True, default=None
    )
    issuer = serializers.CharField(
        label=_("issued by"), max_length=200, required=False, allow_blank=True, default=""
    )
    section = serializers.ChoiceField(
        label=_("section of the file"), choices=list(SECTIONS.items()),
        required=False, allow_blank=True, default="",
    )
    note = serializers.CharField(
        label=_("note"), max_length=300, required=False, allow_blank=True, default=""
    )


class EvidenceFilterSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        label=_("personnel file"), required=False,
        help_text=_("Another file you may view; your own when left out."),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Evidence of one file"), parameters=[EvidenceFilterSerializer],
        description=_(
            "The evidence documents of one file (yours by default) that you may open, "
            "newest first."
        ),
    ),
    retrieve=extend_schema(summary=_("One evidence document's details")),
    create=extend_schema(
        summary=_("Upload an evidence document"),
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer},
        description=_(
            "The scanned decision or certificate behind a change (Vĩnh Phúc Đ7.3, Lai Châu "
            "2.2). Only PDF, JPEG and PNG are accepted, recognised by their content."
        ),
    ),
    download=extend_schema(
        summary=_("Download an evidence document"),
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    ),
)
class EvidenceViewSet(ApiViewSet):
    serializer_class = EvidenceSerializer
    parser_classes = (MultiPartParser, FormParser)

    def get_queryset(self):
        return EvidenceDocument.objects.none()

    def list(self, request, *args, **kwargs):
        filters = EvidenceFilterSerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        filters.is_valid(raise_exception=True)
        pk = filters.validated_data.get("person") or request.user.person_id
        if pk is None:  # an account without a file of its own, and no file named
            qs = EvidenceDocument.objects.none()
        else:
            qs = selectors.evidence_list(user=request.user,
                                         person=person_or_404(user=request.user, pk=pk))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None, *args, **kwargs):
        return Response(self.get_serializer(selectors.evidence_get(user=request.user, pk=pk)).data)

    def create(self, request, *args, **kwargs):
        data = EvidenceUploadSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = person_or_404(user=request.user, pk=v.pop("person"))
        doc = services.evidence_upload(
            actor=request.user, person=person, upload=services.Upload(**v)
        )
        return Response(self.get_serializer(doc).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        doc, handle = selectors.evidence_open(user=request.user, pk=pk)
        return file_response(doc, handle)
