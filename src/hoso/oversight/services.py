"""Writes of the province batch: gathering the approved revisions, and signing.

Vĩnh Phúc Đ8.2, Đ12.4, Đ13 (Sở Nội vụ signs the province's data before it is
synchronised with the national database); Cần Thơ 641/QĐ-UBND Đ5.3 and Lâm Đồng Đ7.4
("trong vòng 05 ngày cuối của từng tháng"); Lai Châu 2.3 (the last 5 working days);
Quảng Nam Đ5.3 (the Director of Sở Nội vụ "hoặc ủy quyền cho cá nhân có thẩm quyền").
Who may is the permission path's `province.approve` (the province approver and the
province administrator; a delegate holds it through a delegation or a role granted by
the authorising decision). When is the policy's province window (`core.policy`).

`batch_prepare` adds to the province's open batch every approved revision that no batch
holds yet, in one INSERT … SELECT (a month of a province: tens of thousands of rows).
`batch_sign` signs the batch as one act, in two phases so that the signing device —
which may wait for a confirmation on the signer's phone — never holds the database:

1. `sign_manifest` (no writes): the window, the batch as the approver saw it (its
   `version`), the certificate (it names the approver, chains to a trusted root, is
   valid and not revoked), then one detached CMS signature over the manifest's
   canonical JSON (`manifest.manifest_of`);
2. `commit_signature` (one transaction): the batch row locked, still open and still
   the version that was signed — else the signature is thrown away and nothing is
   stored — then the signature row, and the batch marked signed.

Two approvers signing at once therefore give one signed batch; the second is told who
signed it. Every refusal leaves an access row (a security event) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hoso.accounts.permissions import SYSTEM, as_user, can
from hoso.accounts.roles import Action
from hoso.audit.services import log_access
from hoso.core.errors import DomainError, PermissionDenied

from .manifest import manifest_bytes, manifest_of
from .models import BatchStatus, ProvinceBatch, ProvinceBatchItem

SIGNING_DESCRIPTION = "hoso: monthly approval of the province's data"


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def require_province_approver(actor) -> None:
    if not can(actor, Action.PROVINCE_APPROVE):
        raise PermissionDenied(
            _("Only the Department of Home Affairs' approvers sign the province's data.")
        )


def province_root(actor):
    """The province (root unit) whose data `actor` approves: the root their
    `province.approve` scope covers; for the system, the tree's first root."""
    from hoso.accounts.permissions import scopes_of
    from hoso.org.models import OrgUnit

    if actor is SYSTEM:
        root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    else:
        scopes = scopes_of(actor).by_action.get(Action.PROVINCE_APPROVE, [])
        ids = [s.unit_id for s in scopes if s.subtree and s.path.count(".") == 1]
        root = OrgUnit.objects.filter(pk__in=ids).order_by("pk").first()
    if root is None:
        raise PermissionDenied(
            _("Only the Department of Home Affairs' approvers sign the province's data.")
        )
    return root


# --- the window ----------------------------------------------------------------------


@dataclass(frozen=True)
class WindowState:
    """Where `today` stands against the province's signing window."""

    today: dt.date
    policy: str
    description: str  # "the last 5 days of each month" ("" without a window)
    first: dt.date | None  # the window of today's month, or the next one once it is past
    last: dt.date | None

    @property
    def has_window(self) -> bool:
        return self.first is not None

    @property
    def open(self) -> bool:
        return not self.has_window or self.first <= self.today <= self.last

    @property
    def year(self) -> int:
        return (self.last or self.today).year

    @property
    def month(self) -> int:
        return (self.last or self.today).month


def window_state(today: dt.date | None = None) -> WindowState:
    """The province window (policy `windows.province`) of today's month — or of the
    next month when today is past it (a month whose last working days are over)."""
    from hoso.core.policy import get_policy

    policy = get_policy()
    today = today or timezone.localdate()
    window = policy.province_window
    if window is None:
        return WindowState(today, policy.code, "", None, None)
    end = window.next_end(today, province=policy.code)
    first, last = window.bounds(end.year, end.month, province=policy.code)
    return WindowState(today, policy.code, window.describe(), first, last)


