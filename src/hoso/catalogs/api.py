"""The code lists over the API, read-only: `/api/v1/catalogs/` and each list's entries
(for forms and for external systems that exchange coded data). Code lists are nobody's
personal data: any authenticated caller may read them. Changes go through the pages
or `hoso catalogs load` (the province administrator)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from hoso.api.viewsets import ApiViewSet

from . import selectors
from .models import CodeEntry, CodeList


class CodeListSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True, label=_("name"))
    entry_count = serializers.IntegerField(read_only=True, label=_("number of entries"))

    class Meta:
        model = CodeList
        fields = ["id", "key", "name", "version", "source", "notes", "entry_count"]
        read_only_fields = fields


class CodeEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CodeEntry
        fields = ["code", "label", "parent_code", "attrs", "valid_from", "valid_to"]
        read_only_fields = fields


class CodeListFilterSerializer(serializers.Serializer):
    key = serializers.SlugField(label=_("key"), required=False,
                                help_text=_("Only the list with this key, e.g. ethnicities."))


class EntryFilterSerializer(serializers.Serializer):
    on = serializers.DateField(
        label=_("valid on"), required=False,
        help_text=_("Only the entries in force on this day (YYYY-MM-DD); every period if "
                    "absent."),
    )
    parent = serializers.CharField(label=_("parent code"), required=False, max_length=40,
                                   help_text=_("Only the entries under this code, e.g. the "
                                               "communes of province 68."))
    q = serializers.CharField(label=_("code or label contains"), required=False,
                              max_length=100)


@extend_schema_view(
    list=extend_schema(summary=_("Code lists"), parameters=[CodeListFilterSerializer]),
    retrieve=extend_schema(summary=_("One code list")),
    entries=extend_schema(
        summary=_("A code list's entries"), parameters=[EntryFilterSerializer],
        responses=CodeEntrySerializer(many=True),
    ),
)
class CodeListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = CodeListSerializer

    def get_queryset(self):
        qs = selectors.code_list_all()
        if self.action == "list":
            filters = CodeListFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if filters.validated_data.get("key"):
                qs = qs.filter(key=filters.validated_data["key"])
        return qs

    @action(detail=True, methods=["get"], serializer_class=CodeEntrySerializer)
    def entries(self, request, pk=None):
        code_list = self.get_object()
        filters = EntryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        qs = selectors.entry_search(
            code_list=code_list, on=data.get("on"), text=data.get("q", ""),
            parent=data.get("parent", ""),
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CodeEntrySerializer(page, many=True).data)
