"""Loading code lists: the shipped lists in every database, `hoso catalogs load` with
all problems at once (line-numbered, in Vietnamese, nothing written), idempotent
reloads, and updates that are audited."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import ChangeLog
from hoso.catalogs import loader, selectors
from hoso.catalogs.models import CodeEntry, CodeList

BRIEF_KEYS = {
    "ethnicities", "religions", "provinces", "communes", "ranks", "titles", "salary_groups",
    "general_education", "education_levels", "political_theory_levels",
    "state_management_levels", "languages", "language_levels", "it_levels",
    "academic_titles", "academic_degrees", "honorary_titles", "allowance_kinds",
    "reward_forms", "discipline_forms", "evaluation_grades", "relationships",
    "evidence_kinds", "training_forms", "job_positions", "military_ranks", "blood_groups",
    "position_titles", "contract_types", "mass_organisations",
}


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(*paths, check=False):
    return loader.load_paths(actor=SYSTEM, paths=paths, dry_run=check)


def test_every_list_of_the_catalog_api_is_in_the_test_database(db):
    keys = set(CodeList.objects.values_list("key", flat=True))
    assert keys >= BRIEF_KEYS
    assert "base_salaries" in keys
    for cl in CodeList.objects.all():
        assert cl.source and cl.version, cl.key
        assert cl.entries.exists(), cl.key


def test_every_shipped_file_cites_its_source_and_what_was_verified():
    for path in loader.shipped_paths():
        lf = loader.read_bytes(path.name, path.read_bytes())
        assert not lf.problems, (path.name, [str(p) for p in lf.problems])
        assert lf.key == path.stem
        assert lf.source and lf.notes, path.name


def test_provinces_and_communes_come_before_and_after_the_2025_reform(db):
    provinces = CodeEntry.objects.filter(code_list__key="provinces")
    old = provinces.filter(attrs__structure="old")
    new = provinces.filter(attrs__structure="new")
    assert old.values("code").distinct().count() == 63
    assert new.count() == 34
    assert all(e.valid_from.isoformat() == "2025-07-01" for e in new)
    assert all(e.valid_to.isoformat() <= "2025-06-30" for e in old)
    communes = CodeEntry.objects.filter(code_list__key="communes")
    assert communes.filter(attrs__structure="new").count() == 3321
    assert communes.filter(attrs__structure="old", valid_to__isnull=False).count() == 10051
    new_codes = set(new.values_list("code", flat=True))
    new_parents = communes.filter(attrs__structure="new").values_list("parent_code", flat=True)
    assert set(new_parents) <= new_codes


def test_the_shipped_load_writes_no_audit_rows_and_a_reload_changes_nothing(db):
    assert not ChangeLog.objects.filter(object_type__startswith="catalogs.").exists()
    before = list(CodeEntry.objects.order_by("pk").values_list("pk", "label", "valid_to"))
    result = loader.load_shipped(force=True)
    assert all(r.created == 0 and r.updated == 0 for r in result.lists)
    assert list(CodeEntry.objects.order_by("pk").values_list("pk", "label", "valid_to")) == before
    assert not ChangeLog.objects.filter(object_type__startswith="catalogs.").exists()


def test_the_whole_shipped_load_takes_seconds_not_minutes(db):
    # As in a fresh database (raw deletes: the model's would audit every entry).
    for model in (CodeEntry, CodeList):
        model.objects.all()._raw_delete(model.objects.db)
    selectors.invalidate()
    start = time.monotonic()
    loader.load_shipped()
    elapsed = time.monotonic() - start
    assert CodeEntry.objects.count() > 3800
    assert elapsed < 12, elapsed  # about 14,000 entries; 2–4 s on an idle core


def test_an_unchanged_shipped_file_is_not_read_again(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert loader.load_shipped().lists == []


BAD_YAML = """\
key: ethnicities
name: Ethnicities
version: test
source: QĐ 121-TCTK/PPCĐ
entries:
  - {code: "01", label: "Kinh"}
  - {code: "02"}
  - {code: "03", label: "Thái", valid_from: 31/02/2020}
  - {code: "01", label: "Kinh lặp"}
  - {code: "04", label: "Hoa", valid_from: 2020-01-01, valid_to: 2019-01-01}
