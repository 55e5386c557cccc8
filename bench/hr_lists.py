"""Benchmark of the HR lists (issue 7): retirements, salary raises, files with problems.

    python bench/hr_lists.py                      province scale: 100k people, SQLite
    python bench/hr_lists.py --postgres URL       national scale: 2.5M people, PostgreSQL

The people come from the shared generator (`common.generate`, the same data as
`bench/visible_to.py`: a second run on the same database reuses it). Every person then
gets an approved file: one revision holding a full CV document
(`hoso.demo.profiles.fake_document`, 3 rows per table), sealed, hashed and projected as
`records.services.revision_create` writes it, but in batches and without its per-file
validation and audit rows (a bench fills 100,000 files in minutes, not hours); one file
in a hundred names two living spouses, so the list of files with problems is not empty.

For a unit administrator of Sở Y tế and the province administrator it times, beside
the raw-SQL floor of the same rows (`connection.cursor()`):

- the retirement list (next 12 months): the count and the first page of 50;
- the raise list (next 6 months): the whole computation (database narrowing, then each
  candidate's date in Python) and the first page;
- the files with problems: checking every file once (cold, files per second), then a
  page as it is served when the checks are current — the rules fingerprint, the count
  of unchecked files, the count of the list, and the first page (which decrypts and
  validates its 50 files again to write the messages).

Each latency is the median of `--repeat` runs after a warm-up.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=7, repeat_help="timed runs per latency (median)")
    p.add_argument("--keep-checks", action="store_true",
                   help="keep the file checks a previous run made (no cold check)")
    return common.parse(p, argv)


def fill_files() -> None:
    """One approved revision (and its projection) for everyone who has none
    (`common.write_files`)."""
    from django.utils import timezone

    from hoso.demo.profiles import fake_document
    from hoso.records.models import Person

    todo = Person.objects.filter(profile__isnull=True).select_related("unit").order_by("pk")
    total = todo.count()
    if not total:
        return
    rng = random.Random("bench-hr")
    now = timezone.now()
    t = time.monotonic()
    done = 0
    batch = 2000
    while True:
        people = list(todo[:batch])
        if not people:
            break
        files = []
        for person in people:
            doc = fake_document(rng, person=person, category=person.category, rows=3)
            if rng.random() < 0.01 and "family_own" in doc:
                spouse = {"relationship": "vo" if person.sex == "male" else "chong",
                          "full_name": "Nguyễn Thị Hai", "birth_year": person.birth_date.year}
                doc["family_own"] = [*doc["family_own"], spouse, dict(spouse, full_name="Ba")]
            files.append((person, doc))
        common.write_files(files, created_at=now, batch_size=500)
        done += len(people)
        out(f"  files {done:,}/{total:,} ({done / (time.monotonic() - t):,.0f}/s)")


def cases():
    from hoso.accounts.models import User
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit

    return [
        ("unit admin (Sở Y tế)", User.objects.get(username="syt.quantri"),
         OrgUnit.objects.get(code=common.SYT).path),
        ("province admin", User.objects.get(username="snv.quantri"),
         OrgUnit.objects.get(code=ROOT_CODE).path),
    ]


def measure(args) -> list[tuple]:
    from django.db import connection
    from django.utils import timezone

    from hoso.accounts.permissions import forget_scopes
    from hoso.hr import selectors, services
    from hoso.hr.dates import add_months, last_day, month_index
    from hoso.hr.retirement import retirement_months

    today = timezone.localdate()
    first = month_index(today)
    spans = {sex: retirement_months(first, first + 11, sex) for sex in ("male", "female")}
    where = " OR ".join(
        f"(p.sex = '{sex}' AND p.birth_date BETWEEN '{s[0][0]}' AND '{s[-1][1]}')"
        for sex, s in spans.items() if s
    )
    retire_sql = (
        "FROM records_person p JOIN org_orgunit u ON u.id = p.unit_id "
        f"WHERE u.path LIKE %s AND p.status IN ('active', 'seconded') AND ({where})"
    )

    def fetch(sql, params):
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    end = last_day(first + 5)
    # The candidates of the widest window (24-month ranks): every step held from on or
    # before the window's end less 24 months.
    since_bounds = [add_months(end, -24)]
    raise_sql = (
        "SELECT p.id, p.full_name, f.rank_code, f.salary_group, f.salary_step, "
        "f.salary_since FROM records_person p JOIN org_orgunit u ON u.id = p.unit_id "
        "JOIN records_profile f ON f.person_id = p.id WHERE u.path LIKE %s "
        "AND p.status IN ('active', 'seconded') AND f.salary_since IS NOT NULL "
        "AND f.salary_step IS NOT NULL AND f.rank_code <> '' AND f.salary_since <= %s"
    )

    rows = []

    def timed(label, what, orm, raw, n):
        orm_ms, result = common.median_ms(orm, args.repeat)
        raw_ms = common.median_ms(raw, args.repeat)[0] if raw else None
        rows.append((label, what, orm_ms, raw_ms, n(result)))

    for label, user, path in cases():
        forget_scopes(user)
        like = [path + "%"]

        # retirement ------------------------------------------------------------------
        timed(label, "retirement: count",
              lambda user=user: selectors.retirement_people(user=user).count(),
              lambda like=like: fetch(f"SELECT COUNT(*) {retire_sql}", like)[0][0],
              lambda n: n)
        timed(label, "retirement: first page",
              lambda user=user: selectors.retirement_rows(
                  selectors.retirement_people(user=user)[:50]),
              lambda like=like: fetch(
                  f"SELECT p.id, p.full_name, p.birth_date, p.sex, u.name {retire_sql} "
                  "ORDER BY p.birth_date, p.full_name, p.id LIMIT 50", like),
              len)

        # raises ----------------------------------------------------------------------
        timed(label, "raises: the whole list (ids)",
              lambda user=user: list(selectors.raise_people(user=user).values_list("pk")),
              lambda like=like: fetch(raise_sql, [*like, *since_bounds]),
              len)
        timed(label, "raises: first page",
              lambda user=user: selectors.raise_rows(selectors.raise_people(user=user)[:50]),
              None, len)
        timed(label, "raises: count",
              lambda user=user: selectors.raise_people(user=user).count(), None, lambda n: n)

    # problems: the cold check ----------------------------------------------------------
    from hoso.hr.models import FileCheck

    if not args.keep_checks:
        FileCheck.objects.all().delete()
    t = time.monotonic()
    checked = services.check_files(
        progress=lambda d, n: d % 20_000 == 0 and out(f"  checked {d:,}/{n:,}"))
    cold = time.monotonic() - t
    if checked:
        out(f"checking {checked:,} files: {cold:.1f} s ({checked / cold:,.0f}/s)")

    rules_ms, rules = common.median_ms(services.rules_fingerprint, args.repeat)
    rows.append(("-", "problems: rules fingerprint", rules_ms, None, None))
    problem_sql = (
        "FROM records_person p JOIN org_orgunit u ON u.id = p.unit_id "
        "WHERE u.path LIKE %s AND p.status IN ('active', 'seconded') AND p.id IN ("
        "SELECT c.person_id FROM hr_filecheck c LEFT JOIN records_profile f "
        "ON f.person_id = c.person_id WHERE c.rules = %s "
        "AND (c.missing > 0 OR c.contradictions > 0) AND (c.content_hash = f.content_hash "
        "OR (c.content_hash = '' AND f.person_id IS NULL)))"
    )
    for label, user, path in cases():
        forget_scopes(user)
        like = [path + "%"]
        timed(label, "problems: unchecked count",
              lambda user=user: selectors.unchecked(user=user, rules=rules).count(),
              None, lambda n: n)
        timed(label, "problems: count",
              lambda user=user: selectors.problem_people(user=user, rules=rules).count(),
              lambda like=like: fetch(f"SELECT COUNT(*) {problem_sql}", [*like, rules])[0][0],
              lambda n: n)
        timed(label, "problems: first page",
              lambda user=user: selectors.problem_rows(
                  user=user, people=selectors.problem_people(user=user, rules=rules)[:50]),
              lambda like=like: fetch(
                  f"SELECT p.id, p.full_name {problem_sql} "
                  "ORDER BY p.full_name, p.id LIMIT 50", [*like, rules]),
              len)
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    with common.session(args):
        from django.db import connection

        from hoso.records.models import Person, Revision

        out(f"hoso bench: HR lists on {connection.vendor}, {args.people:,} people")
        common.generate(args)
        t = time.monotonic()
        fill_files()
        out(f"files written in {time.monotonic() - t:.1f} s")
        out(f"database: {Person.objects.count():,} people, {Revision.objects.count():,} "
            f"revisions; median of {args.repeat} runs")
        common.comparison_table(measure(args))


if __name__ == "__main__":
    main()
