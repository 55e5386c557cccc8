"""Change requests over the API: `/api/v1/change-requests/`.

- list: the change requests of the files you may change (your own, those you keep);
- create `{"person": id}`: your draft of that file (the open one, or a new one that
  starts from the approved revision);
- retrieve: the request with its proposed document (the parts you may read), its
  evidence and, for a draft, what still stands in the way of submitting it;
- PATCH `{"document": {...}, "note": "..."}`: each key replaces that field, null
  removes it; values are checked by the profile schema, with Vietnamese messages;
- `attach/`, `detach/` `{"evidence": id}`: evidence uploaded with `/api/v1/evidence/`;
- `submit/` (and `resubmit/` for a returned request): refused (400) with every problem
  while there are any; otherwise the request goes through the province's review chain;
- `queue/`: the steps the caller decides now, soonest due first;
- `{id}/steps/`: every round's steps, with due dates and decisions;
- `{id}/approve/`, `{id}/return/`, `{id}/reject/`: the caller's decision on the active
  step (naming the `step` and `version` it was taken on guards against deciding on
  what one did not see); the final approval signs with the caller's key (`secret`);
- `{id}/withdraw/`: the person (or HR officer) withdraws a draft or a returned request.

Every read starts from `workflow.selectors`, every write is one `workflow.services` or
`workflow.decisions` call.
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
from hoso.core.errors import NotFound
from hoso.documents import selectors as evidence_selectors
from hoso.documents.api import person_or_404

from . import decisions, selectors, services
from .models import ChangeRequest, ReviewStep


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


class StepSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField(label=_("step"))
    # A plain string in the schema: a second "status" enum beside the change request's
    # would need a name of its own in the settings' ENUM_NAME_OVERRIDES.
    status = serializers.CharField(
        label=_("status"), read_only=True,
        help_text=_("waiting, active (awaiting a decision), approved, returned, rejected or "
                    "cancelled."),
    )
    unit_name = serializers.CharField(source="unit.name", label=_("unit"), read_only=True)
    overdue = serializers.SerializerMethodField(label=_("overdue"))
    field_reasons = serializers.DictField(
        child=serializers.CharField(), label=_("reasons per field"), read_only=True,
        help_text=_("Field path (e.g. “birth_date”, “training.2.to”, “evidence”) → what is "
                    "wrong with it."),
    )

    class Meta:
        model = ReviewStep
        fields = [
            "id", "round", "number", "key", "label", "role", "unit", "unit_name", "status",
            "final", "signs", "delegable", "started_at", "due_date", "overdue",
            "decided_at", "decided_by", "on_behalf_of", "delegation", "comment",
            "field_reasons", "signature",
        ]
        read_only_fields = fields

    def get_label(self, obj: ReviewStep) -> str:
        return obj.label_display()

    def get_overdue(self, obj: ReviewStep) -> bool:
        return obj.is_overdue()


class QueueItemSerializer(StepSerializer):
    """A step awaiting the caller's decision, with its request."""

    change_request = serializers.IntegerField(source="change_request_id", read_only=True,
                                              label=_("change request"))
    person = serializers.IntegerField(source="change_request.person_id", read_only=True,
                                      label=_("personnel file"))
    person_name = serializers.CharField(source="change_request.person.full_name",
                                        read_only=True, label=_("full name"))
    steps_total = serializers.IntegerField(source="change_request.steps_total",
                                           read_only=True, label=_("number of steps"))
    version = serializers.IntegerField(source="change_request.version", read_only=True,
                                       label=_("version"))

    class Meta(StepSerializer.Meta):
        fields = [
            "change_request", "person", "person_name", "steps_total", "version",
            *StepSerializer.Meta.fields,
        ]
        read_only_fields = fields


class ChangeRequestSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField(label=_("proposed document"))
    evidence = serializers.SerializerMethodField(label=_("evidence documents"))
    base_revision = serializers.SerializerMethodField(label=_("approved revision it started from"))
    revision = serializers.SerializerMethodField(label=_("revision written"))

    class Meta:
        model = ChangeRequest
        fields = [
            "id", "person", "origin", "status", "category", "schema_version",
            "base_revision", "document", "evidence", "note", "created_by", "created_at",
            "saved_at", "submitted_at", "submitted_by", "policy", "current_step",
            "steps_total", "decided_at", "revision", "version",
        ]
        read_only_fields = fields

    @extend_schema_field(DocumentField())
    def get_document(self, obj: ChangeRequest) -> dict:
        return selectors.visible_draft_document(user=self.context["request"].user, cr=obj)

    def get_evidence(self, obj: ChangeRequest) -> list[int]:
        return list(obj.active_evidence().values_list("pk", flat=True))

    def get_base_revision(self, obj: ChangeRequest) -> int | None:
        return obj.base_revision.number if obj.base_revision_id else None

    def get_revision(self, obj: ChangeRequest) -> int | None:
        return obj.revision.number if obj.revision_id else None


class ChangeRequestDetailSerializer(ChangeRequestSerializer):
    problems = serializers.SerializerMethodField(
        label=_("what stands in the way of submitting"),
    )
    steps = serializers.SerializerMethodField(label=_("steps of the review"))

    class Meta(ChangeRequestSerializer.Meta):
        fields = [*ChangeRequestSerializer.Meta.fields, "problems", "steps"]
        read_only_fields = fields

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, obj: ChangeRequest) -> list[dict]:
        return StepSerializer(selectors.steps_of(obj), many=True, context=self.context).data

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, obj: ChangeRequest) -> list[dict]:
        if not obj.editable:
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


class _DecisionSerializer(serializers.Serializer):
    step = serializers.IntegerField(
        label=_("step"), required=False, allow_null=True, default=None,
        help_text=_("The id of the step you decide (as listed in steps/ or queue/): "
                    "a decision on a step already decided is refused."),
    )
    version = serializers.IntegerField(
        label=_("version"), required=False, allow_null=True, default=None,
        help_text=_("The request's version you decided on: refused if it changed since."),
    )


class ApproveSerializer(_DecisionSerializer):
    comment = serializers.CharField(label=_("comment"), required=False, allow_blank=True,
                                    default="", max_length=2000)
    secret = serializers.CharField(
        label=_("passphrase or PIN of your signing key"), required=False, allow_blank=True,
        default="", max_length=256, write_only=True, trim_whitespace=False,
        help_text=_("For a step that signs; never kept."),
    )


class ReturnSerializer(_DecisionSerializer):
    field_reasons = serializers.DictField(
        child=serializers.CharField(max_length=2000), label=_("reasons per field"),
        help_text=_("Field path (e.g. “birth_date”, “training.2.to”, or “evidence”) → what is "
                    "wrong and what would be right; at least one."),
    )
    comment = serializers.CharField(label=_("comment"), required=False, allow_blank=True,
                                    default="", max_length=2000)


class RejectSerializer(_DecisionSerializer):
    reason = serializers.CharField(label=_("reason"), max_length=2000)


class ApproveManySerializer(serializers.Serializer):
    change_requests = serializers.ListField(
        child=serializers.IntegerField(), label=_("change requests"), allow_empty=False,
        max_length=1000,
        help_text=_("Requests at their final step, yours to approve."),
    )
    comment = serializers.CharField(label=_("comment"), required=False, allow_blank=True,
                                    default="", max_length=2000)
    secret = serializers.CharField(
        label=_("passphrase or PIN of your signing key"), required=False, allow_blank=True,
        default="", max_length=256, write_only=True, trim_whitespace=False,
    )


