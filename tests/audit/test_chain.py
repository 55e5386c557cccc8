"""The audit trail is a hash chain that the database refuses to rewrite, and
`hoso audit verify` finds the first row anyone changed behind its back (DESIGN principle 7)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from hoso.audit.models import AccessLog, ChangeLog
from hoso.audit.services import log_access
from hoso.audit.verify import verify_all, verify_chain
from hoso.core.context import acting_as

from ..factories import PersonFactory, UserFactory
from .tampering import triggers_off


def _raw(sql: str, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)


@pytest.fixture
def trail(db):
    """A few writes and reads, so both chains hold several rows."""
    people = [PersonFactory() for _ in range(4)]
    viewer = UserFactory()
    with acting_as(viewer, reason="kiểm tra"):
        for p in people:
            log_access(action="view", obj=p, person_id=p.pk)
    return people


def test_writes_leave_change_rows_with_actor_request_and_reason(db):
    user = UserFactory()
    with acting_as(user, reason="điều chỉnh theo quyết định 12/QĐ"):
        person = PersonFactory()
    row = ChangeLog.objects.filter(object_type="records.person", object_id=str(person.pk)).get()
    assert row.action == "create"
    assert row.actor_id == user.pk
    assert row.request_id
    assert row.reason == "điều chỉnh theo quyết định 12/QĐ"
    assert row.after["full_name"] == person.full_name


def test_change_rows_do_not_hold_the_id_number_in_the_clear(db):
    person = PersonFactory()
    row = ChangeLog.objects.filter(object_type="records.person", object_id=str(person.pk)).get()
    assert person.id_number not in str(row.after)


def test_intact_chains_verify(trail):
    reports = verify_all()
    assert all(r.ok for r in reports)
    by_chain = {r.chain: r.rows for r in reports}
    assert by_chain["change"] > 0 and by_chain["access"] > 0
    # other apps' checks (revisions, projection, evidence, signatures) run too
    assert len(reports) > 2


@pytest.mark.parametrize("sql", ["UPDATE {t} SET reason = 'x'", "DELETE FROM {t}"])
def test_database_refuses_to_rewrite_audit_rows(trail, sql):
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw(sql.format(t="audit_changelog"))


def test_model_refuses_to_rewrite_audit_rows(trail):
    row = ChangeLog.objects.first()
    row.reason = "sửa"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        ChangeLog.objects.all().delete()


def test_altered_change_row_is_caught_at_its_seq(trail):
    target = ChangeLog.objects.order_by("seq")[2]
    with triggers_off("audit_changelog"):
        _raw("UPDATE audit_changelog SET reason = %s WHERE seq = %s", ["đã sửa", target.seq])
    report = verify_chain(ChangeLog)
    assert (report.broken_seq, report.problem) == (target.seq, "content")


def test_rewritten_row_with_recomputed_hash_breaks_the_next_link(trail):
    from hoso.core.canonical import chain_hash

    target = AccessLog.objects.order_by("seq")[1]
    target.outcome = "forged"
    forged = chain_hash(target.prev_hash, target.payload())
    with triggers_off("audit_accesslog"):
        _raw("UPDATE audit_accesslog SET outcome = 'forged', hash = %s WHERE seq = %s",
             [forged, target.seq])
    report = verify_chain(AccessLog)
    assert (report.broken_seq, report.problem) == (target.seq + 1, "link")


def test_deleted_middle_row_is_caught(trail):
    with triggers_off("audit_accesslog"):
        _raw("DELETE FROM audit_accesslog WHERE seq = 2")
    report = verify_chain(AccessLog)
    assert (report.broken_seq, report.problem) == (2, "missing")


def test_deleted_last_rows_are_caught_by_the_chain_head(trail):
    last = AccessLog.objects.order_by("-seq").first().seq
    with triggers_off("audit_accesslog"):
        _raw("DELETE FROM audit_accesslog WHERE seq = %s", [last])
    report = verify_chain(AccessLog)
    assert (report.broken_seq, report.problem) == (last, "truncated")


def test_verify_command_reports_in_vietnamese(trail, capsys):
    with translation.override("vi"):
        call_command("audit", "verify")
        out = capsys.readouterr().out
        assert "nguyên vẹn" in out
        target = ChangeLog.objects.order_by("seq")[1]
        with triggers_off("audit_changelog"):
            _raw("UPDATE audit_changelog SET object_id = '999' WHERE seq = %s", [target.seq])
        with pytest.raises(CommandError) as err:
            call_command("audit", "verify")
        out = capsys.readouterr().out
    assert f"{target.seq}" in out and "bị sửa" in out
    assert "giả mạo" in str(err.value) or "sửa đổi" in str(err.value)
