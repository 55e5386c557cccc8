"""Reads of the province batch: the open batch with its counts per unit and its items
a page at a time, the signed batches, and the signed package the national exchange
sends.

Only those who approve the province's data (`province.approve`, asked of the
permission path) read batches. Counts carry no personal data and leave no access row;
a page of items shows people's names, so it leaves one access row per person on it
(`records.selectors.log_list_access`). A batch of 50,000 items opens with three small
queries: the batch, one GROUP BY over its (batch, unit) index, and one page of items
by primary key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from hoso.audit.services import log_access
from hoso.core.errors import DomainError, NotFound

from .manifest import manifest_bytes, manifest_of
from .models import BatchStatus, ProvinceBatch, ProvinceBatchItem
from .services import WindowState, province_root, require_province_approver, window_state

PAGE_SIZE = 50


@dataclass(frozen=True)
class UnitCount:
    unit: object  # agencies.Unit
    count: int  # items of the unit's sub-tree (of the unit alone, for the row of `within`)
    has_below: bool = False  # units under it hold items: it opens one level further
    own: bool = False  # the row of the opened unit's own items


@dataclass
class BatchView:
    """What the batch page shows."""

    batch: ProvinceBatch | None
    window: WindowState
    counts: list[UnitCount] = field(default_factory=list)
    page: object = None  # a Page of items (revision, person and unit selected)
    within: object = None  # the sub-tree opened (an OrgUnit), or None: the province
    ancestors: list = field(default_factory=list)  # its ancestors in the province
    pending: int = 0  # approvals no batch holds yet

    @property
    def may_sign(self) -> bool:
        return (self.batch is not None and not self.batch.is_signed
                and self.batch.item_count > 0 and self.window.open)


class _KnownCountPaginator(Paginator):
    """The batch keeps its item count: no COUNT(*) over 50,000 rows per page."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:
        return self._known


def _batches(user) -> QuerySet[ProvinceBatch]:
    require_province_approver(user)
    return ProvinceBatch.objects.filter(province_unit=province_root(user))


def pending_count(*, user) -> int:
    """Approved revisions of the province that no batch holds yet."""
    from hoso.records.models import Revision

    root = province_root(user)
    held = ProvinceBatchItem.objects.filter(revision_id=OuterRef("pk"))
    return (Revision.objects.filter(person__unit__path__startswith=root.path)
            .filter(~Exists(held)).count())


def batch_get(*, user, pk: int) -> ProvinceBatch:
    batch = _batches(user).select_related("signed_by", "signature", "prepared_by",
                                          "province_unit").filter(
        pk=pk).first()
    if batch is None:
        raise NotFound(_("There is no such batch."))
    return batch


def batch_open(*, user) -> ProvinceBatch | None:
    return (_batches(user).filter(status=BatchStatus.OPEN)
            .select_related("prepared_by", "province_unit").first())


def _segments(path: str) -> list[int]:
    return [int(seg, 16) for seg in path.split(".") if seg]


