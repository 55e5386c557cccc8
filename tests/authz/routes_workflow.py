"""Matrix entries for the self-service pages (`workflow`) and `/api/v1/change-requests/`.

A change request is seen and changed by whoever may change the person's file
(`person.change`: the person, the unit's HR officer, head of HR and administrator, Sở
Nội vụ). The target "draft" is an open draft of the in-scope and of the out-of-scope
person; attaching and detaching evidence also needs to open the evidence, which the
unit administrator (public fields only) may not.
"""

from __future__ import annotations

from .routes_documents import CHANGERS, KIND, scan
from .spec import ALL_ACTORS, Route

PERSON_READERS = frozenset(
    {"province_admin", "province_approver", "unit_admin", "hr_officer", "hr_head", "unit_head"}
)
EVIDENCE_CHANGERS = CHANGERS - {"unit_admin"}


def _new_evidence(world, obj) -> int:
    from hoso.accounts.permissions import SYSTEM
    from hoso.documents.services import Upload, evidence_upload

    return evidence_upload(
        actor=SYSTEM, person=obj.person, upload=Upload(file=scan("x.pdf"), kind=KIND)
    ).pk


def _attached(world, obj) -> dict:
    from hoso.accounts.permissions import SYSTEM
    from hoso.documents.services import Upload
    from hoso.workflow.services import draft_upload_evidence

    (doc,) = draft_upload_evidence(
        actor=SYSTEM, draft=obj, uploads=[Upload(file=scan("a.pdf"), kind=KIND)]
    )
    return {"evidence": doc.pk}


def _upload(world, obj):
    return {"file": scan(), "kind": KIND, "number": "12/QĐ-SNV"}


def _phone(world, obj):
    return {"phone": "0912345678"}


ROUTES: list[Route] = [
    # Everyone with a file reaches their own (expired and revoked roles included).
    Route("workflow:my_file", allowed=ALL_ACTORS),
    Route("workflow:person_file", target="person", allowed=PERSON_READERS),
    Route("workflow:draft_start", method="POST", target="person", allowed=CHANGERS),
    Route("workflow:change_detail", target="draft", allowed=CHANGERS),
    Route("workflow:section_edit", target="draft", allowed=CHANGERS),
    Route("workflow:section_edit", method="POST", target="draft", allowed=CHANGERS,
          data=_phone, ok=(200, 302)),
    Route("workflow:evidence_upload", method="POST", target="draft", allowed=CHANGERS,
          data=_upload),
    Route("workflow:evidence_detach", method="POST", target="draft",
          allowed=EVIDENCE_CHANGERS, data=_attached),
    Route("workflow:change_submit", method="POST", target="draft", allowed=CHANGERS,
          ok=(200, 302)),
    # API
    Route("api:changerequest-list", allowed=ALL_ACTORS, api=True),
    Route("api:changerequest-list", method="POST", allowed=CHANGERS, api=True,
          data=lambda world, obj: {"person": world.people["in"].pk}, ok=(200, 201)),
    Route("api:changerequest-detail", target="draft", allowed=CHANGERS, api=True),
    Route("api:changerequest-detail", method="PATCH", target="draft", allowed=CHANGERS,
          api=True, data=lambda world, obj: {"document": _phone(world, obj)}, ok=(200,)),
    Route("api:changerequest-attach", method="POST", target="draft",
          allowed=EVIDENCE_CHANGERS, api=True,
          data=lambda world, obj: {"evidence": _new_evidence(world, obj)}, ok=(200,)),
    Route("api:changerequest-detach", method="POST", target="draft",
          allowed=EVIDENCE_CHANGERS, api=True, data=_attached, ok=(200,)),
    # an empty draft: refused (400) with its problems, which is being let through
    Route("api:changerequest-submit", method="POST", target="draft", allowed=CHANGERS,
          api=True, ok=(200, 400)),
]