def require_window(today: dt.date | None = None) -> WindowState:
    state = window_state(today)
    if not state.open:
        raise DomainError(
            _("The province's data is signed only within %(window)s, next from %(first)s "
              "to %(last)s. Today is %(today)s; nothing was signed.")
            % {"window": state.description, "first": _d(state.first), "last": _d(state.last),
               "today": _d(state.today)},
            code="outside_window",
        )
    return state


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _target_period(root, state: WindowState) -> tuple[int, int]:
    """The month an open batch is for: the current (or next) window's, or the month
    after when that window's batch is already signed."""
    year, month = state.year, state.month
    while ProvinceBatch.objects.filter(province_unit=root, year=year, month=month,
                                       status=BatchStatus.SIGNED).exists():
        year, month = _next_month(year, month)
    return year, month


# --- preparing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    batch: ProvinceBatch
    added: int


def _open_batch(root, actor, state: WindowState) -> ProvinceBatch:
    """The province's open batch, locked; made when there is none."""
    from hoso.core.policy import get_policy

    batch = (ProvinceBatch.objects.select_for_update()
             .filter(province_unit=root, status=BatchStatus.OPEN).first())
    if batch is not None:
        return batch
    year, month = _target_period(root, state)
    try:
        with transaction.atomic():
            return ProvinceBatch.objects.create(
                province_unit=root, province_unit_code=root.code, policy=get_policy().code,
                year=year, month=month, prepared_by=as_user(actor),
            )
    except IntegrityError:
        # someone else opened it at the same moment (PostgreSQL; SQLite serialises)
        return ProvinceBatch.objects.select_for_update().get(
            province_unit=root, status=BatchStatus.OPEN)


