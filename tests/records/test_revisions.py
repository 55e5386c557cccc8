"""The approved file is a hash chain of immutable revisions (DESIGN principle 2), its
sensitive part encrypted at rest (principle 8), and its newest revision projected into
indexed columns with every write."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import ChangeLog
from hoso.core.canonical import chain_hash
from hoso.core.errors import DomainError, PermissionDenied
from hoso.records.models import GENESIS, Profile, Revision
from hoso.records.services import DocumentInvalid, revision_create

from ..factories import OrgUnitFactory, PersonFactory
from .documents import document_for, first_revision


@pytest.fixture
def person(world):
    return world.people["in"]


def _raw(sql, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall() if c.description else None


def test_first_revision_starts_the_chain_and_its_hash_covers_the_whole_file(person):
    rev = first_revision(person)
    assert (rev.number, rev.parent_hash) == (1, GENESIS)
    stored = Revision.objects.get(pk=rev.pk)
    assert stored.document == document_for(person)
    assert stored.content_hash == chain_hash(GENESIS, stored.hash_payload(stored.document))
    assert stored.schema_version and stored.category == person.category


def test_each_revision_links_to_its_parent(person):
    first = first_revision(person)
    second = revision_create(
        actor=SYSTEM, person=person, document=document_for(person, salary_step=4,
                                                           salary_coefficient="3.33"),
        reason="Nâng bậc lương",
    )
    assert (second.number, second.parent_hash) == (2, first.content_hash)


def test_restricted_and_secret_fields_are_encrypted_at_rest(person):
    rev = first_revision(person, health_status="Viêm gan B")
    public, sealed = _raw(
        "SELECT public, sealed FROM records_revision WHERE id = %s", [rev.pk]
    )[0]
    public = public if isinstance(public, dict) else json.loads(public)
    assert public["full_name"] == person.full_name and public["rank_code"] == "01.003"
    for key in ("health_status", "religion", "family_own", "history_detention", "id_number",
                "party_join_date"):
        assert key not in public
    assert "Viêm gan B" not in sealed and "Nguyễn Văn Con" not in sealed
    assert Revision.objects.get(pk=rev.pk).document["health_status"] == "Viêm gan B"


def test_an_invalid_document_is_refused_with_a_vietnamese_message_and_nothing_changes(person):
    name = person.full_name
    with pytest.raises(DocumentInvalid) as exc:
        first_revision(person, salary_coefficient="9.99", ethnicity="zz")
    assert len(exc.value.issues) >= 2
    paths = {i.path for i in exc.value.issues}
    assert {"salary_coefficient", "ethnicity"} <= paths
    assert "Dân tộc" in " ".join(i.message for i in exc.value.issues)
    assert not Revision.objects.filter(person=person).exists()
    person.refresh_from_db()
    assert person.full_name == name


def test_empty_values_are_stored_as_absent_keys(person):
    rev = first_revision(person, other_names="", academic_title=None, languages=[])
    stored = Revision.objects.get(pk=rev.pk).document
    assert "other_names" not in stored and "languages" not in stored


def test_an_unchanged_document_makes_no_revision(person):
    first_revision(person)
    with pytest.raises(DomainError):
        revision_create(actor=SYSTEM, person=person, document=document_for(person), reason="")
    assert Revision.objects.filter(person=person).count() == 1


def test_only_an_approver_in_scope_writes_a_revision_and_never_for_themselves(world, person):
    with pytest.raises(PermissionDenied):
        revision_create(actor=world.actors["hr_officer"], person=person,
                        document=document_for(person), reason="")
    head = world.actors["hr_head"]
    rev = revision_create(actor=head, person=person, document=document_for(person), reason="")
    assert rev.approved_by_id == head.pk
    with pytest.raises(PermissionDenied):
        revision_create(actor=head, person=head.person, document=document_for(head.person),
                        reason="")
    with pytest.raises(PermissionDenied):  # out of scope
        revision_create(actor=head, person=world.people["out"],
                        document=document_for(world.people["out"]), reason="")


def test_history_can_be_imported_with_its_dates_in_order(world):
    # an imported revision's dates must lie before its approval date: a person born
    # long enough ago that the document's dates all precede it
    person = PersonFactory(unit=world.people["in"].unit, birth_date=dt.date(1975, 5, 17))
    old = timezone.now() - dt.timedelta(days=400)
    first = revision_create(
        actor=SYSTEM, person=person, document=document_for(person), reason="",
        approved_at=old,
    )
    assert first.created_at == old
    with pytest.raises(DomainError):
        revision_create(actor=SYSTEM, person=person, reason="",
                        document=document_for(person, salary_step=4, salary_coefficient="3.33"),
                        approved_at=old - dt.timedelta(days=1))
    with pytest.raises(DomainError):
        revision_create(actor=SYSTEM, person=person, reason="",
                        document=document_for(person, salary_step=4, salary_coefficient="3.33"),
                        approved_at=timezone.now() + dt.timedelta(days=1))


def test_the_model_refuses_to_rewrite_or_delete_a_revision(person):
    rev = first_revision(person)
    rev.reason = "sửa"
    with pytest.raises(TypeError):
        rev.save()
    with pytest.raises(TypeError):
        rev.delete()
    with pytest.raises(TypeError):
        Revision.objects.filter(pk=rev.pk).update(reason="x")
    with pytest.raises(TypeError):
        Revision.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE records_revision SET reason = 'x'",
        "UPDATE records_revision SET public = '{}', sealed = ''",
        "UPDATE records_revision SET number = number + 10",
        "DELETE FROM records_revision",
    ],
)
def test_the_database_refuses_to_rewrite_or_delete_revisions(person, sql):
    first_revision(person)
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw(sql)


def test_the_database_lets_only_the_sealed_part_change_for_key_rotation(person):
    rev = first_revision(person)
    _raw("UPDATE records_revision SET sealed = sealed WHERE id = %s", [rev.pk])
    assert Revision.objects.get(pk=rev.pk).document == document_for(person)


def test_the_revision_leaves_a_change_row_without_the_document(person):
    rev = first_revision(person, health_status="Viêm gan B")
    row = ChangeLog.objects.get(object_type="records.revision", object_id=str(rev.pk))
    assert row.after["content_hash"] == rev.content_hash
    assert "Viêm gan B" not in json.dumps(row.after, ensure_ascii=False)


def test_the_newest_revision_is_projected_into_indexed_columns(world, person):
    child = world.in_child
    rev = first_revision(person, full_name="Nguyễn Văn Dũng Mới", employing_unit=child.code)
    person.refresh_from_db()
    assert (person.full_name, person.unit_id) == ("Nguyễn Văn Dũng Mới", child.pk)
    profile = Profile.objects.get(person=person)
    assert (profile.revision_id, profile.content_hash) == (rev.pk, rev.content_hash)
    assert (profile.rank_code, profile.salary_step, str(profile.salary_coefficient)) == (
        "01.003", 3, "3.00"
    )
    assert profile.salary_group == "A1"
    assert (profile.ethnicity, profile.education_level, profile.job_position) == (
        "01", "dh", "dc_to_chuc_can_bo"
    )
    assert profile.home_town_province == "68"
    # restricted values the reports count are projected encrypted
    assert (profile.religion, profile.party_member) == ("01", "1")
    raw = _raw("SELECT religion, party_member FROM records_profile WHERE person_id = %s",
               [person.pk])[0]
    assert raw[0].startswith("gAAAA") and raw[1].startswith("gAAAA")  # Fernet tokens
    second = revision_create(
        actor=SYSTEM, person=person, reason="Nâng bậc",
        document=document_for(person, salary_step=4, salary_coefficient="3.33",
                              employing_unit=child.code),
    )
    profile.refresh_from_db()
    assert (profile.revision_id, profile.salary_step) == (second.pk, 4)


def test_a_unit_code_that_does_not_exist_is_refused(person):
    with pytest.raises(DomainError) as exc:
        first_revision(person, employing_unit="999.99.99.H99")
    assert exc.value.field == "employing_unit"


def test_an_identification_number_of_another_file_is_refused(world, person):
    other = PersonFactory(unit=world.out_unit, birth_date=person.birth_date)
    with pytest.raises(DomainError) as exc:
        first_revision(person, id_number=other.id_number)
    assert exc.value.field == "id_number"


def test_a_person_moved_by_a_revision_needs_the_approver_in_both_units(world, person):
    head = world.actors["hr_head"]
    with pytest.raises(PermissionDenied):
        revision_create(actor=head, person=person, reason="",
                        document=document_for(person, employing_unit=world.out_unit.code))


def test_a_person_without_revision_keeps_the_columns_entered_at_creation(db):
    person = PersonFactory(unit=OrgUnitFactory())
    assert not Profile.objects.filter(person=person).exists()
