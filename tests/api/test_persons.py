"""`/api/v1/persons/`: read-only; every read of someone else's data leaves an access
row (DESIGN principle 7); the identification number is masked for those who do not
keep the file, and found by its exact value through the keyed hash."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.records.models import Person

from ..factories import PersonFactory

LIST = reverse("api:person-list")


def _detail(person) -> str:
    return reverse("api:person-detail", kwargs={"pk": person.pk})


def test_a_page_of_the_list_leaves_one_access_row_per_other_person_on_it(world, as_actor):
    officer = world.actors["hr_officer"]
    before = AccessLog.objects.filter(action="search").count()
    response = as_actor("hr_officer").get(LIST, {"limit": 100})
    assert response.status_code == 200
    shown = {p["id"] for p in response.json()["results"]}
    assert officer.person_id in shown and world.people["out"].pk not in shown
    rows = AccessLog.objects.filter(action="search").order_by("seq")[before:]
    assert {r.person_id for r in rows} == shown - {officer.person_id}
    assert all(r.actor_id == officer.pk for r in rows)
    assert rows[0].detail["filters"] == []


def test_a_second_page_logs_only_its_own_people(world, as_actor):
    before = AccessLog.objects.count()
    response = as_actor("province_admin").get(LIST, {"limit": 2, "offset": 2})
    assert len(response.json()["results"]) == 2
    assert AccessLog.objects.count() == before + 2


def test_an_exact_identification_number_finds_one_file(world, as_actor):
    person = world.people["in"]
    client = as_actor("hr_officer")
    response = client.get(LIST, {"id_number": person.id_number})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [person.pk]
    row = AccessLog.objects.filter(action="search").latest("seq")
    assert row.person_id == person.pk and row.detail["filters"] == ["id_number"]
    assert person.id_number not in str(row.detail)
    # the same number but for its last six digits: nothing (no partial match)
    other = person.id_number[:6] + "999999"
    assert not Person.objects.with_id_number(other).exists()
    assert client.get(LIST, {"id_number": other}).json()["results"] == []


def test_an_identification_number_outside_the_scope_finds_nothing(world, as_actor):
    response = as_actor("hr_officer").get(LIST, {"id_number": world.people["out"].id_number})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_malformed_identification_number_is_a_vietnamese_400(world, as_actor):
    response = as_actor("hr_officer").get(LIST, {"id_number": "12345"})
    assert response.status_code == 400
    assert response.json() == {
        "id_number": ["Số định danh cá nhân phải gồm đúng 12 chữ số."]
    }


def test_the_number_is_masked_for_readers_who_do_not_keep_the_file(world, as_actor):
    person = world.people["in"]
    keeper = as_actor("hr_officer").get(_detail(person)).json()
    assert keeper["id_number"] == person.id_number and keeper["id_number_masked"] is False
    reader = as_actor("unit_head").get(_detail(person)).json()
    assert reader["id_number"] == person.id_number_masked and reader["id_number_masked"] is True
    assert person.id_number[3:9] not in reader["id_number"]


def test_reading_one_file_leaves_an_access_row_except_ones_own(world, as_actor):
    person = world.people["in"]
    assert as_actor("hr_officer").get(_detail(person)).status_code == 200
    row = AccessLog.objects.latest("seq")
    assert (row.action, row.person_id) == ("view", person.pk)
    staff = world.actors["staff"]
    before = AccessLog.objects.count()
    assert as_actor("staff").get(_detail(staff.person)).status_code == 200
    assert AccessLog.objects.count() == before


def test_a_file_outside_the_scope_is_not_found(world, as_actor):
    assert as_actor("hr_officer").get(_detail(world.people["out"])).status_code == 404
    assert as_actor("staff").get(_detail(world.people["in"])).status_code == 404


def test_the_list_filters_by_unit_with_its_sub_units(world, as_actor):
    response = as_actor("province_admin").get(LIST, {"unit": world.in_unit.pk, "limit": 100})
    names = {p["full_name"] for p in response.json()["results"]}
    assert {"Nguyễn Văn Dũng", "Lê Thị Hoa"} <= names and "Phạm Văn Nam" not in names
    response = as_actor("hr_officer").get(LIST, {"unit": world.out_unit.pk})
    assert response.status_code == 400  # a unit one may not see is no filter


def test_the_list_does_not_query_per_row(world, as_actor):
    client = as_actor("hr_officer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, {"limit": 100}).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first access row of the test database creates the chain's head
    few = queries()
    PersonFactory.create_batch(15, unit=world.in_child)
    assert queries() == few
