"""Notifications and the overdue list over the API.

- `/api/v1/notifications/` (`?unread=1`): your own notifications, unread first;
  `{id}/read/` marks one read, `read-all/` all of them;
- `/api/v1/overdue/` (`?unit=<id>`): overdue review steps and tracked deadlines of the
  files you keep or approve, by due date (for those who keep or approve files).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from hoso.api.viewsets import ApiViewSet
from hoso.org.selectors import unit_list

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(label=_("kind"), read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "message", "url", "created_at", "read_at"]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(label=_("notifications marked as read"))


@extend_schema_view(
    list=extend_schema(
        summary=_("Your notifications"),
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL,
                                     description=_("Only the unread ones (1)."))],
    ),
    read=extend_schema(summary=_("Mark one notification as read"), request=None,
                       responses={200: NotificationSerializer}),
    read_all=extend_schema(summary=_("Mark all your notifications as read"), request=None,
                           responses={200: ReadAllSerializer}),
)
class NotificationViewSet(ApiViewSet):
    serializer_class = NotificationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.notification_list(user=self.user, unread=unread)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        n = services.mark_read(user=request.user, pk=int(pk))
        return Response(NotificationSerializer(n).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(user=request.user)})


class OverdueItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        label=_("what"), choices=["review", selectors.ACCOUNT_CREATION, selectors.SELF_ENTRY]
    )
    due = serializers.DateField(label=_("due date"))
    late = serializers.IntegerField(label=_("working days late"))
    state = serializers.ChoiceField(label=_("state"), choices=["open", "due", "overdue"])
    person_id = serializers.IntegerField(label=_("person"))
    person_name = serializers.CharField(label=_("full name"))
    unit_id = serializers.IntegerField(label=_("unit"))
    unit_name = serializers.CharField(label=_("unit name"))
    change_request_id = serializers.IntegerField(label=_("change request"), allow_null=True)
    step_id = serializers.IntegerField(label=_("review step"), allow_null=True)
    step_label = serializers.CharField(label=_("step"))
    step_number = serializers.IntegerField(label=_("step number"), allow_null=True)
    steps_total = serializers.IntegerField(label=_("number of steps"), allow_null=True)
    account_id = serializers.IntegerField(label=_("account"), allow_null=True)


class OverdueFilterSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label=_("unit"), required=False)
    all = serializers.BooleanField(
        label=_("also what is not yet due"), required=False, default=False
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=50)
    offset = serializers.IntegerField(required=False, min_value=0, default=0)


class OverduePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    results = OverdueItemSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary=_("Overdue review steps and deadlines"),
        description=_(
            "Review steps past their due date and people whose account or own entry of "
            "data is past the deadline of the province's regulation (Cần Thơ Đ5.1.a–b, "
            "Lai Châu 2.2, Lâm Đồng Đ7.1–7.2), in the units you keep or approve, by due "
            "date; with all=true, also those not yet due."
        ),
        parameters=[OverdueFilterSerializer], responses={200: OverduePageSerializer},
    ),
)
class OverdueViewSet(ApiViewSet):
    serializer_class = OverdueItemSerializer
    pagination_class = None

    def list(self, request, *args, **kwargs):
        if not selectors.may_see_overdue(request.user):
            raise PermissionDenied()
        params = OverdueFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        unit = None
        if "unit" in params.validated_data:
            unit = unit_list(user=request.user).filter(pk=params.validated_data["unit"]).first()
            if unit is None:
                raise serializers.ValidationError({"unit": [_("No such unit among yours.")]})
        page = selectors.overdue_list(
            user=request.user, unit=unit, offset=params.validated_data["offset"],
            limit=params.validated_data["limit"], upcoming=params.validated_data["all"],
        )
        selectors.log_page_access(
            user=request.user, items=page.items,
            detail={"api": True, "list": "overdue", "offset": params.validated_data["offset"]},
        )
        return Response({
            "count": page.total, "counts": page.counts,
            "results": OverdueItemSerializer(page.items, many=True).data,
        })
