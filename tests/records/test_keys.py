"""`hoso keys rotate` re-encrypts every registered encrypted column under the newest
key without changing what it holds (DESIGN principle 8; docs/operators.md): add the
new key first, rotate, check, retire the old key."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from hoso.audit.verify import verify_all
from hoso.core.crypto import is_current, rotations
from hoso.records.models import Person, Profile, Revision

from .documents import document_for, first_revision


def _raw(table, column, pk_column="id"):
    with connection.cursor() as c:
        c.execute(f"SELECT {pk_column}, {column} FROM {table} ORDER BY {pk_column}")  # noqa: S608
        return dict(c.fetchall())


@pytest.fixture
def files(world):
    for key in ("in", "in_child"):
        first_revision(world.people[key])
    return world


def test_every_encrypted_column_of_the_files_is_registered():
    registered = {(m, f) for m, fields in rotations() for f in fields}
    assert {(Person, "id_number"), (Revision, "sealed"), (Profile, "religion"),
            (Profile, "party_member")} <= registered


def test_rotation_re_encrypts_under_the_new_key_and_everything_still_reads(files, settings):
    old_key = settings.ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before_tokens = _raw("records_revision", "sealed")
    numbers = dict(Person.objects.values_list("pk", "id_number"))
    documents = {r.pk: r.document for r in Revision.objects.all()}

    settings.ENCRYPTION_KEYS = [new_key, old_key]  # step 1: the new key first
    status = io.StringIO()
    with pytest.raises(CommandError):  # old values remain: status says so
        call_command("keys", "status", stdout=status)
    out = io.StringIO()
    call_command("keys", "rotate", "--batch-size", "3", stdout=out)
    text = out.getvalue()
    assert "records.Revision.sealed: xong" in text and "dòng" in text

    after_tokens = _raw("records_revision", "sealed")
    assert all(after_tokens[pk] != before_tokens[pk] for pk in before_tokens)
    assert all(is_current(t) for t in after_tokens.values())
    call_command("keys", "status", stdout=io.StringIO())  # nothing left under the old key

    settings.ENCRYPTION_KEYS = [new_key]  # step 4: the old key retired
    assert dict(Person.objects.values_list("pk", "id_number")) == numbers
    assert {r.pk: r.document for r in Revision.objects.all()} == documents
    assert Profile.objects.get(person=files.people["in"]).religion == "01"
    assert all(r.ok for r in verify_all()), [r for r in verify_all() if not r.ok]


def test_rotating_twice_changes_nothing_the_second_time(files, settings):
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *settings.ENCRYPTION_KEYS]
    call_command("keys", "rotate", stdout=io.StringIO())
    tokens = _raw("records_revision", "sealed")
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert _raw("records_revision", "sealed") == tokens
    assert "mã hóa lại 0" in out.getvalue()


def test_a_revision_written_during_the_rotation_is_under_the_new_key(files, settings):
    """hoso keeps serving during the run: what it writes meanwhile uses the new key."""
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *settings.ENCRYPTION_KEYS]
    person = files.people["in"]
    from hoso.core.crypto import rotate_model

    seen = []

    def meanwhile(report, total):
        if not seen:  # after the first batch, someone saves a new revision
            seen.append(True)
            from hoso.accounts.permissions import SYSTEM
            from hoso.records.services import revision_create

            revision_create(actor=SYSTEM, person=person, reason="",
                            document=document_for(person, health_status="Khỏe"))

    rotate_model(Revision, ("sealed",), batch_size=1, progress=meanwhile)
    assert all(is_current(t) for t in _raw("records_revision", "sealed").values())
    assert Revision.objects.filter(person=person).latest("number").document[
        "health_status"] == "Khỏe"
