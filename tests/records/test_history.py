"""The file's history: "as it was on date X", the field-by-field diff with Vietnamese
labels and catalog labels, and an access row for every read of someone else's file
(DESIGN principles 2 and 7) — through the selectors, the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import AccessLog
from hoso.core.context import acting_as
from hoso.core.errors import NotFound
from hoso.records import selectors
from hoso.records.services import revision_create

from ..api.conftest import token_client
from ..clients import client_for
from .documents import document_for

DAY = dt.timedelta(days=1)


@pytest.fixture
def history(world):
    """Dũng's file: approved 30 days ago, then raised a salary step and given a second
    language and a new health note 10 days ago."""
    person = world.people["in"]
    now = timezone.now()
    first = revision_create(actor=SYSTEM, person=person, reason="Hồ sơ ban đầu",
                            document=document_for(person), approved_at=now - 30 * DAY)
    doc = document_for(
        person, salary_step=4, salary_coefficient="3.33",
        languages=[{"language": "en", "level": "bac_4"}, {"language": "fr", "level": "bac_2"}],
        health_status="Cao huyết áp",
    )
    second = revision_create(actor=SYSTEM, person=person, reason="Nâng bậc lương",
                             document=doc, approved_at=now - 10 * DAY)
    return person, first, second


def _local(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def test_as_of_returns_the_revision_in_force_at_the_end_of_that_day(world, history):
    person, first, second = history
    officer = world.actors["hr_officer"]
    assert selectors.revision_as_of(user=officer, person=person, on=_local(31)) is None
    assert selectors.revision_as_of(user=officer, person=person, on=_local(30)).number == 1
    assert selectors.revision_as_of(user=officer, person=person, on=_local(11)).number == 1
    assert selectors.revision_as_of(user=officer, person=person, on=_local(10)).number == 2
    assert selectors.revision_current(user=officer, person=person).number == 2


def test_the_diff_names_fields_in_vietnamese_with_catalog_labels_and_rows(world, history):
    person, first, second = history
    changes = selectors.revision_diff(user=world.actors["hr_officer"], old=first, new=second)
    by_path = {c.path: c for c in changes}
    assert by_path["salary_step"].label == "Bậc lương"
    assert (by_path["salary_step"].before, by_path["salary_step"].after) == ("3", "4")
    assert by_path["salary_coefficient"].after == "3,33"
    level = by_path["languages.0.level"]
    assert (level.before, level.after) == ("Bậc 3 (B1)", "Bậc 4 (B2)")
    assert level.label.startswith("Ngoại ngữ") and "dòng 1" in level.label
    added = by_path["languages.1"]
    assert added.before == "" and "Tiếng Pháp" in added.after and "dòng 2" in added.label
    assert by_path["health_status"].after == "Cao huyết áp"
    assert "full_name" not in by_path


def test_the_diff_hides_what_the_reader_may_not_see(world, history):
    person, first, second = history
    paths = {c.path for c in selectors.revision_diff(
        user=world.actors["unit_admin"], old=first, new=second)}
    assert "salary_step" in paths and "health_status" not in paths


def test_the_diff_from_the_empty_file_shows_every_value_with_dates_dd_mm_yyyy(world, history):
    person, first, _ = history
    changes = selectors.revision_diff(user=world.actors["hr_officer"], old=None, new=first)
    by_path = {c.path: c for c in changes}
    assert by_path["birth_date"].after == person.birth_date.strftime("%d/%m/%Y")
    assert by_path["ethnicity"].after == "Kinh"
    assert by_path["rank_code"].after.startswith("Chuyên viên")


def test_the_selectors_cut_documents_to_the_reader(world, history):
    person, *_ = history
    rev = selectors.revision_current(user=world.actors["unit_admin"], person=person)
    assert "rank_code" in rev.document and "health_status" not in rev.document
    assert "health_status" in rev.hidden_keys and "history_detention" in rev.hidden_keys


def test_every_read_of_another_file_leaves_an_access_row_and_ones_own_none(world, history):
    person, first, second = history
    officer = world.actors["hr_officer"]
    before = AccessLog.objects.count()
    with acting_as(officer):
        selectors.revision_list(user=officer, person=person)
        selectors.revision_current(user=officer, person=person)
        selectors.revision_as_of(user=officer, person=person, on=_local(20))
        selectors.revision_diff(user=officer, old=first, new=second)
    rows = list(AccessLog.objects.filter(seq__gt=before).order_by("seq"))
    assert [(r.person_id, r.actor_id, r.detail["what"]) for r in rows] == [
        (person.pk, officer.pk, what) for what in ("revisions", "current", "as_of", "diff")
    ]
    own = officer.person
    revision_create(actor=SYSTEM, person=own, document=document_for(own), reason="")
    before = AccessLog.objects.count()
    assert selectors.revision_current(user=officer, person=own).document == document_for(own)
    assert AccessLog.objects.count() == before


def test_a_file_out_of_scope_is_not_found(world, history):
    person, *_ = history
    with pytest.raises(NotFound):
        selectors.revision_current(user=world.actors["chairman"], person=person)


# --- pages ---------------------------------------------------------------------------


def test_the_file_page_shows_the_sections_the_reader_may_see_and_what_is_empty(world, history):
    person, *_ = history
    url = reverse("people:person_detail", args=[person.pk])
    html = client_for(world.actors["hr_officer"]).get(url).content.decode()
    assert "Bậc 4 (B2)" in html and "Cao huyết áp" in html and "Phiên bản 2" in html
    assert "chưa kê khai" in html
    html = client_for(world.actors["unit_admin"]).get(url).content.decode()
    assert "Bậc 4 (B2)" in html and "Cao huyết áp" not in html
    assert 'id="hidden-sections"' in html


def test_the_file_page_of_a_file_without_revision_says_so(world):
    url = reverse("people:person_detail", args=[world.people["out"].pk])
    html = client_for(world.actors["province_admin"]).get(url).content.decode()
    assert "Chưa có hồ sơ được phê duyệt" in html


def test_the_revision_pages_list_show_as_of_and_diff(world, history):
    person, first, second = history
    client = client_for(world.actors["hr_head"])
    html = client.get(reverse("people:revision_list", args=[person.pk])).content.decode()
    assert "Nâng bậc lương" in html and second.content_hash[:16] in html
    html = client.get(reverse("people:revision_detail", args=[person.pk, 1])).content.decode()
    assert "Bậc 3 (B1)" in html
    on = _local(20).strftime("%d/%m/%Y")
    html = client.get(reverse("people:revision_as_of", args=[person.pk]), {"date": on}).content
    assert "Phiên bản 1" in html.decode()
    html = client.get(reverse("people:revision_as_of", args=[person.pk]),
                      {"date": _local(40).strftime("%d/%m/%Y")}).content.decode()
    assert "Chưa có hồ sơ nào được phê duyệt vào ngày" in html
    html = client.get(reverse("people:revision_as_of", args=[person.pk]),
                      {"date": "31/02/2025"}).content.decode()
    assert 'role="alert"' in html
    html = client.get(reverse("people:revision_diff", args=[person.pk])).content.decode()
    assert "Bậc lương" in html and "3,33" in html
    html = client.get(reverse("people:revision_diff", args=[person.pk]),
                      {"old": 2, "new": 1}).content.decode()
    assert 'role="alert"' in html and "Bậc lương" not in html
    assert client.get(reverse("people:revision_detail", args=[person.pk, 9])).status_code == 404


# --- API -----------------------------------------------------------------------------


def test_the_api_serves_revisions_as_of_and_diff(world, history):
    person, first, second = history
    client = token_client(world.actors["unit_admin"])
    base = f"/api/v1/persons/{person.pk}"
    listed = client.get(f"{base}/revisions/").json()
    assert [r["number"] for r in listed] == [2, 1]
    assert listed[0]["content_hash"] == second.content_hash and "document" not in listed[0]
    one = client.get(f"{base}/revisions/1/").json()
    assert one["document"]["salary_step"] == 3 and "health_status" not in one["document"]
    assert "health_status" in one["hidden_fields"]
    as_of = client.get(f"{base}/as-of/", {"date": _local(20).isoformat()}).json()
    assert as_of["number"] == 1
    missing = client.get(f"{base}/as-of/", {"date": _local(40).isoformat()})
    assert missing.status_code == 404 and "Chưa có hồ sơ" in missing.json()["detail"]
    assert client.get(f"{base}/as-of/", {"date": "hôm qua"}).status_code == 400
    diff = client.get(f"{base}/diff/", {"from": 1, "to": 2}).json()
    assert {"path": "salary_step", "label": "Bậc lương", "before": "3", "after": "4"} in (
        diff["changes"]
    )
    assert client.get(f"{base}/diff/", {"from": 2, "to": 1}).status_code == 400
    assert client.get(f"{base}/revisions/7/").status_code == 404


def test_the_api_serves_the_profile_schema(world):
    client = token_client(world.actors["staff"])
    body = client.get("/api/v1/profile-schema/cong_chuc/").json()
    assert "full_name" in str(body)
    assert client.get("/api/v1/profile-schema/khong_co/").status_code == 404
