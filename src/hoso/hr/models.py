"""The kept result of checking each file (the list of files with problems).

Checking a file means decrypting its newest revision and running the schema's
validation over it: about 3 ms a file, five minutes for a province of 100,000 — too
slow for a page. So the result is kept per person, with the content hash of the
revision it was computed from ("" for someone without an approved file yet) and a
fingerprint of the rules (`services.rules_fingerprint`): a row whose hash or
fingerprint is not the current one is stale and computed again. The list of files with
problems is read from these rows (`selectors.problem_people`).

In the clear the row holds no personal value: counts, the share of required fields
filled, and the paths and codes of the problems ("training.2.to", "order"). The
messages, which quote the file's values, are kept encrypted like the revision's sealed
part (`hoso keys rotate` re-encrypts them): a page of 50 decrypts 50 tokens instead of
validating 50 files again (bench/hr_lists.py). Derived and recomputable, the row is not
audited (the revision it was computed from is).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.core.crypto import EncryptedTextField


class FileCheck(models.Model):
    person = models.OneToOneField(
        "records.Person", primary_key=True, on_delete=models.CASCADE, related_name="hr_check",
        verbose_name=_("person"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64)
    rules = models.CharField(_("rules fingerprint"), max_length=64)
    checked_at = models.DateTimeField(_("checked at"))
    missing = models.PositiveIntegerField(_("missing fields"), default=0)
    contradictions = models.PositiveIntegerField(_("other problems"), default=0)
    percent = models.PositiveSmallIntegerField(_("required fields filled (%)"), default=0)
    # [[path, code], …] — never a value of the file.
    findings = models.JSONField(_("findings"), default=list, blank=True)
    # JSON list of the messages, one per finding, in the site's language: encrypted.
    messages = EncryptedTextField(_("messages"), null=True, blank=True)

    class Meta:
        verbose_name = _("file check")
        verbose_name_plural = _("file checks")
        indexes = [
            models.Index(fields=["rules", "person"], name="hr_filecheck_rules"),
            # The list of files with problems starts from these rows (a few in a hundred).
            models.Index(
                fields=["rules"], name="hr_filecheck_flagged",
                condition=models.Q(missing__gt=0) | models.Q(contradictions__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.missing}+{self.contradictions}"

    @property
    def problems(self) -> int:
        return self.missing + self.contradictions


class CheckMark(models.Model):
    """How far the last complete check went (one row): every person up to `person_max`
    and every revision up to `revision_max` was checked under `rules`. A page then
    looks for stale checks only among newer people and people with newer revisions —
    a few — instead of everyone in its scope (bench/hr_lists.py: 1.4 s → milliseconds
    for a province of 100,000)."""

    rules = models.CharField(_("rules fingerprint"), max_length=64)
    person_max = models.BigIntegerField(_("last person checked"), default=0)
    revision_max = models.BigIntegerField(_("last revision checked"), default=0)
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("complete file check")
        verbose_name_plural = _("complete file checks")

    def __str__(self) -> str:
        return f"{self.person_max}/{self.revision_max}"
