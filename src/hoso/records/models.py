"""The person whose file hoso keeps. Minimal for now: the personnel-file work adds the
CV form's document, its revisions and the projection of the newest one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel
from hoso.core.crypto import EncryptedTextField, keyed_hash

from .validators import validate_id_number


class StaffCategory(models.TextChoices):
    CAN_BO = "can_bo", _("Cadre (cán bộ)")
    CONG_CHUC = "cong_chuc", _("Civil servant (công chức)")
    VIEN_CHUC = "vien_chuc", _("Public employee (viên chức)")
    CAP_XA = "cap_xa", _("Commune-level cadre or civil servant")
    LAO_DONG = "lao_dong", _("Contract worker (người lao động)")


class Status(models.TextChoices):
    ACTIVE = "active", _("Working")
    SECONDED = "seconded", _("Seconded (biệt phái)")
    RETIRED = "retired", _("Retired")
    RESIGNED = "resigned", _("Resigned")
    DISMISSED = "dismissed", _("Dismissed")
    TRANSFERRED_OUT = "transferred_out", _("Transferred outside the province")
    DECEASED = "deceased", _("Deceased")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "person.view") -> PersonQuerySet:
        from hoso.accounts.permissions import person_filter

        return self.filter(person_filter(user, action))

    def with_id_number(self, id_number: str) -> PersonQuerySet:
        return self.filter(id_number_hash=keyed_hash(id_number))


class Person(AuditedModel):
    # Decree 27/2026/NĐ-CP keys each file by the 12-digit number. Encrypted at rest;
    # uniqueness and exact look-up go through the keyed hash (DESIGN principle 8).
    id_number = EncryptedTextField(_("personal identification number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150, db_index=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    category = models.CharField(_("staff category"), max_length=12, choices=StaffCategory.choices)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )

    objects = PersonQuerySet.as_manager()

    audit_exclude = ("id_number",)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        super().clean()
        if self.id_number:
            try:
                validate_id_number(self.id_number, birth_date=self.birth_date, sex=self.sex)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc

    def save(self, *args, **kwargs):
        if self.id_number:
            self.id_number_hash = keyed_hash(self.id_number)
        super().save(*args, **kwargs)

    @property
    def id_number_masked(self) -> str:
        return f"{self.id_number[:3]}******{self.id_number[-3:]}" if self.id_number else ""