def _add_pending(batch: ProvinceBatch, root) -> int:
    """INSERT … SELECT every revision of the province that no batch holds yet (the page
    lists them in this order, the order of approval; sorting them by unit and name
    here would double the cost). The revision's one-to-one key on the items keeps it
    out of every other batch."""
    from hoso.org.models import OrgUnit
    from hoso.records.models import Person, Revision

    q = connection.ops.quote_name
    item, rev, person, unit = (m._meta.db_table for m in
                               (ProvinceBatchItem, Revision, Person, OrgUnit))
    sql = (
        # table names from the models' meta; every value is a parameter
        f"INSERT INTO {q(item)} (batch_id, revision_id, person_id, unit_id, unit_code, "  # noqa: S608
        f"id_number_hash) "
        f"SELECT %s, r.id, r.person_id, p.unit_id, u.code, p.id_number_hash "
        f"FROM {q(rev)} r JOIN {q(person)} p ON p.id = r.person_id "
        f"JOIN {q(unit)} u ON u.id = p.unit_id "
        f"WHERE u.path LIKE %s AND NOT EXISTS "
        f"(SELECT 1 FROM {q(item)} i WHERE i.revision_id = r.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.pk, root.path + "%"])
        return max(cursor.rowcount, 0)


def batch_prepare(*, actor) -> Prepared:
    """Open the province's batch (or take the open one) and add every approved revision
    since the last signed batch. Allowed before the window too: gathering is not
    signing."""
    require_province_approver(actor)
    root = province_root(actor)
    state = window_state()
    with transaction.atomic():
        batch = _open_batch(root, actor, state)
        added = _add_pending(batch, root)
        year, month = _target_period(root, state)
        if added or (batch.year, batch.month) != (year, month):
            batch.item_count += added
            batch.version += 1 if added else 0
            batch.year, batch.month = year, month
            batch.prepared_at, batch.prepared_by = timezone.now(), as_user(actor)
            batch.save()  # its change row: the new count and version
    return Prepared(batch, added)


# --- signing -------------------------------------------------------------------------


@dataclass
class SignedManifest:
    """Phase 1's result: the manifest signed for one version of one batch."""

    batch_id: int
    version: int
    year: int
    month: int
    data: bytes
    cms: bytes
    opened: object  # signing.backends.OpenSigner (closed)
    when: dt.datetime


def _batch_for_signing(batch_id: int) -> ProvinceBatch:
    batch = ProvinceBatch.objects.select_related("signed_by").filter(pk=batch_id).first()
    if batch is None:
        raise DomainError(_("There is no such batch."), code="not_found")
    _refuse_signed(batch)
    return batch


def _refuse_signed(batch: ProvinceBatch) -> None:
    if batch.is_signed:
        who = batch.signed_by.full_name if batch.signed_by else _("the system")
        raise DomainError(
            _("This batch was already signed by %(who)s on %(when)s; nothing was signed "
              "again.") % {"who": who,
                           "when": date_format(timezone.localtime(batch.signed_at),
                                               "d/m/Y H:i")},
            code="already_signed",
        )


def _refuse_changed(batch: ProvinceBatch, version: int) -> None:
    if batch.version != version:
        raise DomainError(
            _("The batch changed since you opened it (it now holds %(n)d approvals): look "
              "at it again before signing; nothing was signed.") % {"n": batch.item_count},
            code="stale",
        )


def sign_manifest(*, actor, batch_id: int, version: int, secret: str | None = None,
                  signer=None) -> SignedManifest:
    """Phase 1: check, then sign the manifest of batch `batch_id` as it is at `version`.
    Writes nothing. `signer` (an OpenSigner) replaces the configured one (tests, the
    command line); it is checked all the same."""
    from hoso.signing.data import sign_many
    from hoso.signing.pdf_services import open_checked
    from hoso.signing.selectors import signer_for
    from hoso.signing.services import check_identity
    from hoso.signing.trust import check_signing_certificate

    require_province_approver(actor)
    state = require_window()
    batch = _batch_for_signing(batch_id)
    if batch.province_unit_id != province_root(actor).pk:
        raise PermissionDenied(_("This batch is another province's."))
    _refuse_changed(batch, version)
    if batch.item_count == 0:
        raise DomainError(_("The batch holds no approval: there is nothing to sign."),
                          code="empty")
    data = manifest_bytes(manifest_of(batch, year=state.today.year, month=state.today.month))
    own = signer is None
    opened = signer
    if own:
        opened = open_checked(actor=actor, spec=signer_for(user=None if actor is SYSTEM
                                                           else actor),
                              secret=secret, description=SIGNING_DESCRIPTION)
    try:
        if not own:
            check_identity(opened, actor=actor)
            check_signing_certificate(opened.asn1_certificate, opened.chain)
        when = dt.datetime.now(dt.UTC).replace(microsecond=0)
        cms = sign_many(opened, [data], when=when)[0]
    finally:
        if own:
            opened.close()
    return SignedManifest(batch.pk, version, state.today.year, state.today.month, data, cms,
                          opened, when)


@transaction.atomic
def commit_signature(*, actor, signed: SignedManifest) -> ProvinceBatch:
    """Phase 2: keep the signature and mark the batch signed — only if it is still the
    open batch, at the version that was signed, and its month has no signed batch."""
    from hoso.signing.models import Purpose
    from hoso.signing.services import SignItem, _store

    batch = ProvinceBatch.objects.select_for_update().get(pk=signed.batch_id)
    _refuse_signed(batch)
    _refuse_changed(batch, signed.version)
    if ProvinceBatch.objects.filter(province_unit_id=batch.province_unit_id,
                                    year=signed.year, month=signed.month,
                                    status=BatchStatus.SIGNED).exists():
        raise DomainError(
            _("The province's data for %(period)s is already signed; nothing was signed "
              "again.") % {"period": f"{signed.month:02d}/{signed.year}"},
            code="already_signed",
        )
    # Items are added only under this lock, each time with a new version: the same
    # version is the same items, so the signed bytes are still the batch's manifest.
    batch.year, batch.month = signed.year, signed.month
    (signature,) = _store(
        actor=actor, purpose=Purpose.PROVINCE_APPROVAL,
        items=[SignItem(subject=batch,
                        reference=f"province-batch:{batch.province_unit_code}:{batch.period}")],
        payloads=[signed.data], cms_list=[signed.cms], opened=signed.opened,
        when=signed.when, on_behalf_of=None,
    )
    batch.status = BatchStatus.SIGNED
    batch.manifest_hash = hashlib.sha256(signed.data).hexdigest()
    batch.signature = signature
    batch.signed_by = as_user(actor)
    batch.signed_at = signed.when
    batch.save()  # its change row: signed, by whom, the manifest hash
    return batch


def batch_sign(*, actor, batch_id: int, version: int, secret: str | None = None,
               signer=None) -> ProvinceBatch:
    """Sign the province's batch `batch_id` as `actor` saw it (`version`), as one act."""
    try:
        signed = sign_manifest(actor=actor, batch_id=batch_id, version=version,
                               secret=secret, signer=signer)
        return commit_signature(actor=actor, signed=signed)
    except DomainError as exc:
        # a refused signature is a security event: who tried, on what, why
        log_access(action="denied", outcome="province_sign",
                   detail={"batch": batch_id, "version": version, "code": exc.code})
        raise
