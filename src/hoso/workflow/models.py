"""Change requests (DESIGN principle 3): every change to a personnel file is one.

A person's self-service edit and an HR officer's correction are both a ChangeRequest
holding the whole proposed document, the approved revision it started from and the
scanned evidence behind it (Vĩnh Phúc Đ7.3, Lai Châu 2.2). While in status "draft" it
is edited and saved as the person types; submitting freezes it ("submitted"). The
review issue adds the review steps, their deadlines and the later statuses; when the
last approval lands it writes the next revision (`records.services.revision_create`).

The proposed document is stored like a revision's: its public fields as clear JSON,
its restricted and secret fields in one Fernet token (`records.sealing`). Audit rows
keep the document's hash, not its content, so that autosaving a draft does not copy
personal data into the immutable audit chain at every keystroke.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.audit.mixins import AuditedModel
from hoso.core.canonical import canonical_json, sha256_hex


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


# Statuses in which a change request is still open (the person may not start another
# one). The review issue adds its in-review statuses here; its closed ones (approved,
# rejected, withdrawn) stay out.
OPEN_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED})


class Origin(models.TextChoices):
    SELF = "self", _("Entered by the person")
    CORRECTION = "correction", _("Correction by the unit")


class ChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "person.change") -> ChangeRequestQuerySet:
        """Change requests of the people on whose file the user may `action`."""
        from hoso.accounts.permissions import person_filter
        from hoso.records.models import Person

        return self.filter(person__in=Person.objects.filter(person_filter(user, action)))

    def open(self) -> ChangeRequestQuerySet:
        return self.filter(status__in=sorted(OPEN_STATUSES))


class ChangeRequest(AuditedModel):
    person = models.ForeignKey(
        "records.Person", verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="change_requests",
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.SELF
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
        db_index=True,
    )
    # The approved revision the draft started from (Vĩnh Phúc Đ4.5: nothing already
    # known is asked again); None for a file that has no approved revision yet.
    base_revision = models.ForeignKey(
        "records.Revision", verbose_name=_("approved revision it started from"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    category = models.CharField(_("staff category"), max_length=12)
    schema_version = models.CharField(_("form version"), max_length=40, blank=True)
    # The proposed document, split by `records.sealing`.
    public = models.JSONField(default=dict, blank=True)
    sealed = models.TextField(blank=True)
    document_hash = models.CharField(_("document hash"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    evidence = models.ManyToManyField(
        "documents.EvidenceDocument", through="ChangeEvidence", related_name="change_requests",
        verbose_name=_("evidence documents"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    saved_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    objects = ChangeRequestQuerySet.as_manager()

    audit_exclude = ("public", "sealed")

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open draft per person: the person and the unit's HR officer work on
            # the same one.
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="draft"), name="one_draft_per_person"
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.person_id}, {self.status})"

    @property
    def document(self) -> dict:
        """The whole clear proposed document (decrypted once per instance)."""
        if not hasattr(self, "_document"):
            from hoso.records.sealing import unseal

            self._document = unseal(self.public or {}, self.sealed)
        return self._document

    @document.setter
    def document(self, value: dict) -> None:
        from hoso.records.sealing import seal

        self.public, self.sealed = seal(value, category=self.category)
        self.document_hash = sha256_hex(canonical_json(value))
        self._document = value

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def active_evidence(self):
        """The evidence documents attached and not detached, oldest first."""
        from hoso.documents.models import EvidenceDocument

        return EvidenceDocument.objects.filter(
            links__change_request=self, links__detached_at__isnull=True
        ).order_by("links__attached_at", "pk")


class ChangeEvidence(AuditedModel):
    """An evidence document cited by a change request. Detaching keeps the row (and
    the document): it records who detached it and when."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, related_name="evidence_links"
    )
    evidence = models.ForeignKey(
        "documents.EvidenceDocument", on_delete=models.PROTECT, related_name="links"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    attached_at = models.DateTimeField(auto_now_add=True)
    detached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    detached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evidence of a change request")
        verbose_name_plural = _("evidence of change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "evidence"], condition=Q(detached_at__isnull=True),
                name="evidence_attached_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.change_request_id}:{self.evidence_id}"
