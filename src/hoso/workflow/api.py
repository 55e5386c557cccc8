"""Change requests over the API: `/api/v1/change-requests/`.

- list: the change requests of the files you may change (your own, those you keep);
- create `{"person": id}`: your draft of that file (the open one, or a new one that
  starts from the approved revision);
- retrieve: the request with its proposed document (the parts you may read), its
  evidence and, for a draft, what still stands in the way of submitting it;
- PATCH `{"document": {...}, "note": "..."}`: each key replaces that field, null
  removes it; values are checked by the profile schema, with Vietnamese messages;
- `attach/`, `detach/` `{"evidence": id}`: evidence uploaded with `/api/v1/evidence/`;
- `submit/`: refused (400) with every problem while there are any.

Every read starts from `workflow.selectors`, every write is one `workflow.services` call.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from hoso.api.viewsets import ApiViewSet
from hoso.documents import selectors as evidence_selectors
from hoso.documents.api import person_or_404

from . import selectors, services
from .models import ChangeRequest


class DocumentField(serializers.JSONField):
    """A profile document (or part of one): {field key: value}. Its form, with every
    field's type, code list and access level, is a JSON Schema (2020-12) served at
    /api/v1/profile-schema/{category}/ — too rich to be inlined in OpenAPI 3.0."""


class DocumentFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "hoso.workflow.api.DocumentField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "object",
            "additionalProperties": True,
            "description": str(_(
                "Field keys and values of the profile form; the form's JSON schema is at "
                "/api/v1/profile-schema/{category}/."
            )),
        }


class ProblemSerializer(serializers.Serializer):
    path = serializers.CharField(label=_("field"))
    message = serializers.CharField(label=_("problem"))
    section = serializers.CharField(label=_("section of the form"), allow_null=True)


class ChangeRequestSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField(label=_("proposed document"))
    evidence = serializers.SerializerMethodField(label=_("evidence documents"))
    base_revision = serializers.SerializerMethodField(label=_("approved revision it started from"))

    class Meta:
        model = ChangeRequest
        fields = [
            "id", "person", "origin", "status", "category", "schema_version",
            "base_revision", "document", "evidence", "note", "created_by", "created_at",
            "saved_at", "submitted_at", "submitted_by",
        ]
        read_only_fields = fields

    @extend_schema_field(DocumentField())
    def get_document(self, obj: ChangeRequest) -> dict:
        return selectors.visible_draft_document(user=self.context["request"].user, cr=obj)

    def get_evidence(self, obj: ChangeRequest) -> list[int]:
        return list(obj.active_evidence().values_list("pk", flat=True))

    def get_base_revision(self, obj: ChangeRequest) -> int | None:
        return obj.base_revision.number if obj.base_revision_id else None


class ChangeRequestDetailSerializer(ChangeRequestSerializer):
    problems = serializers.SerializerMethodField(
        label=_("what stands in the way of submitting"),
    )

    class Meta(ChangeRequestSerializer.Meta):
        fields = [*ChangeRequestSerializer.Meta.fields, "problems"]
        read_only_fields = fields

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, obj: ChangeRequest) -> list[dict]:
        if not obj.is_draft:
            return []
        return [
            {"path": p.path, "message": p.message, "section": p.section}
            for p in selectors.submission_problems(obj)
        ]


class StartSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        label=_("personnel file"),
        help_text=_("Your own file, or one you keep as HR officer."),
    )


class PatchSerializer(serializers.Serializer):
    document = DocumentField(
        label=_("fields to change"), required=False,
        help_text=_("Each key replaces that field's value; null removes it."),
    )
    note = serializers.CharField(
        label=_("note"), required=False, allow_blank=True, max_length=2000
    )

    def validate_document(self, value):
        if not isinstance(value, dict):
            raise ValidationError(_("Send an object of field keys and values."))
        return value


class EvidenceRefSerializer(serializers.Serializer):
    evidence = serializers.IntegerField(label=_("evidence document"))


@extend_schema_view(
    list=extend_schema(summary=_("Change requests you may see")),
    retrieve=extend_schema(summary=_("One change request")),
    create=extend_schema(
        summary=_("Start (or reopen) the draft of a file"), request=StartSerializer,
        responses={200: ChangeRequestDetailSerializer, 201: ChangeRequestDetailSerializer},
        description=_(
            "The draft starts from the approved revision: nothing already known is asked "
            "again (Vĩnh Phúc Đ4.5)."
        ),
    ),
    partial_update=extend_schema(
        summary=_("Change fields of a draft"), request=PatchSerializer,
        responses={200: ChangeRequestDetailSerializer},
    ),
    attach=extend_schema(
        summary=_("Attach an evidence document"), request=EvidenceRefSerializer,
        responses={200: ChangeRequestDetailSerializer},
    ),
    detach=extend_schema(
        summary=_("Detach an evidence document"), request=EvidenceRefSerializer,
        responses={200: ChangeRequestDetailSerializer},
    ),
    submit=extend_schema(
        summary=_("Submit a draft for review"), request=None,
        responses={200: ChangeRequestDetailSerializer},
        description=_(
            "Refused with every problem (invalid or missing fields, changes without their "
            "scanned decision — Vĩnh Phúc Đ7.3) while there are any."
        ),
    ),
)
class ChangeRequestViewSet(ApiViewSet):
    serializer_class = ChangeRequestSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.change_request_list(user=self.user)

    def get_serializer_class(self):
        return ChangeRequestSerializer if self.action == "list" else ChangeRequestDetailSerializer

    def _get(self, pk) -> ChangeRequest:
        return selectors.change_request_get(user=self.user, pk=int(pk))

    def _answer(self, cr: ChangeRequest, code=status.HTTP_200_OK) -> Response:
        cr = self._get(cr.pk)  # re-read through the selector
        context = self.get_serializer_context()
        return Response(ChangeRequestDetailSerializer(cr, context=context).data, status=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None, *args, **kwargs):
        return self._answer(self._get(pk))

    def create(self, request, *args, **kwargs):
        data = StartSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        person = person_or_404(user=request.user, pk=data.validated_data["person"])
        existing = selectors.draft_for(user=request.user, person=person)
        draft = services.draft_start(actor=request.user, person=person)
        return self._answer(draft, status.HTTP_200_OK if existing else status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None, *args, **kwargs):
        draft = self._get(pk)
        data = PatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.draft_update(
                actor=request.user, draft=draft,
                changes=data.validated_data.get("document"), note=data.validated_data.get("note"),
            )
        except services.FieldsRefused as exc:
            raise ValidationError({"document": exc.issues}) from None
        return self._answer(draft)

    def _evidence(self, request):
        data = EvidenceRefSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # An evidence document the caller may not open is "not found" (404).
        pk = data.validated_data["evidence"]
        return evidence_selectors.evidence_get(user=request.user, pk=pk)

    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        draft = self._get(pk)
        services.draft_attach(actor=request.user, draft=draft, evidence=self._evidence(request))
        return self._answer(draft)

    @action(detail=True, methods=["post"])
    def detach(self, request, pk=None):
        draft = self._get(pk)
        services.draft_detach(actor=request.user, draft=draft, evidence=self._evidence(request))
        return self._answer(draft)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        draft = self._get(pk)
        try:
            services.draft_submit(actor=request.user, draft=draft)
        except services.SubmitRefused as exc:
            return Response(
                {
                    "non_field_errors": [str(exc.message)],
                    "problems": [
                        {"path": p.path, "message": p.message, "section": p.section}
                        for p in exc.problems
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._answer(draft)
