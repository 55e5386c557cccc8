"""Matrix entries for the printed CV (`reports`).

Printing is exporting the file (`person.export`): the person, Sở Nội vụ, the province
approver, and in the unit the HR officer, the head of HR and the head of unit — not the
unit administrator (accounts, not files) nor the auditor. The approved CV's target is
a person with revision 1; the draft's, a person with an open draft, which only those
who may also change the file see (`workflow.selectors.draft_for`).
"""

from .spec import Route

PRINTERS = frozenset({"province_admin", "province_approver", "hr_officer", "hr_head", "unit_head"})
DRAFT_PRINTERS = frozenset({"province_admin", "hr_officer", "hr_head"})


def _person_of(obj):
    return {"pk": obj.person_id}


ROUTES: list[Route] = [
    Route("reports:person_cv", target="revision", allowed=PRINTERS, extra={"kwargs": _person_of}),
    Route(
        "reports:person_cv_draft",
        target="draft",
        allowed=DRAFT_PRINTERS,
        extra={"kwargs": _person_of},
    ),
]
