"""The projection of a revision's document into indexed columns (DESIGN principle 2).

One function, `project(document)`, says which column holds what; `revision_create`
writes its result with every revision, and the integrity check of `hoso audit verify`
recomputes it from the newest revision and compares. The person's own columns
(name, date of birth, sex, identification number, unit) live on `Person`; the rest on
the one-to-one `Profile`. A value the document does not hold leaves the person's
column as it was (a person created before their first revision keeps what the HR
officer entered) and the profile's column empty.

Only what lists, search and the annual report (Vĩnh Phúc Đ14.4, Đ16.7: headcount by
rank, title, job position, levels of training) filter or count on is projected; the
restricted details stay sealed in the revision. Two restricted values the reports
count are projected encrypted (`ENCRYPTED_COLUMNS`, Fernet like the sealed part, not
indexed): the religion and whether the person is a Party member (never the dates).

Two derived columns serve the search and are checked here too: `Person.name_key`, the
name as search compares it (`hoso.core.text.search_key`), and
`Profile.party_member_tag`, the blind index the search filters Party membership by
(`records.models.party_member_tag`: a keyed hash salted with the person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


def partial_date(value) -> dt.date | None:
    """"YYYY", "YYYY-MM" or "YYYY-MM-DD" → the first day it can mean."""
    if not isinstance(value, str) or not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _code(value) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _province(value) -> str:
    return _code(value.get("province")) if isinstance(value, dict) else ""


def _salary_group(rank_code) -> str:
    if not rank_code:
        return ""
    try:
        from hoso.catalogs.selectors import rank_info
    except ImportError:  # the catalogs app is not installed yet
        return ""
    info = rank_info(rank_code)
    return _code(getattr(info, "salary_group", "")) if info else ""


# Profile column → how it is computed from the document.
PROFILE_COLUMNS: dict[str, Any] = {
    "birth_date_text": lambda d: _code(d.get("birth_date")),
    "ethnicity": lambda d: _code(d.get("ethnicity")),
    "religion": lambda d: _code(d.get("religion")),
    "birth_province": lambda d: _province(d.get("birth_place")),
    "home_town_province": lambda d: _province(d.get("home_town")),
    "managing_unit_code": lambda d: _code(d.get("managing_unit")),
    "employing_unit_code": lambda d: _code(d.get("employing_unit")),
    "staff_number": lambda d: _code(d.get("staff_number")),
    "recruitment_date": lambda d: _date(d.get("recruitment_date")),
    "job_position": lambda d: _code(d.get("job_position")),
    "rank_code": lambda d: _code(d.get("rank_code")),
    "salary_group": lambda d: _salary_group(d.get("rank_code")),
    "salary_step": lambda d: _int(d.get("salary_step")),
    "salary_coefficient": lambda d: _decimal(d.get("salary_coefficient")),
    "salary_since": lambda d: _date(d.get("salary_since")),
    "next_raise_date": lambda d: _date(d.get("next_raise_date")),
    "general_education": lambda d: _code(d.get("general_education")),
    "education_level": lambda d: _code(d.get("education_level")),
    "political_theory": lambda d: _code(d.get("political_theory")),
    "state_management": lambda d: _code(d.get("state_management")),
    "it_level": lambda d: _code(d.get("it_level")),
    "academic_title": lambda d: _code(d.get("academic_title")),
    "academic_degree": lambda d: _code(d.get("academic_degree")),
    "party_member": lambda d: "1" if d.get("party_join_date") else "0",
    "contract_type": lambda d: _code(d.get("contract_type")),
    "contract_to": lambda d: _date(d.get("contract_to")),
}


# Columns stored encrypted (EncryptedTextField: "" is stored as NULL).
ENCRYPTED_COLUMNS = frozenset({"religion", "party_member"})


@dataclass(frozen=True)
class Projection:
    person: dict[str, Any]  # Person column → value (only those the document holds)
    unit_code: str | None  # the employing unit's code, when the document names one
    profile: dict[str, Any]  # Profile column → value


def project(document: dict) -> Projection:
    person: dict[str, Any] = {}
    if document.get("full_name"):
        person["full_name"] = document["full_name"]
    birth = partial_date(document.get("birth_date"))
    if birth:
        person["birth_date"] = birth
    if document.get("sex") in ("male", "female"):
        person["sex"] = document["sex"]
    if document.get("id_number"):
        person["id_number"] = document["id_number"]
    profile = {column: compute(document) for column, compute in PROFILE_COLUMNS.items()}
    return Projection(person, document.get("employing_unit") or None, profile)


def differences(person, profile, revision) -> list[str]:
    """The columns whose stored value differs from the projection of `revision` (the
    person's newest); empty when the projection is faithful."""
    from hoso.core.text import search_key

    from .models import party_member_tag

    expected = project(revision.document)
    wrong = [
        name for name, value in expected.person.items() if getattr(person, name) != value
    ]
    if person.name_key != search_key(person.full_name):
        wrong.append("name_key")
    if expected.unit_code is not None and person.unit.code != expected.unit_code:
        wrong.append("unit")
    if profile is None:
        return [*wrong, "profile"]
    if profile.revision_id != revision.pk or profile.content_hash != revision.content_hash:
        wrong.append("revision")
    for column, value in expected.profile.items():
        stored = getattr(profile, column)
        if column in ENCRYPTED_COLUMNS:
            stored = stored or ""
        if isinstance(stored, Decimal) and value is not None:
            value = Decimal(value)
        if stored != value:
            wrong.append(column)
    if profile.party_member_tag != party_member_tag(person.pk, expected.profile["party_member"]):
        wrong.append("party_member_tag")
    return wrong
