"""Matrix entries for the printed CV (`reports`).

Printing is exporting the file (`person.export`): the person, Sở Nội vụ, the province
approver, and in the unit the HR officer, the head of HR and the head of unit — not the
unit administrator (accounts, not files) nor the auditor. The approved CV's target is
a person with revision 1; the draft's, a person with an open draft, which only those
who may also change the file see (`workflow.selectors.draft_for`).

Signed copies (Vĩnh Phúc Đ9.4, Cần Thơ Đ7.5): the list is for those who may print;
signing a new copy for the competent person (`person.approve`: not the HR officer);
a copy made by the head of unit shows secret fields, so it opens only for those who
read them too (not the province approver, who reads restricted fields only); the
agency's signature is applied by who may sign for the agency (`person.approve` on it)
and may open the copy.
"""

from django.utils import timezone

from .spec import Route

PRINTERS = frozenset({"province_admin", "province_approver", "hr_officer", "hr_head", "unit_head"})
DRAFT_PRINTERS = frozenset({"province_admin", "hr_officer", "hr_head"})
COMPETENT = frozenset({"province_admin", "province_approver", "hr_head", "unit_head"})
COPY_READERS = frozenset({"province_admin", "hr_officer", "hr_head", "unit_head"})
AGENCY_SIGNERS = frozenset({"province_admin", "hr_head", "unit_head"})


def _person_of(obj):
    return {"pk": obj.person_id}


def _wrong_secret(world, obj):
    return {"secret": "không-phải-mật-khẩu"}


def signed_export_targets(world):
    """A copy of the in- and out-of-scope person's CV signed by a competent person who
    reads every field (awaiting the agency's signature), as the matrix's targets."""
    from hoso.accounts.permissions import ACCESS_LEVELS
    from hoso.reports.models import SignedExport

    from ..records.documents import first_revision

    targets = []
    for key, unit, signer in (("in", world.in_unit, "unit_head"),
                              ("out", world.out_unit, "province_admin")):
        revision = first_revision(world.people[key])
        export = SignedExport(
            person=world.people[key], revision=revision, category=revision.category,
            status=SignedExport.Status.AWAITING_AGENCY, requested_by=world.actors[signer],
            created_at=timezone.now(), agency=unit, access_levels=list(ACCESS_LEVELS),
        )
        export.seal(b"%PDF-1.7\n% the matrix's stand-in for a signed copy\n")
        export.save()
        targets.append(export)
    return tuple(targets)


ROUTES: list[Route] = [
    Route("reports:person_cv", target="revision", allowed=PRINTERS, extra={"kwargs": _person_of}),
    Route(
        "reports:person_cv_draft",
        target="draft",
        allowed=DRAFT_PRINTERS,
        extra={"kwargs": _person_of},
    ),
    Route("reports:signed_cv_list", target="revision", allowed=PRINTERS,
          extra={"kwargs": _person_of}),
    Route("reports:signed_cv_new", target="revision", allowed=COMPETENT,
          extra={"kwargs": _person_of}),
    # a wrong passphrase: the form answers (200) for who may sign, nothing is signed
    Route("reports:signed_cv_new", method="POST", target="revision", allowed=COMPETENT,
          data=_wrong_secret, extra={"kwargs": _person_of}),
    Route("reports:signed_cv_download", target="signedexport", allowed=COPY_READERS),
    Route("reports:signed_cv_agency", target="signedexport", allowed=AGENCY_SIGNERS),
    Route("reports:signed_cv_agency", method="POST", target="signedexport",
          allowed=AGENCY_SIGNERS, data=_wrong_secret),
]
