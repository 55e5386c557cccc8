"""Regular salary-step raises and the seniority allowance beyond the last step.

Thông tư 08/2013/TT-BNV (amended by Thông tư 03/2021/TT-BNV), Điều 2.1, on the salary
tables of Nghị định 204/2004/NĐ-CP: whoever has not reached the last step of their rank or
title is considered for the next step after 3 years (36 full months) at the current
step when the rank or title requires college training or more (groups A0 to A3),
after 2 years (24 months) when it requires less (groups B and C). The interval of
each rank and title is a catalog attribute (`catalogs.selectors.rank_info(…)
.raise_interval_months`), never a rule here.

Thông tư 04/2005/TT-BNV (phụ cấp thâm niên vượt khung): at the last step, after the
same 36 (24) months the allowance starts at 5 % of the last step's salary, and grows
by 1 % with each further year.

The counting starts on the date the current step is held from (`salary_since`, "ngày
hưởng"). What lengthens it (unpaid leave, discipline: Thông tư 08/2013/TT-BNV, Điều
2.3) is for the HR officer to weigh when the raise is considered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import add_months, full_months

SENIORITY_FIRST = 5  # %: Thông tư 04/2005/TT-BNV
SENIORITY_YEARLY = 1  # % more each further year


class Kind:
    STEP = "step"
    SENIORITY = "seniority"


@dataclass(frozen=True)
class NextRaise:
    kind: str  # Kind.STEP or Kind.SENIORITY
    due: dt.date
    step: int  # the step after the raise (the last step, for the allowance)
    percent: int | None = None  # the allowance from `due` (seniority only)


def step_due(since: dt.date, interval: int) -> dt.date:
    """When the next step is due: `interval` full months at the current step."""
    return add_months(since, interval)


def seniority_percent(since: dt.date, interval: int, on: dt.date) -> int:
    """The seniority allowance (%) on `on` of someone at the last step since `since`:
    0 before the first interval has passed."""
    start = add_months(since, interval)
    if on < start:
        return 0
    return SENIORITY_FIRST + SENIORITY_YEARLY * (full_months(start, on) // 12)


def next_raise(
    *, step: int, steps: int, since: dt.date, interval: int, after: dt.date
) -> NextRaise:
    """The next raise of someone at `step` of `steps` since `since`: below the last
    step, the next step (whenever it falls, even before `after`: an overdue raise);
    at the last step, the first change of the seniority allowance on or after
    `after`."""
    if step < steps:
        return NextRaise(Kind.STEP, step_due(since, interval), step + 1)
    k = 0
    first = add_months(since, interval)
    if first < after:
        k = max(0, full_months(first, after) // 12)
        while add_months(since, interval + 12 * k) < after:
            k += 1
    return NextRaise(
        Kind.SENIORITY, add_months(since, interval + 12 * k), steps,
        SENIORITY_FIRST + SENIORITY_YEARLY * k,
    )
