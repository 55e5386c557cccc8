"""What makes a file need fixing: the schema's own validation, and the few signs of a
file contradicting itself that the validation cannot refuse.

Quảng Nam Quy định Đ14.4–14.5: whoever manages a unit's data looks for what is
unclear or contradictory in it and sees that every field gets filled in. The rules
live in one place, `records.schema.validate` (required fields for the category,
dates in order — recruited at 18 or older, the salary step's date not before
recruitment —, codes in force, the salary coefficient of the rank and step …); this
module runs it, unchanged, over a file's newest revision, and adds only what a form
must let through because it is sometimes true, yet usually is a slip:

- the same row twice in a table (a training, a reward, a relative entered twice);
- a second living spouse in the family table (Luật Hôn nhân và gia đình 2014, Điều
  5.2.c forbids marrying while married: a former spouse belongs there only with a
  year of death — or not at all);
- the father or the mother twice (adoptive parents have their own codes);
- the spouse, or the spouse's parents, named as a man's husband or a woman's wife's
  side ("Chồng" in a man's file: Luật Hôn nhân và gia đình 2014, Điều 8.2 recognises
  no marriage between people of the same sex);
- a relative of one side in the other side's table (the catalog of relationships
  says which side each code is on).

Each finding is a `records.schema.Issue` (path, Vietnamese message, code), like the
validation's; their codes say which kind a problem is: "required" is a missing field,
everything else something to correct.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hoso.records.schema import Issue, get_schema, validate

# Relationship codes (catalogs/data/relationships.yaml) that say whose spouse is meant.
SPOUSE = frozenset({"vo", "chong"})
ONCE = ("bo", "me")  # one father, one mother (bố nuôi, mẹ nuôi are codes of their own)
# The codes that make sense only for a man (his wife and her parents) or a woman.
MAN_ONLY = frozenset({"vo", "bo_vo", "me_vo"})
WOMAN_ONLY = frozenset({"chong", "bo_chong", "me_chong"})
TABLE_SIDES = {"family_own": "own", "family_spouse": "spouse"}

MISSING_CODES = frozenset({"required"})


def _label(code: str) -> str:
    from hoso.catalogs.selectors import code_label

    return code_label("relationships", code)


def _side(code: str) -> str:
    from hoso.catalogs.selectors import entry_for

    entry = entry_for("relationships", code)
    return str(entry.attrs.get("side", "")) if entry is not None else ""


def _q(text) -> str:
    return f"“{text}”"


def _duplicate_rows(schema, document: dict) -> list[Issue]:
    issues = []
    for field in schema.fields:
        rows = document.get(field.key)
        if not field.is_table or not isinstance(rows, list):
            continue
        seen: dict[str, int] = {}
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            key = repr(sorted(row.items()))
            if key in seen:
                issues.append(Issue(
                    f"{field.key}.{index}",
                    _("%(table)s, row %(row)d repeats row %(first)d: remove one of them.")
                    % {"table": _q(field.label), "row": index + 1, "first": seen[key] + 1},
                    "duplicate",
                ))
            else:
                seen[key] = index
    return issues


def _family(schema, document: dict, sex: str | None) -> list[Issue]:
    issues = []
    for key, side in TABLE_SIDES.items():
        rows = document.get(key)
        if key not in schema or not isinstance(rows, list):
            continue
        table = _q(schema.field(key).label)
        first: dict[str, int] = {}
        spouse_row = None
        for index, row in enumerate(rows):
            code = row.get("relationship") if isinstance(row, dict) else None
            if not isinstance(code, str):
                continue
            path = f"{key}.{index}.relationship"
            values = {"table": table, "row": index + 1, "relation": _q(_label(code))}
            other_side = _side(code)
            if other_side and other_side != side:
                other = next((k for k, s in TABLE_SIDES.items() if s == other_side), None)
                issues.append(Issue(path, _(
                    "%(table)s, row %(row)d: %(relation)s belongs in %(other)s; move the row "
                    "there.") % {**values, "other": _q(schema.field(other).label)
                                 if other in schema else other},
                    "relationship"))
            if (sex == "male" and code in WOMAN_ONLY) or (sex == "female" and code in MAN_ONLY):
                issues.append(Issue(path, _(
                    "%(table)s, row %(row)d: %(relation)s does not fit a %(sex)s's file; "
                    "check the relationship or the sex.")
                    % {**values, "sex": _("man") if sex == "male" else _("woman")},
                    "relationship"))
            if code in SPOUSE and "death_year" not in row:
                if spouse_row is not None:
                    issues.append(Issue(path, _(
                        "%(table)s, row %(row)d: a second living spouse (row %(first)d is one "
                        "too); a former spouse needs the year of death, or no row.")
                        % {**values, "first": spouse_row + 1}, "duplicate"))
                else:
                    spouse_row = index
            if code in ONCE:
                if code in first:
                    issues.append(Issue(path, _(
                        "%(table)s, row %(row)d: %(relation)s is listed twice (row %(first)d "
                        "too); remove one of them.") % {**values, "first": first[code] + 1},
                        "duplicate"))
                else:
                    first[code] = index
    return issues


def file_issues(document: dict, *, category: str, on: dt.date) -> list[Issue]:
    """Every problem of a file's document: the schema's validation (required fields
    and rules) as of `on` — the day the revision was approved, so that time passing
    never turns a right file wrong —, then the signs of self-contradiction above."""
    schema = get_schema(category)
    issues = list(validate(document, category=category, on=on))
    sex = document.get("sex") if document.get("sex") in ("male", "female") else None
    issues += _duplicate_rows(schema, document)
    issues += _family(schema, document, sex)
    return issues


def is_missing(issue: Issue) -> bool:
    return issue.code in MISSING_CODES
