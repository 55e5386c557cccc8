"""The org tree over the API: `/api/v1/org-units/`.

Reads go through `org.selectors` (units the caller may see, `org.view`); writes through
`org.services.unit_create`/`unit_update`, which check `org.change` on the parent or the
unit and every structural rule of the tree. Moving a unit is a change of its `parent`
(the service moves the whole sub-tree and audits each unit it carries along).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from hoso.accounts.permissions import require
from hoso.accounts.roles import Action
from hoso.api.fields import ScopedPrimaryKeyField
from hoso.api.viewsets import ApiViewSet

from . import selectors, services
from .models import OrgUnit, UnitKind


class OrgUnitSerializer(serializers.ModelSerializer):
    """One unit. `parent` is any unit the caller may see; the service decides whether
    the caller may create or move a unit under it."""

    parent = ScopedPrimaryKeyField(
        selectors.unit_list, label=_("parent unit"), allow_null=True,
        help_text=_("The unit above; null only for the province itself."),
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id", "code", "name", "short_name", "kind", "parent", "depth",
            "valid_from", "valid_to",
        ]
        read_only_fields = ["id", "depth"]
        extra_kwargs = {"depth": {"label": _("depth in the tree")}}


class OrgUnitFilterSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        label=_("valid on"), required=False,
        help_text=_("Only the units in force on this day (YYYY-MM-DD); every period if absent."),
    )
    parent = serializers.IntegerField(
        label=_("parent unit"), required=False, min_value=1,
        help_text=_("Only the direct sub-units of this unit."),
    )
    kind = serializers.ChoiceField(label=_("kind"), choices=UnitKind.choices, required=False)
    code = serializers.CharField(
        label=_("electronic identifier code"), required=False, max_length=13,
        help_text=_("Exact code, e.g. 000.00.00.H26."),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Units you may see"), parameters=[OrgUnitFilterSerializer],
        description=_("In tree order. Everyone sees at least the unit they belong to."),
    ),
    retrieve=extend_schema(summary=_("One unit")),
    create=extend_schema(
        summary=_("Create a unit"),
        description=_("Needs the right to change the org tree on the parent unit."),
    ),
    partial_update=extend_schema(
        summary=_("Change or move a unit"),
        description=_(
            "Send only the fields that change. A new `parent` moves the unit with its "
            "whole sub-tree; it needs the right to change both the unit and the new parent."
        ),
    ),
)
class OrgUnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = OrgUnitSerializer
    gates = {"create": Action.ORG_CHANGE}

    def get_queryset(self):
        if self.action == "list":
            filters = OrgUnitFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            return selectors.unit_search(
                user=self.user, as_of=data.get("as_of"), parent_id=data.get("parent"),
                kind=data.get("kind", ""), code=data.get("code", ""),
            )
        return selectors.unit_list(user=self.user)

    def create(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        unit = services.unit_create(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        require(request.user, Action.ORG_CHANGE, unit)
        form = self.get_serializer(unit, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        unit = services.unit_update(actor=request.user, unit=unit, **form.validated_data)
        return Response(self.get_serializer(unit).data)
