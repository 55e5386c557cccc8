"""Change requests (DESIGN principle 3): every change to a personnel file is one.

A person's self-service edit and an HR officer's correction are both a ChangeRequest
holding the whole proposed document, the approved revision it started from and the
scanned evidence behind it (Vĩnh Phúc Đ7.3, Lai Châu 2.2). While in status "draft" it
is edited and saved as the person types; submitting freezes it and routes it through
the province's review chain (`ReviewStep`, one per step of the policy's chain, with its
approver unit and due date): "in_review" at step k of n, then "approved" (the last
approval writes and signs the next revision, `records.services.revision_create`),
"returned" to the person with reasons per field (corrected and resubmitted: a new round
of steps, the earlier rounds kept) or "rejected". A draft or a returned request can be
withdrawn.

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
    # Shown as "sent" (Đã gửi): where it stands in the review is told beside it.
    IN_REVIEW = "in_review", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# "submitted" was the status before the review existed (migration 0002 renamed the
# rows to "in_review"); the name stays as an alias for code written against it.
Status.SUBMITTED = Status.IN_REVIEW


# Statuses in which a change request is still open (the person may not start another
# one); approved, rejected and withdrawn ones are closed for good.
OPEN_STATUSES = frozenset({Status.DRAFT, Status.IN_REVIEW, Status.RETURNED})
# Statuses in which the person (or the unit's HR officer) edits the proposed document.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})


class Origin(models.TextChoices):
    SELF = "self", _("Entered by the person")
    CORRECTION = "correction", _("Correction by the unit")
    IMPORT = "import", _("Imported")


class ChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChangeRequestQuerySet:
        """The change requests `user` may see (the rule: `selectors.change_request_list`):
        those of the files they may change, and, once submitted, those they review."""
        from .selectors import visible_q

        return self.filter(visible_q(user))

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
    # The review (set by submitting): the province whose chain it follows, the active
    # step's number in the current round (None when no step is active) and how many
    # steps the round has.
    policy = models.CharField(_("province policy"), max_length=30, blank=True)
    current_step = models.PositiveSmallIntegerField(_("current step"), null=True, blank=True)
    steps_total = models.PositiveSmallIntegerField(_("number of steps"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The revision the last approval wrote.
    revision = models.ForeignKey(
        "records.Revision", verbose_name=_("revision written"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # Bumped by every write: a decision names the version it was taken on, so that one
    # taken on a page opened before an edit or another decision is refused, not applied.
    version = models.PositiveIntegerField(_("version"), default=1)

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

    def save(self, *args, **kwargs):
        # Every write is made on a row locked by its service (select_for_update), so
        # counting here numbers the request's versions without gaps or repeats.
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

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

    @property
    def editable(self) -> bool:
        """A draft, or a request returned to be corrected."""
        return self.status in EDITABLE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def round(self) -> int:
        """The current round of review (1 + resubmissions; 0 before the first)."""
        return max((s.round for s in self.steps.all()), default=0)

    def active_step(self):
        return self.steps.filter(status=StepStatus.ACTIVE).order_by("-round", "number").first()

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


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the previous step")
    ACTIVE = "active", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewStep(AuditedModel):
    """One step of a change request's review: who must decide (the holder of `role` on a
    unit covering `unit`, or their delegate), by when, and what they decided.

    The steps of a round are made when the request is submitted, from the province's
    chain (`core.policy`), with what the policy said of each (its deadline, its clock,
    whether it signs, whether it may be delegated) kept on the row: a policy file changed
    later does not change a review under way. A decided step is never changed again.
    """

    change_request = models.ForeignKey(
        ChangeRequest, verbose_name=_("change request"), on_delete=models.PROTECT,
        related_name="steps",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    number = models.PositiveSmallIntegerField(_("step"))
    key = models.CharField(_("step key"), max_length=40)
    label = models.CharField(_("step"), max_length=200, blank=True)  # English msgid
    role = models.CharField(_("role"), max_length=30)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING,
        db_index=True,
    )
    # The policy's deadline and clock for this step, as they were at submission.
    deadline_days = models.PositiveSmallIntegerField(_("deadline"), null=True, blank=True)
    deadline_kind = models.CharField(_("kind of days"), max_length=10, blank=True)
    clock = models.CharField(_("clock starts"), max_length=20, blank=True)
    signs = models.BooleanField(_("signed decision"), default=False)
    delegable = models.BooleanField(_("may be delegated"), default=False)
    final = models.BooleanField(_("final approval"), default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    delegation = models.ForeignKey(
        "accounts.Delegation", verbose_name=_("delegation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="decisions",
    )
    # The hash of the proposed document the decision was taken on.
    document_hash = models.CharField(_("document hash"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    field_reasons = models.JSONField(_("reasons per field"), default=dict, blank=True)
    signature = models.ForeignKey(
        "signing.Signature", verbose_name=_("signature"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    # What a reviewer writes may quote the file; the audit rows keep the decision only.
    audit_exclude = ("comment", "field_reasons")

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["change_request_id", "round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "round", "number"], name="review_step_once"
            ),
            # At most one step of a request awaits a decision.
            models.UniqueConstraint(
                fields=["change_request"], condition=Q(status="active"),
                name="one_active_step",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"#{self.change_request_id} {self.round}.{self.number} {self.key} ({self.status})"

    @property
    def is_decided(self) -> bool:
        return self.status in (StepStatus.APPROVED, StepStatus.RETURNED, StepStatus.REJECTED)

    @property
    def role_label(self) -> str:
        from hoso.accounts.roles import Role

        try:
            return str(Role(self.role).label)
        except ValueError:
            return self.role

    def label_display(self) -> str:
        from django.utils.translation import gettext

        return gettext(self.label) if self.label else self.key

    def is_overdue(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        if self.due_date is None:
            return False
        if self.decided_at is not None:
            return timezone.localdate(self.decided_at) > self.due_date
        return self.status == StepStatus.ACTIVE and today > self.due_date
