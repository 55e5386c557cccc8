"""Accounts, the roles they hold on org units, and written-consent access grants."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel

from .roles import Role


class UserQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "account.view"):
        from .permissions import account_filter

        return self.filter(account_filter(user, action))


class HosoUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AuditedModel, AbstractUser):
    """One account per person (every regulation); service accounts have no person."""

    full_name = models.CharField(_("full name"), max_length=150)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="accounts",
    )
    person = models.OneToOneField(
        "records.Person", verbose_name=_("personnel file"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="account",
    )
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    first_name = None
    last_name = None

    objects = HosoUserManager()

    audit_exclude = ("password", "last_login", "failed_logins", "locked_until")
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class ActiveQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            revoked_at__isnull=True,
        )


class Validity(models.Model):
    """Dated and revocable: a role or a grant counts only between its dates, unrevoked."""

    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_active_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.revoked_at is None
            and self.valid_from <= day
            and (self.valid_to is None or self.valid_to >= day)
        )


class RoleAssignment(AuditedModel, Validity):
    """A role held on an org unit, with or without its sub-tree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    include_subtree = models.BooleanField(_("including sub-units"), default=True)
    focal = models.BooleanField(
        _("focal administrator"), default=False,
        help_text=_("The one administrator the unit names as its point of contact."),
    )
    decision = models.CharField(_("decision or document"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [models.Index(fields=["user", "revoked_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="roleassignment_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"


class AccessGrant(AuditedModel, Validity):
    """Written consent of the managing authority to read others' files.

    Vĩnh Phúc Đ4.4, Cần Thơ Đ3.4: anyone but the person needs the managing authority's
    written consent. The grant names the document, the grantee, whom it covers (a unit
    with or without its sub-tree, or listed people), the sections it opens and how long.
    """

    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("grantee"), on_delete=models.PROTECT,
        related_name="access_grants",
    )
    document_number = models.CharField(_("document number"), max_length=60)
    document_date = models.DateField(_("document date"))
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's position"), max_length=150, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    include_subtree = models.BooleanField(_("including sub-units"), default=False)
    persons = models.ManyToManyField("records.Person", verbose_name=_("people"), blank=True)
    sections = models.JSONField(_("sections opened"), default=list)

    class Meta:
        verbose_name = _("written-consent access grant")
        verbose_name_plural = _("written-consent access grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=False) & Q(valid_to__gte=models.F("valid_from")),
                name="accessgrant_bounded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.document_date:%d/%m/%Y})"


class Delegation(AuditedModel, Validity):
    """Ủy quyền: the holder of a role in a unit's review chain lets a named person act
    in that role, on that unit, for a period, by a numbered decision.

    Quảng Nam Đ5.2 (heads of agencies delegate the heads of their sub-units or another
    competent person to check and approve by digital signature), Lâm Đồng Đ7.3 (the head
    of agency or commune chairman "hoặc người được ủy quyền"), Lai Châu 2.3 (the unit's
    authority or its delegate). The delegate acts only between `valid_from` and
    `valid_to`, unrevoked, and only while the delegator still holds the role: the
    permission path (`permissions.scopes_of`) reads it, and every decision taken under it
    records the delegator as "on behalf of".
    """

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("delegator"), on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("delegate"), on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        indexes = [models.Index(fields=["delegate", "revoked_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=False) & Q(valid_to__gte=models.F("valid_from")),
                name="delegation_bounded",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.decision_date:%d/%m/%Y})"
