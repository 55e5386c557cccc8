"""Fixtures of the oversight tests: a clock, a province policy of the test's choosing,
signing keys for the province's approvers, and approved revisions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from hoso.accounts.permissions import SYSTEM
from hoso.records.services import revision_create

from ..factories import PersonFactory
from ..records.documents import document_for
from ..signing.conftest import PASSPHRASE, test_pki, trust  # noqa: F401

SHIPPED_POLICIES = Path(django_settings.BASE_DIR).parent.parent / "policies"


class Clock:
    """The time the services read (`django.utils.timezone.now`), set by the test, so that
    windows and periods are checked against hand-computed dates. Signatures carry the
    real time (the test PKI's certificates are valid now)."""

    def __init__(self, monkeypatch):
        self._now = None
        self._real = timezone.now
        monkeypatch.setattr(timezone, "now", self.now)

    def now(self):
        return self._now if self._now is not None else self._real()

    def set(self, day: dt.date, hour: int = 9) -> dt.datetime:
        self._now = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
        return self._now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def province(settings, tmp_path):
    """`province(code, window=...)`: that province's shipped policy in force, its
    province window replaced when `window` is given ((kind, days), or None for none)."""
    from hoso.core.policy import clear_cache

    directory = tmp_path / "policies"
    directory.mkdir()

    def use(code: str, *, window="shipped"):
        text = (SHIPPED_POLICIES / f"{code}.toml").read_text(encoding="utf-8")
        if window != "shipped":
            text = re.sub(r"\[windows\.province\]\n(?:[a-z]+ = .*\n)+", "", text)
            if window is not None:
                kind, days = window
                text += (f'\n[windows.province]\nkind = "{kind}"\ndays = {days}\n'
                         'source = "test"\n')
        (directory / f"{code}.toml").write_text(text, encoding="utf-8")
        settings.POLICY_DIR = directory
        settings.PROVINCE = code
        clear_cache()
        return code

    yield use
    clear_cache()


@pytest.fixture
def keys(world, test_pki, trust, settings):  # noqa: F811
    """The province approver's and the province administrator's own keys (PKCS#12,
    certificates naming their ID numbers), configured as their signers."""
    lines = []
    for key in ("province_approver", "province_admin", "hr_head"):
        user = world.actors[key]
        path = test_pki.p12(test_pki.person(user.person), f"key-{key}")
        lines.append(f'[user."{user.username}"]\nbackend = "p12"\nfile = "{path}"\n')
    Path(settings.SIGNING_SIGNERS_FILE).write_text("\n".join(lines), encoding="utf-8")
    return PASSPHRASE


def approve(person, *, at: dt.datetime | None = None, **changes):
    """An approved revision of `person`'s file (the next link of their chain)."""
    return revision_create(actor=SYSTEM, person=person, document=document_for(person, **changes),
                           reason="test", approved_at=at)


@pytest.fixture
def approved(world):
    """Revision 1 of the files of four people: two of Sở Nội vụ (one in its division),
    one of Sở Y tế, one of a commune."""
    return {key: approve(world.people[key]) for key in ("in", "in_child", "out", "commune")}


def more_people(unit, n: int, *, prefix: str = "Người thứ"):
    return [PersonFactory(unit=unit, full_name=f"{prefix} {i:03d}") for i in range(n)]
