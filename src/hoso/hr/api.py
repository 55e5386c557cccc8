"""The HR lists over the API, read-only: `/api/v1/hr/retirement/`, `/hr/raises/`,
`/hr/problems/`, with the filters of the pages as query parameters and pages of
`limit`/`offset`. The same selectors as the pages (so the same `visible_to`); each page
leaves an access row for every other person on it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers

from hoso.api.fields import ScopedPrimaryKeyField
from hoso.api.viewsets import ApiViewSet
from hoso.org.selectors import unit_list
from hoso.records.models import StaffCategory
from hoso.records.selectors import log_list_access

from . import selectors, services
from .raises import Kind
from .selectors import ProblemKind


class _Filters(serializers.Serializer):
    unit = ScopedPrimaryKeyField(
        unit_list, label=_("unit"), required=False, help_text=_("With its sub-units.")
    )
    category = serializers.ChoiceField(
        label=_("staff category"), choices=StaffCategory.choices, required=False
    )


class RetirementFilters(_Filters):
    months = serializers.IntegerField(
        label=_("months"), min_value=1, max_value=120, default=12,
        help_text=_("This month and the next ones: 1 is this month only."),
    )
    overdue = serializers.BooleanField(
        label=_("past the age"), default=False,
        help_text=_("Also those who reached the age before this month and still work."),
    )


class RaiseFilters(_Filters):
    months = serializers.IntegerField(
        label=_("months"), min_value=1, max_value=60, default=6,
        help_text=_("This month and the next ones: 1 is this month only."),
    )
    kind = serializers.ChoiceField(
        label=_("raise"), choices=[Kind.STEP, Kind.SENIORITY], required=False,
        help_text=_("step: regular step raises; seniority: the allowance beyond the last step."),
    )
    overdue = serializers.BooleanField(
        label=_("already due"), default=False,
        help_text=_("Also step raises due before this month that the file does not show."),
    )


class ProblemFilters(_Filters):
    kind = serializers.ChoiceField(
        label=_("problem"), required=False,
        choices=[ProblemKind.MISSING, ProblemKind.CONTRADICTION, ProblemKind.UNAPPROVED],
        help_text=_("missing: required fields empty or no approved file; contradiction: "
                    "data against the rules; unapproved: no approved file yet."),
    )


class _Person(serializers.Serializer):
    person = serializers.IntegerField(label=_("person"), source="person.pk")
    full_name = serializers.CharField(label=_("full name"), source="person.full_name")
    category = serializers.CharField(label=_("staff category"), source="person.category")
    unit = serializers.IntegerField(label=_("unit"), source="person.unit_id")
    unit_name = serializers.CharField(label=_("unit name"), source="person.unit.name")


class HrRetirementSerializer(_Person):
    birth_date = serializers.DateField(label=_("date of birth"), source="person.birth_date")
    sex = serializers.CharField(label=_("sex"), source="person.sex")
    age_years = serializers.SerializerMethodField(label=_("retirement age: years"))
    age_months = serializers.SerializerMethodField(label=_("retirement age: months"))
    retirement_date = serializers.DateField(
        label=_("retirement date"), source="retirement.date",
        help_text=_("The last day of the month in which the age is reached."),
    )
    pension_from = serializers.DateField(label=_("pension from"), source="retirement.pension_from")
    overdue = serializers.BooleanField(label=_("past the age"))

    def get_age_years(self, row) -> int:
        return row.retirement.age[0]

    def get_age_months(self, row) -> int:
        return row.retirement.age[1]


class HrRaiseSerializer(_Person):
    rank_code = serializers.CharField(label=_("rank or title code"))
    rank_name = serializers.CharField(label=_("rank or title"))
    salary_group = serializers.CharField(label=_("salary group"), source="group")
    step = serializers.IntegerField(label=_("salary step"))
    steps = serializers.IntegerField(label=_("steps of the group"))
    coefficient = serializers.DecimalField(
        label=_("salary coefficient"), max_digits=5, decimal_places=2, allow_null=True
    )
    since = serializers.DateField(label=_("step held since"))
    interval_months = serializers.IntegerField(label=_("raise interval (months)"),
                                               source="interval")
    kind = serializers.CharField(label=_("raise"), help_text=_("step or seniority"))
    due = serializers.DateField(label=_("due on"), source="next.due")
    new_step = serializers.IntegerField(label=_("step after the raise"), source="next.step")
    new_coefficient = serializers.DecimalField(
        label=_("coefficient after the raise"), max_digits=5, decimal_places=2, allow_null=True
    )
    seniority_percent = serializers.IntegerField(
        label=_("seniority allowance (%) from the due date"), source="next.percent",
        allow_null=True,
    )
    seniority_now = serializers.IntegerField(label=_("seniority allowance (%) today"))
    overdue = serializers.BooleanField(label=_("already due"))


class HrProblemFileSerializer(_Person):
    revision = serializers.IntegerField(
        label=_("approved revision"), source="revision_number", allow_null=True,
        help_text=_("Empty: no approved file yet."),
    )
    completeness = serializers.IntegerField(label=_("required fields filled (%)"),
                                            source="percent")
    hidden = serializers.IntegerField(label=_("problems in fields you may not read"))
    problems = inline_serializer("HrProblemItem", {
        "path": serializers.CharField(label=_("path")),
        "code": serializers.CharField(label=_("code")),
        "missing": serializers.BooleanField(label=_("missing")),
        "field": serializers.CharField(label=_("field"), source="label"),
        "section": serializers.CharField(label=_("section of the form"), allow_null=True),
        "message": serializers.CharField(label=_("message")),
    }, many=True)
    file_url = serializers.SerializerMethodField(
        label=_("where to fix it"), help_text=_("The page of the file, to start a correction.")
    )

    def get_file_url(self, row) -> str:
        return reverse("workflow:person_file", args=[row.person.pk])


class _HrList(ApiViewSet):
    filters_class: type[serializers.Serializer]
    what = ""

    def _filters(self, request) -> dict:
        filters = self.filters_class(data=request.query_params,
                                     context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        return {k: v for k, v in filters.validated_data.items() if v not in ("", None)}

    def _respond(self, request, items, rows_of, filters, **extra):
        page = self.paginate_queryset(items)
        rows = rows_of(page)
        log_list_access(
            user=request.user, people=[r.person for r in rows], action="view",
            detail={"what": self.what, "api": True, "offset": self.paginator.offset,
                    "filters": sorted(filters)},
        )
        response = self.get_paginated_response(self.get_serializer(rows, many=True).data)
        response.data.update(extra)
        return response


class RetirementViewSet(_HrList):
    serializer_class = HrRetirementSerializer
    filters_class = RetirementFilters
    what = "hr_retirement"

    @extend_schema(
        summary=_("People reaching retirement age"),
        description=_(
            "Working people you may see who reach the retirement age this month or in the "
            "next months (Labour Code 2019 Art. 169, Decree 135/2020/NĐ-CP), by retirement "
            "date. Each page leaves an access row for every other person on it."
        ),
        parameters=[RetirementFilters],
    )
    def list(self, request):
        filters = self._filters(request)
        people = selectors.retirement_people(user=request.user, **filters)
        return self._respond(request, people, selectors.retirement_rows, filters)


class RaiseViewSet(_HrList):
    serializer_class = HrRaiseSerializer
    filters_class = RaiseFilters
    what = "hr_raises"

    @extend_schema(
        summary=_("Salary raises due"),
        description=_(
            "Regular salary-step raises (36 or 24 months at a step, by rank) and changes of "
            "the seniority allowance at the last step, due this month or in the next months, "
            "by due date. Each page leaves an access row for every other person on it."
        ),
        parameters=[RaiseFilters],
    )
    def list(self, request):
        filters = self._filters(request)
        people = selectors.raise_people(user=request.user, **filters)
        return self._respond(request, people, selectors.raise_rows, filters)


class ProblemViewSet(_HrList):
    serializer_class = HrProblemFileSerializer
    filters_class = ProblemFilters
    what = "hr_problems"

    @extend_schema(
        summary=_("Files to complete or correct"),
        description=_(
            "Files of working people you may change with required fields missing, data that "
            "contradicts itself, or no approved file yet; each problem with its field and "
            "the section of the form to fix it in. `unchecked` counts the files still "
            "waiting to be checked (in the background): they are not in the list yet."
        ),
        parameters=[ProblemFilters],
        responses=inline_serializer("HrProblemPage", {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "unchecked": serializers.IntegerField(),
            "results": HrProblemFileSerializer(many=True),
        }),
    )
    def list(self, request):
        filters = self._filters(request)
        rules, remaining = services.check_for_list(
            user=request.user, unit=filters.get("unit"), category=filters.get("category", "")
        )
        people = selectors.problem_people(user=request.user, rules=rules, **filters)
        return self._respond(
            request, people,
            lambda page: selectors.problem_rows(user=request.user, people=page, rules=rules),
            filters, unchecked=remaining,
        )
