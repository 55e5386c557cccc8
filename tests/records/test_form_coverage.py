"""Every numbered item of the CV form (docs/domain/cv-form.md) reaches every part
the one schema drives: the schema itself, the section forms a person fills, the API
(its JSON schema and a revision read back through it) and the printed CV."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hoso.accounts.permissions import SYSTEM
from hoso.records.schema import get_schema, section_form
from hoso.records.schema.samples import sample_document
from hoso.records.services import revision_create
from hoso.reports.cv import render_cv
from tests.clients import client_for
from tests.factories import PersonFactory
from tests.records.test_schema import _cv_form_rows


def _fields_by_item(schema):
    by_item: dict[int, list] = {}
    for f in schema.fields:
        if f.form_item is not None:
            by_item.setdefault(f.form_item, []).append(f)
    return by_item


def test_every_item_of_the_cv_form_has_an_input_in_a_section_form(db):
    schema = get_schema("cong_chuc")
    inputs = set()
    for section in schema.sections:
        form = section_form(schema, section.key, category="cong_chuc")
        inputs |= set(form.fields) | set(form.formsets)
    missing = {
        n: [f.key for f in fields if f.key not in inputs]
        for n, fields in _fields_by_item(schema).items()
        if any(f.key not in inputs for f in fields)
    }
    assert set(_cv_form_rows()) <= set(_fields_by_item(schema))
    assert not missing, f"items with no form input: {missing}"


def test_every_item_of_the_cv_form_is_in_the_api_schema_and_comes_back_from_the_api(world):
    schema = get_schema("cong_chuc")
    api = client_for(world.actors["province_admin"])
    published = api.get("/api/v1/profile-schema/cong_chuc/").json()
    properties = published["properties"]
    unit = world.in_unit
    document = sample_document("cong_chuc", unit_code=unit.code, rows=1)
    # The sample's history (recruitment, training) is dated for its own birth date.
    person = PersonFactory(unit=unit, category="cong_chuc",
                           birth_date=dt.date.fromisoformat(document["birth_date"]))
    document.update(full_name=person.full_name, sex=person.sex, id_number=person.id_number)
    revision_create(actor=SYSTEM, person=person, document=document, reason="test")
    read = api.get(f"/api/v1/persons/{person.pk}/revisions/1/").json()["document"]
    gaps = {}
    for n, fields in _fields_by_item(schema).items():
        for f in fields:
            if f.key not in properties:
                gaps.setdefault(n, []).append(f"{f.key}: not in the JSON schema")
            if f.key in document and f.key not in read:
                gaps.setdefault(n, []).append(f"{f.key}: not read back")
    assert not gaps, gaps


def _text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    text = " ".join(page.get_textpage().get_text_range() for page in doc)
    return " ".join(unicodedata.normalize("NFC", text).split()).lower()


def test_every_item_of_the_cv_form_is_printed(world):
    schema = get_schema("cong_chuc")
    document = sample_document("cong_chuc", unit_code=world.in_unit.code, rows=1)
    text = _text(render_cv(document, category="cong_chuc"))
    unprinted = {}
    for n, fields in _fields_by_item(schema).items():
        shown = [f for f in fields if f.printable and f.type != "evidence"]
        labels = [" ".join(str(f.label).split()).lower() for f in shown]
        if shown and not any(label in text for label in labels):
            unprinted[n] = [f.key for f in shown]
    assert not unprinted, f"items whose label is not on the printed CV: {unprinted}"
    # the photo (item 0 of the print, a header field) has its box
    assert "4 × 6" in text or "4x6" in text.replace(" ", "")
