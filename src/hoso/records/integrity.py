"""Integrity checks of the personnel files for `hoso audit verify` (DESIGN principle 2).

- `revisions`: every person's chain is numbered 1, 2, 3 …, each link names its
  parent's hash, and each content hash recomputed from the unsealed document matches
  (an altered clear part, sealed part, approver, time … is caught).
- `projection`: the indexed columns (on Person and Profile) equal the projection of
  each person's newest revision, and point at it.

Each reports the first broken row: the revision's id, or the person's id for the
projection. Registered by `RecordsConfig.ready()`.
"""

from __future__ import annotations

from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from hoso.audit.verify import ChainReport

from .models import GENESIS, Person, Profile, Revision
from .projection import differences

REVISION_PROBLEMS = {
    "revision_missing": _("a revision of this person's chain is missing (numbers skip)"),
    "revision_link": _("the revision does not name its predecessor's hash"),
    "revision_content": _("the revision's content was altered"),
    "revision_seal": _("the revision's encrypted part cannot be opened (altered or wrong key)"),
}
PROJECTION_PROBLEMS = {
    "projection_stale": _("the indexed columns of this person were not projected from "
                          "their newest revision"),
    "projection_altered": _("the indexed columns of this person differ from their newest "
                            "revision"),
}
BATCH = 2000


def verify_revisions() -> ChainReport:
    report = ChainReport(chain="revisions", rows=0)
    person_id, expected_number, parent = None, 1, GENESIS
    for rev in Revision.objects.order_by("person_id", "number").iterator(chunk_size=BATCH):
        report.rows += 1
        if rev.person_id != person_id:
            person_id, expected_number, parent = rev.person_id, 1, GENESIS
        problem = _check(rev, expected_number, parent)
        if problem:
            report.broken_seq, report.problem = rev.pk, problem
            return report
        expected_number, parent = rev.number + 1, rev.content_hash
    return report


def _check(rev: Revision, expected_number: int, parent: str) -> str:
    if rev.number != expected_number:
        return "revision_missing"
    if rev.parent_hash != parent:
        return "revision_link"
    try:
        document = rev.document
    except Exception:  # InvalidToken, or a token that opens to something not JSON
        return "revision_seal"
    if rev.compute_hash(document) != rev.content_hash:
        return "revision_content"
    return ""


def verify_projection() -> ChainReport:
    report = ChainReport(chain="projection", rows=0)
    newest = Revision.objects.filter(person=OuterRef("pk")).order_by("-number").values("pk")[:1]
    people = (
        Person.objects.annotate(newest_id=Subquery(newest))
        .select_related("unit", "profile")
        .order_by("pk")
    )
    # Profiles of people without revisions cannot exist honestly either.
    orphan = (
        Profile.objects.annotate(n=Max("person__revisions__number"))
        .filter(n__isnull=True)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .first()
    )
    if orphan is not None:
        report.broken_seq, report.problem = orphan, "projection_stale"
        return report
    batch: list[Person] = []
    for person in people.filter(newest_id__isnull=False).iterator(chunk_size=BATCH):
        batch.append(person)
        if len(batch) == BATCH and _check_batch(batch, report):
            return report
        if len(batch) == BATCH:
            batch = []
    if batch:
        _check_batch(batch, report)
    return report


def _check_batch(people: list[Person], report: ChainReport) -> bool:
    revisions = Revision.objects.in_bulk([p.newest_id for p in people])
    for person in people:
        report.rows += 1
        profile = getattr(person, "profile", None) if _has_profile(person) else None
        wrong = differences(person, profile, revisions[person.newest_id])
        if wrong:
            report.broken_seq = person.pk
            report.problem = (
                "projection_stale" if {"profile", "revision"} & set(wrong)
                else "projection_altered"
            )
            return True
    return False


def _has_profile(person: Person) -> bool:
    try:
        person.profile  # noqa: B018
    except Profile.DoesNotExist:
        return False
    return True


def register() -> None:
    from hoso.audit.verify import register_check

    register_check("revisions", _("Revisions of the personnel files"), verify_revisions,
                   REVISION_PROBLEMS)
    register_check("projection", _("Indexed columns of the personnel files"),
                   verify_projection, PROJECTION_PROBLEMS)
