"""Benchmark of the province batch (Vĩnh Phúc Đ12.4, Cần Thơ Đ5.3: Sở Nội vụ signs the
month's approvals as one act before the data goes to the national database).

    python bench/province_batch.py                      100k people, SQLite
    python bench/province_batch.py --postgres URL       2.5M people, PostgreSQL

The people come from the shared generator (`common.generate`, the same data as
`bench/visible_to.py`: a second run on the same database reuses it). `--items` of them
(default 50,000) get an approved revision that no batch holds: the revisions are written
in bulk, each a real link of its person's chain (content hash over a small document,
sealed like any revision) — the batch reads a revision's number and hash, never its
document, so the document's size does not matter here, and writing 50,000 full revisions
through the review (`bench/revisions.py`: about 35 a second) would take half an hour.

Then, as the province approver (the demo's `snv.pheduyet`, province-wide), it times:

- **build**: `services.batch_prepare` — one INSERT … SELECT of every pending revision
  into the open batch, with each item's frozen person key and unit code;
- **open**: what the batch page reads (`selectors.batch_view`: the batch, the counts
  per unit by one GROUP BY, the first page of 50 items with their people and units,
  the count of approvals still pending, the access rows of the 50 people shown), and
  the whole page through Django's test client (2FA session, template, navigation),
  beside the floor: the same GROUP BY, pending count and first page written by hand
  in SQL (no access rows, no objects);
- **page 500**: the same for the 500th page of items (OFFSET 24,950);
- **sign**: `services.batch_sign` with a PKCS#12 key of the approver (a demo CA made
  in a temporary directory): the manifest of 50,000 items (read, canonical JSON,
  hashed), one detached CMS signature, the certificate check, the signature row and
  the batch marked signed — beside the floor: the manifest's columns fetched by hand
  in SQL, serialised and hashed, no signature.

Everything after the data generation runs in a transaction that is rolled back, so the
same pending revisions serve the next run. Latencies are medians of `--repeat` runs
after a warm-up; build and sign are single runs (they change the data) repeated
`--repeat-writes` times inside savepoints.
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=15, repeat_help="timed runs per latency (median)")
    p.add_argument("--items", type=int, default=50_000, help="approvals in the batch")
    p.add_argument("--repeat-writes", type=int, default=3, help="runs of build and sign")
    return common.parse(p, argv)


# --- data ----------------------------------------------------------------------------


def _root():
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit

    return OrgUnit.objects.get(code=ROOT_CODE)


def pending(root) -> int:
    from django.db.models import Exists, OuterRef

    from hoso.oversight.models import ProvinceBatchItem
    from hoso.records.models import Revision

    held = ProvinceBatchItem.objects.filter(revision_id=OuterRef("pk"))
    return (Revision.objects.filter(person__unit__path__startswith=root.path)
            .filter(~Exists(held)).count())


def write_revisions(args) -> None:
    """Revision 1 for people of the province without one, until `--items` approvals
    are pending: bulk-written links (GENESIS parent, content hash over the document)."""
    from django.db import transaction
    from django.utils import timezone

    from hoso.core.context import acting_as
    from hoso.records.models import Person, Revision

    root = _root()
    missing = args.items - pending(root)
    if missing <= 0:
        out(f"reusing the {args.items:,} pending approvals already in the database")
        return
    people = (Person.objects.filter(unit__path__startswith=root.path, revisions__isnull=True)
              .order_by("pk").values_list("pk", "full_name", "category")[:missing])
    t = time.monotonic()
    now = timezone.now()
    batch, done = [], 0
    with acting_as(label="system:bench"):
        for pk, name, category in people.iterator(chunk_size=5000):
            batch.append(common.first_revision(pk, category, {"full_name": name},
                                               created_at=now, schema_version="bench"))
            if len(batch) == 5000:
                with transaction.atomic():
                    Revision.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                out(f"  approvals {done:,}/{missing:,} "
                    f"({done / (time.monotonic() - t):,.0f}/s)")
        if batch:
            with transaction.atomic():
                Revision.objects.bulk_create(batch)
            done += len(batch)
    out(f"  {done:,} approvals written in {time.monotonic() - t:.1f} s")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def signing_key(approver, directory: Path):
    """A demo CA trusted for this run, and the approver's key (PKCS#12) configured as
    their signer; the key's passphrase."""
    common.demo_signer(approver, directory, ca_name="hoso Bench CA tỉnh", ca_crl="ca.crl",
                       org="Sở Nội vụ")
    return "bench"


# --- measuring -----------------------------------------------------------------------


