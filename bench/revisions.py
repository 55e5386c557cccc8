"""Benchmark of the personnel file's revisions (DESIGN principle 2, issue 4).

    python bench/revisions.py                      province scale: 100k people, SQLite
    python bench/revisions.py --postgres URL       national scale: 2.5M people, PostgreSQL

The people come from the shared generator (`common.generate`, the same data as
`bench/visible_to.py`: a second run on the same database reuses it). On top of them it
writes:

- `--filled` files (default 1,000) with one revision each (3 rows per table), so the
  revisions table is not empty but for one person;
- the history of one person of Sở Y tế: `--revisions` revisions (default 100), each a
  full CV document with 20 rows in every repeating table
  (`hoso.demo.profiles.fake_document`), approved one week apart.

It times, on that history:

- validating a full document (`schema.validate`) and writing a revision
  (`services.revision_create`: validation, sealing, hashing, the projection, the audit
  rows), as revisions per second;
- "the file as it was on date X" (`selectors.revision_as_of`, as the province
  administrator) and the diff between two revisions far apart
  (`selectors.revision_compare`), beside the floor: the same rows fetched by hand in
  SQL through `connection.cursor()` and their sealed part decrypted (the least work
  that yields the clear documents). The selectors also cut the documents to what the
  reader may see, write the access row (a hash-chain link) and, for the diff, compare
  and format every field.

Each latency is the median of `--repeat` runs after a warm-up.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=15, repeat_help="timed runs per latency (median)")
    p.add_argument("--revisions", type=int, default=100, help="revisions of the timed history")
    p.add_argument("--filled", type=int, default=1000, help="other files with one revision")
    p.add_argument("--rows", type=int, default=20, help="rows in every repeating table")
    return common.parse(p, argv)


def fill(args) -> None:
    """One revision (3 rows per table) for `--filled` people who have none yet."""
    from hoso.accounts.permissions import SYSTEM
    from hoso.core.context import acting_as
    from hoso.demo.profiles import fake_document
    from hoso.records.models import Person
    from hoso.records.services import revision_create

    todo = list(
        Person.objects.filter(revisions__isnull=True).select_related("unit")
        .order_by("pk")[: max(0, args.filled - _files_with_revisions())]
    )
    if not todo:
        return
    rng = random.Random("bench-fill")
    t = time.monotonic()
    with acting_as(label="system:bench"):
        for i, person in enumerate(todo, 1):
            doc = fake_document(rng, person=person, category=person.category, rows=3)
            revision_create(actor=SYSTEM, person=person, document=doc, reason="bench")
            if i % 250 == 0 or i == len(todo):
                out(f"  files with a revision: {i:,}/{len(todo):,} "
                    f"({i / (time.monotonic() - t):,.0f}/s)")


def _files_with_revisions() -> int:
    from hoso.records.models import Revision

    return Revision.objects.filter(number=1).count()


def history_person():
    """A person of Sở Y tế's sub-tree without a revision yet, or the one the previous
    run gave a history (the one with the most revisions)."""
    from django.db.models import Count

    from hoso.org.models import OrgUnit
    from hoso.records.models import Person

    syt = OrgUnit.objects.get(code=common.SYT)
    people = Person.objects.filter(unit__path__startswith=syt.path).select_related("unit")
    busiest = (
        people.annotate(n=Count("revisions")).filter(n__gt=1).order_by("-n").first()
    )
    return busiest or people.filter(revisions__isnull=True).order_by("pk").first()


def write_history(args, person) -> list[tuple[float, float]]:
    """Write the missing revisions of `person`'s history; (validate s, write s) each."""
    from django.utils import timezone

    from hoso.accounts.permissions import SYSTEM
    from hoso.core.context import acting_as
    from hoso.demo.profiles import fake_document
    from hoso.records.schema import validate
    from hoso.records.services import revision_create

    have = person.revisions.count()
    if have >= args.revisions:
        out(f"reusing the history of {have} revisions")
        return []
    rng = random.Random(f"bench-history-{person.pk}")
    now = timezone.now()
    # one week apart, but all after the 2025 reorganisation (the demo's addresses use
    # the new communes, valid from 1/7/2025)
    start = max(now - dt.timedelta(weeks=args.revisions + 1),
                timezone.make_aware(dt.datetime(2025, 7, 2)))
    last = person.revisions.order_by("-number").first()
    if last is not None:  # a longer history than the previous run's: continue it
        start = last.created_at + dt.timedelta(hours=1)
    step = min(dt.timedelta(weeks=1), (now - start) / (args.revisions - have + 1))
    timings = []
    with acting_as(label="system:bench"):
        for i in range(have, args.revisions):
            at = start + step * (i - have)
            day = timezone.localdate(at)
            doc = fake_document(rng, person=person, category=person.category, rows=args.rows,
                                today=day)
            t0 = time.perf_counter()
            issues = validate(doc, category=person.category, on=day)
            t1 = time.perf_counter()
            if issues:
                raise SystemExit(f"fake_document gave an invalid document: {issues[:3]}")
            revision_create(actor=SYSTEM, person=person, document=doc, reason=f"bench {i + 1}",
                            approved_at=at)
            t2 = time.perf_counter()
            timings.append((t1 - t0, t2 - t1))
    return timings


