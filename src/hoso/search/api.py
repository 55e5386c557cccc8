"""The search over the API: `/api/v1/search/persons/` (results, counts, facets),
`/api/v1/search/persons/export/` (Excel or CSV) and the caller's saved searches
`/api/v1/search/saved/`.

The same selectors as the page: results, counts and facets only from `visible_to`,
one access row per search, one per exported person.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from hoso.api.fields import ScopedPrimaryKeyField
from hoso.api.viewsets import ApiViewSet
from hoso.org.selectors import unit_list
from hoso.records.models import Sex, StaffCategory, Status

from . import selectors, services, tables
from .exports import FORMATS, table_response
from .models import SavedSearch

CATALOG_FILTERS = {
    "rank": "ranks", "title": "titles", "job_position": "job_positions",
    "ethnicity": "ethnicities", "education": "education_levels",
    "political_theory": "political_theory_levels",
}


class SearchParams(serializers.Serializer):
    q = serializers.CharField(
        label=_("text"), required=False, allow_blank=True, max_length=200,
        help_text=_("Name words with or without accents in any order, a 4-digit birth year, "
                    "a date of birth (dd/mm/yyyy) or the 12-digit identification number."),
    )
    unit = ScopedPrimaryKeyField(
        unit_list, label=_("unit"), required=False, help_text=_("With its sub-units.")
    )
    category = serializers.ChoiceField(
        label=_("staff category"), choices=StaffCategory.choices, required=False
    )
    status = serializers.ChoiceField(label=_("status"), choices=Status.choices, required=False)
    sex = serializers.ChoiceField(label=_("sex"), choices=Sex.choices, required=False)
    rank = serializers.ChoiceField(label=_("civil-service rank"), choices=[], required=False)
    title = serializers.ChoiceField(label=_("professional title"), choices=[], required=False)
    job_position = serializers.ChoiceField(label=_("job position"), choices=[], required=False)
    ethnicity = serializers.ChoiceField(label=_("ethnicity"), choices=[], required=False)
    education = serializers.ChoiceField(
        label=_("professional qualification"), choices=[], required=False
    )
    political_theory = serializers.ChoiceField(
        label=_("political theory"), choices=[], required=False
    )
    party = serializers.ChoiceField(
        label=_("Party membership"), choices=[("yes", _("yes")), ("no", _("no"))],
        required=False,
        help_text=_("Restricted: searches only the people whose restricted details you may "
                    "read."),
    )
    age_min = serializers.IntegerField(label=_("age from"), required=False, min_value=15,
                                       max_value=100)
    age_max = serializers.IntegerField(label=_("age to"), required=False, min_value=15,
                                       max_value=100)
    changed_since = serializers.DateField(
        label=_("file changed since"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("YYYY-MM-DD or dd/mm/yyyy: a revision approved on or after that day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from hoso.catalogs.selectors import UnknownList, choices

        for name, list_key in CATALOG_FILTERS.items():
            try:
                self.fields[name].choices = choices(list_key)
            except UnknownList:
                self.fields[name].choices = []

    def validate(self, attrs):
        low, high = attrs.get("age_min"), attrs.get("age_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"age_max": [_("Must not be below “age from” (%(low)d).") % {"low": low}]}
            )
        return attrs

    def filters(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k != "q"}


class PageParams(SearchParams):
    page = serializers.IntegerField(label=_("page"), required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        label=_("page size"), required=False, min_value=1, max_value=100,
        default=selectors.PAGE_SIZE,
    )

    def filters(self) -> dict:
        return {k: v for k, v in super().filters().items() if k not in ("page", "page_size")}


class ExportParams(SearchParams):
    fmt = serializers.ChoiceField(label=_("file format"), choices=FORMATS, default="xlsx")
    what = serializers.ChoiceField(
        label=_("table"), default="results",
        choices=[("results", _("the results as listed")),
                 ("summary", _("the summary list (danh sách trích ngang)"))],
    )

    def filters(self) -> dict:
        return {k: v for k, v in super().filters().items() if k not in ("fmt", "what")}


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(label=_("full name"))
    birth_date = serializers.DateField(label=_("date of birth"))
    sex = serializers.CharField(label=_("sex"))
    category = serializers.CharField(label=_("staff category"))
    unit = serializers.IntegerField(label=_("unit"), source="unit_id")
    unit_name = serializers.CharField(label=_("unit name"), source="unit.name")
    status = serializers.CharField(label=_("status"))


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    params = serializers.DictField(
        label=_("filters"), help_text=_("The query parameters that select this value.")
    )


class FacetSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)
    note = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(label=_("number of results"))
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    typos = serializers.BooleanField(
        label=_("found through typing mistakes"),
        help_text=_("Nothing matched as typed; the results are names close to it."),
    )
    notices = serializers.ListField(child=serializers.CharField())
    results = ResultSerializer(many=True)
    facets = FacetSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary=_("Search people"), parameters=[PageParams],
        responses=SearchResponseSerializer,
        description=_(
            "Accent- and case-insensitive, any word order, typing mistakes within reason; "
            "ranked best first, with counts by category, status, sex, age, unit, rank, "
            "qualification, political theory, ethnicity and (restricted) Party membership. "
            "Only people you may see; each search leaves an access row."
        ),
    ),
)
class SearchViewSet(ApiViewSet):
    def list(self, request):
        params = PageParams(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        data = params.validated_data
        result = selectors.search(
            user=request.user, q=data.get("q", ""), filters=params.filters(),
            page=data["page"], page_size=data["page_size"], api=True,
        )
        page = result.page
        return Response({
            "count": result.total,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "typos": result.typos,
            "notices": result.notices,
            "results": ResultSerializer(page.object_list, many=True).data,
            "facets": FacetSerializer(result.facets, many=True).data,
        })

    @extend_schema(
        summary=_("Export a search"), parameters=[ExportParams],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description=_(
            "An xlsx workbook or a UTF-8 CSV with Vietnamese headers."))},
        description=_(
            "Every result you may export (person.export), as listed or as the summary list "
            "(danh sách trích ngang). Restricted columns are filled only where you may read "
            "them. Leaves an access row per person exported."
        ),
    )
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export(self, request):
        params = ExportParams(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        data = params.validated_data
        people = selectors.export_people(
            user=request.user, q=data.get("q", ""), filters=params.filters(),
            what=data["what"], fmt=data["fmt"],
        )
        if data["what"] == "summary":
            return table_response(
                rows=tables.summary_rows(request.user, people), columns=tables.summary_columns(),
                fmt=data["fmt"], filename="danh-sach-trich-ngang",
                title=str(_("Summary list of staff")),
            )
        return table_response(
            rows=tables.result_rows(people), columns=tables.result_columns(), fmt=data["fmt"],
            filename="ket-qua-tim-kiem", title=str(_("Search results")),
        )


class SavedSearchSerializer(serializers.ModelSerializer):
    query = serializers.CharField(
        label=_("search"), max_length=2000,
        help_text=_("The search page's query string, e.g. q=dung+1985&status=active."),
    )

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "created_at"]
        read_only_fields = ["id", "created_at"]


@extend_schema_view(
    list=extend_schema(summary=_("My saved searches")),
    create=extend_schema(summary=_("Save a search")),
    destroy=extend_schema(summary=_("Delete one of my saved searches")),
)
class SavedSearchViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = SavedSearchSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.saved_search_list(user=self.user)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = services.saved_search_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(saved).data, status=201)

    def destroy(self, request, pk=None):
        services.saved_search_delete(actor=request.user, pk=int(pk))
        return Response(status=204)