"""


def test_every_problem_is_reported_at_once_with_its_line_in_vietnamese(db, tmp_path):
    path = write(tmp_path, "ethnicities.yaml", BAD_YAML)
    before = list(CodeEntry.objects.filter(code_list__key="ethnicities").values_list(
        "code", "label"))
    with pytest.raises(loader.CatalogLoadError) as info:
        load(path)
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == 4, lines
    assert any(s.startswith("Dòng 7") and "bắt buộc" in s for s in lines), lines
    assert any(s.startswith("Dòng 8") and "không phải là ngày" in s for s in lines), lines
    assert any(s.startswith("Dòng 9") and "dòng 6" in s for s in lines), lines
    assert any(s.startswith("Dòng 10") and "ngày bắt đầu" in s for s in lines), lines
    assert info.value.lines()[0] == "Tệp ethnicities.yaml:"
    after = list(CodeEntry.objects.filter(code_list__key="ethnicities").values_list(
        "code", "label"))
    assert after == before


def test_a_csv_file_is_checked_line_by_line_too(db, tmp_path):
    path = write(tmp_path, "religions.csv", (
        "# key: religions\n# name: Religions\n# version: 2026\n# source: Luật TNTG 2016\n"
        "code,label,valid_to\n00,Không,\n99,,\n98,Đạo mới,hôm qua\n"
    ))
    with pytest.raises(loader.CatalogLoadError) as info:
        load(path)
    lines = [str(p) for p in info.value.problems]
    assert [s.split(",")[0] for s in lines] == ["Dòng 7", "Dòng 8"], lines


def test_one_bad_file_stops_the_whole_load(db, tmp_path):
    good = write(tmp_path, "blood_groups.yaml", (
        "key: blood_groups\nname: Blood groups\nversion: v2\nsource: ISBT\n"
        "entries:\n  - {code: \"A\", label: \"Nhóm A\"}\n"
    ))
    bad = write(tmp_path, "religions.yaml", "key: religions\nentries: 3\n")
    with pytest.raises(loader.CatalogLoadError) as info:
        load(good, bad)
    assert set(info.value.by_file) == {"religions.yaml"}
    assert selectors.code_label("blood_groups", "A") == "A"
    assert CodeList.objects.get(key="blood_groups").version == "ISBT"


def test_a_corrected_file_updates_only_what_changed_and_audits_it(db, tmp_path):
    text = (
        "key: blood_groups\nname: Blood groups\nversion: v2\nsource: ISBT\n"
        "entries:\n  - {code: \"A\", label: \"Nhóm A\"}\n  - {code: \"B\", label: \"B\"}\n"
        "  - {code: \"Bombay\", label: \"Nhóm Bombay (hh)\"}\n"
    )
    path = write(tmp_path, "blood_groups.yaml", text)
    result = load(path).lists[0]
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert result.untouched == 10  # the other groups are left as they are
    assert selectors.code_label("blood_groups", "A") == "Nhóm A"
    assert selectors.code_valid("blood_groups", "Bombay")
    rows = ChangeLog.objects.filter(object_type="catalogs.codeentry")
    assert rows.filter(action="update").count() == 1
    assert rows.filter(action="create").count() == 1
    again = load(path).lists[0]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert rows.count() == 2


def test_periods_of_one_code_must_not_overlap(db, tmp_path):
    path = write(tmp_path, "provinces.yaml", (
        "key: provinces\nname: Provinces\nversion: x\nsource: y\n"
        "entries:\n  - {code: \"26\", label: \"Vĩnh Phúc mới\", valid_from: 2025-01-01}\n"
    ))
    with pytest.raises(loader.CatalogLoadError) as info:
        load(path)
    assert "26" in str(info.value) and "chồng lấn" in str(info.value)


def test_a_commune_must_name_a_known_province(db, tmp_path):
    path = write(tmp_path, "communes.yaml", (
        "key: communes\nname: Communes\nversion: x\nsource: y\nentries:\n"
        "  - {code: \"99999\", label: \"Xã Thử\", parent_code: \"68\", valid_from: 2026-01-01}\n"
        "  - {code: \"99998\", label: \"Xã Lạc\", parent_code: \"00\", valid_from: 2026-01-01}\n"
    ))
    with pytest.raises(loader.CatalogLoadError) as info:
        load(path)
    assert len(info.value.problems) == 1 and info.value.problems[0].line == 7


def test_salary_groups_need_rising_coefficients_and_ranks_a_known_group(db, tmp_path):
    groups = write(tmp_path, "salary_groups.yaml", (
        "key: salary_groups\nname: Salary groups\nversion: x\nsource: y\nentries:\n"
        "  - {code: \"X1\", label: \"X\", coefficients: [\"2.00\", \"1.90\"]}\n"
        "  - {code: \"X2\", label: \"Y\", coefficients: [\"2.00\", \"abc\"]}\n"
    ))
    ranks = write(tmp_path, "ranks.yaml", (
        "key: ranks\nname: Ranks\nversion: x\nsource: y\nentries:\n"
        "  - {code: \"99.999\", label: \"Ngạch thử\", salary_group: \"Z9\"}\n"
    ))
    with pytest.raises(loader.CatalogLoadError) as info:
        load(groups, ranks)
    assert [p.line for p in info.value.by_file["salary_groups.yaml"]] == [6, 7]
    assert [p.line for p in info.value.by_file["ranks.yaml"]] == [6]


def test_the_command_checks_without_writing_and_lists_the_lists(db, tmp_path):
    path = write(tmp_path, "blood_groups.yaml", (
        "key: blood_groups\nname: Blood groups\nversion: v9\nsource: ISBT\n"
        "entries:\n  - {code: \"A\", label: \"Nhóm A\"}\n"
    ))
    out = io.StringIO()
    call_command("catalogs", "load", str(path), "--check", stdout=out)
    assert "Không ghi gì" in out.getvalue()
    assert CodeList.objects.get(key="blood_groups").version == "ISBT"
    out = io.StringIO()
    call_command("catalogs", "list", stdout=out)
    assert "ethnicities — Dân tộc" in out.getvalue()


def test_the_command_reports_each_problem_and_fails(db, tmp_path):
    path = write(tmp_path, "ethnicities.yaml", BAD_YAML)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Không ghi gì vào cơ sở dữ liệu: phát hiện 4 lỗi"):
        call_command("catalogs", "load", str(path), stderr=err, stdout=io.StringIO())
    assert "Dòng 7" in err.getvalue() and "Tệp ethnicities.yaml:" in err.getvalue()
