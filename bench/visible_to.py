"""Benchmark of the one permission path: `Person.objects.visible_to(user, "person.view")`.

    python bench/visible_to.py                      province scale: 100k people, SQLite
    python bench/visible_to.py --postgres URL       national scale: 2.5M people, PostgreSQL

It generates its own data with the demo generator (`hoso.demo.generator`, through
`common.generate`, which the other benchmarks share): the Lâm Đồng tree through the
loader, the demo logins, and the people in batches with their audit rows. SQLite runs
in a fresh temporary data dir. PostgreSQL runs in the database URL names (use a
database of its own: the bench fills it) with the data dir `--data-dir` (default
./var/bench-pg: the encryption keys must match the data, so a second run reuses what
the first generated). National scale is the Lâm Đồng tree repeated for `--provinces`
provinces (synthetic level-1 codes), people spread over all.

For a unit administrator (Sở Y tế and its sub-tree) and a province administrator it
times the count and the first page (50 rows, by name, as the people list shows it)
through the ORM, beside the floor: the same query written by hand in SQL through
`connection.cursor()`. Each figure is the median of `--repeat` runs after a warm-up.
The user's permission scopes (their roles and grants, read once per request) are
timed on their own line; the ORM figures are the queries alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=7)
    p.add_argument("--explain", action="store_true", help="print the query plans")
    return common.parse(p, argv)


# --- measuring -----------------------------------------------------------------------


def cases():
    """(label, user, the scope path a hand-written query filters on)."""
    from hoso.accounts.models import User
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit

    unit_admin = User.objects.get(username="syt.quantri")
    province_admin = User.objects.get(username="snv.quantri")
    syt = OrgUnit.objects.get(code=common.SYT)
    root = OrgUnit.objects.get(code=ROOT_CODE)
    return [
        ("unit admin (Sở Y tế sub-tree)", unit_admin, syt.path),
        ("province admin (Lâm Đồng)", province_admin, root.path),
    ]


def measure(args) -> list[tuple]:
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

        scope_ms, _ = common.median_ms(scopes, args.repeat)
        rows.append((label, "permission scopes", scope_ms, None, None))
        for what, orm, raw in (("count", orm_count, raw_count), ("first page", orm_page, raw_page)):
            orm_ms, orm_result = common.median_ms(orm, args.repeat)
            raw_ms, raw_result = common.median_ms(raw, args.repeat)
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
    with common.session(args):
        from django.db import connection

        from hoso.org.models import OrgUnit
        from hoso.records.models import Person

        engine = connection.vendor
        out(f"hoso bench: visible_to on {engine}, {args.people:,} people, "
            f"{args.provinces} province(s)")
        common.generate(args, label="data")
        out(f"database: {Person.objects.count():,} people, {OrgUnit.objects.count():,} units; "
            f"median of {args.repeat} runs")
        common.comparison_table(measure(args))


if __name__ == "__main__":
    main()
