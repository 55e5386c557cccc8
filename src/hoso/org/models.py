"""The org-unit tree of a province.

A materialized path (`path`, one fixed-width segment per ancestor) makes "this unit
and everything under it" one indexed prefix match: every permission check asks it.
The path is derived from `parent` and kept by `org.services`, which audits each unit
it touches. Both local-government structures are kept: the three-level one (tỉnh –
huyện – xã) until 30/6/2025 and the two-level one (tỉnh – xã/phường/đặc khu) since
1/7/2025 (Luật Tổ chức chính quyền địa phương 2025; Lâm Đồng's draft Quy chế).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel

SEGMENT = 8  # hex digits of a pk in the path: 4 billion units are enough
TWO_LEVEL_FROM = dt.date(2025, 7, 1)

# QĐ 20/2020/QĐ-TTg, Điều 4: `ABC.DE.FG.HIK` — four levels read right to left; level 1
# (HIK) a letter and two digits, the others digits (zeros where unused); e.g. the
# province People's Committee of Vĩnh Phúc is 000.00.00.H62.
CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def validate_code(value: str) -> None:
    if not CODE_RE.match(value or ""):
        raise ValidationError(
            _(
                "The electronic identifier code “%(value)s” is not in the form "
                "ABC.DE.FG.HIK of Decision 20/2020/QĐ-TTg (for example 000.00.00.H62)."
            ),
            code="invalid_code",
            params={"value": value},
        )


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department, board or sector")
    PROVINCE_AGENCY = "province_agency", _("Agency under the Provincial People's Committee")
    DISTRICT = "district", _("District People's Committee")
    COMMUNE = "commune", _("Commune, ward or special-zone People's Committee")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    ASSOCIATION = "association", _("Association")
    DIVISION = "division", _("Division or section")


# Which kind may sit under which. Districts exist only in the three-level structure.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    UnitKind.PROVINCE: {None},
    UnitKind.DEPARTMENT: {UnitKind.PROVINCE},
    UnitKind.PROVINCE_AGENCY: {UnitKind.PROVINCE},
    UnitKind.DISTRICT: {UnitKind.PROVINCE},
    UnitKind.COMMUNE: {UnitKind.DISTRICT, UnitKind.PROVINCE},
    UnitKind.PUBLIC_SERVICE: {
        UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.PROVINCE_AGENCY,
        UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.PUBLIC_SERVICE, UnitKind.DIVISION,
    },
    UnitKind.ASSOCIATION: {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE},
    UnitKind.DIVISION: {
        UnitKind.DEPARTMENT, UnitKind.PROVINCE_AGENCY, UnitKind.DISTRICT, UnitKind.COMMUNE,
        UnitKind.PUBLIC_SERVICE, UnitKind.ASSOCIATION, UnitKind.DIVISION,
    },
}


class OrgUnitQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> OrgUnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def subtree_of(self, unit: OrgUnit) -> OrgUnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def visible_to(self, user, action: str = "org.view") -> OrgUnitQuerySet:
        from hoso.accounts.permissions import unit_filter

        return self.filter(unit_filter(user, action, field="pk"))


class OrgUnit(AuditedModel):
    code = models.CharField(
        _("electronic identifier code"), max_length=13, unique=True, validators=[validate_code]
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    audit_exclude = ("path", "depth")

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def segment(self) -> str:
        return f"{self.pk:0{SEGMENT}x}."

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def ancestors(self) -> OrgUnitQuerySet:
        ids = [int(s, 16) for s in self.path.split(".") if s][:-1]
        return OrgUnit.objects.filter(pk__in=ids).order_by("depth")

    def contains(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path)
