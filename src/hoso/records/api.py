"""People over the API, read-only: `/api/v1/persons/`.

The minimal Person (the personnel-file work adds the profile). Every read of someone
else's data leaves an access row (DESIGN principle 7): a page of the list one per
person on it (`log_list_access`), a single file through `person_get`. The
identification number is shown in full only to those who keep the file
(`may_see_id_number`), masked to everyone else; `?id_number=` finds a file by the exact
number (Decree 27/2026/NĐ-CP keys each file by it) through its keyed hash.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
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