class ApprovedSerializer(serializers.Serializer):
    approved = serializers.ListField(child=serializers.IntegerField(),
                                     label=_("change requests approved"))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("reason"), required=False, allow_blank=True,
                                   default="", max_length=2000)


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
    resubmit=extend_schema(
        summary=_("Send a corrected request again"), request=None,
        responses={200: ChangeRequestDetailSerializer},
        description=_("A request returned for correction starts a new round of review; the "
                      "earlier rounds are kept."),
    ),
    queue=extend_schema(
        summary=_("Steps awaiting your decision"), responses={200: QueueItemSerializer(many=True)},
        description=_("Soonest due first; your own roles and the roles delegated to you."),
    ),
    steps=extend_schema(
        summary=_("Steps of the review"), responses={200: StepSerializer(many=True)},
    ),
    approve=extend_schema(
        summary=_("Approve the current step"), request=ApproveSerializer,
        responses={200: ChangeRequestDetailSerializer},
        description=_(
            "The final approval writes the new revision and signs it with your key, in one "
            "transaction; where the province has a unit approval window it is given only "
            "inside it (Vĩnh Phúc Đ8.1, Quảng Nam Đ5.1, Lai Châu 2.3)."
        ),
    ),
    approve_many=extend_schema(
        summary=_("Approve many requests at once"), request=ApproveManySerializer,
        responses={200: ApprovedSerializer},
        description=_(
            "The final approvals of many requests as one act with one signing session (the "
            "month's approval window): each gets its revision and its signature; all or "
            "nothing — a request that may not be approved refuses the whole act, named."
        ),
    ),
    return_for_correction=extend_schema(
        summary=_("Return to the person for correction"), request=ReturnSerializer,
        responses={200: ChangeRequestDetailSerializer},
    ),
    reject=extend_schema(
        summary=_("Reject the change"), request=RejectSerializer,
        responses={200: ChangeRequestDetailSerializer},
    ),
    withdraw=extend_schema(
        summary=_("Withdraw a draft or a returned request"), request=WithdrawSerializer,
        responses={200: ChangeRequestDetailSerializer},
    ),
)
class ChangeRequestViewSet(ApiViewSet):
    serializer_class = ChangeRequestSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.change_request_list(user=self.user)

    def get_serializer_class(self):
        if self.action == "queue":
            return QueueItemSerializer
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
    def resubmit(self, request, pk=None):
        return self.submit(request, pk=pk)

    @action(detail=False, methods=["get"])
    def queue(self, request):
        from hoso.records.selectors import log_list_access

        page = self.paginate_queryset(selectors.queue_for(request.user))
        log_list_access(user=request.user, people=[s.change_request.person for s in page],
                        action="view", detail={"what": "review_queue"})
        return self.get_paginated_response(QueueItemSerializer(page, many=True).data)

    @action(detail=True, methods=["get"])
    def steps(self, request, pk=None):
        cr = self._get(pk)
        return Response(StepSerializer(selectors.steps_of(cr), many=True).data)

    def _decision(self, request, serializer):
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def handle_exception(self, exc):
        # A decision on something that changed meanwhile is a conflict (409), not a bad
        # request: reading the request again and deciding anew is the answer.
        if isinstance(exc, decisions.Stale):
            return Response({"non_field_errors": [str(exc.message)], "code": exc.code},
                            status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        cr = self._get(pk)
        data = self._decision(request, ApproveSerializer)
        decisions.approve(actor=request.user, change_request=cr, step=data["step"],
                          version=data["version"], comment=data["comment"],
                          secret=data["secret"] or None)
        return self._answer(cr)

    @action(detail=False, methods=["post"], url_path="approve-many", url_name="approve-many")
    def approve_many(self, request):
        data = self._decision(request, ApproveManySerializer)
        # only requests the caller may see: any other reads as not found
        visible = set(self.get_queryset().filter(pk__in=data["change_requests"])
                      .values_list("pk", flat=True))
        missing = [pk for pk in data["change_requests"] if pk not in visible]
        if missing:
            raise NotFound(_("No such change request: no. %(n)s.") % {"n": missing[0]})
        done = decisions.approve_many(actor=request.user, change_requests=sorted(visible),
                                      comment=data["comment"], secret=data["secret"] or None)
        return Response({"approved": [cr.pk for cr in done]})

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_correction(self, request, pk=None):
        cr = self._get(pk)
        data = self._decision(request, ReturnSerializer)
        decisions.return_for_correction(
            actor=request.user, change_request=cr, field_reasons=data["field_reasons"],
            comment=data["comment"], step=data["step"], version=data["version"],
        )
        return self._answer(cr)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        cr = self._get(pk)
        data = self._decision(request, RejectSerializer)
        decisions.reject(actor=request.user, change_request=cr, reason=data["reason"],
                         step=data["step"], version=data["version"])
        return self._answer(cr)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        cr = self._get(pk)
        data = self._decision(request, WithdrawSerializer)
        services.withdraw(actor=request.user, change_request=cr, reason=data["reason"])
        return self._answer(cr)

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
