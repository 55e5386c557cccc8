"""What the benchmarks of `bench/` share: options, Django set-up, the people generator,
timing, tables and a few data helpers.

This is a module of its own rather than a part of `visible_to.py` (which used to hold the
generator and the set-up): `visible_to.py` is one benchmark among the others, and a
benchmark should not have to import another benchmark to run. Every script imports it
the same way:

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import common  # noqa: E402  (the shared bench helpers)
    from common import out  # noqa: E402

Nothing here imports Django at module level: the database is chosen by `setup_django`
(or `start_django`) before Django reads its settings.

Options and set-up
    `parser(doc, repeat=…, repeat_help=…)` an ArgumentParser with --postgres, --people,
    --provinces, --repeat, --data-dir and --keep; `parse(p, argv)` parses and fills in the
    scale's defaults (100,000 people and 1 province; 2,500,000 and 25 with --postgres).
    `session(args)` a context manager: Django on the bench's database (`setup_django`),
    and afterwards the connections closed and the temporary data dir removed (or where
    it was kept said). `start_django(data_dir)` the bare set-up for the scripts that make
    their own data dir (signing.py, cv_pdf.py).
Data
    `generate(args)` the demo generator's tree, logins and people (reused when the
    database already holds them); `first_revision` and `write_files` approved files
    written in bulk (revision 1 sealed and hashed as `revision_create` does, and its
    projection); `trust_anchors` and `demo_signer` a demo CA trusted for the run and a
    user's PKCS#12 key configured as their signer; `logged_in_client` Django's test
    client logged in with 2FA.
Measuring
    `once(fn)` wall and CPU ms of one run; `timings(fn, repeat)` the runs after a
    warm-up; `median_ms`, `median_ms_cpu` their medians; `percentile`; `Timer` the wall
    and CPU time of a block.
Printing
    `out` prints and flushes; `num`, `ratio` format a figure or "-"; `print_table`
    prints rows in columns as wide as their widest cell; `comparison_table` the
    "ours beside the floor" table (user, query, ORM ms, raw SQL ms, ratio, rows).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
SYT = "000.00.15.H38"  # Sở Y tế of the shipped Lâm Đồng tree

PROVINCE_NAMES = (
    "Lâm Đồng", "Vĩnh Phúc", "Cần Thơ", "Quảng Nam", "Lai Châu", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Quảng Ninh", "Hải Phòng", "Đà Nẵng", "Khánh Hòa", "Gia Lai", "Đắk Lắk",
    "Đồng Nai", "An Giang", "Cà Mau", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
    "Hưng Yên", "Ninh Bình", "Quảng Trị", "Tây Ninh", "Đồng Tháp", "Vĩnh Long", "Sơn La",
    "Tuyên Quang", "Lạng Sơn", "Cao Bằng", "Điện Biên", "Huế", "Quảng Ngãi",
)


def out(text: str = "") -> None:
    print(text, flush=True)


# --- options and set-up --------------------------------------------------------------


def parser(doc: str, *, repeat: int | None = 7,
           repeat_help: str = "timed runs per figure (median)",
           national: bool = True) -> argparse.ArgumentParser:
    """The options every generated-data benchmark has; the script adds its own. With
    `national` False, --postgres only changes the database, not the scale; `repeat`
    None: no --repeat option."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    if national:
        p.add_argument("--postgres", metavar="URL",
                       help="national scale on this PostgreSQL database")
        p.add_argument("--people", type=int,
                       help="people in all (100000; 2500000 with --postgres)")
        p.add_argument("--provinces", type=int, help="provinces (1; 25 with --postgres)")
    else:
        p.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database")
        p.add_argument("--people", type=int, default=100_000, help="people in all (100000)")
        p.add_argument("--provinces", type=int, default=1, help="provinces (1)")
    if repeat is not None:
        p.add_argument("--repeat", type=int, default=repeat, help=repeat_help)
    p.add_argument("--data-dir", help="data dir (keys; the SQLite file)")
    p.add_argument("--keep", action="store_true", help="keep the temporary SQLite data dir")
    return p


def parse(p: argparse.ArgumentParser, argv=None) -> argparse.Namespace:
    """Parse, and fill in the scale: 100,000 people in 1 province, or 2,500,000 in 25
    with --postgres (unless the parser set its own defaults)."""
    args = p.parse_args(argv)
    national = bool(args.postgres)
    args.people = args.people or (2_500_000 if national else 100_000)
    args.provinces = args.provinces or (25 if national else 1)
    if args.provinces > len(PROVINCE_NAMES):
        p.error(f"at most {len(PROVINCE_NAMES)} provinces")
    return args


