"""Benchmark of the annual report (Vĩnh Phúc Đ14.4, Đ16.7; Lâm Đồng Đ13.9).

    python bench/annual_report.py                      province scale: 100k people, SQLite
    python bench/annual_report.py --postgres URL       national scale: 2.5M people, PostgreSQL

The people come from the shared generator (`common.generate`, the same data as
`bench/visible_to.py`: a second run on the same database reuses it). On top of them it
writes every file's approved revision and its projection in bulk (the columns the report
counts: rank or title, job position, ethnicity, levels of training, the Party flag
encrypted as the projection keeps it), approved in 2024–2025; then, after 31/12/2025, a
second revision for 1 % of the people (a new rank) and a status change for 0.2 %
(retired in January, audited as the person row's change) — the people the report re-
reads as they were on 31/12.

It times the figures of the 2025 report (`headcount.count` through
`selectors.unit_figures`, as the province administrator: `visible_to`, the settled
people's GROUP BY, their Party flags decrypted, the changed people re-projected) for a
department (Sở Y tế and its sub-tree), one province, and — at national scale — every
province at once; each beside the raw-SQL floor of the same GROUP BY written by hand,
and the report without the Party column (the part whose cost is decryption, one
Fernet token per person). Then the PDF and the workbook of the province's report.
Each figure is the median of `--repeat` runs after a warm-up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, data generator, timing)
from common import out  # noqa: E402

YEAR = 2025


def parse_args(argv=None):
    p = common.parser(__doc__, repeat=5)
    p.add_argument("--skip-national-party", action="store_true",
                   help="at national scale, do not time the Party column over everyone")
    return common.parse(p, argv)


# --- data ----------------------------------------------------------------------------

EDUCATION = (("dh", 62), ("ths", 18), ("cd", 7), ("tc", 6), ("ts", 2), ("", 5))
POLITICAL = (("trung_cap", 40), ("so_cap", 30), ("cao_cap", 12), ("cu_nhan", 3), ("", 15))
STATE = (("cv", 45), ("cvc", 20), ("cvcc", 3), ("can_su", 5), ("", 27))
ETHNIC = (("01", 85), ("02", 3), ("03", 3), ("06", 3), ("07", 2), ("08", 2), ("09", 2))


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def fill() -> float:
    """Give every person without an approved file a revision and its projection, in bulk;
    then the changes after 31/12. Seconds taken (0 when the data is there)."""
    from django.db import transaction
    from django.utils import timezone

    from hoso.catalogs.selectors import entries
    from hoso.core.canonical import canonical_json
    from hoso.core.crypto import encrypt
    from hoso.records.models import GENESIS, Person, Profile, Revision

    todo = Person.objects.filter(profile__isnull=True).count()
    if not todo:
        out("reusing the files already in the database")
        return 0.0
    start = time.monotonic()
    ranks = [e.code for e in entries("ranks")]
    titles = [e.code for e in entries("titles")]
    positions = [e.code for e in entries("job_positions")]
    rng = random.Random("bench-annual")  # noqa: S311 (bench data)
    first = timezone.make_aware(dt.datetime(2024, 1, 1)).timestamp()
    last = timezone.make_aware(dt.datetime(YEAR, 6, 30)).timestamp()
    done = 0
    ids = Person.objects.filter(profile__isnull=True).order_by("pk").values_list(
        "pk", "category", "sex", "birth_date", "unit__code")
    batch: list = []

    def flush(batch):
        revisions, profiles = [], []
        for pid, category, sex, born, unit_code in batch:
            if category == "vien_chuc":
                rank = rng.choice(titles)
            elif category in ("cong_chuc", "cap_xa"):
                rank = rng.choice(ranks)
            else:
                rank = ""
            values = {
                "ethnicity": _pick(rng, ETHNIC), "education_level": _pick(rng, EDUCATION),
                "political_theory": _pick(rng, POLITICAL),
                "state_management": _pick(rng, STATE),
                "job_position": rng.choice(positions) if rng.random() < 0.95 else "",
                "rank_code": rank,
            }
            party = rng.random() < 0.4
            public = {"employing_unit": unit_code, "sex": sex, "birth_date": born.isoformat(),
                      **{k: v for k, v in values.items() if v}}
            changed = pid % 100 == 0  # revised after 31/12: its old file is re-read
            sealed = ""
            if changed and party:
                sealed = encrypt(canonical_json({"party_join_date": "2010-05-19"}).decode())
            when = dt.datetime.fromtimestamp(rng.uniform(first, last), dt.UTC)
            revisions.append(Revision(
                person_id=pid, number=1, parent_hash=GENESIS, category=category,
                content_hash=hashlib.sha256(f"bench:{pid}:1".encode()).hexdigest(),
                schema_version="bench", public=public, sealed=sealed, created_at=when,
                reason="bench",
            ))
            profiles.append(Profile(person_id=pid, content_hash="", party_member="1" if party
                                    else "0", **values))
        with transaction.atomic():
            Revision.objects.bulk_create(revisions, batch_size=2000)
            for profile, revision in zip(profiles, revisions, strict=True):
                profile.revision_id = revision.pk
                profile.content_hash = revision.content_hash
            Profile.objects.bulk_create(profiles, batch_size=2000)

    for row in ids.iterator(chunk_size=10_000):
        batch.append(row)
        if len(batch) == 10_000:
            flush(batch)
            done += len(batch)
            batch = []
            if done % 100_000 == 0:
                out(f"  files {done:,}/{todo:,} ({done / (time.monotonic() - start):,.0f}/s)")
    if batch:
        flush(batch)
        done += len(batch)
    out(f"  files {done:,}/{todo:,}")
    changes_after(ranks)
    return time.monotonic() - start


def changes_after(ranks) -> None:
    """1 % of the files revised on 10/01/2026 (a new rank), 0.2 % of the people retired
    on 12/01/2026 (their person row's change, audited as any change)."""
    from django.db import transaction
    from django.db.models.functions import Mod
    from django.utils import timezone

    from hoso.audit.services import log_changes
    from hoso.records.models import Person, Profile, Revision

    rng = random.Random("bench-annual-after")  # noqa: S311
    revised_at = timezone.make_aware(dt.datetime(YEAR + 1, 1, 10, 9))
    retired_at = timezone.make_aware(dt.datetime(YEAR + 1, 1, 12, 9))
    changed = list(Profile.objects.annotate(m=Mod("person_id", 100)).filter(m=0)
                   .values_list("person_id", "revision_id"))
    for start in range(0, len(changed), 5000):
        chunk = changed[start:start + 5000]
        old = {r.pk: r for r in Revision.objects.filter(pk__in=[rid for _p, rid in chunk])}
        new = []
        for pid, rid in chunk:
            public = dict(old[rid].public)
            public["rank_code"] = rng.choice(ranks) if public.get("rank_code") else ""
            new.append(Revision(
                person_id=pid, number=2, parent_hash=old[rid].content_hash,
                category=old[rid].category, schema_version="bench", public=public,
                content_hash=hashlib.sha256(f"bench:{pid}:2".encode()).hexdigest(),
                created_at=revised_at, reason="bench",
            ))
        with transaction.atomic():
            Revision.objects.bulk_create(new, batch_size=2000)
            profiles = list(Profile.objects.filter(person_id__in=[p for p, _r in chunk]))
            by_person = {r.person_id: r for r in new}
            for profile in profiles:
                revision = by_person[profile.person_id]
                profile.revision_id, profile.content_hash = revision.pk, revision.content_hash
                profile.rank_code = revision.public.get("rank_code", "")
            Profile.objects.bulk_update(profiles, ["revision", "content_hash", "rank_code"],
                                        batch_size=2000)
    out(f"  {len(changed):,} files revised after 31/12")
    retiring = list(
        Person.objects.filter(status="active").annotate(m=Mod("pk", 500)).filter(m=7)
        .values_list("pk", "unit_id", "category", "sex", "birth_date"))
    original = timezone.now
    timezone.now = lambda: retired_at
    try:
        with transaction.atomic():
            Person.objects.filter(pk__in=[r[0] for r in retiring]).update(status="retired")
            rows = []
            for pid, unit_id, category, sex, born in retiring:
                before = {"unit_id": unit_id, "category": category, "sex": sex,
                          "birth_date": born.isoformat(), "status": "active"}
                stub = Person(pk=pid)
                rows.append(("update", stub, before, dict(before, status="retired")))
            log_changes(rows)
    finally:
        timezone.now = original
    out(f"  {len(retiring):,} people retired after 31/12")


# --- measuring -----------------------------------------------------------------------


def median_s(fn, repeat: int):
    """Median seconds of `repeat` runs after a warm-up, and the warm-up's result."""
    ms, result = common.median_ms(fn, repeat)
    return ms / 1000, result


FLOOR = """
SELECT p.category, f.rank_code, f.job_position, COUNT(*),
       COUNT(*) FILTER (WHERE p.sex = 'female'),
       COUNT(*) FILTER (WHERE f.ethnicity NOT IN ('', '01', '55')),
       {ages},
       COUNT(*) FILTER (WHERE f.education_level IN ('tskh', 'ts')),
       COUNT(*) FILTER (WHERE f.education_level = 'ths'),
       COUNT(*) FILTER (WHERE f.education_level = 'dh'),
       COUNT(*) FILTER (WHERE f.education_level = 'cd'),
       COUNT(*) FILTER (WHERE f.education_level = 'tc'),
       COUNT(*) FILTER (WHERE f.education_level NOT IN ('tskh', 'ts', 'ths', 'dh', 'cd', 'tc')),
       COUNT(*) FILTER (WHERE f.political_theory IN ('cu_nhan', 'cao_cap')),
       COUNT(*) FILTER (WHERE f.political_theory = 'trung_cap'),
       COUNT(*) FILTER (WHERE f.political_theory = 'so_cap'),
       COUNT(*) FILTER (WHERE f.state_management = 'cvcc'),
       COUNT(*) FILTER (WHERE f.state_management = 'cvc'),
       COUNT(*) FILTER (WHERE f.state_management = 'cv'),
       COUNT(*) FILTER (WHERE f.state_management = 'can_su')
FROM records_person p
JOIN records_profile f ON f.person_id = p.id
JOIN org_orgunit u ON u.id = p.unit_id
WHERE u.path LIKE %s AND p.status IN ('active', 'seconded')
  AND p.id NOT IN (SELECT person_id FROM records_revision WHERE created_at > %s)
  AND p.id NOT IN (SELECT CAST(object_id AS bigint) FROM audit_changelog
                   WHERE object_type = 'records.person' AND action = 'update' AND at > %s)
GROUP BY p.category, f.rank_code, f.job_position
"""


def floor_sql(day: dt.date) -> tuple[str, list]:
    from hoso.annual.headcount import age_bounds

    ages, params = [], []
    for _column, after, upto in age_bounds(day):
        cond = []
        if after is not None:
            cond.append("p.birth_date > %s")
            params.append(after)
        if upto is not None:
            cond.append("p.birth_date <= %s")
            params.append(upto)
        ages.append(f"COUNT(*) FILTER (WHERE {' AND '.join(cond)})")
    return FLOOR.replace("{ages}", ",\n       ".join(ages)), params


def measure(args) -> list[tuple]:
    from django.db import connection

    from hoso.accounts.models import User
    from hoso.annual import deadlines, exports, headcount, selectors
    from hoso.annual.models import Kind
    from hoso.demo.generator import ROOT_CODE
    from hoso.org.models import OrgUnit
    from hoso.records.models import Person

    admin = User.objects.get(username="snv.quantri")
    moment = deadlines.as_of(YEAR)
    day = deadlines.as_of(YEAR).date()
    sql, age_params = floor_sql(day)
    syt = OrgUnit.objects.get(code=common.SYT)
    root = OrgUnit.objects.get(code=ROOT_CODE)
    cases = [("department (Sở Y tế sub-tree)", syt.path), ("province (Lâm Đồng)", root.path)]
    if args.postgres:
        cases.append((f"every province ({args.provinces})", ""))
    rows = []
    for label, path in cases:
        scope = headcount.Scope(subtrees=(path,)) if path else headcount.Scope()

        def report(party, scope=scope, path=path):
            if path:
                qs = Person.objects.visible_to(admin, "person.export")
            else:
                from hoso.accounts.permissions import SYSTEM

                qs = Person.objects.visible_to(SYSTEM, "person.export")
            counts = headcount.count(visible=qs, scope=scope, moment=moment, party=party)
            return sum(v[0] for v in counts.groups.values())

        def floor(path=path):
            with connection.cursor() as cur:
                cur.execute(sql, [*age_params, path + "%", moment, moment])
                return sum(r[3] for r in cur.fetchall())

        floor_s, floor_n = median_s(floor, args.repeat)
        bare_s, bare_n = median_s(lambda: report(False), args.repeat)
        rows.append((label, "report without the Party column", bare_s, floor_s, bare_n))
        if path or not args.skip_national_party:
            repeat = args.repeat if path != "" else 1
            full_s, full_n = median_s(lambda: report(True), repeat)
            rows.append((label, "report (all columns)", full_s, floor_s, full_n))
        out(f"  {label}: done")
    # the province's report as its page and files show it
    view_s, view = median_s(
        lambda: selectors.province_report_view(user=admin, year=YEAR, code=ROOT_CODE,
                                               log=False), max(1, args.repeat // 2))
    rows.append(("province (Lâm Đồng)", "province's report page (compiled)", view_s, None,
                 view.figures.total[0]))
    pdf_s, _ = median_s(lambda: exports.draft_pdf(kind=Kind.PROVINCE, unit=view.unit,
                                                  figures=view.figures), args.repeat)
    xlsx_s, _ = median_s(lambda: exports.workbook(kind=Kind.PROVINCE, unit=view.unit,
                                                  figures=view.figures), args.repeat)
    rows.append(("province (Lâm Đồng)", "PDF of the report", pdf_s, None, None))
    rows.append(("province (Lâm Đồng)", "Excel workbook of the report", xlsx_s, None, None))
    return rows


def main(argv=None) -> None:
    args = parse_args(argv)
    with common.session(args):
        from django.db import connection

        from hoso.records.models import Person, Profile

        out(f"hoso bench: annual report on {connection.vendor}, {args.people:,} people, "
            f"{args.provinces} province(s)")
        common.generate(args)
        seconds = fill()
        if seconds:
            out(f"files generated in {seconds:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        out(f"database: {Person.objects.count():,} people, {Profile.objects.count():,} "
            f"approved files; median of {args.repeat} runs")
        common.comparison_table(
            measure(args), header=("scope", "what", "s", "raw SQL s", "ratio", "people counted"),
            spec=".3f")
        out()
        out(json.dumps({"engine": connection.vendor, "people": args.people}))


if __name__ == "__main__":
    main()