def counts_by_unit(batch: ProvinceBatch, *, within=None) -> list[UnitCount]:
    """Items per sub-tree, one level below `within` (default: the province): the unit's
    own items first, then each unit directly under it with everything below it. One
    GROUP BY over the (batch, unit) index, then only the units that hold items and
    their ancestors are read; a province's 500 agencies never make one long table — the
    approver opens the sub-tree they want."""
    from .agencies import _units

    per_unit = dict(
        ProvinceBatchItem.objects.filter(batch_id=batch.pk).order_by()
        .values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    base = within.pk if within is not None else batch.province_unit_id
    units = _units({*per_unit, base})
    above = {seg for u in units.values() for seg in _segments(u.path)[:-1]}
    units.update(_units(above - set(units)))
    base_path = units[base].path
    depth = len(_segments(base_path))
    totals: dict[int, int] = {}
    for unit_id, n in per_unit.items():
        unit = units.get(unit_id)
        if unit is None or not unit.path.startswith(base_path):
            continue
        segs = _segments(unit.path)
        key = base if len(segs) == depth else segs[depth]
        totals[key] = totals.get(key, 0) + n
    rows = [UnitCount(units[k], n, has_below=k != base and k in above, own=k == base)
            for k, n in totals.items()]
    rows.sort(key=lambda c: (c.unit.pk != base, c.unit.path))
    return rows


def items_page(*, user, batch: ProvinceBatch, page=1, within=None):
    """One page of the batch's items (those of `within`'s sub-tree, if given), with an
    access row per person shown. The page's ids are read first from the (batch, id)
    index alone, then those 50 rows with their revision, person and unit: a deep page
    skips index entries, not joined rows."""
    from hoso.records.selectors import log_list_access

    ids = ProvinceBatchItem.objects.filter(batch_id=batch.pk).order_by("pk")
    count = batch.item_count
    if within is not None and within.pk != batch.province_unit_id:
        ids = ids.filter(unit__path__startswith=within.path)
        count = ids.count()
    paginator = _KnownCountPaginator(ids.values_list("pk", flat=True), PAGE_SIZE, count=count)
    shown = paginator.get_page(page)
    shown.object_list = list(
        ProvinceBatchItem.objects.filter(pk__in=list(shown.object_list))
        .select_related("revision", "person", "unit")
        .defer("revision__public", "revision__sealed", "person__id_number")
        .order_by("pk")
    )
    log_list_access(user=user, people=[i.person for i in shown.object_list],
                    detail={"what": "province_batch", "batch": batch.pk, "page": shown.number})
    return shown


def _within(batch: ProvinceBatch, unit_id: int | None):
    """The sub-tree asked for, if it is in the batch's province."""
    from hoso.org.models import OrgUnit

    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not unit.path.startswith(batch.province_unit.path):
        return None
    return unit


def batch_view(*, user, pk: int | None = None, page=1, unit_id: int | None = None
               ) -> BatchView:
    """The open batch (or batch `pk`): counts per sub-tree (of `unit_id`, if given), a
    page of items, and how many approvals wait for the next preparation."""
    batch = batch_get(user=user, pk=pk) if pk is not None else batch_open(user=user)
    view = BatchView(batch=batch, window=window_state())
    if batch is None or not batch.is_signed:
        view.pending = pending_count(user=user)
    if batch is not None:
        within = _within(batch, unit_id)
        view.within = within
        if within is not None:
            view.ancestors = list(within.ancestors().filter(
                path__startswith=batch.province_unit.path).only("pk", "name"))
        view.counts = counts_by_unit(batch, within=within)
        view.page = items_page(user=user, batch=batch, page=page, within=within)
    return view


def signed_batches(*, user=None) -> QuerySet[ProvinceBatch]:
    """The signed batches, newest first: what the national exchange sends. Without a
    user (the exchange's own job, run as the system) every province's; with one, the
    province they approve for."""
    qs = ProvinceBatch.objects.signed() if user is None else _batches(user).filter(
        status=BatchStatus.SIGNED)
    return qs.select_related("signature", "signed_by").order_by("-year", "-month", "-pk")


def batch_list(*, user) -> QuerySet[ProvinceBatch]:
    return _batches(user).select_related("signed_by").order_by("-year", "-month", "-pk")


@dataclass(frozen=True)
class Package:
    batch: ProvinceBatch
    data: bytes  # the ZIP: data.json (the manifest) + data.json.p7s


def package_bytes(batch: ProvinceBatch) -> bytes:
    """The signed data package of a signed batch (`signing.data.make_package`): the
    manifest's canonical JSON and Sở Nội vụ's detached signature over it, which the
    verification page and `hoso sign verify` check. The manifest is recomputed from the
    batch's frozen rows and must hash to what was signed."""
    import hashlib

    from hoso.signing.data import make_package

    data = manifest_bytes(manifest_of(batch))
    digest = hashlib.sha256(data).hexdigest()
    if not digest == batch.manifest_hash == batch.signature.content_hash:
        raise DomainError(_("The stored batch no longer matches its signature: report it to "
                            "the administrator (hoso audit verify)."), code="damaged")
    return make_package(data, [bytes(batch.signature.cms)])


def batch_package(*, user, pk: int) -> Package:
    """A signed batch's package; the download leaves an access row (it lists people's
    keys, not their data)."""
    batch = batch_get(user=user, pk=pk)
    if not batch.is_signed:
        raise NotFound(_("This batch is not signed yet: there is no signed package."))
    data = package_bytes(batch)
    log_access(action="export", obj=batch,
               detail={"what": "province_batch_package", "items": batch.item_count,
                       "manifest_hash": batch.manifest_hash})
    return Package(batch, data)


@dataclass(frozen=True)
class SignerChoice:
    """The key the approver is about to sign with, as the page presents it."""

    description: str = ""
    needs_secret: bool = True
    error: str = ""


def signer_choice(*, user) -> SignerChoice:
    from hoso.core.errors import DomainError
    from hoso.signing.selectors import signer_for

    try:
        spec = signer_for(user=user)
    except DomainError as exc:
        return SignerChoice(error=str(exc.message))
    return SignerChoice(description=spec.describe(), needs_secret=spec.backend != "remote")
