"""`hoso audit verify` catches a tampered revision or projection (issue 4, "done when"):
an intruder with database access first switches the immutability triggers off
(`tests/audit/tampering.py`), then edits; the chain of revisions and the projection
checks name what was altered."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hoso.accounts.permissions import SYSTEM
from hoso.core.canonical import canonical_json
from hoso.core.crypto import encrypt
from hoso.records.integrity import verify_projection, verify_revisions
from hoso.records.models import Revision
from hoso.records.services import revision_create

from ..audit.tampering import triggers_off
from .documents import document_for, first_revision


def _raw(sql, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)


@pytest.fixture
def chain(world):
    """Two people's files, the first with three revisions."""
    person = world.people["in"]
    revs = [first_revision(person)]
    for step, coef in ((4, "3.33"), (5, "3.66")):
        revs.append(revision_create(
            actor=SYSTEM, person=person, reason="Nâng bậc lương",
            document=document_for(person, salary_step=step, salary_coefficient=coef),
        ))
    first_revision(world.people["in_child"])
    return revs


def _verify() -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def test_intact_files_verify(chain):
    assert verify_revisions().ok and verify_projection().ok
    text, ok = _verify()
    assert ok
    assert "Các phiên bản hồ sơ: nguyên vẹn, 4 dòng." in text
    assert "Các cột chỉ mục của hồ sơ: nguyên vẹn, 2 dòng." in text


def test_an_altered_clear_value_is_caught_at_its_revision(chain):
    target = chain[1]
    with triggers_off("records_revision"):
        doc = dict(target.public, full_name="Người Khác")
        _raw("UPDATE records_revision SET public = %s WHERE id = %s",
             [json.dumps(doc, ensure_ascii=False), target.pk])
    report = verify_revisions()
    assert (report.broken_seq, report.problem) == (target.pk, "revision_content")
    text, ok = _verify()
    assert not ok
    assert f"Các phiên bản hồ sơ: BỊ PHÁ VỠ tại dòng {target.pk}" in text


def test_a_sealed_part_swapped_through_the_rotation_door_is_caught(chain):
    """The triggers let `sealed` change (key rotation): a valid token holding other
    content is still caught, because the hash covers the clear document."""
    target = chain[0]
    full = target.document
    sensitive = {k: v for k, v in full.items() if k not in target.public}
    sensitive["health_status"] = "Đã sửa"
    _raw("UPDATE records_revision SET sealed = %s WHERE id = %s",
         [encrypt(canonical_json(sensitive).decode()), target.pk])
    report = verify_revisions()
    assert (report.broken_seq, report.problem) == (target.pk, "revision_content")


def test_a_sealed_part_that_no_key_opens_is_caught(chain):
    target = chain[2]
    _raw("UPDATE records_revision SET sealed = %s WHERE id = %s", ["gAAAAAgarbage", target.pk])
    report = verify_revisions()
    assert (report.broken_seq, report.problem) == (target.pk, "revision_seal")


def test_a_deleted_revision_is_caught(chain):
    with triggers_off("records_revision"):
        _raw("DELETE FROM records_revision WHERE id = %s", [chain[1].pk])
    report = verify_revisions()
    assert (report.broken_seq, report.problem) == (chain[2].pk, "revision_missing")


def test_an_altered_approver_is_caught(world, chain):
    target = chain[0]
    with triggers_off("records_revision"):
        _raw("UPDATE records_revision SET approved_by_id = %s WHERE id = %s",
             [world.actors["unit_head"].pk, target.pk])
    assert verify_revisions().broken_seq == target.pk


def test_an_altered_indexed_column_is_caught_at_its_person(world, chain):
    person = world.people["in"]
    _raw("UPDATE records_profile SET rank_code = '01.002' WHERE person_id = %s", [person.pk])
    report = verify_projection()
    assert (report.broken_seq, report.problem) == (person.pk, "projection_altered")
    text, ok = _verify()
    assert not ok and f"Các cột chỉ mục của hồ sơ: BỊ PHÁ VỠ tại dòng {person.pk}" in text


def test_an_altered_name_on_the_person_is_caught(world, chain):
    person = world.people["in_child"]
    _raw("UPDATE records_person SET full_name = 'Tên Giả' WHERE id = %s", [person.pk])
    report = verify_projection()
    assert (report.broken_seq, report.problem) == (person.pk, "projection_altered")


def test_a_projection_pointing_at_an_older_revision_is_caught(world, chain):
    person = world.people["in"]
    _raw("UPDATE records_profile SET revision_id = %s WHERE person_id = %s",
         [chain[0].pk, person.pk])
    report = verify_projection()
    assert (report.broken_seq, report.problem) == (person.pk, "projection_stale")


def test_reproject_repairs_what_a_catalog_change_made_stale(world, chain):
    person = world.people["in"]
    _raw("UPDATE records_profile SET salary_group = 'A0' WHERE person_id = %s", [person.pk])
    assert not verify_projection().ok
    out = io.StringIO()
    call_command("records", "reproject", stdout=out)
    assert verify_projection().ok
    assert Revision.objects.filter(person=person).count() == 3