def measure(args) -> list[tuple]:
    from django.db import connection, transaction
    from django.urls import reverse

    from hoso.accounts.models import User
    from hoso.core.context import acting_as
    from hoso.oversight import selectors, services
    from hoso.oversight.manifest import manifest_bytes, manifest_of

    approver = User.objects.select_related("person").get(username="snv.pheduyet")
    rows: list[tuple] = []
    q = connection.ops.quote_name

    counts_sql = ("SELECT unit_id, COUNT(*) FROM oversight_provincebatchitem "
                  "WHERE batch_id = %s GROUP BY unit_id")
    page_sql = (
        "SELECT i.id, r.number, r.created_at, r.content_hash, p.id, p.full_name, u.id, u.name "
        "FROM oversight_provincebatchitem i "
        f"JOIN records_revision r ON r.id = i.revision_id "
        f"JOIN records_person p ON p.id = i.person_id JOIN {q('org_orgunit')} u "
        "ON u.id = i.unit_id WHERE i.batch_id = %s ORDER BY i.id LIMIT 50 OFFSET %s"
    )
    pending_sql = (
        "SELECT COUNT(*) FROM records_revision r JOIN records_person p ON p.id = r.person_id "
        f"JOIN {q('org_orgunit')} u ON u.id = p.unit_id WHERE u.path LIKE %s AND NOT EXISTS "
        "(SELECT 1 FROM oversight_provincebatchitem i WHERE i.revision_id = r.id)"
    )
    manifest_sql = (
        "SELECT i.person_id, i.id_number_hash, r.number, r.content_hash, i.unit_code "
        "FROM oversight_provincebatchitem i JOIN records_revision r ON r.id = i.revision_id "
        "WHERE i.batch_id = %s ORDER BY i.person_id, r.number"
    )

    def raw(sql, params):
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    with tempfile.TemporaryDirectory(prefix="hoso-bench-batch-") as tmp, \
            acting_as(approver), transaction.atomic():
        secret = signing_key(approver, Path(tmp))
        builds, signs = [], []
        batch = None
        for i in range(args.repeat_writes):
            sid = transaction.savepoint()
            wall, cpu, prepared = common.once(lambda: services.batch_prepare(actor=approver))
            builds.append((wall, cpu))
            batch = prepared.batch
            if i < args.repeat_writes - 1:
                transaction.savepoint_rollback(sid)
        n = batch.item_count
        rows.append((f"build: batch_prepare ({n:,} items, INSERT … SELECT)",
                     statistics.median(b[0] for b in builds),
                     statistics.median(b[1] for b in builds), None, None, n))

        root_path = batch.province_unit.path

        def orm_open():
            view = selectors.batch_view(user=approver)
            return len(view.page.object_list), sum(c.count for c in view.counts), view.pending

        def raw_open():
            counts = raw(counts_sql, [batch.pk])
            pend = raw(pending_sql, [root_path + "%"])[0][0]
            return len(raw(page_sql, [batch.pk, 0])), sum(c for _u, c in counts), pend

        client = common.logged_in_client(approver)
        url = reverse("oversight:batch_current")

        def page_open():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return len(response.content)

        def orm_deep():
            return len(selectors.batch_view(user=approver, page=500).page.object_list)

        def raw_deep():
            raw(counts_sql, [batch.pk])
            raw(pending_sql, [root_path + "%"])
            return len(raw(page_sql, [batch.pk, 499 * 50]))

        for label, orm, floor in (
            ("open: batch_view, first page", orm_open, raw_open),
            ("open: page 500", orm_deep, raw_deep),
        ):
            orm_ms, orm_cpu, orm_result = common.median_ms_cpu(orm, args.repeat)
            raw_ms, raw_cpu, raw_result = common.median_ms_cpu(floor, args.repeat)
            if orm_result != raw_result:
                raise SystemExit(f"selector and SQL disagree: {orm_result} != {raw_result}")
            rows.append((label, orm_ms, orm_cpu, raw_ms, raw_cpu, orm_result))
        page_ms, page_cpu, size = common.median_ms_cpu(page_open, args.repeat)
        rows.append(("open: the whole page (test client)", page_ms, page_cpu, None, None,
                     f"{size:,} B"))
        pend_ms, pend_cpu, pend = common.median_ms_cpu(
            lambda: selectors.pending_count(user=approver), args.repeat)
        rows.append(("  of which: approvals still pending (anti-join)", pend_ms, pend_cpu,
                     None, None, pend))

        def manifest_floor():
            data = raw(manifest_sql, [batch.pk])
            items = [{"person": a, "id_number_hash": b, "revision": c, "content_hash": d,
                      "unit": e} for a, b, c, d, e in data]
            from hoso.core.canonical import canonical_json

            return hashlib.sha256(canonical_json(items)).hexdigest()

        man_ms, man_cpu, size = common.median_ms_cpu(
            lambda: len(manifest_bytes(manifest_of(batch))), 3)
        floor_ms, floor_cpu, _ = common.median_ms_cpu(manifest_floor, 3)
        rows.append((f"  manifest of {n:,} items (read, JSON, hash)", man_ms, man_cpu,
                     floor_ms, floor_cpu, f"{size:,} B"))
        for _i in range(args.repeat_writes):
            sid = transaction.savepoint()
            wall, cpu, signed = common.once(lambda: services.batch_sign(
                actor=approver, batch_id=batch.pk, version=batch.version, secret=secret))
            signs.append((wall, cpu))
            transaction.savepoint_rollback(sid)
        rows.append(("sign: batch_sign (manifest, CMS, checks, store)",
                     statistics.median(x[0] for x in signs),
                     statistics.median(x[1] for x in signs), floor_ms, floor_cpu,
                     signed.status))
        transaction.set_rollback(True)
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    with common.session(args):
        from django.db import connection

        from hoso.records.models import Person, Revision

        out(f"hoso bench: province batch on {connection.vendor}, {args.people:,} people, "
            f"{args.items:,} approvals")
        common.generate(args)
        write_revisions(args)
        out(f"database: {Person.objects.count():,} people, {Revision.objects.count():,} "
            f"revisions; medians of {args.repeat} runs ({args.repeat_writes} for writes)")
        header = ("operation (province approver)", "ms", "CPU ms", "floor ms", "floor CPU",
                  "ratio", "CPU ratio", "result")
        table = [(label, common.num(ms, ".1f"), common.num(cpu, ".1f"),
                  common.num(fms, ".1f"), common.num(fcpu, ".1f"),
                  common.ratio(ms, fms, ".1f"), common.ratio(cpu, fcpu, ".1f"), str(result))
                 for label, ms, cpu, fms, fcpu, result in measure(args)]
        common.print_table(header, table, left=(0, 7))


if __name__ == "__main__":
    main()
