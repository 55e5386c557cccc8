"""The files with problems (Quảng Nam Quy định Đ14.4–14.5): required fields missing,
data that contradicts itself, no approved file yet — each with the way to fix it; only
files the user may change; the kept checks (per revision and rules) and their cost."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import AccessLog
from hoso.hr import services
from hoso.hr.checks import file_issues
from hoso.hr.models import FileCheck
from hoso.records.models import GENESIS, Person, Revision
from hoso.records.projection import project
from hoso.records.schema import get_schema, validate
from hoso.records.sealing import seal
from hoso.records.services import _write_projection, revision_create

from ..records.documents import document_for
from .conftest import login, person

D = dt.date
EXAMPLE = (Path(__file__).resolve().parents[2] / "src" / "hoso" / "records" / "schema"
           / "extensions" / "example.yaml")
SPOUSE = {"relationship": "vo", "full_name": "Nguyễn Thị Vợ", "birth_year": 1982}


def approved(p, **changes) -> Revision:
    return revision_create(actor=SYSTEM, person=p, reason="Hồ sơ ban đầu",
                           document=document_for(p, **changes))


def carried_over(p, **changes) -> Revision:
    """A revision as the old database handed it over, before today's rules: written as
    `revision_create` writes it (sealed, hashed, projected) but without its validation
    — the revisions table refuses only updates and deletes."""
    document = document_for(p, **changes)
    clear, sealed = seal(document, category=p.category)
    revision = Revision(
        person=p, number=1, parent_hash=GENESIS, category=p.category,
        schema_version=str(get_schema(p.category).version), public=clear, sealed=sealed,
        created_at=timezone.now(), reason="Chuyển từ cơ sở dữ liệu cũ",
    )
    revision.content_hash = revision.compute_hash(document)
    revision.save()
    _write_projection(p, p.unit, project(document), revision)
    return revision


@pytest.fixture
def files(quiet_world):
    w = quiet_world
    born = D(1980, 5, 17)
    out = {
        "fine": person(w.in_unit, born=born, name="Đủ Văn Tốt"),
        "spouses": person(w.in_unit, born=born, name="Hai Văn Vợ"),
        "young": person(w.in_unit, born=D(1990, 5, 17), name="Trẻ Văn Sớm"),
        "salary": person(w.in_child, born=born, name="Lương Văn Trước"),
        "none": person(w.in_unit, born=born, name="Chưa Có Hồ Sơ"),
        "out": person(w.out_unit, born=born, name="Ngoài Văn Phạm"),
    }
    approved(out["fine"])
    approved(out["spouses"], family_own=[SPOUSE, {**SPOUSE, "full_name": "Trần Thị Vợ"}])
    # Recruited at 17 years 9 months (Luật Cán bộ, công chức 2008, Điều 36.1.b: 18).
    carried_over(out["young"], recruitment_date="2008-03-01", current_unit_date="2008-03-01")
    # The salary step held from 01/09/2020, recruited on 01/03/2021.
    carried_over(out["salary"], recruitment_date="2021-03-01", current_unit_date="2021-03-01")
    carried_over(out["out"], recruitment_date="2021-03-01", current_unit_date="2021-03-01")
    return out


NAMES = ["Đủ Văn Tốt", "Hai Văn Vợ", "Trẻ Văn Sớm", "Lương Văn Trước", "Chưa Có Hồ Sơ",
         "Ngoài Văn Phạm"]


def _names(html):
    return sorted(n for n in NAMES if n in html)


def test_the_list_shows_each_problem_and_nothing_outside_the_scope(client, quiet_world, files):
    html = login(client, quiet_world.actors["hr_officer"]).get(
        reverse("hr:problems")).content.decode()
    assert _names(html) == sorted(["Hai Văn Vợ", "Trẻ Văn Sớm", "Lương Văn Trước",
                                   "Chưa Có Hồ Sơ"])
    young = Revision.objects.get(person=files["young"])
    for issue in validate(young.document, category="cong_chuc", on=timezone.localdate()):
        assert issue.message in html  # the validation's own words
    assert {(i.path, i.code) for i in validate(young.document, category="cong_chuc")} == {
        ("recruitment_date", "age")}
    salary = Revision.objects.get(person=files["salary"])
    assert [(i.path, i.code) for i in validate(salary.document, category="cong_chuc")] == [
        ("salary_since", "order")]


def test_a_spouse_listed_twice_is_a_contradiction_the_form_lets_through(quiet_world, files):
    revision = Revision.objects.get(person=files["spouses"])
    issues = file_issues(revision.document, category="cong_chuc", on=timezone.localdate())
    assert [(i.path, i.code) for i in issues] == [("family_own.1.relationship", "duplicate")]
    # A former spouse with a year of death is no contradiction.
    document = dict(revision.document, family_own=[
        {**SPOUSE, "death_year": 2015}, {**SPOUSE, "full_name": "Trần Thị Vợ"}])
    assert file_issues(document, category="cong_chuc", on=timezone.localdate()) == []


@pytest.mark.parametrize(("rows", "sex", "expected"), [
    # the same relative twice, word for word
    ([SPOUSE | {"death_year": 2015}] * 2, "male", [("family_own.1", "duplicate")]),
    ([{"relationship": "bo", "full_name": "A", "birth_year": 1950},
      {"relationship": "bo", "full_name": "B", "birth_year": 1952}], "male",
     [("family_own.1.relationship", "duplicate")]),
    # "Chồng" in a man's file; "Bố vợ" among his own relatives
    ([{"relationship": "chong", "full_name": "A", "birth_year": 1980}], "male",
     [("family_own.0.relationship", "relationship")]),
    ([{"relationship": "bo_vo", "full_name": "A", "birth_year": 1950}], "male",
     [("family_own.0.relationship", "relationship")]),
    ([{"relationship": "vo", "full_name": "A", "birth_year": 1980}], "female",
     [("family_own.0.relationship", "relationship")]),
])
def test_the_family_tables_contradictions(quiet_world, rows, sex, expected):
    p = person(quiet_world.in_unit, born=D(1980, 5, 17), sex=sex)
    document = document_for(p, family_own=rows)
    assert validate(document, category="cong_chuc", on=timezone.localdate()) == []
    found = file_issues(document, category="cong_chuc", on=timezone.localdate())
    assert [(i.path, i.code) for i in found] == expected


def test_each_problem_links_to_the_section_that_fixes_it(client, quiet_world, files):
    client = login(client, quiet_world.actors["hr_officer"])
    html = client.get(reverse("hr:problems")).content.decode()
    start = reverse("workflow:draft_start", args=[files["spouses"].pk])
    assert f'action="{start}"' in html and 'name="section" value="family"' in html
    assert reverse("workflow:person_file", args=[files["spouses"].pk]) in html
    response = client.post(start, {"section": "family"})
    assert response.status_code == 302 and response["Location"].endswith("/edit/family/")
    # A person without an approved file: the button enters it.
    assert f'action="{reverse("workflow:draft_start", args=[files["none"].pk])}"' in html


def test_the_kind_filter(client, quiet_world, files):
    client = login(client, quiet_world.actors["hr_officer"])
    html = client.get(reverse("hr:problems"), {"kind": "unapproved"}).content.decode()
    assert _names(html) == ["Chưa Có Hồ Sơ"]
    html = client.get(reverse("hr:problems"), {"kind": "contradiction"}).content.decode()
    assert _names(html) == sorted(["Hai Văn Vợ", "Trẻ Văn Sớm", "Lương Văn Trước"])
    html = client.get(reverse("hr:problems"), {"unit": quiet_world.in_child.pk}).content.decode()
    assert _names(html) == ["Lương Văn Trước"]


def test_a_field_made_required_later_shows_as_missing(client, quiet_world, files, settings,
                                                       tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "example.yaml")
    settings.SCHEMA_EXTENSIONS = str(tmp_path)  # the province now requires a phone number
    try:
        html = login(client, quiet_world.actors["hr_officer"]).get(
            reverse("hr:problems"), {"kind": "missing"}).content.decode()
        assert _names(html) == sorted(["Đủ Văn Tốt", "Hai Văn Vợ", "Trẻ Văn Sớm",
                                       "Lương Văn Trước", "Chưa Có Hồ Sơ"])
        check = FileCheck.objects.get(person=files["fine"])
        assert (check.missing, check.contradictions, check.findings) == (
            1, 0, [["phone", "required"]])
    finally:
        settings.SCHEMA_EXTENSIONS = ""


def test_problems_in_fields_the_user_may_not_read_are_only_counted(client, quiet_world, files):
    # The unit administrator may change files but not read family details (restricted).
    html = login(client, quiet_world.actors["unit_admin"]).get(
        reverse("hr:problems")).content.decode()
    assert "Hai Văn Vợ" in html and "Nguyễn Thị Vợ" not in html and "Trần Thị Vợ" not in html
    revision = Revision.objects.get(person=files["spouses"])
    message = file_issues(revision.document, category="cong_chuc",
                          on=timezone.localdate())[0].message
    assert message not in html
    hr_html = login(client, quiet_world.actors["hr_officer"]).get(
        reverse("hr:problems")).content.decode()
    assert message in hr_html


def test_only_those_who_change_files_see_others_problems(client, quiet_world, files):
    for actor in ("unit_head", "auditor", "chairman", "expired"):
        html = login(client, quiet_world.actors[actor]).get(
            reverse("hr:problems")).content.decode()
        assert _names(html) == [], actor
    html = login(client, quiet_world.actors["province_admin"]).get(
        reverse("hr:problems")).content.decode()
    assert "Ngoài Văn Phạm" in html


def test_the_kept_checks_hold_no_value_and_follow_new_revisions(quiet_world, files):
    rules = services.rules_fingerprint()
    # Everyone once: the 5 approved files, the test's and the world's 16 people without.
    assert services.check_files(rules=rules) == 5 + 16
    assert services.check_files(rules=rules) == 0
    assert FileCheck.objects.get(person=files["none"]).findings == [["", "unapproved"]]
    check = FileCheck.objects.get(person=files["spouses"])
    assert check.findings == [["family_own.1.relationship", "duplicate"]]
    assert "Vợ" not in repr(FileCheck.objects.values_list("findings", flat=True))
    # The spouse's side fixed by a new revision: its check is stale, then clean.
    revision_create(actor=SYSTEM, person=files["spouses"], reason="Sửa",
                    document=document_for(files["spouses"], family_own=[SPOUSE]))
    assert services.check_files(rules=rules) == 1
    check.refresh_from_db()
    assert (check.problems, check.findings) == (0, [])


def test_a_change_to_a_code_list_makes_every_check_stale(quiet_world, files):
    from hoso.catalogs.models import CodeEntry
    from hoso.catalogs.services import entry_update

    services.check_files()
    rules = services.rules_fingerprint()
    entry = CodeEntry.objects.filter(code_list__key="relationships", code="con").first()
    entry_update(actor=SYSTEM, entry=entry, label="Con đẻ")
    assert services.rules_fingerprint() != rules
    assert services.check_files() == 5 + 16


def test_the_rest_is_checked_in_the_background(client, quiet_world, files, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(services, "CHECK_NOW", 2)
    client = login(client, quiet_world.actors["hr_officer"])
    html = client.get(reverse("hr:problems")).content.decode()
    assert 'id="remaining"' in html  # 4 approved files in scope, 2 checked
    client.get(reverse("hr:problems"))
    queued = DBTaskResult.objects.filter(task_path="hoso.hr.tasks.check_all_files")
    assert queued.count() == 1  # queued once
    from hoso.hr.tasks import check_all_files

    check_all_files.call()
    monkeypatch.setattr(services, "CHECK_NOW", 0)
    html = client.get(reverse("hr:problems")).content.decode()
    assert 'id="remaining"' not in html
    # The export waits for the check to be complete.
    FileCheck.objects.all().delete()
    response = client.get(reverse("hr:problems_export"), {"format": "csv"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("hr:problems"))


def test_the_problem_export(client, quiet_world, files):
    client = login(client, quiet_world.actors["hr_officer"])
    before = AccessLog.objects.count()
    response = client.get(reverse("hr:problems_export"), {"format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:6] == [
        "Số TT", "Họ và tên", "Đơn vị", "Đối tượng", "Trường thông tin", "Vấn đề"]
    people = {row[1] for row in table[1:]}
    assert people & set(NAMES) == {"Hai Văn Vợ", "Trẻ Văn Sớm", "Lương Văn Trước",
                                   "Chưa Có Hồ Sơ"}
    spouse_rows = [row for row in table if row[1] == "Hai Văn Vợ"]
    assert len(spouse_rows) == 1 and spouse_rows[0][4] == "Quan hệ gia đình (về bản thân)"
    exported = set(AccessLog.objects.filter(seq__gt=before, action="export")
                   .values_list("person_id", flat=True))
    assert {files[k].pk for k in ("spouses", "young", "salary", "none")} <= exported
    assert files["out"].pk not in exported and files["fine"].pk not in exported


def test_the_problem_api(client, quiet_world, files):
    token, _ = Token.objects.get_or_create(user=quiet_world.actors["hr_officer"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    data = client.get(reverse("api:hr-problems"), {"limit": 100}).json()
    # 4 of the test's files, and the 9 of the world's people in scope who have no
    # approved file (the accounts' own files, the world's two people).
    assert data["count"] == 4 + 9 and data["unchecked"] == 0
    rows = {r["full_name"]: r for r in data["results"]}
    assert "Đủ Văn Tốt" not in rows and "Ngoài Văn Phạm" not in rows
    assert rows["Chưa Có Hồ Sơ"]["revision"] is None
    spouses = rows["Hai Văn Vợ"]
    assert [(p["path"], p["code"], p["section"], p["missing"]) for p in spouses["problems"]] == [
        ("family_own.1.relationship", "duplicate", "family", False)]
    assert spouses["file_url"] == reverse("workflow:person_file", args=[files["spouses"].pk])


def test_the_kept_messages_are_encrypted_at_rest(quiet_world, files):
    from django.db import connection

    services.check_files()
    with connection.cursor() as cursor:
        cursor.execute("SELECT messages FROM hr_filecheck WHERE person_id = %s",
                       [files["spouses"].pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAA") and "Trần Thị Vợ" not in stored
    assert "dòng 2" in FileCheck.objects.get(person=files["spouses"]).messages


def test_a_stale_check_is_written_again_from_the_revision(quiet_world, files):
    from hoso.hr import selectors

    services.check_files()
    FileCheck.objects.filter(person=files["young"]).update(content_hash="0" * 64)
    hr = quiet_world.actors["hr_officer"]
    people = Person.objects.filter(pk__in=[files["spouses"].pk, files["young"].pk])
    rows = {r.person.full_name: r for r in selectors.problem_rows(
        user=hr, people=people.select_related("unit", "profile"),
        rules=services.rules_fingerprint())}
    assert [p.code for p in rows["Hai Văn Vợ"].problems] == ["duplicate"]  # kept
    assert [p.code for p in rows["Trẻ Văn Sớm"].problems] == ["age"]  # checked again
    assert rows["Hai Văn Vợ"].percent == rows["Trẻ Văn Sớm"].percent == 100


def test_a_page_asks_the_same_queries_for_few_or_many_files(client, quiet_world, files):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(client, quiet_world.actors["hr_officer"])
    client.get(reverse("hr:problems"))  # every file checked
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("hr:problems"))
    for i in range(6):
        p = person(quiet_world.in_unit, born=D(1980, 5, 17), name=f"Thêm Người {i}")
        approved(p, family_own=[SPOUSE, {**SPOUSE, "full_name": f"Vợ Khác {i}"}])
    client.get(reverse("hr:problems"))  # the new files checked
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("hr:problems")).content.decode()
    assert "Thêm Người 5" in html
    assert len(many) == len(few)


def test_a_problem_filter_that_cannot_be_read_lists_nobody(client, quiet_world, files):
    html = login(client, quiet_world.actors["hr_officer"]).get(
        reverse("hr:problems"), {"kind": "everything"}).content.decode()
    assert 'class="errors"' in html and _names(html) == []


def test_the_check_command_checks_every_stale_file_once(quiet_world, files):
    from django.core.management import call_command
    from django.utils import translation

    out = io.StringIO()
    with translation.override("vi"):
        call_command("hr", "check", stdout=out)
        assert out.getvalue().strip() == "Đã kiểm tra 21/21 hồ sơ."
        out = io.StringIO()
        call_command("hr", "check", stdout=out)
        assert out.getvalue().strip() == "Kết quả kiểm tra của mọi hồ sơ đều đã cập nhật."
    assert FileCheck.objects.count() == 21  # the 5 approved files, 16 people without


def test_after_a_complete_check_only_what_changed_is_examined(quiet_world, files):
    from hoso.hr import selectors
    from hoso.hr.models import CheckMark

    services.check_files()  # complete: records how far it went
    mark = CheckMark.objects.get()
    rules = services.rules_fingerprint()
    hr = quiet_world.actors["hr_officer"]
    assert list(selectors.unchecked(user=hr, rules=rules, since=mark)) == []
    revision_create(actor=SYSTEM, person=files["spouses"], reason="Sửa",
                    document=document_for(files["spouses"], family_own=[SPOUSE]))
    newcomer = person(quiet_world.in_unit, born=D(1985, 1, 1), name="Mới Đến")
    examined = selectors.unchecked(user=hr, rules=rules, since=mark)
    assert {p.full_name for p in examined} == {"Hai Văn Vợ", "Mới Đến"}
    assert "WHERE" in str(examined.query) and str(mark.revision_max) in str(examined.query)
    # The page checks them, and the list follows.
    rules, remaining = services.check_for_list(user=hr)
    assert remaining == 0
    listed = selectors.problem_people(user=hr, rules=rules)
    assert "Hai Văn Vợ" not in {p.full_name for p in listed}
    assert newcomer in listed  # no approved file yet
    # A check that disappeared is noticed: everyone is examined again.
    FileCheck.objects.filter(person=files["young"]).delete()
    assert [p.full_name for p in selectors.unchecked(user=hr, rules=rules, since=mark)] == [
        "Trẻ Văn Sớm"]
