"""Benchmark of the statistics page (`/stats/`) and of each statistic on it.

    python bench/stats.py                      province scale: 100k people, SQLite
    python bench/stats.py --postgres URL       national scale: 2.5M people, PostgreSQL

The people come from the shared generator (`common.generate`, the same data as
`bench/visible_to.py`: a second run on the same database reuses it). On top of them it
gives every person without one an approved file — a revision and its projection
(`records.Profile`), written in bulk: each document is one of a pool of full documents
made by the demo's generator (`hoso.demo.profiles.fake_document`, 2 rows per table) for
the person's staff category, carrying the person's own name, birth date, sex, number and
unit; it is sealed, hashed and projected by the records app's own functions
(`sealing.seal`, `Revision.compute_hash`, `projection.project`) but not validated one by
one, and written without audit rows (bench data, 1,000× faster than `revision_create`).
Then `--moves` people in service leave (retire, resign …) through a status change with
its change row, so the departures have something to count.

It times, for the province administrator (the whole province: one of the 25 at
national scale) and the head of Sở Y tế (its sub-tree):

- each statistic (`hoso.stats.selectors`, through `visible_to`), beside its floor: the
  same GROUP BY written by hand in SQL on the scope's path through
  `connection.cursor()` (for Party members, the same streaming pass over the blind
  index). Statistics that share one pass on the page (headcount, ages and completeness;
  the four levels of training, ethnicity and ranks) are each timed with that pass;
- the whole page: `GET /stats/` through Django's test client (the user's scopes, the
  filter form with the unit list, the twelve statistics, the access row, the template
  and its SVG charts), beside the sum of the six hand-written queries.

Each figure is the median of `--repeat` runs after a warm-up, wall clock and CPU time
of this process (which, on SQLite, includes the database's work).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402

IN_SERVICE_SQL = "('active', 'seconded')"


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=5)
    p.add_argument("--pool", type=int, default=200, help="generated documents per category")
    p.add_argument("--moves", type=int, default=500, help="status changes out of service")
    p.add_argument("--explain", action="store_true", help="print the query plans")
    return common.parse(p, argv)


# --- data ----------------------------------------------------------------------------


def _pool(args) -> dict[str, list[dict]]:
    """`--pool` full documents per staff category from the demo's generator."""
    from hoso.demo.generator import PeopleGenerator
    from hoso.demo.profiles import fake_document
    from hoso.org.models import OrgUnit
    from hoso.records.models import StaffCategory

    units = list(OrgUnit.objects.order_by("path")[:200])
    gen = PeopleGenerator(units=units, seed="bench-stats-pool")
    rng = random.Random("bench-stats-pool")
    pool: dict[str, list[dict]] = {}
    for category in StaffCategory.values:
        docs = []
        for _ in range(args.pool):
            person = gen.person(category=category)
            docs.append(fake_document(rng, person=person, category=category, rows=2,
                                      unit_code="000.00.00.H38"))
        pool[category] = docs
    return pool


