"""The statistics over the API: `/api/v1/stats/` (all of them) and
`/api/v1/stats/{key}/` (one), with the pages' filters and the pages' figures — the
same `Statistic` objects, as JSON. Each call leaves one access row."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from hoso.api.fields import ScopedPrimaryKeyField
from hoso.api.viewsets import ApiViewSet
from hoso.records.models import StaffCategory

from . import selectors
from .forms import EARLIEST


class StatsFilterSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyField(
        selectors.unit_choices, label=_("unit"), required=False, allow_null=True,
        help_text=_("With its sub-units. Left out: the one unit your roles cover (the "
                    "province for the Department of Home Affairs); empty: every unit "
                    "in your scope."),
    )
    category = serializers.ChoiceField(
        label=_("staff category"), choices=StaffCategory.choices, required=False,
        allow_blank=True,
    )
    on = serializers.DateField(
        label=_("reference date"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("YYYY-MM-DD (default today): ages are counted on this day, arrivals and "
                    "departures over the twelve months up to it."),
    )

    def validate_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(
                _("The reference date cannot be after today: statistics count what the "
                  "files hold.")
            )
        if value < EARLIEST:
            raise serializers.ValidationError(
                _("The reference date must be on or after 02/09/1945.")
            )
        return value


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(label=pgettext_lazy("statistics", "key"))
    label = serializers.CharField(label=pgettext_lazy("statistics", "label"))
    percent = serializers.BooleanField(
        label=pgettext_lazy("statistics", "share in %"),
        help_text=_("A share in per cent (one decimal), not a count."),
    )


class RowSerializer(serializers.Serializer):
    key = serializers.CharField(
        label=pgettext_lazy("statistics", "key"),
        help_text=_("The code of the row: a unit's code, a code of a code list, an age group, "
                    "a month (YYYY-MM), or \"none\"."),
    )
    label = serializers.CharField(label=pgettext_lazy("statistics", "label"))
    values = serializers.DictField(
        label=pgettext_lazy("statistics", "values"), child=serializers.FloatField(allow_null=True),
        help_text=_("Column key → the number (people, or a share in %)."),
    )


class StatisticSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        label=pgettext_lazy("statistics", "key"), choices=list(selectors.STATISTICS)
    )
    title = serializers.CharField(label=pgettext_lazy("statistics", "title"))
    description = serializers.CharField(label=pgettext_lazy("statistics", "description"))
    row_label = serializers.CharField(label=pgettext_lazy("statistics", "heading of the rows"))
    columns = ColumnSerializer(many=True, label=pgettext_lazy("statistics", "columns"))
    rows = RowSerializer(many=True, label=pgettext_lazy("statistics", "rows"))
    total = RowSerializer(label=pgettext_lazy("statistics", "total"), allow_null=True)
    note = serializers.CharField(label=pgettext_lazy("statistics", "note"))
    withheld = serializers.CharField(
        label=pgettext_lazy("statistics", "withheld"),
        help_text=_("Why you may not see this statistic (its rows are then empty); empty "
                    "when you may."),
    )


class AppliedFiltersSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label=_("unit"), allow_null=True)
    category = serializers.CharField(label=_("staff category"))
    on = serializers.DateField(label=_("reference date"))


class StatisticsSerializer(serializers.Serializer):
    filters = AppliedFiltersSerializer(label=pgettext_lazy("statistics", "filters applied"))
    scope = serializers.CharField(label=pgettext_lazy("statistics", "scope"))
    statistics = StatisticSerializer(many=True, label=pgettext_lazy("statistics", "statistics"))


KEY = OpenApiParameter(
    "key", str, OpenApiParameter.PATH, enum=list(selectors.STATISTICS),
    description=_("Which statistic."),
)


class StatisticsViewSet(ApiViewSet):
    pagination_class = None

    def _filters(self, request) -> selectors.Filters:
        selectors.require_view(request.user)
        params = request.query_params.copy()
        if "unit" not in params:
            unit = selectors.default_unit(user=request.user)
            params["unit"] = str(unit.pk) if unit else ""
        form = StatsFilterSerializer(data=params, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        return selectors.Filters(
            unit=data.get("unit"), category=data.get("category") or "", on=data.get("on")
        )

    def _applied(self, filters: selectors.Filters) -> dict:
        return {
            "unit": filters.unit.pk if filters.unit else None,
            "category": filters.category,
            "on": filters.day.isoformat(),
        }

    @extend_schema(
        operation_id="stats_list",
        summary=_("Every statistic of a scope"),
        description=_(
            "Headcount by unit and category, the age pyramid, ethnic minorities, "
            "qualifications, political theory, state management, foreign languages, IT, "
            "Party members, ranks and titles, arrivals and departures, data completeness: "
            "the figures of the statistics page, counted over the people you may see. "
            "Leaves one access row."
        ),
        parameters=[StatsFilterSerializer], responses=StatisticsSerializer,
    )
    def overview(self, request):
        filters = self._filters(request)
        found = selectors.statistic_list(user=request.user, filters=filters)
        return Response({
            "filters": self._applied(filters),
            "scope": selectors.scope_label(user=request.user, filters=filters),
            "statistics": [s.as_dict() for s in found],
        })

    @extend_schema(
        operation_id="stats_retrieve",
        summary=_("One statistic of a scope"),
        description=_("The figures of one statistic (its table). Leaves one access row."),
        parameters=[KEY, StatsFilterSerializer], responses=StatisticSerializer,
    )
    def statistic(self, request, key: str):
        filters = self._filters(request)
        stat = selectors.statistic_get(user=request.user, key=key, filters=filters)
        return Response(stat.as_dict())