def start_django(data_dir: Path, database_url: str | None = None) -> None:
    """Point hoso at `data_dir` (and at `database_url`, or the data dir's SQLite file)
    before Django reads its settings, then set Django up."""
    if database_url:
        os.environ["HOSO_DATABASE_URL"] = database_url
    else:
        os.environ.pop("HOSO_DATABASE_URL", None)
    os.environ["HOSO_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.settings")
    sys.path.insert(0, str(SRC))
    import django

    django.setup()


def setup_django(args) -> Path | None:
    """Django on the bench's database: PostgreSQL with the data dir `--data-dir` (default
    ./var/bench-pg: the encryption keys must match the data), or SQLite in `--data-dir`
    or a fresh temporary dir. The temporary dir, if one was made."""
    temp = None
    if args.postgres:
        data_dir = Path(args.data_dir or "var/bench-pg")
    else:
        data_dir = Path(args.data_dir) if args.data_dir else None
        if data_dir is None:
            temp = data_dir = Path(tempfile.mkdtemp(prefix="hoso-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    start_django(data_dir.resolve(), args.postgres)
    return temp


@contextmanager
def session(args) -> Iterator[None]:
    """Django set up on the bench's database for the block (`setup_django`); after it,
    the connections closed and the temporary data dir removed — or, with --keep, where
    it is said."""
    temp = setup_django(args)
    try:
        yield
    finally:
        if temp is not None and not args.keep:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(temp, ignore_errors=True)
        elif temp is not None:
            out(f"data kept in {temp}")


# --- data: the people ----------------------------------------------------------------


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


def generate(args, *, label: str = "people") -> float:
    """Build the bench's data with the demo generator (`hoso.demo.generator`) unless the
    database already holds it: `--provinces` copies of the Lâm Đồng tree through the
    loader, the demo logins, `--people` people in batches of 10,000 with their audit
    rows. Says "<label> generated in … s"; the seconds it took (0 when reused)."""
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
    seconds = time.monotonic() - start
    out(f"{label} generated in {seconds:.1f} s")
    return seconds


# --- data: approved files ------------------------------------------------------------


@functools.cache
def current_schema_version(category: str) -> str:
    """The version of `category`'s schema in force (what `revision_create` records)."""
    from hoso.records.schema import get_schema

    return str(get_schema(category).version)


def first_revision(person_id: int, category: str, document: dict, *, created_at,
                   schema_version: str | None = None):
    """Revision 1 of a person's chain (GENESIS parent, reason "bench") holding
    `document`, sealed and hashed as `revision_create` does — not validated, not
    saved. `schema_version` defaults to the category's current one."""
    from hoso.records.models import GENESIS, Revision
    from hoso.records.sealing import seal

    public, sealed = seal(document, category=category)
    revision = Revision(
        person_id=person_id, number=1, parent_hash=GENESIS, category=category,
        schema_version=schema_version or current_schema_version(category),
        public=public, sealed=sealed, created_at=created_at, reason="bench",
    )
    revision.content_hash = revision.compute_hash(document)
    return revision


def write_files(files, *, created_at, batch_size: int) -> None:
    """Approved files in bulk, in one transaction: for each (person, document), revision
    1 (`first_revision`) and its projection (`records.Profile`), without the per-file
    validation and audit rows of `revision_create`."""
    from django.db import transaction

    from hoso.records.models import Profile, Revision
    from hoso.records.projection import project

    revisions, projections = [], []
    for person, document in files:
        revisions.append(first_revision(person.pk, person.category, document,
                                        created_at=created_at))
        projections.append(project(document).profile)
    with transaction.atomic():
        Revision.objects.bulk_create(revisions, batch_size=batch_size)
        Profile.objects.bulk_create(
            [Profile(person_id=r.person_id, revision=r, content_hash=r.content_hash, **p)
             for r, p in zip(revisions, projections, strict=True)],
            batch_size=batch_size,
        )


# --- data: signing -------------------------------------------------------------------


def trust_anchors(directory: Path, root, ca, *, ca_crl: str) -> None:
    """Trust the demo CA `root` for the run: its certificate in `directory`, and the
    CRLs of it and of its subordinate `ca` (named `ca_crl`) in `directory`/crl."""
    from hoso.signing import pki

    (directory / "crl").mkdir(parents=True, exist_ok=True)
    (directory / "root.pem").write_bytes(pki.pem(root.cert))
    (directory / "crl" / "root.crl").write_bytes(pki.crl_der(root.crl()))
    (directory / "crl" / ca_crl).write_bytes(pki.crl_der(ca.crl()))


def demo_signer(user, directory: Path, *, ca_name: str, ca_crl: str, org: str,
                passphrase: str = "bench") -> Path:
    """A demo CA trusted for this run (in `directory`/trust), and `user`'s key (issued to
    their personnel file, PKCS#12 with `passphrase`) configured as their signer, without
    a time-stamp authority and with soft revocation checks. The PKCS#12 file."""
    from django.conf import settings

    from hoso.signing import pki

    root = pki.DemoCA.root("hoso Bench Root CA")
    ca = root.subordinate(ca_name)
    issued = ca.issue_person(full_name=user.person.full_name,
                             id_number=user.person.id_number, org=org)
    anchors = directory / "trust"
    trust_anchors(anchors, root, ca, ca_crl=ca_crl)
    p12 = directory / "approver.p12"
    p12.write_bytes(issued.p12(passphrase))
    signers = directory / "signers.toml"
    signers.write_text(f'[user."{user.username}"]\nbackend = "p12"\nfile = "{p12}"\n',
                       encoding="utf-8")
    settings.SIGNING_TRUST_ANCHORS = anchors
    settings.SIGNING_CRL_DIR = ""
    settings.SIGNING_REVOCATION = "soft"
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_SIGNERS_FILE = signers
    return p12


def logged_in_client(user):
    """Django's test client logged in as `user`, past the second factor when they have
    a confirmed TOTP device."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# --- measuring -----------------------------------------------------------------------


def once(fn) -> tuple[float, float, object]:
    """(wall ms, CPU ms of this process, result) of one run. The machine is shared: the
    CPU time (the process's own, which on SQLite includes the database's work; on
    PostgreSQL the server's is not in it) is the steadier figure."""
    t, c = time.perf_counter(), time.process_time()
    result = fn()
    return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, result


def timings(fn, repeat: int, *, cpu: bool = True) -> tuple[list[float], list[float], object]:
    """Wall-clock and CPU milliseconds of `repeat` runs after a warm-up, and the
    warm-up's result. With `cpu` False only the wall clock is read (the CPU list is
    empty)."""
    result = fn()  # warm-up (and the result, to check ours and the floor agree)
    if cpu:
        runs = [once(fn) for _ in range(repeat)]
        return [r[0] for r in runs], [r[1] for r in runs], result
    walls = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        walls.append((time.perf_counter() - t) * 1000)
    return walls, [], result


def median_ms(fn, repeat: int) -> tuple[float, object]:
    """Median wall-clock ms of `repeat` runs after a warm-up, and the warm-up's result."""
    walls, _cpus, result = timings(fn, repeat, cpu=False)
    return statistics.median(walls), result


def median_ms_cpu(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU ms of `repeat` runs after a warm-up, and the result."""
    walls, cpus, result = timings(fn, repeat)
    return statistics.median(walls), statistics.median(cpus), result


def percentile(values, p: float) -> float:
    """The `p`th percentile of `values` (nearest rank)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Timer:
    """Wall-clock and CPU time of a block, in seconds (the machine may be shared: CPU
    time is the steadier figure; PKCS#11 work done inside SoftHSM2 counts as CPU time
    too)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


# --- printing ------------------------------------------------------------------------


def num(value, spec: str) -> str:
    """`value` formatted with `spec`, or "-" when there is none."""
    return "-" if value is None else format(value, spec)


def ratio(ours, floor, spec: str) -> str:
    """ours / floor formatted with `spec`, or "-" without a floor."""
    return format(ours / floor, spec) if floor else "-"


def print_table(header: tuple[str, ...], rows, *, left: Collection[int] = (0, 1)) -> None:
    """A blank line, then `header` and `rows` (tuples of strings) in columns as wide as
    their widest cell, two spaces apart: the columns `left` left-aligned, the others
    right-aligned."""
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    out()
    for r in (header, *rows):
        out("  ".join(v.ljust(w) if i in left else v.rjust(w)
                      for i, (v, w) in enumerate(zip(r, widths, strict=True))))


COMPARISON_HEADER = ("user", "query", "ORM ms", "raw SQL ms", "ratio", "rows")


def comparison_table(rows, *, header: tuple[str, ...] = COMPARISON_HEADER,
                     spec: str = ".2f", ratio_spec: str = ".2f") -> None:
    """`print_table` of rows (label, what, ours, floor or None, count or None): the
    times with `spec`, their ratio with `ratio_spec`, the count with thousands
    separators."""
    print_table(header, [
        (label, what, format(ours, spec), num(floor, spec), ratio(ours, floor, ratio_spec),
         num(n, ","))
        for label, what, ours, floor, n in rows
    ])
