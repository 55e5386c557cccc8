"""`hoso org load FILE`: a province's tree from CSV or YAML, all or nothing.

Every bad input is reported with its line and a Vietnamese message, and writes
nothing; loading the same file again changes nothing; a changed file updates only
the changed units, through `unit_update` (paths and audit rows stay right).
"""

from __future__ import annotations

import io
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoso.audit.models import ChangeLog
from hoso.org.models import OrgUnit, UnitKind

from ..factories import OrgUnitFactory

TREE_YAML = """\
# a small province, children listed before their parents on purpose
units:
  - code: 000.01.02.H38
    name: Phòng Công chức, viên chức
    kind: division
    parent_code: 000.00.02.H38
  - code: 000.00.02.H38
    name: Sở Nội vụ
    short_name: SNV
    kind: Sở, ban, ngành
    parent_code: 000.00.00.H38
  - code: 000.00.00.H38
    name: Ủy ban nhân dân tỉnh Lâm Đồng
    kind: province
  - code: 000.00.31.H38
    name: Ủy ban nhân dân thành phố Đà Lạt
    kind: district
    parent_code: 000.00.00.H38
    valid_to: 2025-06-30
  - code: 000.10.31.H38
    name: Ủy ban nhân dân phường 1
    kind: commune
    parent_code: 000.00.31.H38
    valid_to: 30/06/2025
  - code: 000.00.41.H38
    name: Ủy ban nhân dân phường Xuân Hương – Đà Lạt
    kind: commune
    parent_code: 000.00.00.H38
    valid_from: 2025-07-01
"""

TREE_CSV = (
    "\ufeffcode,name,short_name,kind,parent_code,valid_from,valid_to\n"
    "000.01.02.H38,\"Phòng Công chức, viên chức\",,division,000.00.02.H38,,\n"
    "000.00.02.H38,Sở Nội vụ,SNV,department,000.00.00.H38,,\n"
    "000.00.00.H38,Ủy ban nhân dân tỉnh Lâm Đồng,,province,,,\n"
    "000.00.31.H38,Ủy ban nhân dân thành phố Đà Lạt,,district,000.00.00.H38,,30/06/2025\n"
    "000.10.31.H38,Ủy ban nhân dân phường 1,,commune,000.00.31.H38,,2025-06-30\n"
    "000.00.41.H38,Ủy ban nhân dân phường Xuân Hương – Đà Lạt,,commune,000.00.00.H38,"
    "01/07/2025,\n"
)

