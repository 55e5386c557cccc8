"""Matrix entries for the self-service and review pages (`workflow`) and
`/api/v1/change-requests/`.

A change request is seen and changed by whoever may change the person's file
(`person.change`: the person, the unit's HR officer, head of HR and administrator, Sở
Nội vụ). The target "draft" is an open draft of the in-scope and of the out-of-scope
person; attaching and detaching evidence also needs to open the evidence, which the
unit administrator (public fields only) may not.

The target "review" is a request in review (submitted under the default province's
chain, Vĩnh Phúc: the unit's HR officer checks, then its head approves): it is seen
also by those who approve files of the unit (`person.approve`) and by the holders of
its steps' roles; its active step is decided by the HR officer of the person's unit
only (outside the month's approval window the approval is refused with the window's
dates: still let through, 200/400).
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


def review_targets(world):
    """A request in review of the in-scope and of the out-of-scope person: a complete
    file with its scanned decision, submitted."""
    from hoso.accounts.permissions import SYSTEM
    from hoso.documents.services import Upload
    from hoso.workflow import services

    from ..records.documents import document_for

    out = []
    for key in ("in", "out"):
        person = world.people[key]
        draft = services.draft_start(actor=SYSTEM, person=person)
        services.draft_update(actor=SYSTEM, draft=draft, changes=document_for(person))
        services.draft_upload_evidence(actor=SYSTEM, draft=draft,
                                       uploads=[Upload(file=scan(f"{key}.pdf"), kind=KIND)])
        out.append(services.submit(draft, actor=SYSTEM))
    return tuple(out)


TARGETS = {"review": review_targets}

# Who sees a request in review: who may change the file, who approves the unit's files,
# and the holders of its steps' roles (the HR officer, the head of unit).
REVIEW_READERS = PERSON_READERS
DECIDERS = frozenset({"hr_officer"})


def _seen(obj) -> dict:
    """The step and version the decider's page shows."""
    from hoso.workflow.models import ChangeRequest, StepStatus

    cr = ChangeRequest.objects.get(pk=obj.pk)
    return {"step": cr.steps.get(status=StepStatus.ACTIVE).pk, "version": cr.version}


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
    # the review
    Route("workflow:change_withdraw", method="POST", target="draft", allowed=CHANGERS,
          ok=(302,)),
    Route("workflow:review_queue", allowed=ALL_ACTORS),
    Route("workflow:review", target="review", allowed=REVIEW_READERS),
    Route("workflow:review_approve", method="POST", target="review", allowed=DECIDERS,
          data=lambda w, o: _seen(o), ok=(200, 302)),
    Route("workflow:review_return", method="POST", target="review", allowed=DECIDERS,
          data=lambda w, o: {**_seen(o), "reason__evidence": "Bản quét mờ."}, ok=(302,)),
    Route("workflow:review_reject", method="POST", target="review", allowed=DECIDERS,
          data=lambda w, o: {**_seen(o), "reason": "Không có hồ sơ gốc."}, ok=(302,)),
    # the final approvals ticked in the queue: the review target is at its first step, so
    # its decider (the HR officer) is told it is not a final one (200 / 400); others are
    # refused (403) or do not see it (404) before any key is asked for
    Route("workflow:review_approve_many", method="POST", target="review", allowed=DECIDERS,
          data=lambda w, o: {"change_requests": [o.pk]}, ok=(200,),
          extra={"kwargs": lambda o: {}}),
    Route("api:changerequest-approve-many", method="POST", target="review",
          allowed=DECIDERS, api=True, data=lambda w, o: {"change_requests": [o.pk]},
          ok=(400,), extra={"kwargs": lambda o: {}}),
    Route("api:changerequest-queue", allowed=ALL_ACTORS, api=True),
    Route("api:changerequest-steps", target="review", allowed=REVIEW_READERS, api=True),
    Route("api:changerequest-approve", method="POST", target="review", allowed=DECIDERS,
          api=True, data=lambda w, o: _seen(o), ok=(200, 400)),
    Route("api:changerequest-return", method="POST", target="review", allowed=DECIDERS,
          api=True, data=lambda w, o: {**_seen(o), "field_reasons": {"evidence": "Mờ"}},
          ok=(200,)),
    Route("api:changerequest-reject", method="POST", target="review", allowed=DECIDERS,
          api=True, data=lambda w, o: {**_seen(o), "reason": "Sai"}, ok=(200,)),
    Route("api:changerequest-withdraw", method="POST", target="draft", allowed=CHANGERS,
          api=True, ok=(200,)),
    Route("api:changerequest-resubmit", method="POST", target="draft", allowed=CHANGERS,
          api=True, ok=(200, 400)),
]
