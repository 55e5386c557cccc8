"""Re-computes both audit chains and reports the first broken link.

Other apps add their own integrity checks (revision chains, projections, stored
signatures) with `register_check` from their AppConfig.ready(); `hoso audit verify`
and the audit page run them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hoso.core.canonical import chain_hash

from .models import AccessLog, ChainHead, ChangeLog

GENESIS = "0" * 64

CHAIN_NAMES = {"change": _("Change log"), "access": _("Access log")}
PROBLEMS = {
    "missing": _("a row is missing"),
    "link": _("the link to the previous row is broken"),
    "content": _("the row's content was altered"),
    "truncated": _("rows were removed from the end"),
}


@dataclass
class ChainReport:
    chain: str
    rows: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None

    @property
    def chain_name(self) -> str:
        return str(CHAIN_NAMES[self.chain])

    @property
    def problem_text(self) -> str:
        return str(PROBLEMS.get(self.problem, self.problem))


def verify_chain(model) -> ChainReport:
    report = ChainReport(chain=model.CHAIN, rows=0)
    prev_hash, expected_seq = GENESIS, 1
    for row in model.objects.order_by("seq").iterator(chunk_size=2000):
        report.rows += 1
        if row.seq != expected_seq:
            report.broken_seq, report.problem = expected_seq, "missing"
            return report
        if row.prev_hash != prev_hash:
            report.broken_seq, report.problem = row.seq, "link"
            return report
        if chain_hash(row.prev_hash, row.payload()) != row.hash:
            report.broken_seq, report.problem = row.seq, "content"
            return report
        prev_hash, expected_seq = row.hash, expected_seq + 1
    head = ChainHead.objects.filter(chain=model.CHAIN).first()
    if head and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        report.broken_seq, report.problem = expected_seq, "truncated"
    return report


_CHECKS: dict[str, Callable[[], ChainReport]] = {}


def register_check(key: str, name, check: Callable[[], ChainReport], problems=None) -> None:
    """Add an integrity check: `check()` returns a ChainReport whose `chain` is `key`,
    `rows` what it looked at and, when broken, `broken_seq` (the id of the first bad
    row) and `problem` (a key of `problems` or a translated sentence)."""
    CHAIN_NAMES[key] = name
    PROBLEMS.update(problems or {})
    _CHECKS[key] = check


def verify_all() -> list[ChainReport]:
    return [verify_chain(ChangeLog), verify_chain(AccessLog)] + [c() for c in _CHECKS.values()]
