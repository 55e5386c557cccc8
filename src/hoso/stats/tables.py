"""The shape of one statistic: a table of counts that the page draws as a chart, the
export writes as a spreadsheet and the API returns as JSON — the same numbers in all
three, because all three read this one object.

A `Statistic` has value columns (`Column`), rows (`Row`, each a label and a count per
column) and a total row. Columns and rows marked `charted` are the ones the chart
draws; the others (shares in %, a "not declared" row that would flatten the bars) are
in the table only. Nothing here queries: `selectors` fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Chart kinds (`charts.render`): horizontal bars (stacked when there are several
# charted columns), an age pyramid (two columns drawn left and right of an axis) and
# grouped vertical columns (a time series).
BARS, PYRAMID, COLUMNS = "bars", "pyramid", "columns"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    charted: bool = True
    percent: bool = False  # a share in % (one decimal), derived from the counts
    color: str = ""  # the chart's colour for this column ("" = the palette's next)


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, int | float | None]
    charted: bool = True

    def value(self, column: str) -> int | float | None:
        return self.values.get(column)


@dataclass
class Statistic:
    key: str
    title: str
    description: str
    row_label: str  # the heading of the label column ("Unit", "Age group" …)
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    chart: str = BARS
    note: str = ""
    # Why the user may not see this statistic ("" when they may): its figures are then
    # neither computed nor shown.
    withheld: str = ""

    @property
    def charted_columns(self) -> list[Column]:
        return [c for c in self.columns if c.charted and not c.percent]

    @property
    def charted_rows(self) -> list[Row]:
        return [r for r in self.rows if r.charted]

    @property
    def lines(self) -> list[tuple[Row, list[tuple[str, int | float | None]]]]:
        """The table's body for a template: each row with its (column key, value)s."""
        return [(r, [(c.key, r.value(c.key)) for c in self.columns]) for r in self.rows]

    @property
    def total_line(self) -> list[tuple[str, int | float | None]]:
        return [(c.key, self.total.value(c.key)) for c in self.columns] if self.total else []

    @property
    def empty(self) -> bool:
        """Nobody counted: no row holds a number above zero."""
        return not any(
            isinstance(v, int | float) and v > 0 for r in self.rows for v in r.values.values()
        )

    def header(self) -> list[str]:
        return [self.row_label, *(c.label for c in self.columns)]

    def table_rows(self) -> list[list]:
        """Rows as the table and the export show them, the total last."""
        rows = [*self.rows, *([self.total] if self.total else [])]
        return [[r.label, *(r.value(c.key) for c in self.columns)] for r in rows]

    def add_shares(self, of: str, into: str = "share") -> None:
        """Fill the percent column `into` with each row's `of` as a share of the total's."""
        whole = self.total.value(of) if self.total else None
        for row in [*self.rows, *([self.total] if self.total else [])]:
            part = row.value(of)
            row.values[into] = (
                round(100 * part / whole, 1) if whole and part is not None else None
            )

    def as_dict(self) -> dict:
        """The API's JSON (the same figures as the page's table)."""

        def row(r: Row) -> dict:
            return {"key": r.key, "label": r.label, "values": {
                c.key: r.value(c.key) for c in self.columns
            }}

        return {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "row_label": self.row_label,
            "columns": [
                {"key": c.key, "label": c.label, "percent": c.percent} for c in self.columns
            ],
            "rows": [row(r) for r in self.rows] if not self.withheld else [],
            "total": row(self.total) if self.total and not self.withheld else None,
            "note": self.note,
            "withheld": self.withheld,
        }


def share_column(label: str) -> Column:
    return Column("share", label, charted=False, percent=True)
