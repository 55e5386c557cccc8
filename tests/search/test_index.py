"""The name's search key and its word index stay in step with the names, however the
people are written (one by one, in bulk, by update), and the audit check sees a key
that was tampered with."""

from __future__ import annotations

import pytest
from django.db import connection

from hoso.accounts.permissions import SYSTEM, forget_scopes
from hoso.org.models import UnitKind
from hoso.org.services import unit_update
from hoso.records.models import NameWord, Person
from hoso.records.projection import differences
from hoso.search import index, selectors

from ..factories import OrgUnitFactory, PersonFactory
from ..records.documents import first_revision


def found(user, q):
    return [p.full_name for p in selectors.search(user=user, q=q).page.object_list]


def test_the_key_follows_the_name_when_it_is_saved(world):
    admin = world.actors["province_admin"]
    person = world.people["in_child"]  # Lê Thị Hoa
    assert person.name_key == "le thi hoa"
    person.full_name = "Lê Thị Hòa Bình"
    person.save()
    assert Person.objects.get(pk=person.pk).name_key == "le thi hoa binh"
    assert found(admin, "hoa binh") == ["Lê Thị Hòa Bình"]
    assert NameWord.objects.filter(word="binh").exists()


def test_saving_only_the_name_saves_its_key_too(world):
    person = world.people["in_child"]
    person.full_name = "Lê Thị Thu"
    person.save(update_fields=["full_name"])
    assert Person.objects.get(pk=person.pk).name_key == "le thi thu"


def test_bulk_created_people_are_found(world):
    admin = world.actors["province_admin"]
    template = PersonFactory.build(unit=world.in_unit, full_name="Hà Văn Khối")
    template.id_number_hash = "x" * 64
    Person.objects.bulk_create([template])
    assert found(admin, "ha van khoi") == ["Hà Văn Khối"]


def test_update_of_the_name_updates_the_key(world):
    admin = world.actors["province_admin"]
    Person.objects.filter(pk=world.people["out"].pk).update(full_name="Phạm Văn Mới")
    assert Person.objects.get(pk=world.people["out"].pk).name_key == "pham van moi"
    assert found(admin, "pham van moi") == ["Phạm Văn Mới"]


def test_a_name_from_an_expression_is_refused(world):
    from django.db.models import F

    with pytest.raises(TypeError):
        Person.objects.filter(pk=world.people["out"].pk).update(full_name=F("name_key"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_lost_triggers_are_put_back_and_the_index_rebuilt(world):
    admin = world.actors["province_admin"]
    with connection.cursor() as cursor:
        for name in index._SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    PersonFactory(unit=world.in_unit, full_name="Lạc Văn Mất")  # not indexed: no trigger
    assert found(admin, "lac van mat") == []
    assert index.ensure(connection) is True
    assert found(admin, "lac van mat") == ["Lạc Văn Mất"]
    assert index.ensure(connection) is False  # nothing left to repair


def test_the_audit_check_sees_a_tampered_key(world):
    person = world.people["in"]
    revision = first_revision(person)
    person.refresh_from_db()
    assert differences(person, person.profile, revision) == []
    Person.objects.filter(pk=person.pk).update(name_key="someone else")  # raw column write
    person.refresh_from_db()
    assert differences(person, person.profile, revision) == ["name_key"]


def test_the_audit_check_sees_a_tampered_party_tag(world):
    from hoso.records.models import Profile

    person = world.people["in"]
    revision = first_revision(person)
    Profile.objects.filter(pk=person.pk).update(party_member_tag="0" * 32)
    person.refresh_from_db()
    assert differences(person, person.profile, revision) == ["party_member_tag"]


def test_the_migration_fills_keys_words_and_tags_of_existing_rows(world):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from hoso.records.models import Profile, party_member_tag

    migration = importlib.import_module("hoso.records.migrations.0004_person_name_key")
    person = world.people["in"]
    first_revision(person)
    Person.objects.update(name_key="")
    NameWord.objects.all().delete()
    Profile.objects.filter(pk=person.pk).update(party_member_tag="")
    migration.fill(apps, SimpleNamespace(connection=connection))  # what it uses of the editor
    assert Person.objects.get(pk=person.pk).name_key == "nguyen van dung"
    assert {"nguyen", "van", "dung", "le", "thi", "hoa"} <= set(
        NameWord.objects.values_list("word", flat=True))
    assert Profile.objects.get(pk=person.pk).party_member_tag == party_member_tag(person.pk, "1")


# --- the sub-tree the index narrows to (PostgreSQL: records_person.search_scope) --------


def test_a_person_moved_to_another_unit_is_found_by_the_new_units_admin_only(world):
    unit_admin = world.actors["unit_admin"]  # on in_unit and its sub-tree
    person = world.people["out"]  # Phạm Văn Nam, Sở Y tế
    assert found(unit_admin, "pham van nam") == []
    person.unit = world.in_child
    person.save()
    assert found(unit_admin, "pham van nam") == ["Phạm Văn Nam"]
    Person.objects.filter(pk=person.pk).update(unit=world.out_unit)
    assert found(unit_admin, "pham van nam") == []


def test_people_of_a_unit_moved_under_another_are_found_from_their_new_place(world):
    unit_admin = world.actors["unit_admin"]  # on in_unit and its sub-tree
    division = OrgUnitFactory(parent=world.out_unit, kind=UnitKind.DIVISION)
    PersonFactory(unit=division, full_name="Hà Văn Chuyển")
    assert found(unit_admin, "ha van chuyen") == []
    unit_update(actor=SYSTEM, unit=division, parent=world.in_unit)
    forget_scopes(unit_admin)
    assert found(unit_admin, "ha van chuyen") == ["Hà Văn Chuyển"]


def test_the_unit_filter_and_the_scope_narrow_the_same_people_as_without_them(world):
    admin = world.actors["province_admin"]
    PersonFactory(unit=world.out_unit, full_name="Nguyễn Văn Dũng")
    everyone = selectors.search(user=admin, q="nguyen van dung").page.object_list
    assert len(everyone) == 2
    inside = selectors.search(user=admin, q="nguyen van dung",
                              filters={"unit": world.out_unit}).page.object_list
    assert [p.unit_id for p in inside] == [world.out_unit.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the scope is PostgreSQL's")
def test_the_scope_column_holds_the_units_path_segments(world):
    person = world.people["in_child"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_scope FROM records_person WHERE id = %s", [person.pk])
        (scope,) = cursor.fetchone()
    segments = world.in_child.path.rstrip(".").split(".")
    assert scope.split() == segments
    assert index.scope_term(world.in_child.path) == segments[-1]


def test_whoever_works_outside_their_scope_still_finds_their_own_file(world):
    officer = world.actors["hr_officer"]  # HR officer of in_unit, own file moved away
    own = officer.person
    own.unit = world.out_unit
    own.save()
    forget_scopes(officer)
    assert found(officer, own.full_name) == [own.full_name]
    assert found(officer, "pham van nam") == []  # not the rest of Sở Y tế
