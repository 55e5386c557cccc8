"""`/api/v1/oversight/province-batches/`: the batches, their counts, the signed package."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hoso.oversight import services
from hoso.signing import data as signing_data

from .conftest import PASSPHRASE


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def signed(world, approved, province, keys):
    province("vinh-phuc")
    approver = world.actors["province_approver"]
    batch = services.batch_prepare(actor=approver).batch
    return services.batch_sign(actor=approver, batch_id=batch.pk, version=batch.version,
                               secret=PASSPHRASE)


def test_batches_list_and_detail_with_counts_per_agency(world, signed):
    client = _api(world.actors["province_admin"])
    listed = client.get("/api/v1/oversight/province-batches/").json()
    assert [b["id"] for b in listed["results"]] == [signed.pk]
    assert listed["results"][0]["status"] == "signed"
    assert listed["results"][0]["manifest_hash"] == signed.manifest_hash
    detail = client.get(f"/api/v1/oversight/province-batches/{signed.pk}/").json()
    assert {c["code"]: c["count"] for c in detail["counts"]} == {
        world.in_unit.code: 2, world.out_unit.code: 1, world.commune.code: 1}
    assert detail["signed_by"] == world.actors["province_approver"].pk


def test_the_signed_package_over_the_api_verifies(world, signed):
    response = _api(world.actors["province_approver"]).get(
        f"/api/v1/oversight/province-batches/{signed.pk}/package/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert signing_data.verify_package(response.content).ok


def test_an_open_batch_has_no_package(world, approved, province):
    province("vinh-phuc")
    batch = services.batch_prepare(actor=world.actors["province_approver"]).batch
    response = _api(world.actors["province_approver"]).get(
        f"/api/v1/oversight/province-batches/{batch.pk}/package/")
    assert response.status_code == 404
    assert "chưa được ký" in response.json()["detail"]


def test_others_get_no_batch(world, signed):
    for key in ("hr_head", "unit_head", "auditor"):
        response = _api(world.actors[key]).get("/api/v1/oversight/province-batches/")
        assert response.status_code == 403
