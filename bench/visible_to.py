"""Benchmark of the one permission path: `Person.objects.visible_to(user, "person.view")`.

    python bench/visible_to.py                      province scale: 100k people, SQLite
    python bench/visible_to.py --postgres URL       national scale: 2.5M people, PostgreSQL

It generates its own data with the demo generator (`hoso.demo.generator`): the
Lâm Đồng tree through the loader, the demo logins, and the people in batches with
their audit rows. SQLite runs in a fresh temporary data dir. PostgreSQL runs in the
database URL names (use a database of its own: the bench fills it) with the data dir
`--data-dir` (default ./var/bench-pg: the encryption keys must match the data, so
a second run reuses what the first generated). National scale is the Lâm Đồng tree
repeated for `--provinces` provinces (synthetic level-1 codes), people spread over all.

For a unit administrator (Sở Y tế and its sub-tree) and a province administrator it
times the count and the first page (50 rows, by name, as the people list shows it)
through the ORM, beside the floor: the same query written by hand in SQL through
`connection.cursor()`. Each figure is the median of `--repeat` runs after a warm-up.
The user's permission scopes (their roles and grants, read once per request) are
timed on their own line; the ORM figures are the queries alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROVINCE_NAMES = (
    "Lâm Đồng", "Vĩnh Phúc", "Cần Thơ", "Quảng Nam", "Lai Châu", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Quảng Ninh", "Hải Phòng", "Đà Nẵng", "Khánh Hòa", "Gia Lai", "Đắk Lắk",
    "Đồng Nai", "An Giang", "Cà Mau", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
    "Hưng Yên", "Ninh Bình", "Quảng Trị", "Tây Ninh", "Đồng Tháp", "Vĩnh Long", "Sơn La",
    "Tuyên Quang", "Lạng Sơn", "Cao Bằng", "Điện Biên", "Huế", "Quảng Ngãi",
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--postgres", metavar="URL", help="national scale on this PostgreSQL database")
    p.add_argument("--people", type=int, help="people in all (100000; 2500000 with --postgres)")
    p.add_argument("--provinces", type=int, help="provinces (1; 25 with --postgres)")
    p.add_argument("--repeat", type=int, default=7, help="timed runs per figure (median)")
    p.add_argument("--data-dir", help="data dir (keys; the SQLite file)")
    p.add_argument("--keep", action="store_true", help="keep the temporary SQLite data dir")
    p.add_argument("--explain", action="store_true", help="print the query plans")
    args = p.parse_args(argv)
    national = bool(args.postgres)
    args.people = args.people or (2_500_000 if national else 100_000)
    args.provinces = args.provinces or (25 if national else 1)
    if args.provinces > len(PROVINCE_NAMES):
        p.error(f"at most {len(PROVINCE_NAMES)} provinces")
    return args


def setup_django(args) -> Path | None:
    """Point hoso at the bench's database before Django reads its settings."""
    temp = None
    if args.postgres:
        os.environ["HOSO_DATABASE_URL"] = args.postgres
        data_dir = Path(args.data_dir or "var/bench-pg")
    else:
        os.environ.pop("HOSO_DATABASE_URL", None)
        data_dir = Path(args.data_dir) if args.data_dir else None
        if data_dir is None:
            temp = data_dir = Path(tempfile.mkdtemp(prefix="hoso-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["HOSO_DATA_DIR"] = str(data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    return temp


# --- data ----------------------------------------------------------------------------


def province_rows(index: int):
    """The shipped tree as rows; province `index` > 0 gets its own level-1 code and name."""
    from hoso.demo.generator import TREE
    from hoso.org.loader import read_rows

    rows, problems = read_rows(TREE)
    assert not problems, problems
    if index == 0:
        return rows
    suffix = f"H{index:02d}" if index != 38 else "H99"
    name = PROVINCE_NAMES[index]
    for r in rows:
        r.code = r.code[:-3] + suffix
        r.parent_code = r.parent_code[:-3] + suffix if r.parent_code else ""
        r.name = r.name.replace("Lâm Đồng", name)
    return rows


def generate(args, out) -> float:
    """Build the bench's data unless the database already holds it; the seconds it took."""
    from django.core.management import call_command

    from hoso.accounts.permissions import SYSTEM
    from hoso.core.context import acting_as
    from hoso.demo.generator import create_people, ensure_accounts
    from hoso.org.loader import load_rows
    from hoso.org.models import OrgUnit
    from hoso.records.models import Person

    call_command("migrate", verbosity=0)
    have_units = OrgUnit.objects.filter(depth=0).count()
    have_people = Person.objects.count()
    if have_units >= args.provinces and have_people >= args.people:
        out(f"reusing the data already in the database ({have_people:,} people)")
        return 0.0
    start = time.monotonic()
    with acting_as(label="system:bench"):
        for i in range(args.provinces):
            t = time.monotonic()
            result = load_rows(actor=SYSTEM, rows=province_rows(i))
            if result.created:
                out(f"  province {i + 1}/{args.provinces}: {len(result.created)} units "
                    f"in {time.monotonic() - t:.1f} s")
        ensure_accounts()
        missing = args.people - Person.objects.count()
        t = time.monotonic()

        def progress(done, total):
            if done % 100_000 == 0 or done == total:
                rate = done / (time.monotonic() - t)
                out(f"  people {done:,}/{total:,} ({rate:,.0f}/s)")

        create_people(count=missing, seed="bench", batch_size=10_000, progress=progress)
    return time.monotonic() - start


# --- measuring -----------------------------------------------------------------------


def median_ms(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up (and the result, to check ORM and SQL agree)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def cases():
    """(label, user, the scope path a hand-written query filters on)."""
    from hoso.accounts.models import User
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit

    unit_admin = User.objects.get(username="syt.quantri")
    province_admin = User.objects.get(username="snv.quantri")
    syt = OrgUnit.objects.get(code="000.00.15.H38")
    root = OrgUnit.objects.get(code=ROOT_CODE)
    return [
        ("unit admin (Sở Y tế sub-tree)", unit_admin, syt.path),
        ("province admin (Lâm Đồng)", province_admin, root.path),
    ]


def measure(args, out) -> list[tuple]:
    from django.db import connection

    from hoso.accounts.permissions import forget_scopes, scopes_of
    from hoso.records.models import Person

    quote = connection.ops.quote_name
    person_cols = ", ".join(
        f"p.{quote(f.column)}" for f in Person._meta.concrete_fields
    )
    from hoso.org.models import OrgUnit

    unit_cols = ", ".join(f"u.{quote(f.column)}" for f in OrgUnit._meta.concrete_fields)
    count_sql = (
        "SELECT COUNT(*) FROM records_person p JOIN org_orgunit u ON u.id = p.unit_id "
        "WHERE u.path LIKE %s"
    )
    page_sql = (
        f"SELECT {person_cols}, {unit_cols} FROM records_person p "
        "JOIN org_orgunit u ON u.id = p.unit_id WHERE u.path LIKE %s "
        "ORDER BY p.full_name, p.id LIMIT 50"
    )
    rows = []
    for label, user, path in cases():

        def scopes(user=user):
            forget_scopes(user)
            return len(scopes_of(user).by_action)

        def qs(user=user):
            return Person.objects.visible_to(user, "person.view")

        def orm_count(qs=qs):
            return qs().count()

        def orm_page(qs=qs):
            return [p.pk for p in qs().select_related("unit").order_by("full_name", "pk")[:50]]

        def raw_count(path=path):
            with connection.cursor() as cur:
                cur.execute(count_sql, [path + "%"])
                return cur.fetchone()[0]

        def raw_page(path=path):
            with connection.cursor() as cur:
                cur.execute(page_sql, [path + "%"])
                return [r[0] for r in cur.fetchall()]

        scope_ms, _ = median_ms(scopes, args.repeat)
        rows.append((label, "permission scopes", scope_ms, None, None))
        for what, orm, raw in (("count", orm_count, raw_count), ("first page", orm_page, raw_page)):
            orm_ms, orm_result = median_ms(orm, args.repeat)
            raw_ms, raw_result = median_ms(raw, args.repeat)
            if orm_result != raw_result:
                raise SystemExit(f"ORM and SQL disagree for {label} {what}")
            n = orm_result if what == "count" else len(orm_result)
            rows.append((label, what, orm_ms, raw_ms, n))
            if args.explain:
                query = qs().order_by()
                if what != "count":
                    query = query.order_by("full_name", "pk")[:50]
                out(f"\n-- {label}, {what} (ORM):\n{query.explain()}")
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    temp = setup_django(args)

    def out(text=""):
        print(text, flush=True)

    try:
        from django.db import connection

        from hoso.org.models import OrgUnit
        from hoso.records.models import Person

        engine = connection.vendor
        out(f"hoso bench: visible_to on {engine}, {args.people:,} people, "
            f"{args.provinces} province(s)")
        seconds = generate(args, out)
        if seconds:
            out(f"data generated in {seconds:.1f} s")
        out(f"database: {Person.objects.count():,} people, {OrgUnit.objects.count():,} units; "
            f"median of {args.repeat} runs")
        rows = measure(args, out)
        header = ("user", "query", "ORM ms", "raw SQL ms", "ratio", "rows")
        table = [
            (label, what, f"{orm:.2f}", "-" if raw is None else f"{raw:.2f}",
             f"{orm / raw:.2f}" if raw else "-", "-" if n is None else f"{n:,}")
            for label, what, orm, raw, n in rows
        ]
        widths = [max(len(r[i]) for r in (header, *table)) for i in range(len(header))]
        out()
        for r in (header, *table):
            out("  ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in
                          enumerate(zip(r, widths, strict=True))))
    finally:
        if temp is not None and not args.keep:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(temp, ignore_errors=True)
        elif temp is not None:
            out(f"data kept in {temp}")


if __name__ == "__main__":
    main()
