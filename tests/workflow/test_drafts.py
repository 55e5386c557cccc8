"""Drafts: every change is a change request (DESIGN principle 3) holding the whole
proposed document; it starts from the approved revision (Vĩnh Phúc Đ4.5: nothing
already known is asked again), is sealed at rest, one open draft per person."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from hoso.audit.models import ChangeLog
from hoso.core.context import acting_as
from hoso.core.errors import DomainError, PermissionDenied
from hoso.workflow import services
from hoso.workflow.models import ChangeRequest, Origin, Status

from ..records.documents import document_for, first_revision


def test_a_draft_starts_from_the_approved_revision(world, staff):
    revision = first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    assert draft.base_revision == revision
    assert draft.document == revision.document
    assert draft.status == Status.DRAFT and draft.origin == Origin.SELF


def test_a_file_without_a_revision_starts_from_what_hoso_knows(world, staff):
    person = staff.person
    draft = services.draft_start(actor=staff, person=person)
    assert draft.base_revision is None
    assert draft.document == {
        "full_name": person.full_name,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "id_number": person.id_number,
        "employing_unit": world.in_unit.code,
        "managing_unit": world.in_unit.code,
    }


def test_a_division_is_managed_by_its_agency(world):
    person = world.people["in_child"]
    draft = services.draft_start(actor=world.actors["hr_officer"], person=person)
    assert draft.document["employing_unit"] == world.in_child.code
    assert draft.document["managing_unit"] == world.in_unit.code


def test_one_open_draft_per_person(world, staff):
    first = services.draft_start(actor=staff, person=staff.person)
    assert services.draft_start(actor=staff, person=staff.person) == first
    hr_view = services.draft_start(actor=world.actors["hr_officer"], person=staff.person)
    assert hr_view == first  # the HR officer works on the same draft
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.create(person=staff.person, category=first.category,
                                     document_hash="0" * 64)


def test_no_new_draft_while_one_awaits_review(world, staff, evidence_kind):
    first_revision(staff.person)
    draft = services.draft_start(actor=staff, person=staff.person)
    services.draft_update(actor=staff, draft=draft, changes={"phone": "0912345678"})
    services.draft_submit(actor=staff, draft=draft)
    with pytest.raises(DomainError) as exc:
        services.draft_start(actor=staff, person=staff.person)
    assert exc.value.code == "open_request"


def test_the_proposed_document_is_sealed_at_rest_and_kept_out_of_the_audit(world, staff):
    first_revision(staff.person, health_status="Bệnh mạn tính ABC")
    draft = services.draft_start(actor=staff, person=staff.person)
    row = ChangeRequest.objects.values("public", "sealed").get(pk=draft.pk)
    assert "health_status" not in row["public"] and "id_number" not in row["public"]
    assert row["sealed"] and "ABC" not in row["sealed"]
    assert row["public"]["full_name"] == staff.person.full_name
    assert ChangeRequest.objects.get(pk=draft.pk).document["health_status"] == "Bệnh mạn tính ABC"
    logged = ChangeLog.objects.filter(object_type="workflow.changerequest",
                                      object_id=str(draft.pk)).get()
    assert "public" not in logged.after and "sealed" not in logged.after
    assert logged.after["document_hash"] == draft.document_hash


def test_an_hr_correction_is_a_change_request_within_scope_only(world):
    hr = world.actors["hr_officer"]
    draft = services.draft_start(actor=hr, person=world.people["in"])
    assert draft.origin == Origin.CORRECTION and draft.created_by == hr
    for actor, person in ((hr, world.people["out"]), (world.actors["staff"], world.people["in"]),
                          (world.actors["unit_head"], world.people["in"]),
                          (world.actors["expired"], world.people["in"])):
        with pytest.raises(PermissionDenied):
            services.draft_start(actor=actor, person=person)


def test_the_person_cannot_change_what_the_unit_keeps(world, staff):
    draft = services.draft_start(actor=staff, person=staff.person)
    with pytest.raises(services.FieldsRefused) as exc:
        services.draft_update(actor=staff, draft=draft, changes={"staff_number": "X-1"})
    assert "staff_number" in exc.value.issues
    hr = world.actors["hr_officer"]
    services.draft_update(actor=hr, draft=draft, changes={"staff_number": "NV-7"})
    assert ChangeRequest.objects.get(pk=draft.pk).document["staff_number"] == "NV-7"


def test_a_field_the_actor_may_not_read_cannot_be_changed_and_keeps_its_value(world):
    person = world.people["in"]
    first_revision(person)
    draft = services.draft_start(actor=world.actors["hr_officer"], person=person)
    unit_admin = world.actors["unit_admin"]  # person.change, but the public level only
    with pytest.raises(services.FieldsRefused):
        services.draft_update(actor=unit_admin, draft=draft, changes={"health_status": "Yếu"})
    services.draft_update(actor=unit_admin, draft=draft, changes={"phone": "0987654321"})
    saved = ChangeRequest.objects.get(pk=draft.pk).document
    assert saved["health_status"] == "Tốt" and saved["phone"] == "0987654321"


def test_a_patch_with_a_wrong_value_changes_nothing(world, staff):
    draft = services.draft_start(actor=staff, person=staff.person)
    before = draft.document_hash
    with pytest.raises(services.FieldsRefused) as exc:
        services.draft_update(actor=staff, draft=draft,
                              changes={"phone": "0912345678", "id_issue_date": "2999-01-01"})
    assert "id_issue_date" in exc.value.issues
    assert ChangeRequest.objects.get(pk=draft.pk).document_hash == before


def test_every_save_leaves_an_audit_row_with_the_actor(world, staff):
    with acting_as(staff):
        draft = services.draft_start(actor=staff, person=staff.person)
        services.draft_update(actor=staff, draft=draft, changes={"phone": "0912345678"})
    rows = ChangeLog.objects.filter(object_type="workflow.changerequest",
                                    object_id=str(draft.pk)).order_by("seq")
    assert [r.action for r in rows] == ["create", "update"]
    assert all(r.actor_id == staff.pk for r in rows)
    assert rows[0].after["document_hash"] != rows[1].after["document_hash"]


def test_a_full_document_from_the_schema_helper_is_valid(world, staff):
    # guard for the fixtures used below: the complete document passes the schema
    from hoso.records.schema import validate

    assert validate(document_for(staff.person), category=staff.person.category) == []
