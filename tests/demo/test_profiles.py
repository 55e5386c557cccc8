"""`fake_document`: a full, valid profile document for every staff category, whose
fields agree with each other and with the code lists."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from hoso.catalogs import selectors as catalogs
from hoso.demo.generator import PeopleGenerator
from hoso.demo.names import FAMILY
from hoso.demo.profiles import fake_document
from hoso.records.models import StaffCategory
from hoso.records.schema import get_schema, validate

from ..factories import OrgUnitFactory

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def unit(db):
    return OrgUnitFactory.root()


def people(unit, category, n, seed="profiles"):
    gen = PeopleGenerator(units=[unit], seed=seed, today=TODAY)
    for _ in range(n):
        person = gen.person(category=category)
        person.unit = unit
        yield person


@pytest.mark.parametrize("category", StaffCategory.values)
def test_documents_are_valid_for_every_category(unit, category):
    for i, person in enumerate(people(unit, category, 12)):
        doc = fake_document(random.Random(i), person=person, category=category, today=TODAY)
        assert validate(doc, category=category, on=TODAY) == [], (category, i)


@pytest.mark.parametrize("category", [StaffCategory.CONG_CHUC, StaffCategory.LAO_DONG])
def test_every_field_is_filled_and_every_table_has_the_rows_asked(unit, category):
    person = next(people(unit, category, 1))
    doc = fake_document(random.Random(7), person=person, category=category, rows=20,
                        today=TODAY)
    assert validate(doc, category=category, on=TODAY) == []
    schema = get_schema(category)
    for field in schema.fields:
        if field.type == "evidence":
            continue  # the demo uploads no scanned documents
        assert field.key in doc, field.key
        if field.is_table:
            assert len(doc[field.key]) == 20, field.key
    assert doc["full_name"] == person.full_name and doc["id_number"] == person.id_number


def test_the_salary_is_the_coefficient_of_the_rank_at_its_step(unit):
    for i, person in enumerate(people(unit, StaffCategory.VIEN_CHUC, 20)):
        doc = fake_document(random.Random(i), person=person, category="vien_chuc", today=TODAY)
        info = catalogs.rank_info(doc["rank_code"])
        assert info.kind == "title"  # viên chức hold professional titles
        since = dt.date.fromisoformat(doc["salary_since"])
        expected = catalogs.salary_coefficient(info.salary_group, doc["salary_step"], since)
        assert Decimal(doc["salary_coefficient"]) == expected
        assert dt.date.fromisoformat(doc["recruitment_date"]) <= since <= TODAY
        for row in doc["salary_history"]:
            assert row["month"] <= doc["salary_since"][:7]


def test_dates_follow_the_life_of_the_person(unit):
    for i, person in enumerate(people(unit, StaffCategory.CONG_CHUC, 20)):
        doc = fake_document(random.Random(i), person=person, category="cong_chuc", today=TODAY)
        birth = person.birth_date
        recruited = dt.date.fromisoformat(doc["recruitment_date"])
        assert recruited >= birth.replace(year=birth.year + 18)
        assert doc["party_join_date"] <= doc["party_official_date"] <= TODAY.isoformat()
        assert doc["recruitment_date"] <= doc["current_unit_date"]
        for row in doc["evaluations"]:
            assert catalogs.code_valid("evaluation_grades", row["grade"],
                                       dt.date(row["year"], 12, 31))


def test_family_members_have_vietnamese_names_and_plausible_birth_years(unit):
    families = {n for n, _ in FAMILY}
    person = next(people(unit, StaffCategory.CONG_CHUC, 1, seed="family"))
    doc = fake_document(random.Random(3), person=person, category="cong_chuc", rows=8,
                        today=TODAY)
    own = {row["relationship"]: row for row in doc["family_own"]}
    assert own["bo"]["birth_year"] < person.birth_date.year - 15
    assert own["bo"]["full_name"].split()[0] == person.full_name.split()[0]
    for row in doc["family_own"] + doc["family_spouse"]:
        assert row["full_name"].split()[0] in families
        assert row["birth_year"] <= TODAY.year
    sides = {catalogs.entry_for("relationships", r["relationship"]).attrs["side"]
             for r in doc["family_spouse"]}
    assert sides == {"spouse"}


def test_the_same_seed_gives_the_same_document(unit):
    person = next(people(unit, StaffCategory.CAN_BO, 1))
    a = fake_document(random.Random(5), person=person, category="can_bo", today=TODAY)
    b = fake_document(random.Random(5), person=person, category="can_bo", today=TODAY)
    assert a == b
