"""The oversight app over the API.

- `/api/v1/oversight/province-batches/` — the province's batches (the open one and the
  signed ones), newest first; `…/{id}/` one batch with its counts per unit;
  `…/{id}/package/` the signed package (ZIP: the manifest and Sở Nội vụ's detached
  signature) the national exchange sends. For `province.approve` holders.
- `/api/v1/oversight/compliance/?year=&month=&unit=` — the dashboard's figures per
  agency, as on the page (`compliance.dashboard`).

Signing stays a person's act on the page: the API reads.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from hoso.api.fields import ScopedPrimaryKeyField
from hoso.api.viewsets import ApiViewSet
from hoso.org.selectors import unit_list

from . import compliance, selectors
from .models import ProvinceBatch


class UnitCountSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label=_("unit"), source="unit.pk")
    code = serializers.CharField(label=_("electronic identifier code"), source="unit.code")
    name = serializers.CharField(label=_("name"), source="unit.name")
    count = serializers.IntegerField(label=_("approvals"),
                                     help_text=_("Of the unit and every unit under it."))


class ProvinceBatchSerializer(serializers.ModelSerializer):
    period = serializers.CharField(label=_("month (YYYY-MM)"), read_only=True)
    signed_by_name = serializers.CharField(label=_("signed by"), source="signed_by.full_name",
                                           default=None, read_only=True)
    signer_certificate = serializers.CharField(
        label=_("signer named in the certificate"), source="signature.signer_name",
        default=None, read_only=True)

    class Meta:
        model = ProvinceBatch
        fields = ["id", "period", "year", "month", "status", "province_unit_code", "policy",
                  "item_count", "version", "prepared_at", "manifest_hash", "signed_by",
                  "signed_by_name", "signer_certificate", "signed_at"]
        read_only_fields = fields


class ProvinceBatchDetailSerializer(ProvinceBatchSerializer):
    counts = UnitCountSerializer(
        many=True, label=_("approvals per unit"), read_only=True,
        help_text=_("The province's own, then each unit directly under it (its whole "
                    "sub-tree)."))

    class Meta(ProvinceBatchSerializer.Meta):
        fields = [*ProvinceBatchSerializer.Meta.fields, "counts"]
        read_only_fields = fields


class ProvinceBatchViewSet(ApiViewSet):
    serializer_class = ProvinceBatchSerializer

    def get_queryset(self):
        return selectors.batch_list(user=self.request.user)

    @extend_schema(summary=_("The province's batches"),
                   description=_("Open and signed, newest first. For the Department of Home "
                                 "Affairs' approvers."))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = ProvinceBatchSerializer(page if page is not None else self.get_queryset(),
                                       many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(summary=_("One batch, with its approvals per unit"),
                   responses={200: ProvinceBatchDetailSerializer})
    def retrieve(self, request, pk=None):
        batch = selectors.batch_get(user=request.user, pk=int(pk))
        batch.counts = selectors.counts_by_unit(batch)
        return Response(ProvinceBatchDetailSerializer(batch).data)

    @extend_schema(
        summary=_("The signed package of a batch"),
        description=_("A ZIP holding data.json (the manifest: the province, the month and "
                      "each approved revision by person key, revision number and content "
                      "hash) and data.json.p7s (the detached CMS signature of the Department "
                      "of Home Affairs)."),
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def package(self, request, pk=None):
        package = selectors.batch_package(user=request.user, pk=int(pk))
        response = HttpResponse(package.data, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="{package.batch.package_name}"')
        response["Cache-Control"] = "no-store, private"
        return response


class ComplianceQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    month = serializers.IntegerField(label=_("month"), min_value=1, max_value=12,
                                     required=False, allow_null=True,
                                     help_text=_("Leave out for the whole year."))
    unit = ScopedPrimaryKeyField(
        lambda user: unit_list(user=user, action=compliance.ACTION), label=_("unit"),
        required=False, help_text=_("With its sub-units."))


class FiguresSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label=_("agency"), source="unit.pk", default=None)
    code = serializers.CharField(label=_("electronic identifier code"), source="unit.code",
                                 default=None)
    name = serializers.CharField(label=_("name"), source="unit.name", default=None)
    people = serializers.IntegerField(label=_("staff working"))
    incomplete = serializers.IntegerField(label=_("files incomplete"))
    without_file = serializers.IntegerField(label=_("without an approved file"))
    complete_rate = serializers.FloatField(label=_("files complete (%)"), allow_null=True)
    updates = serializers.IntegerField(label=_("revisions approved"))
    handled = serializers.IntegerField(label=_("steps decided"))
    on_time = serializers.IntegerField(label=_("decided on time"))
    late = serializers.IntegerField(label=_("decided late"))
    on_time_rate = serializers.FloatField(label=_("on time (%)"), allow_null=True)
    overdue = serializers.IntegerField(label=_("overdue"))
    median_days = serializers.SerializerMethodField(
        label=_("median working days per step"))

    def get_median_days(self, obj) -> dict[str, float | None]:
        return {key: obj.median(key) for key, _label in self.context["step_keys"]}


class ComplianceSerializer(serializers.Serializer):
    period = serializers.CharField(label=_("period (YYYY or YYYY-MM)"), source="period.slug")
    reference = serializers.DateField(label=_("day overdue steps are counted on"))
    steps = serializers.SerializerMethodField(label=_("step keys and their labels"))
    units = serializers.SerializerMethodField(label=_("agencies"))
    total = serializers.SerializerMethodField(label=_("total"))

    def get_steps(self, obj) -> list[dict[str, str]]:
        return [{"key": key, "label": str(label)} for key, label in obj.step_keys]

    def get_units(self, obj) -> list[dict]:
        return FiguresSerializer(obj.rows, many=True,
                                 context={"step_keys": obj.step_keys}).data

    def get_total(self, obj) -> dict:
        return FiguresSerializer(obj.total, context={"step_keys": obj.step_keys}).data


class ComplianceViewSet(ApiViewSet):
    serializer_class = ComplianceSerializer

    @extend_schema(
        summary=_("Compliance figures per agency"),
        description=_("The dashboard's figures for a month (or a whole year, without "
                      "month): review steps decided on time and late, overdue steps, "
                      "files incomplete, revisions approved and the median working days "
                      "per step, for each agency in your scope."),
        parameters=[ComplianceQuerySerializer],
        responses={200: ComplianceSerializer},
    )
    def list(self, request):
        query = ComplianceQuerySerializer(data=request.query_params,
                                          context={"request": request})
        query.is_valid(raise_exception=True)
        board = compliance.dashboard(user=request.user, year=query.validated_data["year"],
                                     month=query.validated_data.get("month"),
                                     unit=query.validated_data.get("unit"))
        return Response(ComplianceSerializer(board).data)

