"""Accounts, roles and written-consent grants over the API.

- `/api/v1/accounts/`: the accounts the caller may see (`account.view`); creating one,
  resetting its password (Cần Thơ Đ10.2) and locking or unlocking it need
  `account.manage` on its unit. Password hashes are never sent; the one-time password
  of a new account or of a reset is in that answer only.
- `/api/v1/role-assignments/`: roles on the units whose accounts the caller may see,
  and the caller's own; granting, restricting or widening, and revoking them stay
  within the granter's own scope (Vĩnh Phúc Đ6.1, Đ14.1, Đ14.4).
- `/api/v1/grants/`: written-consent access grants (Vĩnh Phúc Đ4.4, Cần Thơ Đ3.4).
- `/api/v1/delegations/`: delegations of a review role (ủy quyền: Quảng Nam Đ5.2, Lâm
  Đồng Đ7.3, Lai Châu 2.3), made and revoked by the holder or the unit administrator.

Every read starts from `accounts.selectors`; every write is one `accounts.services`
call, which checks the rules and writes the audit rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hoso.accounts.permissions import require
from hoso.api.fields import ScopedPrimaryKeyField
from hoso.api.viewsets import ApiViewSet
from hoso.core.context import reason as audit_reason
from hoso.org.selectors import unit_list
from hoso.records.sections import SECTION_KEYS, SECTIONS
from hoso.records.selectors import person_list

from . import selectors, services
from .models import AccessGrant, Delegation, RoleAssignment, User
from .roles import Action, Role

# --- accounts ------------------------------------------------------------------------


class AccountSerializer(serializers.ModelSerializer):
    """An account as administrators and auditors see it: never its password."""

    locked = serializers.SerializerMethodField(label=_("locked after failed log-ins"))
    two_factor = serializers.SerializerMethodField(label=_("two-factor authentication set up"))

    class Meta:
        model = User
        fields = [
            "id", "username", "full_name", "email", "unit", "person", "is_active",
            "must_change_password", "locked", "two_factor", "last_login", "date_joined",
        ]
        read_only_fields = fields

    def get_locked(self, obj: User) -> bool:
        return obj.is_locked()

    def get_two_factor(self, obj: User) -> bool:
        has = getattr(obj, "has_2fa", None)  # annotated by `account_search`
        if has is None:
            from .twofactor import confirmed_device

            has = confirmed_device(obj) is not None
        return bool(has)


class IssuedAccountSerializer(serializers.Serializer):
    """A `services.IssuedAccount`: the account and its one-time password."""

    account = AccountSerializer(source="user", read_only=True, label=_("account"))
    password = serializers.CharField(
        label=_("one-time password"), read_only=True,
        help_text=_(
            "Shown this once: hand it to the person, who must change it at the first login."
        ),
    )


class AccountCreateSerializer(serializers.Serializer):
    full_name = serializers.CharField(label=_("full name"), max_length=150)
    unit = ScopedPrimaryKeyField(unit_list, label=_("unit"))
    person = ScopedPrimaryKeyField(
        person_list, label=_("personnel file"), required=False, allow_null=True, default=None,
        help_text=_("The file of the person the account is for, if any."),
    )
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z", label=_("user name"), max_length=150, required=False,
        allow_blank=True, default="",
        help_text=_("Made from the full name when left empty (e.g. “dungnv”)."),
    )
    email = serializers.EmailField(
        label=_("email address"), required=False, allow_blank=True, default=""
    )


class AccountFilterSerializer(serializers.Serializer):
    text = serializers.CharField(
        label=_("name contains"), required=False, max_length=100,
        help_text=_("Part of the user name or the full name."),
    )
    unit = ScopedPrimaryKeyField(
        unit_list, label=_("unit"), required=False, help_text=_("With its sub-units.")
    )
    state = serializers.ChoiceField(
        label=_("state"), required=False,
        choices=[
            ("active", _("Active")), ("disabled", _("Locked by an administrator")),
            ("locked", _("Locked after failed log-ins")),
            ("must_change", _("Must change password")),
        ],
    )


class SetActiveSerializer(serializers.Serializer):
    active = serializers.BooleanField(
        label=_("active"), help_text=_("false locks the account, true unlocks it.")
    )


@extend_schema_view(
    list=extend_schema(summary=_("Accounts you may see"), parameters=[AccountFilterSerializer]),
    retrieve=extend_schema(summary=_("One account")),
)
class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = AccountSerializer
    gates = {"list": Action.ACCOUNT_VIEW, "create": Action.ACCOUNT_MANAGE}

    def get_queryset(self):
        if self.action != "list":
            return selectors.account_search(user=self.user)
        filters = AccountFilterSerializer(
            data=self.request.query_params, context=self.get_serializer_context()
        )
        filters.is_valid(raise_exception=True)
        return selectors.account_search(user=self.user, **filters.validated_data)

    def _issued(self, issued: services.IssuedAccount) -> dict:
        return IssuedAccountSerializer(issued, context=self.get_serializer_context()).data

    @extend_schema(
        summary=_("Create an account"), request=AccountCreateSerializer,
        responses={201: IssuedAccountSerializer},
        description=_(
            "Needs the right to manage accounts on the unit. The answer carries the "
            "one-time password; it is not kept anywhere."
        ),
    )
    def create(self, request, *args, **kwargs):
        form = AccountCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        issued = services.account_create(
            actor=request.user, full_name=data["full_name"], unit=data["unit"],
            person=data["person"], username=data["username"] or None, email=data["email"],
        )
        return self.no_store(
            Response(self._issued(issued), status=status.HTTP_201_CREATED)
        )

    @extend_schema(
        summary=_("Reset the password"), request=None, responses={200: IssuedAccountSerializer},
        description=_(
            "A new one-time password, in this answer only; the person sets their own at "
            "the next login."
        ),
    )
    @action(detail=True, methods=["post"], url_path="reset-password", url_name="reset-password")
    def reset_password(self, request, pk=None):
        issued = services.password_reset_by_admin(actor=request.user, user=self.get_object())
        return self.no_store(Response(self._issued(issued)))

    @extend_schema(
        summary=_("Lock or unlock the account"), request=SetActiveSerializer,
        responses={200: AccountSerializer},
    )
    @action(detail=True, methods=["post"], url_path="set-active", url_name="set-active")
    def set_active(self, request, pk=None):
        account = self.get_object()
        require(request.user, Action.ACCOUNT_MANAGE, account)
        form = SetActiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        account = services.account_set_active(
            actor=request.user, user=account, active=form.validated_data["active"]
        )
        return Response(AccountSerializer(account, context=self.get_serializer_context()).data)


# --- roles ---------------------------------------------------------------------------


class RoleAssignmentSerializer(serializers.ModelSerializer):
    active = serializers.SerializerMethodField(label=_("in force today"))

    class Meta:
        model = RoleAssignment
        fields = [
            "id", "user", "role", "unit", "include_subtree", "focal", "decision",
            "valid_from", "valid_to", "revoked_at", "created_at", "active",
        ]
        read_only_fields = fields
        extra_kwargs = {"created_at": {"label": _("created at")}}

    def get_active(self, obj) -> bool:
        return obj.is_active_on()


class RoleGrantSerializer(serializers.Serializer):
    user = ScopedPrimaryKeyField(selectors.account_list, label=_("account"))
    role = serializers.ChoiceField(label=_("role"), choices=Role.choices)
    unit = ScopedPrimaryKeyField(unit_list, label=_("unit"))
    include_subtree = serializers.BooleanField(label=_("including sub-units"), default=True)
    valid_from = serializers.DateField(
        label=_("valid from"), required=False, allow_null=True, default=None,
        help_text=_("Today if empty."),
    )
    valid_to = serializers.DateField(
        label=_("valid to"), required=False, allow_null=True, default=None
    )
    focal = serializers.BooleanField(label=_("focal administrator"), default=False)
    decision = serializers.CharField(
        label=_("decision or document"), max_length=120, required=False, allow_blank=True,
        default="",
    )


class RoleUpdateSerializer(serializers.Serializer):
    include_subtree = serializers.BooleanField(label=_("including sub-units"), required=False)
    valid_to = serializers.DateField(label=_("valid to"), required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=_("reason"), max_length=500, required=False, allow_blank=True, default="",
        help_text=_("Kept in the audit trail with the change."),
    )


def _may_change_role(viewset, ra: RoleAssignment) -> None:
    """Those who may see a role but not grant it on its unit are refused before the
    request body is read (the service checks the whole rule again)."""
    require(viewset.user, Action.ROLE_GRANT, ra)


@extend_schema_view(
    list=extend_schema(
        summary=_("Roles you may see"),
        description=_("Roles on the units whose accounts you may see, and your own."),
    ),
    retrieve=extend_schema(summary=_("One role assignment")),
)
class RoleAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = RoleAssignmentSerializer
    gates = {"create": Action.ROLE_GRANT}

    def get_queryset(self):
        return selectors.role_list(user=self.user)

    @extend_schema(
        summary=_("Grant a role"), request=RoleGrantSerializer,
        responses={201: RoleAssignmentSerializer},
        description=_(
            "Within your own scope only; province-wide roles are granted by the province "
            "administrator, on the province with all its sub-units."
        ),
    )
    def create(self, request, *args, **kwargs):
        form = RoleGrantSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        ra = services.role_grant(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(ra).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Restrict or widen a role"), request=RoleUpdateSerializer,
        responses={200: RoleAssignmentSerializer},
        description=_("With or without sub-units, and the end date (null: no end date)."),
    )
    def partial_update(self, request, *args, **kwargs):
        ra = self.get_object()
        _may_change_role(self, ra)
        form = RoleUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        ra = services.role_update(
            actor=request.user, assignment=ra,
            include_subtree=data.get("include_subtree", ra.include_subtree),
            valid_to=data.get("valid_to", ra.valid_to),
        )
        return Response(self.get_serializer(ra).data)

    @extend_schema(
        summary=_("Revoke a role"), request=ReasonSerializer,
        responses={200: RoleAssignmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        ra = self.get_object()
        _may_change_role(self, ra)
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audit_reason(form.validated_data["reason"]):
            ra = services.role_revoke(actor=request.user, assignment=ra)
        return Response(self.get_serializer(ra).data)


# --- written-consent grants ----------------------------------------------------------


class GrantSerializer(serializers.ModelSerializer):
    grantee = serializers.SlugRelatedField(
        label=_("grantee"), slug_field="username", read_only=True
    )
    persons = serializers.SerializerMethodField(
        label=_("people"), help_text=_("The people it names whom you may see.")
    )
    persons_hidden = serializers.SerializerMethodField(
        label=_("other people"), help_text=_("How many more people it names.")
    )
    sections = serializers.ListField(
        label=_("sections opened"), read_only=True,
        child=serializers.ChoiceField(choices=list(SECTIONS.items())),
    )
    active = serializers.SerializerMethodField(label=_("in force today"))

    class Meta:
        model = AccessGrant
        fields = [
            "id", "grantee", "document_number", "document_date", "signer_name",
            "signer_title", "purpose", "unit", "include_subtree", "persons", "persons_hidden",
            "sections", "valid_from", "valid_to", "revoked_at", "created_at", "active",
        ]
        read_only_fields = fields
        extra_kwargs = {"created_at": {"label": _("created at")}}

    def _named(self, obj) -> tuple[list[int], int]:
        if hasattr(obj, "visible_persons"):  # listed through grant_list_with_people
            visible, hidden = obj.visible_persons, obj.persons_named - len(obj.visible_persons)
        else:  # just created or revoked
            visible, hidden = selectors.grant_people(user=self.context["request"].user, grant=obj)
        return [p.pk for p in visible], hidden

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_persons(self, obj) -> list[int]:
        return self._named(obj)[0]

    def get_persons_hidden(self, obj) -> int:
        return self._named(obj)[1]

    def get_active(self, obj) -> bool:
        return obj.is_active_on()


class GrantCreateSerializer(serializers.Serializer):
    grantee = serializers.CharField(
        label=_("grantee"), max_length=150,
        help_text=_("The user name of the account that receives access; it may be of any unit."),
    )
    document_number = serializers.CharField(label=_("document number"), max_length=60)
    document_date = serializers.DateField(label=_("document date"))
    signer_name = serializers.CharField(label=_("signed by"), max_length=150)
    signer_title = serializers.CharField(
        label=_("signer's position"), max_length=150, required=False, allow_blank=True,
        default="",
    )
    purpose = serializers.CharField(
        label=_("purpose"), required=False, allow_blank=True, default="", max_length=2000
    )
    unit = ScopedPrimaryKeyField(
        unit_list, label=_("unit"), required=False, allow_null=True, default=None
    )
    include_subtree = serializers.BooleanField(label=_("including sub-units"), default=False)
    persons = ScopedPrimaryKeyField(
        person_list, label=_("people"), many=True, required=False, default=list
    )
    sections = serializers.MultipleChoiceField(
        label=_("sections opened"), choices=list(SECTIONS.items()), required=False,
        allow_empty=False, help_text=_("Every section if absent."),
    )
    valid_from = serializers.DateField(
        label=_("valid from"), required=False, allow_null=True, default=None
    )
    valid_to = serializers.DateField(label=_("valid to"))

    def validate_grantee(self, value: str) -> User:
        account = selectors.account_by_username(username=value)
        if account is None:
            raise serializers.ValidationError(
                _("There is no active account with the user name “%(name)s”.") % {"name": value}
            )
        return account

    def validate_sections(self, value) -> list[str]:
        return [key for key in SECTION_KEYS if key in value]


@extend_schema_view(
    list=extend_schema(
        summary=_("Written-consent grants you may see"),
        description=_("Those on your units, and those given to you."),
    ),
    retrieve=extend_schema(summary=_("One written-consent grant")),
)
class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = GrantSerializer
    gates = {"create": Action.GRANT_MANAGE}

    def get_queryset(self):
        return selectors.grant_list_with_people(user=self.user)

    @extend_schema(
        summary=_("Record a written consent"), request=GrantCreateSerializer,
        responses={201: GrantSerializer},
        description=_("It opens the named sections of the covered files until its end date."),
    )
    def create(self, request, *args, **kwargs):
        form = GrantCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        grant = services.grant_create(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Revoke a written consent"), request=ReasonSerializer,
        responses={200: GrantSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        grant = self.get_object()
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audit_reason(form.validated_data["reason"]):
            grant = services.grant_revoke(actor=request.user, grant=grant)
        return Response(self.get_serializer(grant).data)



# --- delegations (ủy quyền) ----------------------------------------------------------


class DelegationSerializer(serializers.ModelSerializer):
    delegator = serializers.SlugRelatedField(label=_("delegator"), slug_field="username",
                                             read_only=True)
    delegate = serializers.SlugRelatedField(label=_("delegate"), slug_field="username",
                                            read_only=True)
    active = serializers.SerializerMethodField(label=_("in force today"))

    class Meta:
        model = Delegation
        fields = [
            "id", "delegator", "delegate", "role", "unit", "decision_number", "decision_date",
            "valid_from", "valid_to", "revoked_at", "created_at", "active",
        ]
        read_only_fields = fields
        extra_kwargs = {"created_at": {"label": _("created at")}}

    def get_active(self, obj) -> bool:
        return obj.is_active_on()


class DelegationCreateSerializer(serializers.Serializer):
    delegator = serializers.CharField(
        label=_("delegator"), max_length=150, required=False, allow_blank=True, default="",
        help_text=_("The user name of the role's holder; yourself if empty."),
    )
    delegate = serializers.CharField(
        label=_("delegate"), max_length=150,
        help_text=_("The user name of the account that will act in the role."),
    )
    role = serializers.ChoiceField(
        label=_("role"), choices=Role.choices,
        help_text=_("A role of the review chain: hr_officer, hr_head, unit_head, chairman or "
                    "province_approver."),
    )
    # Any unit: whether the delegator holds the role there, and whether the caller may
    # record it, is the service's decision (403/400 with the reason), not a 404 here.
    unit = serializers.IntegerField(label=_("unit"))
    decision_number = serializers.CharField(label=_("decision number"), max_length=60)
    decision_date = serializers.DateField(label=_("decision date"))
    valid_from = serializers.DateField(
        label=_("valid from"), required=False, allow_null=True, default=None,
        help_text=_("Today if empty."),
    )
    valid_to = serializers.DateField(label=_("valid to"))

    def _account(self, value: str) -> User:
        account = selectors.account_by_username(username=value)
        if account is None:
            raise serializers.ValidationError(
                _("There is no active account with the user name “%(name)s”.") % {"name": value}
            )
        return account

    def validate_delegate(self, value: str) -> User:
        return self._account(value)

    def validate_unit(self, value: int):
        from hoso.org.models import OrgUnit

        unit = OrgUnit.objects.filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError(_("There is no unit with this number."))
        return unit

    def validate_delegator(self, value: str) -> User:
        if not value.strip():
            return self.context["request"].user
        return self._account(value)


@extend_schema_view(
    list=extend_schema(
        summary=_("Delegations you may see"),
        description=_("Those you gave or received, and those on the units whose accounts "
                      "you may see."),
    ),
    retrieve=extend_schema(summary=_("One delegation")),
)
class DelegationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = DelegationSerializer

    def get_queryset(self):
        return selectors.delegation_list(user=self.user)

    @extend_schema(
        summary=_("Delegate a review role"), request=DelegationCreateSerializer,
        responses={201: DelegationSerializer},
        description=_(
            "The holder of a role of the review chain (or the administrator who grants roles "
            "on the unit) lets a named person act in it on the unit for a period, by a "
            "numbered decision; their decisions record “on behalf of” (Quảng Nam Đ5.2, Lâm "
            "Đồng Đ7.3, Lai Châu 2.3)."
        ),
    )
    def create(self, request, *args, **kwargs):
        form = DelegationCreateSerializer(data=request.data,
                                          context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        delegation = services.delegation_create(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(delegation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Revoke a delegation"), request=ReasonSerializer,
        responses={200: DelegationSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        delegation = self.get_object()
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audit_reason(form.validated_data["reason"]):
            delegation = services.delegation_revoke(actor=request.user, delegation=delegation)
        return Response(self.get_serializer(delegation).data)
