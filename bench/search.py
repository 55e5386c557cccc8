"""Benchmark of the search (issue 7): p50/p95 of realistic searches beside the raw-SQL
floor of the same query.

    python bench/search.py                      province scale: 100k people, SQLite
    python bench/search.py --postgres URL       national scale: 2.5M people, PostgreSQL

The people come from the shared generator (`common.generate`, the same data as
`bench/visible_to.py`: a second run on the same database reuses it; its Lâm Đồng tree,
repeated for 25 provinces at national scale, and its demo logins). Realistic searches
are drawn from the people the searching user may see, typed as people type them —
without accents:

- full name ("nguyen van dung"), by the province administrator (Lâm Đồng: 100k people
  of the 2.5M at national scale) and by the unit administrator of Sở Y tế;
- given name and birth year ("dung 1985");
- middle and given name with filters (status "working" and the person's category);
- full name with a typo (two letters of the given name swapped);
- filters only (Sở Y tế's sub-tree, working, public employees): a large result.

Each search is `hoso.search.selectors.search` whole — the vocabulary check, the match
read, ranking, every facet count, the page's people and the access row it writes. The
floor is the least a search page must ask the database for the same query, written by
hand through `connection.cursor()`: the number of matches and the first page by name,
on the same word index (FTS5 / GIN), the same scope (the unit sub-tree's path) and the
same filters. `--repeat` searches per kind, each timed once after one warm-up of the
kind; figures in milliseconds. Besides the wall-clock time, the CPU time of this
process (`time.process_time`): on SQLite, which runs inside the process, it is what
the search costs on an idle machine even when the machine running the bench is busy.
"""

from __future__ import annotations

import functools
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402

TARGET_P95_MS = 50.0


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=40, repeat_help="searches per kind")
    p.add_argument("--explain", action="store_true", help="print one plan per kind")
    return common.parse(p, argv)


# --- the searches ----------------------------------------------------------------------


def sample_people(user, n: int, rng: random.Random, subtree: str):
    """`n` people of the unit sub-tree `subtree` (a path), drawn by random ids."""
    from django.db.models import Max, Min

    from hoso.records.models import Person

    bounds = Person.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    picked: list = []
    while len(picked) < n:
        ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(4 * n)]
        rows = (
            Person.objects.filter(pk__in=ids, unit__path__startswith=subtree)
            .values("pk", "name_key", "birth_date", "category", "unit__path")
        )
        picked.extend(rows)
    return picked[:n]


def typo(key: str) -> str:
    words = key.split()
    last = words[-1]
    if len(last) >= 4:
        words[-1] = last[:1] + last[2] + last[1] + last[3:]
    return " ".join(words)


