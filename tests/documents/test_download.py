"""Downloading evidence goes through the permission path: whoever may read the file's
restricted fields (the person, the unit's HR chain) or holds a written-consent grant
naming the document's section; every other reader gets a 404, and reading someone
else's evidence leaves an access row."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hoso.audit.models import AccessLog
from hoso.core.context import acting_as
from hoso.documents.services import Upload, evidence_upload

from ..clients import client_for
from ..factories import GrantFactory, UserFactory
from .samples import scanned_pdf_bytes, upload


def _doc(actor, person, kind, section=""):
    with acting_as(actor):
        return evidence_upload(
            actor=actor, person=person,
            upload=Upload(file=upload("qd.pdf", scanned_pdf_bytes(marker=section)), kind=kind,
                          section=section),
        )


def _get(user, doc):
    return client_for(user).get(reverse("documents:evidence_download", args=[doc.pk]))


def test_the_person_downloads_their_own_evidence_without_an_access_row(world, evidence_kind):
    staff = world.actors["staff"]
    doc = _doc(staff, staff.person, evidence_kind)
    before = AccessLog.objects.count()
    response = _get(staff, doc)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == scanned_pdf_bytes(marker="")
    assert response["Content-Type"] == "application/pdf"
    assert f"minh-chung-{doc.pk}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.count() == before


def test_the_hr_officer_in_scope_downloads_and_leaves_an_access_row(world, evidence_kind):
    hr = world.actors["hr_officer"]
    doc = _doc(hr, world.people["in"], evidence_kind)
    assert _get(hr, doc).status_code == 200
    row = AccessLog.objects.order_by("-seq").first()
    assert (row.action, row.person_id, row.object_id) == ("download", doc.person_id, str(doc.pk))


def test_readers_without_the_restricted_level_or_scope_get_nothing(world, evidence_kind):
    hr = world.actors["hr_officer"]
    doc = _doc(hr, world.people["in"], evidence_kind)
    # The unit administrator may view the file's public fields only.
    for key in ("unit_admin", "auditor", "staff", "expired", "revoked"):
        assert _get(world.actors[key], doc).status_code == 404, key
    admin = world.actors["province_admin"]
    out_doc = _doc(admin, world.people["out"], evidence_kind)
    assert _get(hr, out_doc).status_code == 404
    response = Client().get(reverse("documents:evidence_download", args=[doc.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_consent_grant_opens_the_evidence_of_the_sections_it_names(world, evidence_kind):
    hr = world.actors["hr_officer"]
    training = _doc(hr, world.people["in"], evidence_kind, section="training")
    general = _doc(hr, world.people["in"], evidence_kind, section="")
    reader = UserFactory(unit=world.root)
    GrantFactory(grantee=reader, unit=world.in_unit, sections=["training"])
    assert _get(reader, training).status_code == 200
    assert _get(reader, general).status_code == 404