def fill_files(args) -> None:
    """An approved file for everyone who has none (see the module's docstring)."""
    from django.db import connection

    from hoso.records.models import Person

    todo = Person.objects.filter(profile__isnull=True).count()
    if not todo:
        return
    out(f"files: {todo:,} to write")
    pool = _pool(args)
    t = time.monotonic()
    if connection.vendor == "postgresql":
        _fill_in_sql(pool)
    else:
        _fill_in_python(pool, todo)
    out(f"  {todo:,} files in {time.monotonic() - t:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _fill_in_python(pool, todo: int) -> None:
    """Batches of 5,000: the pool's document with the person's own fields, sealed,
    hashed and projected by the records app's functions (`common.write_files`)."""
    from django.utils import timezone

    from hoso.records.models import Person

    now = timezone.now()
    done, last, t = 0, 0, time.monotonic()
    while True:
        people = list(
            Person.objects.filter(profile__isnull=True, pk__gt=last).select_related("unit")
            .order_by("pk")[:5000]
        )
        if not people:
            break
        last = people[-1].pk
        files = []
        for person in people:
            template = pool[person.category][person.pk % len(pool[person.category])]
            doc = copy.deepcopy(template)
            doc |= {"full_name": person.full_name, "birth_date": person.birth_date.isoformat(),
                    "sex": person.sex, "id_number": person.id_number,
                    "managing_unit": person.unit.code, "employing_unit": person.unit.code}
            files.append((person, doc))
        common.write_files(files, created_at=now, batch_size=1000)
        done += len(people)
        if done % 50_000 < 5000 or done == todo:
            out(f"  files {done:,}/{todo:,} ({done / (time.monotonic() - t):,.0f}/s)")


def _fill_in_sql(pool) -> None:
    """National scale: the same documents, put together by PostgreSQL itself (2.5M
    files in minutes instead of hours). The pool's documents are sealed and projected
    in Python once; each person's revision is the pool document with their own name,
    birth date, sex and unit (`jsonb ||`), its content hash a placeholder (sha256 of
    the person and the number: `hoso audit verify` would reject these bench files),
    its Party membership tag computed as `records.models.party_member_tag` does
    (HMAC-SHA256 with the hash key, pgcrypto)."""
    import json
    from decimal import Decimal

    from django.conf import settings
    from django.db import connection, transaction

    from hoso.core.crypto import encrypt
    from hoso.records.models import GENESIS, Profile
    from hoso.records.projection import ENCRYPTED_COLUMNS, project
    from hoso.records.schema import get_schema
    from hoso.records.sealing import seal

    skip = {"person", "revision", "content_hash", "party_member_tag", "birth_date_text"}
    columns = [f for f in Profile._meta.concrete_fields if f.name not in skip]
    rows = []
    for category, docs in pool.items():
        for idx, doc in enumerate(docs):
            clear, sealed = seal(doc, category=category)
            projected = project(doc).profile
            profile = {"party_member_clear": projected["party_member"]}
            for name, value in projected.items():
                if name in ENCRYPTED_COLUMNS:
                    value = encrypt(value) if value else None
                elif isinstance(value, dt.date | Decimal):
                    value = str(value)
                profile[name] = value
            rows.append((category, idx, str(get_schema(category).version), json.dumps(clear),
                         sealed, json.dumps(profile)))
    n = len(next(iter(pool.values())))
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        cursor.execute("DROP TABLE IF EXISTS bench_pool")
        cursor.execute("CREATE UNLOGGED TABLE bench_pool (category varchar(12), idx int, "
                       "version varchar(40), public jsonb, sealed text, profile jsonb)")
        cursor.executemany("INSERT INTO bench_pool VALUES (%s, %s, %s, %s, %s, %s)", rows)
        cursor.execute("SELECT min(id), max(id) FROM records_person")
        first, last = cursor.fetchone()
    step = 100_000

    def cast(field) -> str:
        value = f"b.profile ->> '{field.column}'"
        kind = field.get_internal_type()
        if kind == "DateField":
            return f"({value})::date"
        if kind in ("PositiveSmallIntegerField", "SmallIntegerField"):
            return f"({value})::smallint"
        if kind == "DecimalField":
            return f"({value})::numeric"
        if field.null:
            return value
        return f"coalesce({value}, '')"

    profile_columns = ", ".join(f.column for f in columns)
    profile_values = ", ".join(cast(f) for f in columns)
    t = time.monotonic()
    for start in range(first, last + 1, step):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO records_revision (person_id, number, parent_hash, content_hash, "
                "category, schema_version, public, sealed, created_at, reason, evidence_ids) "
                "SELECT p.id, coalesce(m.n, 0) + 1, %s, encode(digest(p.id::text || ':' || "
                "(coalesce(m.n, 0) + 1)::text || ':bench', 'sha256'), 'hex'), p.category, "
                "b.version, b.public || jsonb_build_object('full_name', p.full_name, "
                "'birth_date', to_char(p.birth_date, 'YYYY-MM-DD'), 'sex', p.sex, "
                "'managing_unit', u.code, 'employing_unit', u.code), b.sealed, now(), "
                "'bench', '[]'::jsonb FROM records_person p "
                "JOIN org_orgunit u ON u.id = p.unit_id "
                "JOIN bench_pool b ON b.category = p.category AND b.idx = p.id %% %s "
                "LEFT JOIN (SELECT person_id, max(number) AS n FROM records_revision "
                "GROUP BY person_id) m ON m.person_id = p.id "
                "WHERE p.id >= %s AND p.id < %s AND NOT EXISTS "
                "(SELECT 1 FROM records_profile pr WHERE pr.person_id = p.id)",
                [GENESIS, n, start, start + step],
            )
            cursor.execute(
                f"INSERT INTO records_profile (person_id, revision_id, content_hash, "
                f"birth_date_text, party_member_tag, {profile_columns}) "
                "SELECT r.person_id, r.id, r.content_hash, to_char(p.birth_date, 'YYYY-MM-DD'), "
                "substr(encode(hmac(convert_to('records.profile.party_member:' || r.person_id "
                "|| ':' || coalesce(b.profile ->> 'party_member_clear', ''), 'UTF8'), "
                f"convert_to(%s, 'UTF8'), 'sha256'), 'hex'), 1, 32), {profile_values} "
                "FROM records_revision r JOIN records_person p ON p.id = r.person_id "
                "JOIN bench_pool b ON b.category = p.category AND b.idx = p.id %% %s "
                "WHERE r.reason = 'bench' AND r.person_id >= %s AND r.person_id < %s "
                "AND NOT EXISTS (SELECT 1 FROM records_profile pr "
                "WHERE pr.person_id = r.person_id)",
                [settings.HASH_KEY, n, start, start + step],
            )
        done = min(start + step, last + 1) - first
        out(f"  files of people #{first:,}–#{start + step - 1:,} "
            f"({done / (time.monotonic() - t):,.0f} people/s)")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_pool")


def make_moves(args) -> None:
    """`--moves` people in service of the first province leave, each with its change
    row (as a status-change service would write it)."""
    from django.db import transaction

    from hoso.audit.models import ChangeLog
    from hoso.audit.services import log_changes
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit
    from hoso.records.models import Person, Status

    if ChangeLog.objects.filter(object_type="records.person", action="update").count():
        return
    root = OrgUnit.objects.get(code=ROOT_CODE)
    rng = random.Random("bench-stats-moves")
    ids = list(Person.objects.filter(unit__path__startswith=root.path,
                                     status=Status.ACTIVE).values_list("pk", flat=True)[:50_000])
    chosen = rng.sample(ids, min(args.moves, len(ids)))
    kinds = (Status.RETIRED, Status.RESIGNED, Status.TRANSFERRED_OUT, Status.DECEASED,
             Status.DISMISSED)
    with transaction.atomic():
        items = []
        # (the number stays encrypted: a copied database's key may be another's)
        for person in Person.objects.filter(pk__in=chosen).defer("id_number"):
            before = person.audit_snapshot()
            person.status = rng.choices(kinds, weights=(60, 20, 15, 3, 2))[0]
            items.append(("update", person, before, person.audit_snapshot()))
        Person.objects.bulk_update([p for _a, p, _b, _c in items], ["status"], batch_size=1000)
        log_changes(items)
    out(f"status changes: {len(items)}")


# --- the floors: the same queries by hand ------------------------------------------


def floors(vendor: str, path: str, root: str, day: dt.date):
    """name → a function running the hand-written SQL of that statistic."""
    from django.db import connection

    from hoso.catalogs import selectors as catalogs
    from hoso.records.models import StaffCategory, party_member_tag
    from hoso.records.schema import get_schema
    from hoso.stats.selectors import AGE_GROUPS, language_sql, months_to, years_before

    pg = vendor == "postgresql"
    scope = [path + "%"]
    length = len(root) + 9
    base = ("FROM records_person p JOIN org_orgunit u ON u.id = p.unit_id "
            f"WHERE u.path LIKE %s AND p.status IN {IN_SERVICE_SQL}")
    with_profile = base.replace("WHERE", "LEFT JOIN records_profile pr ON pr.person_id = p.id "
                                "WHERE", 1)

    def run(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def grouped(*columns):
        names = ", ".join(f"pr.{c}" for c in columns)
        return lambda: run(f"SELECT {names}, COUNT(*) {with_profile} GROUP BY {names}", scope)

    cases = "WHEN p.birth_date > %s THEN 'unborn' " + " ".join(
        f"WHEN p.birth_date > %s THEN '{key}'"
        for (key, _a, _l), (_k, nxt, _x) in zip(AGE_GROUPS, AGE_GROUPS[1:], strict=False)
    )
    age_params = [day] + [years_before(day, nxt) for nxt in (g[1] for g in AGE_GROUPS[1:])]
    levels = [(e.code, int(e.attrs.get("level") or 0))
              for e in catalogs.entries("language_levels")]
    minority = sorted(e.code for e in catalogs.entries("languages") if e.attrs.get("minority"))
    people_ids = f"SELECT p.id {base}"
    language_query = language_sql(vendor, people_ids, len(levels), len(minority))
    language_params = [v for pair in levels for v in pair] + scope + minority

    def languages():
        return run(language_query, language_params)

    branch = f"substr(u.path, 1, {length})"

    def party():
        counts: dict = {}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {branch}, p.id, pr.party_member_tag {with_profile}", scope)
            while rows := cursor.fetchmany(5000):
                for b, pk, tag in rows:
                    sums = counts.setdefault(b, [0, 0, 0])
                    sums[2] += 1
                    if tag is not None:
                        sums[1] += 1
                        sums[0] += tag == party_member_tag(pk, "1")
        return counts

    months = months_to(day)
    start = dt.date(months[0][0], months[0][1] + 1, 1)
    end_index = months[-1][0] * 12 + months[-1][1] + 1
    end = dt.date(end_index // 12, end_index % 12 + 1, 1)
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tz)
    end_at = dt.datetime.combine(end, dt.time.min, tz)
    everyone = ("SELECT {cast} FROM records_person p JOIN org_orgunit u ON u.id = p.unit_id "
                "WHERE u.path LIKE %s")
    statuses = "'active', 'seconded'"
    out_statuses = "'retired', 'resigned', 'dismissed', 'transferred_out', 'deceased'"
    if pg:
        rec_month = "to_char(pr.recruitment_date, 'YYYY-MM')"
        at_month = "to_char(c.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')"
        old, new = "(c.before ->> 'status')", "(c.after ->> 'status')"
        ids = everyone.format(cast="CAST(p.id AS varchar)")
    else:
        rec_month = "strftime('%%Y-%%m', pr.recruitment_date)"
        at_month = "strftime('%%Y-%%m', datetime(c.at, '+7 hours'))"
        old, new = "json_extract(c.before, '$.status')", "json_extract(c.after, '$.status')"
        ids = everyone.format(cast="CAST(p.id AS text)")

    def movements():
        a = run(f"SELECT {rec_month}, COUNT(*) FROM records_person p JOIN org_orgunit u ON "
                "u.id = p.unit_id JOIN records_profile pr ON pr.person_id = p.id WHERE "
                "u.path LIKE %s AND pr.recruitment_date >= %s AND pr.recruitment_date < %s "
                "GROUP BY 1", scope + [start, end])
        b = run(f"SELECT {at_month}, {new}, COUNT(*) FROM audit_changelog c WHERE "
                "c.object_type = 'records.person' AND c.action = 'update' AND c.at >= %s AND "
                f"c.at < %s AND (({old} IN ({statuses}) AND {new} IN ({out_statuses})) OR "
                f"({old} IN ({out_statuses}) AND {new} IN ({statuses}))) AND c.object_id IN "
                f"({ids}) GROUP BY 1, 2", [start_at, end_at] + scope)
        return a, b

    current = " OR ".join(
        f"(p.category = '{c}' AND r.schema_version = '{get_schema(c).version}')"
        for c in StaffCategory.values
    )

    def people():
        return run(
            f"SELECT {branch}, p.category, p.sex, CASE {cases} ELSE '60plus' END, COUNT(*), "
            f"COUNT(pr.person_id), SUM(CASE WHEN {current} THEN 1 ELSE 0 END) "
            + with_profile.replace(
                "WHERE", "LEFT JOIN records_revision r ON r.id = pr.revision_id WHERE", 1)
            + " GROUP BY 1, 2, 3, 4", age_params + scope)

    return {
        "people": people,
        "profile": grouped("education_level", "political_theory", "state_management",
                           "it_level", "ethnicity", "rank_code"),
        "languages": languages,
        "party": party,
        "movements": movements,
    }


# Which hand-written query each statistic reads (the page runs each once).
FLOOR_OF = {
    "headcount": "people", "age": "people", "completeness": "people",
    "education": "profile", "political_theory": "profile", "state_management": "profile",
    "it": "profile", "ethnicity": "profile", "ranks": "profile", "languages": "languages",
    "party": "party", "movements": "movements",
}


# --- measuring -----------------------------------------------------------------------


def measure(args) -> list[tuple]:
    from django.db import connection
    from django.utils import timezone

    from hoso.accounts.models import User
    from hoso.accounts.permissions import forget_scopes
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit
    from hoso.stats import selectors

    day = timezone.localdate()
    root = OrgUnit.objects.get(code=ROOT_CODE)
    syt = OrgUnit.objects.get(code=common.SYT)
    cases = [
        ("province admin", User.objects.get(username="snv.quantri"), root),
        ("head of Sở Y tế", User.objects.get(username="syt.giamdoc"), syt),
    ]
    rows = []
    for label, user, unit in cases:
        filters = selectors.Filters(unit=unit)
        floor = floors(connection.vendor, unit.path, unit.path, day)
        floor_ms = {name: common.median_ms_cpu(run, args.repeat)[:2] for name, run in floor.items()}
        people = selectors.Scans(user, filters).total
        for key, compute in selectors.STATISTICS.items():

            def orm(compute=compute, user=user, filters=filters):
                forget_scopes(user)
                return compute(selectors.Scans(user, filters))

            orm_ms, orm_cpu, stat = common.median_ms_cpu(orm, args.repeat)
            raw_ms, raw_cpu = floor_ms[FLOOR_OF[key]]
            check = stat.total.values.get("total", stat.total.values.get("count")) \
                if stat.total else None
            rows.append((label, key, orm_ms, raw_ms, orm_cpu, raw_cpu, check))
        client = common.logged_in_client(user)

        def page(client=client, unit=unit):
            response = client.get(f"/stats/?unit={unit.pk}")
            assert response.status_code == 200, response.status_code
            return len(response.content)

        page_ms, page_cpu, size = common.median_ms_cpu(page, args.repeat)
        rows.append((label, f"whole page ({size // 1024} KB HTML)", page_ms,
                     sum(w for w, _c in floor_ms.values()), page_cpu,
                     sum(c for _w, c in floor_ms.values()), people))
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    with common.session(args):
        from django.db import connection

        from hoso.org.models import OrgUnit
        from hoso.records.models import Person, Profile

        out(f"hoso bench: statistics on {connection.vendor}, {args.people:,} people, "
            f"{args.provinces} province(s)")
        common.generate(args)
        t = time.monotonic()
        fill_files(args)
        make_moves(args)
        out(f"files and moves ready in {time.monotonic() - t:.1f} s")
        out(f"database: {Person.objects.count():,} people, {Profile.objects.count():,} files, "
            f"{OrgUnit.objects.count():,} units; median of {args.repeat} runs")
        header = ("user", "statistic", "ORM ms", "raw SQL ms", "ratio", "ORM CPU ms",
                  "raw CPU ms", "people")
        common.print_table(header, [
            (label, what, f"{orm:.1f}", f"{raw:.1f}", common.ratio(orm, raw, ".2f"),
             f"{orm_cpu:.1f}", f"{raw_cpu:.1f}", common.num(n, ","))
            for label, what, orm, raw, orm_cpu, raw_cpu, n in measure(args)
        ])


if __name__ == "__main__":
    main()