def kinds(args, rng):
    """(label, user, [(q, filters, scope path)]) for every kind of search."""
    from hoso.accounts.models import User
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit

    province_admin = User.objects.get(username="snv.quantri")
    unit_admin = User.objects.get(username="syt.quantri")
    root = OrgUnit.objects.get(code=ROOT_CODE)
    syt = OrgUnit.objects.get(code=common.SYT)
    n = args.repeat
    province = sample_people(province_admin, 4 * n, rng, root.path)
    health = sample_people(unit_admin, n, rng, syt.path)
    working = {"status": "active"}
    return [
        ("full name (province admin)", province_admin,
         [(p["name_key"], {}, root.path) for p in province[:n]]),
        ("full name (unit admin, Sở Y tế)", unit_admin,
         [(p["name_key"], {}, syt.path) for p in health]),
        ("given name + birth year", province_admin,
         [(f"{p['name_key'].split()[-1]} {p['birth_date'].year}", {}, root.path)
          for p in province[n:2 * n]]),
        ("middle + given name, with filters", province_admin,
         [(" ".join(p["name_key"].split()[-2:]),
           {**working, "category": p["category"]}, root.path)
          for p in province[2 * n:3 * n]]),
        ("full name with a typo", province_admin,
         [(typo(p["name_key"]), {}, root.path) for p in province[3 * n:]]),
        ("filters only (Sở Y tế, working, viên chức)", province_admin,
         [("", {**working, "category": "vien_chuc", "unit": syt}, root.path)] * max(5, n // 8)),
    ]


# --- the floor ------------------------------------------------------------------------


def floor_sql(q: str, filters: dict, scope: str):
    """The hand-written SQL of the same query: count, then the first page by name."""
    from django.db import connection

    from hoso.search import engine, index
    from hoso.search.query import parse
    from hoso.search.vocabulary import vocabulary

    parsed = parse(q)
    where = ["u.path LIKE %s"]
    params: list = [scope + "%"]
    if "unit" in filters:
        where.append("u.path LIKE %s")
        params.append(filters["unit"].path + "%")
    for key in ("status", "category"):
        if key in filters:
            where.append(f"p.{key} = %s")
            params.append(filters[key])
    if parsed.birth_year:
        where.append("p.birth_date BETWEEN %s AND %s")
        params += [f"{parsed.birth_year}-01-01", f"{parsed.birth_year}-12-31"]
    if parsed.words:
        matches = engine.plan(parsed.words, vocabulary(), typos_everywhere=False)
        if connection.vendor == "sqlite":
            where.append(f"p.id IN (SELECT rowid FROM {index.FTS_TABLE} "
                         f"WHERE {index.FTS_TABLE} MATCH %s)")
            params.append(engine.fts_query(matches))
        else:
            where.append("to_tsvector('simple'::regconfig, p.name_key) "
                         "@@ to_tsquery('simple'::regconfig, %s)")
            params.append(engine.tsquery(matches))
    order = 'p.name_key COLLATE "C", p.id' if connection.vendor == "postgresql" else (
        "p.name_key, p.id")
    body = ("FROM records_person p JOIN org_orgunit u ON u.id = p.unit_id WHERE "
            + " AND ".join(where))
    return (f"SELECT COUNT(*) {body}", params), (  # noqa: S608 (constants and placeholders)
        f"SELECT p.id, p.full_name, p.birth_date, p.unit_id {body} "  # noqa: S608
        f"ORDER BY {order} LIMIT 20", params)


def run_floor(q, filters, scope) -> int:
    from django.db import connection

    (count_sql, params), (page_sql, _same) = floor_sql(q, filters, scope)
    with connection.cursor() as cur:
        cur.execute(count_sql, params)
        total = cur.fetchone()[0]
        cur.execute(page_sql, params)
        cur.fetchall()
    return total


# --- measuring ---------------------------------------------------------------------------


def measure(args):
    from django.db import connection

    from hoso.core.context import acting_as
    from hoso.search import selectors

    rng = random.Random("bench-search")  # noqa: S311 (reproducible samples, not secrets)
    rows = []
    for label, user, queries in kinds(args, rng):
        with acting_as(user):
            q0, f0, s0 = queries[0]
            selectors.search(user=user, q=q0, filters=f0)  # warm-up of the kind
            run_floor(q0, f0, s0)
            times, floors, totals, strategies = [], [], [], set()
            cpu, cpu_floors = [], []
            for q, filters, scope in queries:
                wall, c, result = common.once(
                    functools.partial(selectors.search, user=user, q=q, filters=filters))
                times.append(wall)
                cpu.append(c)
                wall, c, _total = common.once(functools.partial(run_floor, q, filters, scope))
                floors.append(wall)
                cpu_floors.append(c)
                totals.append(result.total)
                strategies.add(result.strategy)
        if args.explain:
            (count_sql, params), _page = floor_sql(q0, f0, s0)
            with connection.cursor() as cur:
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                cur.execute(prefix + count_sql, params)
                out(f"\n-- {label} (floor count):")
                for r in cur.fetchall():
                    out("   " + " ".join(str(x) for x in r))
        rows.append((label, times, floors, totals, "/".join(sorted(strategies)), cpu,
                     cpu_floors))
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    with common.session(args):
        from django.db import connection

        from hoso.records.models import NameWord, Person

        out(f"hoso bench: search on {connection.vendor}, {args.people:,} people, "
            f"{args.provinces} province(s)")
        common.generate(args)
        out(f"database: {Person.objects.count():,} people, {NameWord.objects.count():,} name "
            f"words; {args.repeat} searches per kind")
        rows = measure(args)
        header = ("search", "p50 ms", "p95 ms", "floor p50", "floor p95", "ratio p50",
                  "cpu p50", "cpu p95", "cpu floor p50", "results p50", "path")
        table = []
        for label, times, floors, totals, strategy, cpu, cpu_floors in rows:
            p50, p95 = statistics.median(times), common.percentile(times, 95)
            f50, f95 = statistics.median(floors), common.percentile(floors, 95)
            table.append((label, f"{p50:.1f}", f"{p95:.1f}", f"{f50:.1f}", f"{f95:.1f}",
                          common.ratio(p50, f50, ".1f"),
                          f"{statistics.median(cpu):.1f}", f"{common.percentile(cpu, 95):.1f}",
                          f"{statistics.median(cpu_floors):.1f}",
                          f"{int(statistics.median(totals)):,}", strategy))
        common.print_table(header, table, left=(0, 10))
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        out(f"\nload average while measuring: {load:.1f} on {os.cpu_count()} CPUs")
        name_rows = [r for r in rows if not r[0].startswith("filters only")]
        worst = max(common.percentile(r[1], 95) for r in name_rows)
        verdict = "met" if worst < TARGET_P95_MS else "NOT met"
        out(f"target p95 < {TARGET_P95_MS:.0f} ms for name searches: {verdict} "
            f"(worst p95 {worst:.1f} ms wall clock)")


if __name__ == "__main__":
    main()
