"""People over the API, read-only: `/api/v1/persons/`.

The minimal Person (the personnel-file work adds the profile). Every read of someone
else's data leaves an access row (DESIGN principle 7): a page of the list one per
person on it (`log_list_access`), a single file through `person_get`. The
identification number is shown in full only to those who keep the file
(`may_see_id_number`), masked to everyone else; `?id_number=` finds a file by the exact
number (Decree 27/2026/NĐ-CP keys each file by it) through its keyed hash.

The approved file: `/persons/{id}/revisions/` (the chain, newest first),
`…/revisions/{n}/` (one revision's document), `…/as-of/?date=` (the file as it was at
the end of a day), `…/diff/?from=&to=` (field by field, with Vietnamese labels).
Every document is cut to the fields the caller may read (`visible_document`).
`/profile-schema/{category}/` serves the form's JSON schema.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hoso.api.fields import ScopedPrimaryKeyField
from hoso.api.viewsets import ApiViewSet
from hoso.org.selectors import unit_list

from . import selectors
from .models import Person, StaffCategory, Status
from .validators import validate_id_number


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(
        label=_("personal identification number"),
        help_text=_("Masked (first and last three digits) unless you keep this file."),
    )
    id_number_masked = serializers.SerializerMethodField(label=_("number masked"))

    class Meta:
        model = Person
        fields = [
            "id", "id_number", "id_number_masked", "full_name", "birth_date", "sex",
            "category", "unit", "status",
        ]
        read_only_fields = fields

    def _shows_number(self, obj: Person) -> bool:
        return selectors.may_see_id_number(user=self.context["request"].user, person=obj)

    def get_id_number(self, obj: Person) -> str:
        return obj.id_number if self._shows_number(obj) else obj.id_number_masked

    def get_id_number_masked(self, obj: Person) -> bool:
        return not self._shows_number(obj)


class PersonFilterSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        label=_("personal identification number"), required=False,
        validators=[validate_id_number], help_text=_("The exact 12-digit number."),
    )
    unit = ScopedPrimaryKeyField(
        unit_list, label=_("unit"), required=False, help_text=_("With its sub-units.")
    )
    category = serializers.ChoiceField(
        label=_("staff category"), choices=StaffCategory.choices, required=False
    )
    status = serializers.ChoiceField(label=_("status"), choices=Status.choices, required=False)
    name = serializers.CharField(label=_("name contains"), required=False, max_length=100)


class RevisionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField(label=_("revision number"))
    created_at = serializers.DateTimeField(label=_("approved at"))
    approved_by = serializers.IntegerField(
        label=_("approved by"), source="approved_by_id", allow_null=True,
        help_text=_("The approver's account; empty when written by the system."),
    )
    approved_by_name = serializers.SerializerMethodField(label=_("approver's name"))
    reason = serializers.CharField(label=_("reason"))
    change_request = serializers.IntegerField(
        label=_("change request"), source="change_request_id", allow_null=True
    )
    evidence_ids = serializers.ListField(
        label=_("evidence documents"), child=serializers.IntegerField()
    )
    category = serializers.CharField(label=_("staff category"))
    schema_version = serializers.CharField(label=_("form version"))
    parent_hash = serializers.CharField(label=_("parent hash"))
    content_hash = serializers.CharField(
        label=_("content hash"),
        help_text=_("sha256 over the parent hash and the canonical JSON of the whole file."),
    )

    def get_approved_by_name(self, obj) -> str:
        return obj.approved_by.full_name if obj.approved_by_id else ""


class RevisionSerializer(RevisionSummarySerializer):
    document = serializers.JSONField(
        label=_("profile document"),
        help_text=_("The fields you may read; the form is /api/v1/profile-schema/{category}/."),
    )
    hidden_fields = serializers.ListField(
        label=_("fields withheld"), source="hidden_keys", child=serializers.CharField(),
        help_text=_("Keys of the fields this file holds that you may not read."),
    )


class AsOfQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        label=_("date"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("YYYY-MM-DD or dd/mm/yyyy: the file as it was at the end of that day."),
    )


class DiffQuerySerializer(serializers.Serializer):
    to = serializers.IntegerField(label=_("newer revision"), min_value=1)
    # "from" is a Python keyword: declared through the class namespace.
    locals()["from"] = serializers.IntegerField(
        label=_("older revision"), min_value=0, help_text=_("0: the empty file before the first.")
    )


class ChangeSerializer(serializers.Serializer):
    path = serializers.CharField(
        label=_("path"), help_text=_('A field key, or table.row.column ("training.2.to").')
    )
    label = serializers.CharField(label=_("field"))
    before = serializers.CharField(label=_("before"))
    after = serializers.CharField(label=_("after"))


class DiffSerializer(serializers.Serializer):
    to = serializers.IntegerField(label=_("newer revision"))
    changes = ChangeSerializer(many=True, label=_("changes"))
    locals()["from"] = serializers.IntegerField(label=_("older revision"))


NUMBER = OpenApiParameter(
    "number", int, OpenApiParameter.PATH, description=_("The revision's number (1, 2, …).")
)


@extend_schema_view(
    list=extend_schema(
        summary=_("People you may see"), parameters=[PersonFilterSerializer],
        description=_(
            "Everyone whose file you may read, by name. Each page leaves an access row for "
            "every other person on it."
        ),
    ),
    retrieve=extend_schema(
        summary=_("One person"), description=_("Leaves an access row unless it is your own.")
    ),
)
class PersonViewSet(ApiViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        return selectors.person_list(user=self.user)

    def list(self, request, *args, **kwargs):
        filters = PersonFilterSerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        filters.is_valid(raise_exception=True)
        used = {k: v for k, v in filters.validated_data.items() if v not in ("", None)}
        page = self.paginate_queryset(selectors.person_find(user=request.user, **used))
        selectors.log_list_access(
            user=request.user,
            people=page,
            # Which filters, never their values: a number or a name is personal data.
            detail={"api": True, "offset": self.paginator.offset, "filters": sorted(used)},
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None, *args, **kwargs):
        try:
            person = selectors.person_get(user=request.user, pk=int(pk))
        except Person.DoesNotExist:
            raise NotFound from None
        return Response(self.get_serializer(person).data)

    def _person(self, pk) -> Person:
        try:
            return selectors.person_list(user=self.user).get(pk=int(pk))
        except (Person.DoesNotExist, ValueError):
            raise NotFound from None

    @extend_schema(
        summary=_("The revisions of a file"),
        description=_("Newest first, without their documents. Leaves an access row."),
        responses=RevisionSummarySerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="revisions", url_name="revisions")
    def revisions(self, request, pk=None):
        person = self._person(pk)
        revisions = selectors.revision_list(user=request.user, person=person)
        return Response(RevisionSummarySerializer(revisions, many=True).data)

    @extend_schema(
        summary=_("One revision of a file"),
        description=_("Its document, cut to the fields you may read. Leaves an access row."),
        parameters=[NUMBER], responses=RevisionSerializer,
    )
    @action(
        detail=True, methods=["get"], url_path=r"revisions/(?P<number>\d+)",
        url_name="revision",
    )
    def revision(self, request, pk=None, number=None):
        person = self._person(pk)
        revision = selectors.revision_get(user=request.user, person=person, number=int(number))
        return Response(RevisionSerializer(revision).data)

    @extend_schema(
        summary=_("A file as it was on a date"),
        description=_(
            "The revision in force at the end of the day, cut to the fields you may read; "
            "404 when no file had been approved by then. Leaves an access row."
        ),
        parameters=[AsOfQuerySerializer], responses=RevisionSerializer,
    )
    @action(detail=True, methods=["get"], url_path="as-of", url_name="as-of")
    def as_of(self, request, pk=None):
        query = AsOfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        person = self._person(pk)
        on = query.validated_data["date"]
        revision = selectors.revision_as_of(user=request.user, person=person, on=on)
        if revision is None:
            raise NotFound(
                _("No file had been approved yet on %(date)s.") % {"date": on.strftime("%d/%m/%Y")}
            )
        return Response(RevisionSerializer(revision).data)

    @extend_schema(
        summary=_("What changed between two revisions"),
        description=_(
            "Field by field, tables row by row, with Vietnamese labels and values as shown "
            "on the pages; fields you may not read are left out. Leaves an access row."
        ),
        parameters=[DiffQuerySerializer], responses=DiffSerializer,
    )
    @action(detail=True, methods=["get"], url_path="diff", url_name="diff")
    def diff(self, request, pk=None):
        query = DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        old_n, new_n = query.validated_data["from"], query.validated_data["to"]
        if old_n >= new_n:
            raise serializers.ValidationError(
                {"from": [_("Must be older (smaller) than the newer revision.")]}
            )
        person = self._person(pk)
        _old, _new, changes = selectors.revision_compare(
            user=request.user, person=person, old_number=old_n, new_number=new_n
        )
        return Response(
            {"from": old_n, "to": new_n, "changes": ChangeSerializer(changes, many=True).data}
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary=_("The profile form's JSON schema"),
        description=_(
            "The fields of the form of a staff category (the CV form of Circular "
            "06/2023/TT-BNV, or the labour-contract form for contract workers), with types, "
            "Vietnamese labels and which are required."
        ),
        parameters=[
            OpenApiParameter(
                "category", str, OpenApiParameter.PATH, enum=StaffCategory.values,
                description=_("staff category"),
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
)
class ProfileSchemaViewSet(ApiViewSet):
    lookup_field = "category"
    lookup_value_regex = "[a-z_]+"

    def retrieve(self, request, category=None):
        from .schema import json_schema

        if category not in StaffCategory.values:
            raise NotFound
        return Response(json_schema(category))
