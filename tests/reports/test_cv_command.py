"""`hoso cv ID_NUMBER --out FILE.pdf [--draft]`: the CV from the command line, found by
the identification number's keyed hash, printed as the system and audited as
"system:cv"."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from hoso.accounts.permissions import SYSTEM
from hoso.audit.models import AccessLog
from hoso.workflow.services import draft_start

from ..records.documents import first_revision
from .pdf import Pdf


def _cv(*args) -> str:
    out = io.StringIO()
    call_command("cv", *args, stdout=out)
    return out.getvalue()


def test_hoso_cv_writes_the_approved_cv_and_audits_it_as_the_system(world, tmp_path):
    person = world.people["in"]
    revision = first_revision(person)
    target = tmp_path / "cv.pdf"
    message = _cv(person.id_number, "--out", str(target))
    assert "phiên bản số 1" in message and str(target) in message
    text = unicodedata.normalize("NFC", Pdf(target.read_bytes()).all_text)
    assert person.full_name.upper() in text
    assert revision.content_hash in text
    row = AccessLog.objects.filter(action="print").get()
    assert (row.actor_label, row.actor_id, row.person_id) == ("system:cv", None, person.pk)


def test_hoso_cv_draft_prints_the_draft_watermarked(world, tmp_path):
    person = world.people["in"]
    first_revision(person)
    draft_start(actor=SYSTEM, person=person)
    target = tmp_path / "draft.pdf"
    _cv(person.id_number, "--out", str(target), "--draft")
    assert "BẢN NHÁP" in unicodedata.normalize("NFC", Pdf(target.read_bytes()).all_text)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("026185999999", "Không có hồ sơ nào mang số định danh này."),
        ("12345", "12"),  # the validator's message names the 12 digits
    ],
)
def test_hoso_cv_refuses_a_number_it_cannot_find(world, tmp_path, number, message):
    with pytest.raises(CommandError, match=message):
        _cv(number, "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
    assert not AccessLog.objects.filter(action="print").exists()


def test_hoso_cv_explains_a_file_not_approved_yet(world, tmp_path):
    with pytest.raises(CommandError, match="chưa có phiên bản được phê duyệt"):
        _cv(world.people["in"].id_number, "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
