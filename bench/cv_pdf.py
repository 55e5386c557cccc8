"""Benchmark of the printed CV: `hoso.reports.cv.render_cv` on the largest CV a person
can have.

    python bench/cv_pdf.py [--repeat 30] [--rows 20] [--save cv.pdf]

The document is the schema's own `sample_document` (hoso.records.schema.samples): a
valid civil servant's CV with every field filled and every repeating table (positions,
languages, mass organisations, training, work history, salary, allowances, rewards,
discipline, evaluations, family on both sides) with `--rows` rows, codes from the
shipped catalogs. It renders the approved print (footer with the revision) and the draft
(watermark on every page), each `--repeat` times after a warm-up, and prints the
median, the 95th percentile and the best of the wall time, and the median and 95th
percentile of the process's CPU time (on a shared machine the wall time also counts
the other jobs' turns on the cores; the CPU time does not).

The floor: reportlab drawing the same text — every line the CV prints, read back from
the PDF — with `drawString` in the same embedded font, one line under the other and a
new page when one is full: no wrapping, no tables, no rules. What the CV costs above
it is the layout. Target (issue 4): under 300 ms.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (the shared bench helpers: set-up, timing)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=30, help="timed renders per figure")
    p.add_argument("--rows", type=int, default=20, help="rows in every repeating table")
    p.add_argument("--save", help="write the approved print to this file")
    return p.parse_args(argv)


def setup_django() -> Path:
    """A throw-away data dir with a migrated SQLite database (the catalogs load at
    migrate)."""
    data_dir = Path(tempfile.mkdtemp(prefix="hoso-bench-cv-"))
    common.start_django(data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return data_dir


class FakeRevision:
    """What the footer reads of an approved revision."""

    number = 12
    content_hash = "3f" * 32


def timed(fn, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of `repeat` renders after a warm-up (fonts, schema, catalogs)."""
    wall, cpu, _result = common.timings(fn, repeat)
    return wall, cpu


def floor_render(lines: list[str]) -> bytes:
    """The same text drawn line by line in the same embedded font, without layout."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from hoso.reports import fonts

    family = fonts.register_fonts()
    out = io.BytesIO()
    with fonts.binary_streams():
        c = canvas.Canvas(out, pagesize=A4, initialFontName=family, invariant=True)
        y = A4[1] - 57
        c.setFont(family, 10)
        for line in lines:
            if y < 57:
                c.showPage()
                c.setFont(family, 10)
                y = A4[1] - 57
            c.drawString(85, y, line)
            y -= 12
        c.showPage()
        c.save()
    return out.getvalue()


def main(argv=None) -> None:
    args = parse_args(argv)
    t0 = time.perf_counter()
    setup_django()
    print(f"set-up (migrate, catalogs): {time.perf_counter() - t0:.1f} s")

    import pypdfium2 as pdfium

    from hoso.records.schema.samples import sample_document
    from hoso.reports.cv import render_cv

    doc = sample_document("cong_chuc", unit_code="000.01.00.H26", rows=args.rows)
    revision = FakeRevision()

    def approved() -> bytes:
        return render_cv(doc, category="cong_chuc", revision=revision)

    def draft() -> bytes:
        return render_cv(doc, category="cong_chuc", draft=True)

    pdf = approved()
    if args.save:
        Path(args.save).write_bytes(pdf)
    reader = pdfium.PdfDocument(pdf)
    pages = len(reader)
    lines = [
        line
        for i in range(pages)
        for line in reader[i].get_textpage().get_text_range().splitlines()
        if line.strip()
    ]
    floor_pdf = floor_render(lines)

    rows = [
        ("approved (footer: revision, hash)", *timed(approved, args.repeat), len(pdf)),
        ("draft (watermark on every page)", *timed(draft, args.repeat), len(draft())),
        (
            "floor: same text, drawString",
            *timed(lambda: floor_render(lines), args.repeat),
            len(floor_pdf),
        ),
    ]
    print(
        f"CV of every field, {args.rows} rows per table: {pages} pages, {len(lines)} lines "
        f"of text; {args.repeat} renders per figure after a warm-up"
    )
    print(
        f"{'render':<36} {'median ms':>10} {'p95 ms':>8} {'best ms':>8} "
        f"{'CPU med':>8} {'CPU p95':>8} {'KB':>6}"
    )
    for name, wall, cpu, size in rows:
        wall_p95, cpu_p95 = common.percentile(wall, 95), common.percentile(cpu, 95)
        print(
            f"{name:<36} {statistics.median(wall):>10.1f} {wall_p95:>8.1f} {min(wall):>8.1f} "
            f"{statistics.median(cpu):>8.1f} {cpu_p95:>8.1f} {size / 1024:>6.0f}"
        )
    target = statistics.median(rows[0][1])
    verdict = "under" if target < 300 else "OVER"
    print(f"target: median under 300 ms — {verdict} ({target:.0f} ms)")


if __name__ == "__main__":
    main()
