"""The annual report on the headcount (báo cáo số lượng cán bộ, công chức, viên chức).

Each January every agency reports its staff as of 31 December of the year before, by
civil-service rank (ngạch), professional title (chức danh nghề nghiệp) and job position
(vị trí việc làm), to the Department of Home Affairs by the 15th (Vĩnh Phúc Đ14.4,
Lâm Đồng Đ13.9; Quảng Nam Đ11: as Thông tư 06/2023/TT-BNV Đ16.11 says), which reports
the province's to the Ministry by the 31st (Vĩnh Phúc Đ16.7).

An `AnnualReport` row is made when the competent person signs a report: its figures
are frozen then (`figures`, with the SHA-256 of their canonical JSON), with the PDF
they signed (PAdES). The agency's signature completes it (an exported document signed
by the competent person and the agency has the legal value of the paper original:
Vĩnh Phúc Đ9.4, Cần Thơ Đ7.5, Lâm Đồng Đ9.4), then it is submitted. A submitted
report can never change again (the model refuses it, and database triggers refuse it
to anyone who goes around the model: migration 0002); a report signed in error may be
discarded before it is submitted — kept, never deleted — and signed again.

Unsigned reports have no row: the page, the workbook and the draft PDF compute the
figures from the approved files each time.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel
from hoso.core.canonical import canonical_json


class Kind(models.TextChoices):
    UNIT = "unit", _("Report of an agency")
    PROVINCE = "province", _("Report of the province")


class Status(models.TextChoices):
    AWAITING_AGENCY = "awaiting_agency", _("Signed by the competent person; awaiting the agency")
    SIGNED = "signed", _("Signed by the competent person and the agency")
    SUBMITTED = "submitted", _("Submitted")
    DISCARDED = "discarded", _("Discarded before submission")


OPEN_STATUSES = (Status.AWAITING_AGENCY, Status.SIGNED, Status.SUBMITTED)


def figures_hash(figures: dict) -> str:
    return hashlib.sha256(canonical_json(figures)).hexdigest()


class AnnualReportQuerySet(models.QuerySet):
    def current(self) -> AnnualReportQuerySet:
        """The reports that count: not discarded (one per kind, unit and year)."""
        return self.exclude(status=Status.DISCARDED)


class AnnualReport(AuditedModel):
    kind = models.CharField(_("report kind"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))
    as_of = models.DateField(_("figures as of"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # Frozen at the first signature: what the PDF shows, as canonical JSON's source.
    figures = models.JSONField(_("figures"))
    figures_sha256 = models.CharField(_("SHA-256 of the figures"), max_length=64)
    # The signed PDF (the figures are counts, not anyone's personal data).
    pdf = models.BinaryField(_("signed PDF"))
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    pdf_size = models.PositiveIntegerField(_("size"))
    agency = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by the competent person"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now, db_index=True)
    agency_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agency's signature applied by"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    agency_signed_at = models.DateTimeField(_("agency signed at"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    on_time = models.BooleanField(_("submitted on time"), null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("discarded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    discard_reason = models.TextField(_("reason for discarding"), blank=True)

    objects = AnnualReportQuerySet.as_manager()

    # The figures are audited through their hash; the PDF through its own.
    audit_exclude = ("pdf", "figures")

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "kind", "unit__path", "-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "year"], condition=~Q(status="discarded"),
                name="annual_one_open_report",
            )
        ]
        indexes = [models.Index(fields=["year", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.year} ({self.status})"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list(
                "status", flat=True
            ).first()
            if stored == Status.SUBMITTED:
                raise TypeError("submitted annual reports are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("annual reports are kept: discard one instead")

    def freeze(self, figures: dict) -> None:
        self.figures = figures
        self.figures_sha256 = figures_hash(figures)

    def keep_pdf(self, data: bytes) -> None:
        self.pdf = data
        self.pdf_sha256 = hashlib.sha256(data).hexdigest()
        self.pdf_size = len(data)

    @property
    def pdf_bytes(self) -> bytes:
        return bytes(self.pdf)

    @property
    def complete(self) -> bool:
        """Signed by both the competent person and the agency."""
        return self.status in (Status.SIGNED, Status.SUBMITTED)

    @property
    def submitted(self) -> bool:
        return self.status == Status.SUBMITTED

    @property
    def download_name(self) -> str:
        who = "tinh" if self.kind == Kind.PROVINCE else self.unit.code.replace(".", "")
        suffix = "" if self.complete else "-cho-ky-co-quan"
        return f"bao-cao-nam-{self.year}-{who}-{self.pk}{suffix}.pdf"