NOTHING_WRITTEN = "Không ghi gì vào cơ sở dữ liệu"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(path, *args) -> str:
    out = io.StringIO()
    call_command("org", "load", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def load_fails(path) -> tuple[str, str]:
    """Load a bad file: the command fails (exit status 1) and says why on stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("org", "load", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue(), str(exc.value)


def by_code() -> dict[str, OrgUnit]:
    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.mark.parametrize("name,text", [("tree.yaml", TREE_YAML), ("tree.csv", TREE_CSV)])
def test_file_loads_the_tree_with_parents_listed_after_children(tmp_path, db, name, text):
    out = load(write(tmp_path, name, text))
    assert "tạo mới 6 đơn vị" in out
    units = by_code()
    root, snv = units["000.00.00.H38"], units["000.00.02.H38"]
    division = units["000.01.02.H38"]
    assert division.parent == snv and snv.parent == root
    assert snv.kind == UnitKind.DEPARTMENT  # given by its Vietnamese label in the YAML
    assert division.path.startswith(snv.path) and snv.path.startswith(root.path)
    assert division.depth == 2
    assert units["000.10.31.H38"].valid_to.isoformat() == "2025-06-30"
    assert units["000.00.41.H38"].valid_from.isoformat() == "2025-07-01"
    assert units["000.00.41.H38"].parent == root  # the two-level structure


def test_loaded_units_are_audited_as_the_org_load_job(tmp_path, db):
    load(write(tmp_path, "tree.yaml", TREE_YAML))
    rows = ChangeLog.objects.filter(object_type="org.orgunit")
    assert rows.count() == 6
    assert set(rows.values_list("actor_label", flat=True)) == {"system:org-load"}
    assert all("tree.yaml" in r.reason for r in rows)
    call_command("audit", "verify", stdout=io.StringIO())


def test_reloading_the_same_file_changes_nothing(tmp_path, db):
    path = write(tmp_path, "tree.yaml", TREE_YAML)
    load(path)
    before = (ChangeLog.objects.count(), list(OrgUnit.objects.values_list("pk", "path")))
    out = load(path)
    assert "tạo mới 0 đơn vị, cập nhật 0, giữ nguyên 6" in out
    assert (ChangeLog.objects.count(), list(OrgUnit.objects.values_list("pk", "path"))) == before


def test_changed_file_updates_only_the_changed_units_through_the_service(tmp_path, db):
    load(write(tmp_path, "tree.yaml", TREE_YAML))
    old = by_code()
    changed = TREE_YAML.replace("name: Sở Nội vụ", "name: Sở Nội vụ tỉnh Lâm Đồng").replace(
        # the division moves from Sở Nội vụ to the new ward (from the day the ward starts)
        "    kind: division\n    parent_code: 000.00.02.H38",
        "    kind: division\n    parent_code: 000.00.41.H38\n    valid_from: 2025-07-01",
    )
    seq = ChangeLog.objects.order_by("-seq").values_list("seq", flat=True).first()
    out = load(write(tmp_path, "tree.yaml", changed))
    assert "tạo mới 0 đơn vị, cập nhật 2, giữ nguyên 4" in out
    units = by_code()
    assert units["000.00.02.H38"].name == "Sở Nội vụ tỉnh Lâm Đồng"
    moved = units["000.01.02.H38"]
    assert moved.parent == units["000.00.41.H38"]
    assert moved.path == units["000.00.41.H38"].path + moved.segment
    assert moved.pk == old["000.01.02.H38"].pk  # the same unit, moved: never re-created
    new_rows = ChangeLog.objects.filter(seq__gt=seq)
    assert {(r.object_id, r.action) for r in new_rows} == {
        (str(units["000.00.02.H38"].pk), "update"),
        (str(moved.pk), "update"),
    }


def test_parent_may_be_a_unit_already_in_the_database(tmp_path, db):
    root = OrgUnitFactory(code="000.00.00.H38", name="UBND tỉnh", kind=UnitKind.PROVINCE)
    load(
        write(
            tmp_path, "more.csv",
            "code,name,kind,parent_code\n000.00.15.H38,Sở Y tế,department,000.00.00.H38\n",
        )
    )
    assert OrgUnit.objects.get(code="000.00.15.H38").parent == root


def test_check_option_reports_without_writing(tmp_path, db):
    out = load(write(tmp_path, "tree.yaml", TREE_YAML), "--check")
    assert "sẽ tạo 6 đơn vị" in out and "chỉ kiểm tra" in out
    assert not OrgUnit.objects.exists() and not ChangeLog.objects.exists()


GOOD_ROOT = "000.00.00.H38,UBND tỉnh,province,,,\n"
HEADER = "code,name,kind,parent_code,valid_from,valid_to\n"

# (case, file name, content, expected Vietnamese message including its line)
BAD_FILES = [
    (
        "malformed YAML",
        "units.yaml",
        "units:\n  - code: 000.00.00.H38\n    name: [UBND\n    kind: province\n",
        "Dòng 4: Tệp YAML sai định dạng",
    ),
    (
        "malformed CSV",
        "units.csv",
        HEADER + GOOD_ROOT + '000.00.01.H38,"Sở A"x,department,000.00.00.H38,,\n',
        "Dòng 3: Tệp CSV sai định dạng",
    ),
    (
        "YAML that is not a list of units",
        "units.yaml",
        "province: Lâm Đồng\n",
        "Dòng 1: Tệp phải chứa một danh sách đơn vị",
    ),
    (
        "unknown CSV column",
        "units.csv",
        "code,name,kind,parent_code,manager\n000.00.00.H38,UBND tỉnh,province,,Ông A\n",
        "Dòng 1: Cột “manager” không hợp lệ",
    ),
    (
        "unknown YAML key",
        "units.yaml",
        "- code: 000.00.00.H38\n  name: UBND tỉnh\n  kind: province\n  chief: Ông A\n",
        "Dòng 4: Cột “chief” không hợp lệ",
    ),
    (
        "missing required column",
        "units.csv",
        "code,kind\n000.00.00.H38,province\n",
        "Dòng 1: Thiếu cột bắt buộc “name”",
    ),
    (
        "missing field",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.01.H38,,department,000.00.00.H38,,\n",
        "Dòng 3, cột “name”: Thiếu trường bắt buộc “name”",
    ),
    (
        "bad code format",
        "units.csv",
        HEADER + GOOD_ROOT + "00.01.H38,Sở A,department,000.00.00.H38,,\n",
        "Dòng 3, cột “code”: Mã định danh điện tử “00.01.H38” không đúng dạng ABC.DE.FG.HIK",
    ),
    (
        "duplicate code in the file",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.01.H38,Sở A,department,000.00.00.H38,,\n"
        "000.00.01.H38,Sở B,department,000.00.00.H38,,\n",
        "Dòng 4, cột “code”: Mã 000.00.01.H38 đã có ở dòng 3.",
    ),
    (
        "parent not found",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.01.H38,Sở A,department,000.00.09.H38,,\n",
        "Dòng 3, cột “parent_code”: Đơn vị cấp trên 000.00.09.H38 không có trong tệp",
    ),
    (
        "cycle in the tree",
        "units.csv",
        HEADER + GOOD_ROOT + "000.01.01.H38,Phòng A,division,000.02.01.H38,,\n"
        "000.02.01.H38,Phòng B,division,000.01.01.H38,,\n",
        "Dòng 3, cột “parent_code”: Cây đơn vị có vòng lặp: "
        "000.01.01.H38 → 000.02.01.H38 → 000.01.01.H38.",
    ),
    (
        "kind not allowed under the parent",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.01.H38,Sở A,department,000.00.00.H38,,\n"
        "000.01.01.H38,UBND xã B,commune,000.00.01.H38,,\n",
        "Dòng 4, cột “parent_code”: Đơn vị loại “Ủy ban nhân dân cấp xã, phường, đặc khu” "
        "không thể đặt dưới Sở, ban, ngành",
    ),
    (
        "district valid after 1/7/2025",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.31.H38,UBND huyện C,district,000.00.00.H38,,31/12/2025\n",
        "Dòng 3, cột “valid_to”: Ủy ban nhân dân cấp huyện chỉ có trong mô hình",
    ),
    (
        "unit outliving its parent",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.31.H38,UBND huyện C,district,000.00.00.H38,,30/06/2025\n"
        "000.10.31.H38,UBND xã D,commune,000.00.31.H38,,\n",
        "Dòng 4, cột “valid_to”: Đơn vị không thể còn hiệu lực sau",
    ),
    (
        "unknown kind",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.01.H38,Sở A,sở,000.00.00.H38,,\n",
        "Dòng 3, cột “kind”: Loại đơn vị “sở” không hợp lệ",
    ),
    (
        "bad date",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.01.H38,Sở A,department,000.00.00.H38,31/02/2024,\n",
        "Dòng 3, cột “valid_from”: “31/02/2024” không phải là ngày",
    ),
    (
        "a second top-level unit that is not a province",
        "units.csv",
        HEADER + GOOD_ROOT + "000.00.01.H38,Sở A,department,,,\n",
        "Dòng 3, cột “parent_code”: Đơn vị loại “Sở, ban, ngành” không thể đặt dưới cấp cao "
        "nhất",
    ),
    ("empty file", "units.csv", "", "Dòng 1: Tệp không có đơn vị nào."),
    ("other file type", "units.xlsx", "x", "Chỉ nạp được tệp .csv, .yaml hoặc .yml."),
]


@pytest.mark.parametrize(
    "name,text,message", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_bad_file_is_reported_with_its_line_and_writes_nothing(tmp_path, db, name, text, message):
    err, summary = load_fails(write(tmp_path, name, text))
    assert message in err, err
    assert NOTHING_WRITTEN in summary
    assert not OrgUnit.objects.exists()
    assert not ChangeLog.objects.exists()


def test_every_problem_of_a_file_is_reported_at_once(tmp_path, db):
    text = (
        HEADER
        + "000.00.01.H38,Sở A,department,000.00.00.H38,,\n"  # parent listed later: fine
        + GOOD_ROOT
        + "bad,Sở B,department,000.00.00.H38,,\n"
        + "000.00.03.H38,,department,000.00.00.H38,,\n"
        + "000.00.04.H38,Sở D,department,000.00.99.H38,,\n"
        + "000.00.05.H38,Sở E,department,000.00.00.H38,hôm qua,\n"
    )
    err, summary = load_fails(write(tmp_path, "units.csv", text))
    for line in (4, 5, 6, 7):
        assert f"Dòng {line}," in err
    assert "Dòng 2" not in err and "Dòng 3" not in err
    assert "phát hiện 4 lỗi" in summary
    assert not OrgUnit.objects.exists()


def test_a_move_under_its_own_sub_unit_in_the_database_is_a_cycle(tmp_path, db):
    """The cycle check follows the tree as it will be: the file over the stored units."""
    load(write(tmp_path, "tree.yaml", TREE_YAML))
    before = ChangeLog.objects.count()
    text = (
        HEADER
        + "000.00.02.H38,Sở Nội vụ,department,000.01.02.H38,,\n"  # under its own division
    )
    err, _ = load_fails(write(tmp_path, "move.csv", text))
    assert "Dòng 2, cột “parent_code”: Cây đơn vị có vòng lặp: 000.00.02.H38 → 000.01.02.H38" in err
    assert ChangeLog.objects.count() == before
    assert OrgUnit.objects.get(code="000.00.02.H38").parent.code == "000.00.00.H38"


def test_bad_changed_file_leaves_the_stored_tree_as_it_was(tmp_path, db):
    path = write(tmp_path, "tree.yaml", TREE_YAML)
    load(path)
    before = list(OrgUnit.objects.values_list("code", "name", "path", "valid_to"))
    changed = TREE_YAML.replace("name: Sở Nội vụ", "name: Sở Nội vụ mới").replace(
        "valid_to: 2025-06-30", "valid_to: 2026-06-30"  # a district after the reform
    )
    err, _ = load_fails(write(tmp_path, "tree.yaml", changed))
    assert "Dòng 19, cột “valid_to”: Ủy ban nhân dân cấp huyện" in err  # the key's own line
    assert list(OrgUnit.objects.values_list("code", "name", "path", "valid_to")) == before
