"""The reviewers' decisions on a change request's active step: approve, return to the
person with reasons per field, reject.

Who decides a step is the holder of the step's role on a unit covering the step's unit,
or their delegate for the delegation's period (Quảng Nam Đ5.2, Lâm Đồng Đ7.3, Lai Châu
2.3) — asked of the permission path (`permissions.role_authority`), never decided here.
On top of it, the rules of the review itself:

- nobody decides on their own file, or on a change they made or submitted (nor a
  delegate on the delegator's);
- only the active step is decided: a step still waiting is out of turn;
- a step the policy does not let be delegated is decided by the holder only;
- the final approval is given only inside the province's unit approval window, if it
  has one (Vĩnh Phúc Đ8.1, Quảng Nam Đ5.1, Lai Châu 2.3), writes the new revision
  (`records.services.revision_create`) and signs it with the approver's own certificate
  (Purpose.REVISION: Cần Thơ Đ5.1.đ, Quảng Nam Đ5.1, Lâm Đồng Đ7.3 "phê duyệt bằng ký
  số"), all in one transaction: a certificate that may not sign (revoked, expired,
  untrusted) refuses the approval and changes nothing;
- an intermediate step whose policy says so signs its decision (Purpose.REVIEW).

Concurrency: each decision locks the request (select_for_update) and checks its state
again under the lock; a caller may also name the step and the version it decided on
(the page always does), so that two reviewers acting at once, or a decision racing an
edit, resolve to exactly one outcome and the other is refused with nothing changed.

Refusals that are security events (out of turn, out of scope, one's own file, an
expired delegation, a certificate that may not sign) leave an access-log row — the
request, the step, the kind of refusal; never personal data — written after the
refused transaction has rolled back, so that it stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM, Authority, role_authority
from hoso.accounts.roles import Role
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, PermissionDenied

from .models import ChangeRequest, ReviewStep, Status, StepStatus

MAX_TEXT = 2000


class ReviewRefused(PermissionDenied):
    """A decision refused for who the actor is (out of turn, out of scope …); `event`
    names the kind for the security audit."""

    def __init__(self, message, *, event: str, code: str | None = None):
        super().__init__(message, code=code or event)
        self.event = event


class Stale(DomainError):
    """The request changed since the decision's page was opened (another decision, an
    edit, a withdrawal): nothing was done."""

    code = "stale"


@dataclass
class Decider:
    """Who decides and in what capacity: their own role, or a delegation."""

    user: object
    authority: Authority

    @property
    def on_behalf_of_id(self) -> int | None:
        return self.authority.delegator_id

    @property
    def delegation_id(self) -> int | None:
        return self.authority.delegation_id


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _active(cr: ChangeRequest) -> ReviewStep | None:
    return (
        cr.steps.select_related("unit").filter(status=StepStatus.ACTIVE)
        .order_by("-round", "number").first()
    )


def _check_state(cr: ChangeRequest, *, step_id: int | None, version: int | None) -> ReviewStep:
    """The active step, after checking the request is in review and is still what the
    decider saw."""
    if cr.status != Status.IN_REVIEW:
        raise Stale(
            _("This change request is no longer awaiting review (it is %(status)s): nothing "
              "was done.") % {"status": cr.get_status_display()}
        )
    step = _active(cr)
    if step is None:
        raise Stale(_("This change request has no step awaiting a decision."))
    if step_id is not None and step.pk != step_id:
        other = cr.steps.filter(pk=step_id).first()
        if other is None:
            raise DomainError(_("This step is not a step of this change request."),
                              field="step")
        if other.is_decided or other.status == StepStatus.CANCELLED:
            raise Stale(
                _("This step has already been decided (%(status)s) by someone else: "
                  "reload the page to see the request as it is now.")
                % {"status": other.get_status_display()}
            )
    if version is not None and version != cr.version:
        raise Stale(
            _("The change request changed after you opened it: reload the page and decide "
              "on what it holds now.")
        )
    return step


def _decider(actor, cr: ChangeRequest, step: ReviewStep, *, step_id: int | None) -> Decider:
    """Who `actor` is for `step`, or a ReviewRefused naming why they may not decide."""
    if actor is SYSTEM or actor is None or not getattr(actor, "is_authenticated", False):
        raise ReviewRefused(_("A review decision is taken by a person with an account."),
                            event="out_of_scope")
    if actor.person_id is not None and actor.person_id == cr.person_id:
        raise ReviewRefused(_("Nobody reviews or approves changes to their own file."),
                            event="own_file")
    if actor.pk in (cr.created_by_id, cr.submitted_by_id):
        raise ReviewRefused(
            _("You made or submitted this change: another person reviews it."),
            event="own_change",
        )
    waiting = step_id is not None and step_id != step.pk
    authority = None if waiting else role_authority(actor, step.role, step.unit)
    if authority is None:
        raise _why_not(actor, cr, step)
    decider = Decider(actor, authority)
    if authority.delegation_id is not None:
        if not step.delegable:
            raise ReviewRefused(
                _("The province's rules do not let this step (%(step)s) be delegated: its "
                  "holder decides it.") % {"step": step.label_display()},
                event="not_delegable",
            )
        from hoso.accounts.models import User

        delegator = User.objects.filter(pk=authority.delegator_id).first()
        if delegator is not None and (
            delegator.person_id == cr.person_id
            or delegator.pk in (cr.created_by_id, cr.submitted_by_id)
        ):
            raise ReviewRefused(
                _("The person who delegated this step to you may not decide on this "
                  "change (it is their own file or their own change), so neither may you."),
                event="own_file",
            )
    return decider


def _why_not(actor, cr: ChangeRequest, step: ReviewStep) -> ReviewRefused:
    """The refusal of someone without authority on the active step: out of turn (they
    hold a later step), an expired delegation, or out of scope."""
    for later in cr.steps.select_related("unit").filter(
        round=step.round, status=StepStatus.WAITING
    ):
        if role_authority(actor, later.role, later.unit) is not None:
            return ReviewRefused(
                _("It is not your turn yet: step %(n)d of %(total)d (%(step)s) awaits the "
                  "decision of the %(role)s first.") % {
                    "n": step.number, "total": cr.steps_total, "step": step.label_display(),
                    "role": _role_label(step.role).lower(),
                },
                event="out_of_turn",
            )
    from hoso.accounts.selectors import lapsed_delegation

    lapsed = lapsed_delegation(user=actor, role=step.role, unit=step.unit)
    if lapsed is not None:
        if lapsed.revoked_at is not None:
            text = _("Your delegation no. %(number)s for this step was revoked on %(date)s: "
                     "you may no longer decide it.") % {
                "number": lapsed.decision_number,
                "date": timezone.localtime(lapsed.revoked_at).strftime("%d/%m/%Y"),
            }
        else:
            text = _("Your delegation no. %(number)s for this step ended on %(date)s: you may "
                     "no longer decide it.") % {
                "number": lapsed.decision_number, "date": lapsed.valid_to.strftime("%d/%m/%Y"),
            }
        return ReviewRefused(text, event="expired_delegation")
    return ReviewRefused(
        _("This step (%(step)s) is decided by the %(role)s of %(unit)s or their delegate; "
          "you are neither.") % {
            "step": step.label_display(), "role": _role_label(step.role).lower(),
            "unit": step.unit.name,
        },
        event="out_of_scope",
    )


def _audit_refusal(cr: ChangeRequest, step: ReviewStep | None, what: str, event: str,
                   **detail) -> None:
    log_access(
        action="denied", obj=cr, outcome=event[:20],
        detail={
            "what": f"review.{what}",
            "round": step.round if step else None,
            "step": step.number if step else None,
            "role": step.role if step else None,
            "unit": step.unit.code if step else None,
            **detail,
        },
    )


def _lock(cr: ChangeRequest) -> ChangeRequest:
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("person", "person__unit")
        .get(pk=cr.pk)
    )


def _text(value: str, field: str, *, required: bool = False, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(message, field=field)
    if len(value) > MAX_TEXT:
        raise DomainError(_("At most %(limit)s characters.") % {"limit": MAX_TEXT}, field=field)
    return value


def _record(step: ReviewStep, decider: Decider, status: str, *, now, comment: str = "",
            reasons: Mapping[str, str] | None = None, save: bool = True) -> None:
    step.status = status
    step.decided_at = now
    step.decided_by = decider.user
    step.on_behalf_of_id = decider.on_behalf_of_id
    step.delegation_id = decider.delegation_id
    step.comment = comment
    step.field_reasons = dict(reasons or {})
    step.document_hash = step.change_request.document_hash
    if save:
        step.save()


def _close_round(cr: ChangeRequest, step: ReviewStep) -> None:
    """The steps after `step` in its round will not be reached."""
    for later in cr.steps.filter(round=step.round, status=StepStatus.WAITING):
        later.status = StepStatus.CANCELLED
        later.save()


# --- signing ---------------------------------------------------------------------------


def _open_key(actor, *, secret: str | None, signer):
    """The approver's key, opened before the transaction (a wrong PIN, or a remote
    signing service waiting for the holder's confirmation, holds no lock): `signer` if
    given (an already opened key), else the one configured for the user
    (`signing.selectors.signer_for`), opened with `secret`. Whether its certificate may
    sign (it names the approver, chains to a trusted root, is valid and not revoked) is
    checked once, by `signing.services.sign_and_store`, inside the transaction: a
    refusal there rolls everything back."""
    if signer is not None:
        return signer, False
    from hoso.signing.backends import open_signer
    from hoso.signing.selectors import signer_for

    person = getattr(actor, "person", None)
    opened = open_signer(signer_for(user=actor), secret=secret,
                         description=_("Approval of a personnel file"),
                         remote_user=person.id_number if person is not None else "")
    return opened, True


def _certificate_event(exc: DomainError) -> str | None:
    """The security event of a refused key: a revoked certificate, or another one that
    may not sign (expired, untrusted) or that names someone else."""
    if exc.code == "certificate":
        from pyhanko_certvalidator import errors as cv_errors

        if isinstance(exc.__cause__, cv_errors.RevokedError):
            return "revoked_certificate"
        return "bad_certificate"
    if exc.code == "wrong_holder":
        return "wrong_certificate"
    return None


def decision_payload(step: ReviewStep) -> dict:
    """What a signed review decision covers (registered as the signing subject
    "workflow.reviewstep"): the decision and the exact document it was taken on."""
    cr = step.change_request
    return {
        "kind": "hoso.review_decision",
        "change_request": cr.pk,
        "person": cr.person_id,
        "document_hash": step.document_hash,
        "round": step.round,
        "step": step.number,
        "key": step.key,
        "role": step.role,
        "unit": step.unit_id,
        "decision": step.status,
        "decided_by": step.decided_by_id,
        "on_behalf_of": step.on_behalf_of_id,
        "delegation": step.delegation_id,
        "decided_at": step.decided_at,
        "comment": step.comment,
    }


# --- the decisions ---------------------------------------------------------------------


def _refusable(what: str, cr: ChangeRequest, work):
    """Run `work` (the decision) in one transaction; a security refusal is audited
    after the rollback, so that its row stays."""
    try:
        with transaction.atomic():
            return work()
    except ReviewRefused as exc:
        _audit_refusal(cr, getattr(exc, "step", None), what, exc.event)
        raise


def _prepare(actor, cr: ChangeRequest, *, step_id, version,
             expected: int | None) -> tuple[ReviewStep, Decider]:
    """Under the lock: the request is still in review at the step the decider saw
    (`expected`, read before the lock; or the step they named), then who decides."""
    step = _check_state(cr, step_id=step_id, version=version)
    if expected is not None and step.pk != expected:
        raise Stale(_("Another decision was taken on this request meanwhile: reload the page "
                      "and decide on what it holds now."))
    try:
        decider = _decider(actor, cr, step, step_id=step_id)
    except ReviewRefused as exc:
        exc.step = step
        raise
    return step, decider


def _expected(cr: ChangeRequest) -> int | None:
    """The active step as read before the lock (the one the decider is deciding)."""
    step = _active(cr)
    return step.pk if step is not None else None


def approve(
    *, actor, change_request: ChangeRequest, step: int | None = None,
    version: int | None = None, comment: str = "", secret: str | None = None, signer=None,
) -> ChangeRequest:
    """Approve the request's active step. The next step becomes active with its due
    date; the final approval writes and signs the new revision and closes the request.

    `step` (the id of the step decided) and `version` (of the request) are what the
    decider saw: a decision on anything else is refused (`Stale`). `secret` opens the
    approver's configured key (a PKCS#12 passphrase, a token PIN); `signer`, an already
    opened key, is used instead when given."""
    comment = _text(comment, "comment")
    # Who decides is checked before the key is opened (nobody is asked for a PIN to be
    # refused), then again under the lock with everything else.
    cr = ChangeRequest.objects.select_related("person", "person__unit").get(pk=change_request.pk)
    pre = _check_state(cr, step_id=step, version=version)

    def precheck():
        try:
            _decider(actor, cr, pre, step_id=step)
        except ReviewRefused as exc:
            exc.step = pre
            raise

    _refusable("approve", cr, precheck)
    # The window is checked before the key is asked for; again under the lock.
    from hoso.core.policy import get_policy

    from .routing import window_refusal

    refusal = window_refusal(pre, get_policy(cr.policy or None), today=timezone.localdate())
    if refusal:
        raise DomainError(refusal, code="outside_window")
    opened, own = None, False
    if pre.signs:
        opened, own = _open_key(actor, secret=secret, signer=signer)
    try:
        return _refusable("approve", cr, lambda: _approve_locked(
            actor, cr, step_id=step, version=version, comment=comment, signer=opened,
            expected=pre,
        ))
    except DomainError as exc:
        event = _certificate_event(exc)
        if event:  # a certificate that may not sign: nothing was written; audited
            _audit_refusal(cr, pre, "approve", event)
        raise
    finally:
        if own and opened is not None:
            opened.close()


def _approve_locked(actor, cr, *, step_id, version, comment, signer, expected) -> ChangeRequest:
    from hoso.core.policy import get_policy

    from .routing import activate, window_refusal

    cr = _lock(cr)
    step, decider = _prepare(actor, cr, step_id=step_id, version=version, expected=expected.pk)
    now = timezone.now()
    policy = get_policy(cr.policy or None)
    refusal = window_refusal(step, policy, today=timezone.localdate(now))
    if refusal:
        raise DomainError(refusal, code="outside_window")
    if step.signs and signer is None:
        raise DomainError(_("This step is approved with a digital signature: open your "
                            "signing key."), field="secret")
    if step.final:
        _apply(actor, cr, step, decider, now=now, comment=comment, signer=signer)
        return cr
    if step.signs:  # the decision is signed as recorded, then saved once with it
        _record(step, decider, StepStatus.APPROVED, now=now, comment=comment, save=False)
        step.signature = _sign_decision(actor, step, signer)
    _record(step, decider, StepStatus.APPROVED, now=now, comment=comment)
    following = cr.steps.get(round=step.round, number=step.number + 1)
    activate(cr, following, at=now, policy=policy)
    cr.save()
    return cr


def _sign_decision(actor, step: ReviewStep, signer):
    from hoso.signing.models import Purpose
    from hoso.signing.services import sign_and_store

    return sign_and_store(
        actor=actor, purpose=Purpose.REVIEW, subject=step, signer=signer,
        reference=f"CR-{step.change_request_id}/{step.round}.{step.number}",
    )


def _write_revision(actor, cr: ChangeRequest, decider: Decider, *, now):
    """The final approval's revision (validated by the schema, sealed, hashed, chained,
    projected, audited), refused if the file changed since the request was made."""
    from hoso.records.models import Person, Revision
    from hoso.records.services import revision_create

    # The person's row first (revision_create locks it too): a revision written
    # meanwhile by anything else (an import) is either seen here, or waits for us.
    Person.objects.select_for_update().filter(pk=cr.person_id).first()
    newest = Revision.objects.filter(person=cr.person).order_by("-number").first()
    if (newest.pk if newest else None) != cr.base_revision_id:
        raise Stale(
            _("The approved file changed after this request was made (revision %(n)d): "
              "approving it would undo that change. Return it to the person, whose "
              "resubmission brings it up to date.") % {"n": newest.number if newest else 0},
            code="stale_base",
        )
    return revision_create(
        actor=actor, person=cr.person, document=cr.document,
        reason=_reason(cr, decider), approved_by=actor, change_request=cr,
        evidence_ids=list(cr.active_evidence().values_list("pk", flat=True)),
        approved_at=now,
    )


def _close(cr: ChangeRequest, step: ReviewStep, decider: Decider, revision, signature, *,
           now, comment) -> None:
    step.signature = signature
    _record(step, decider, StepStatus.APPROVED, now=now, comment=comment)
    cr.status = Status.APPROVED
    cr.decided_at = now
    cr.revision = revision
    cr.current_step = None
    cr.save()


def _apply(actor, cr: ChangeRequest, step: ReviewStep, decider: Decider, *, now, comment,
           signer) -> None:
    """The final approval: the revision, its signature, the request closed — one
    transaction (the caller's)."""
    from hoso.signing.models import Purpose
    from hoso.signing.services import sign_and_store

    revision = _write_revision(actor, cr, decider, now=now)
    signature = sign_and_store(
        actor=actor, purpose=Purpose.REVISION, subject=revision, signer=signer,
        reference=f"CR-{cr.pk}",
    )
    _close(cr, step, decider, revision, signature, now=now, comment=comment)


def approve_many(
    *, actor, change_requests, comment: str = "", secret: str | None = None, signer=None,
) -> list[ChangeRequest]:
    """Give the final approval of many requests as one act, with one signature session:
    what a head of unit does in the month's approval window (Vĩnh Phúc Đ8.1, Quảng Nam
    Đ5.1, Lai Châu 2.3). Each request is checked as `approve` checks it (its last step
    active and the actor's to decide, the window open, the file unchanged since); each
    gets its revision, each revision its own signature, made in one batch with the key
    opened and its certificate checked once. All or nothing: a request that may not be
    approved refuses the whole act, naming it, and nothing is written."""
    from hoso.core.policy import get_policy
    from hoso.signing.models import Purpose
    from hoso.signing.services import SignItem, sign_batch_and_store

    from .routing import window_refusal

    comment = _text(comment, "comment")
    pks = sorted({int(getattr(cr, "pk", cr)) for cr in change_requests})  # lock order
    if not pks:
        raise DomainError(_("Choose at least one change request."), field="change_requests")
    crs = list(ChangeRequest.objects.filter(pk__in=pks).select_related("person")
               .order_by("pk"))
    missing = sorted(set(pks) - {cr.pk for cr in crs})
    if missing:
        raise DomainError(_("No such change request: no. %(n)s.") % {"n": missing[0]},
                          field="change_requests")

    def check(cr, step):
        if not step.final:
            raise DomainError(
                _("it is at step %(step)d of %(total)d, and only final approvals are given "
                  "together.") % {"step": step.number, "total": cr.steps_total},
                field="change_requests")

    def named(exc: DomainError, cr) -> None:
        if exc.code not in ("certificate", "wrong_holder"):
            exc.message = _("Change request no. %(n)d: %(reason)s") % {
                "n": cr.pk, "reason": exc.message}

    # Who decides each, before the key is opened (then again under the locks, on the
    # step seen here).
    expected = {}
    for cr in crs:
        def precheck(cr=cr):
            step, _decider_ = _prepare(actor, cr, step_id=None, version=None, expected=None)
            check(cr, step)
            expected[cr.pk] = step.pk

        try:
            _refusable("approve_many", cr, precheck)
        except DomainError as exc:
            named(exc, cr)
            raise
    opened, own = _open_key(actor, secret=secret, signer=signer)
    current = {"cr": None, "step": None}

    def work():
        now = timezone.now()
        done = []
        for pk in pks:
            cr = _lock(ChangeRequest(pk=pk))
            current["cr"], current["step"] = cr, None
            step, decider = _prepare(actor, cr, step_id=None, version=None,
                                     expected=expected[pk])
            current["step"] = step
            check(cr, step)
            refusal = window_refusal(step, get_policy(cr.policy or None),
                                     today=timezone.localdate(now))
            if refusal:
                raise DomainError(refusal, code="outside_window")
            done.append((cr, step, decider, _write_revision(actor, cr, decider, now=now)))
        signatures = sign_batch_and_store(
            actor=actor, purpose=Purpose.REVISION, signer=opened,
            items=[SignItem(subject=rev, reference=f"CR-{cr.pk}") for cr, _s, _d, rev in done],
        )
        for (cr, step, decider, revision), signature in zip(done, signatures, strict=True):
            _close(cr, step, decider, revision, signature, now=now, comment=comment)
        return [cr for cr, _s, _d, _r in done]

    try:
        with transaction.atomic():
            return work()
    except DomainError as exc:
        cr, step = current["cr"], getattr(exc, "step", None) or current["step"]
        event = exc.event if isinstance(exc, ReviewRefused) else _certificate_event(exc)
        if event and cr is not None:
            _audit_refusal(cr, step, "approve_many", event)
        if cr is not None:
            named(exc, cr)
        raise
    finally:
        if own and opened is not None:
            opened.close()


def _reason(cr: ChangeRequest, decider: Decider) -> str:
    """The revision's reason (kept in its hash and its audit row, so no names): which
    request, and the delegation it was approved under."""
    if decider.delegation_id is not None:
        from hoso.accounts.models import Delegation

        number = Delegation.objects.filter(pk=decider.delegation_id).values_list(
            "decision_number", flat=True
        ).first()
        return _("Change request no. %(n)d, approved under delegation no. %(decision)s") % {
            "n": cr.pk, "decision": number,
        }
    return _("Change request no. %(n)d") % {"n": cr.pk}


def return_for_correction(
    *, actor, change_request: ChangeRequest, field_reasons: Mapping[str, str],
    comment: str = "", step: int | None = None, version: int | None = None,
) -> ChangeRequest:
    """Return the request to the person with a reason per field (at least one): they
    correct it and resubmit it, which starts a new round; this round is kept."""
    comment = _text(comment, "comment")
    reasons = _field_reasons(change_request, field_reasons)
    expected = _expected(change_request)

    def work():
        cr = _lock(change_request)
        active, decider = _prepare(actor, cr, step_id=step, version=version,
                                   expected=expected)
        now = timezone.now()
        _record(active, decider, StepStatus.RETURNED, now=now, comment=comment,
                reasons=reasons)
        _close_round(cr, active)
        cr.status = Status.RETURNED
        cr.current_step = None
        cr.save()
        return cr

    return _refusable("return", change_request, work)


def _field_reasons(cr: ChangeRequest, reasons: Mapping[str, str] | None) -> dict[str, str]:
    """{field path: reason}, each path a field of the form (a table's row or cell:
    "training.2", "training.2.to") or "evidence"; every reason said in words."""
    from hoso.records.schema import get_schema

    if not isinstance(reasons, Mapping):
        raise DomainError(_("Give the reasons as pairs of a field and what is wrong with it."),
                          field="field_reasons")
    schema = get_schema(cr.category)
    out: dict[str, str] = {}
    for path, reason in reasons.items():
        path = str(path).strip()
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            continue
        top = path.split(".", 1)[0]
        if path != "evidence" and top not in schema:
            raise DomainError(
                _("“%(path)s” is not a field of the form: name the field whose value is "
                  "wrong (or “evidence” for the scanned documents).") % {"path": path},
                field="field_reasons",
            )
        if len(reason) > MAX_TEXT:
            raise DomainError(_("At most %(limit)s characters.") % {"limit": MAX_TEXT},
                              field="field_reasons")
        out[path] = reason
    if not out:
        raise DomainError(
            _("Say what must be corrected: give a reason for at least one field."),
            field="field_reasons",
        )
    return out


def reject(
    *, actor, change_request: ChangeRequest, reason: str, step: int | None = None,
    version: int | None = None,
) -> ChangeRequest:
    """Reject the request (it is closed, kept, and the file does not change); the reason
    is required."""
    reason = _text(reason, "reason", required=True,
                   message=_("Give the reason for rejecting the change."))
    expected = _expected(change_request)

    def work():
        cr = _lock(change_request)
        active, decider = _prepare(actor, cr, step_id=step, version=version,
                                   expected=expected)
        now = timezone.now()
        _record(active, decider, StepStatus.REJECTED, now=now, comment=reason)
        _close_round(cr, active)
        cr.status = Status.REJECTED
        cr.decided_at = now
        cr.current_step = None
        cr.save()
        return cr

    return _refusable("reject", change_request, work)