def measure_reads(args, person) -> list[tuple]:
    from django.db import connection

    from hoso.accounts.models import User
    from hoso.records import selectors
    from hoso.records.sealing import unseal

    admin = User.objects.get(username="snv.quantri")
    revisions = list(person.revisions.order_by("number").values_list("number", "created_at"))
    n = len(revisions)
    mid_number, mid_at = revisions[n // 2]
    on = mid_at.date()
    old_n, new_n = max(1, n // 4), n

    def fetch(sql, params):
        with connection.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
        # public JSON arrives as text on SQLite, as a dict on PostgreSQL
        import json

        return [unseal(p if isinstance(p, dict) else json.loads(p), s) for p, s in rows]

    as_of_sql = (
        "SELECT public, sealed FROM records_revision WHERE person_id = %s AND created_at <= %s "
        "ORDER BY number DESC LIMIT 1"
    )
    pair_sql = (
        "SELECT public, sealed FROM records_revision WHERE person_id = %s AND number IN (%s, %s)"
    )
    from hoso.records.services import as_of_moment

    moment = as_of_moment(on)

    def orm_as_of():
        return selectors.revision_as_of(user=admin, person=person, on=on).number

    def raw_as_of():
        return len(fetch(as_of_sql, [person.pk, moment]))

    def orm_diff():
        return len(selectors.revision_compare(
            user=admin, person=person, old_number=old_n, new_number=new_n)[2])

    def raw_diff():
        return len(fetch(pair_sql, [person.pk, old_n, new_n]))

    rows = []
    for label, orm, raw in (
        (f"as-of (revision {mid_number} of {n})", orm_as_of, raw_as_of),
        (f"diff {old_n} → {new_n}", orm_diff, raw_diff),
    ):
        orm_ms, result = common.median_ms(orm, args.repeat)
        raw_ms, _ = common.median_ms(raw, args.repeat)
        rows.append((label, orm_ms, raw_ms, result))
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    with common.session(args):
        from django.db import connection

        from hoso.records.models import Person, Revision

        out(f"hoso bench: revisions on {connection.vendor}, {args.people:,} people")
        common.generate(args)
        fill(args)
        person = history_person()
        timings = write_history(args, person)
        out(f"database: {Person.objects.count():,} people, {Revision.objects.count():,} "
            f"revisions; history: person #{person.pk}, {person.revisions.count()} revisions "
            f"of {args.rows} rows per table")
        if timings:
            validate_ms = statistics.median(v for v, _ in timings) * 1000
            write_ms = statistics.median(w for _, w in timings) * 1000
            total = sum(v + w for v, w in timings)
            out()
            out(f"full document ({args.rows} rows in every table), median of {len(timings)}:")
            out(f"  validate              {validate_ms:8.2f} ms")
            out(f"  revision_create       {write_ms:8.2f} ms  (validates again, seals, hashes, "
                "projects, audits)")
            out(f"  revisions per second  {len(timings) / total:8.1f}  (validate + write)")
        header = ("read (province admin)", "selector ms", "raw SQL + decrypt ms", "ratio",
                  "result")
        common.print_table(header, [(label, f"{o:.2f}", f"{r:.2f}", f"{o / r:.1f}", str(res))
                                    for label, o, r, res in measure_reads(args, person)],
                           left=(0,))


if __name__ == "__main__":
    main()
