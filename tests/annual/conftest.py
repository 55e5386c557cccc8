"""Fixtures of the annual report's tests: the generated province, and real keys from the
signing tests' session PKI (tests/signing/conftest.py) written into this test's signers
file — the head of Sở Nội vụ (world.in_unit), the province approver, the chairman of
the commune, and the agency keys of Sở Nội vụ and of the commune."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..signing import conftest as signing_fixtures
from . import province

test_pki = signing_fixtures.test_pki
trust = signing_fixtures.trust


def write_signers(settings, *, users=None, units=None) -> None:
    lines = []
    for name, p12 in (users or {}).items():
        lines += [f'[user."{name}"]', 'backend = "p12"', f'file = "{p12}"', ""]
    for code, p12 in (units or {}).items():
        lines += [f'[unit."{code}"]', 'backend = "p12"', f'file = "{p12}"', ""]
    Path(settings.SIGNING_SIGNERS_FILE).write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def people(world):
    return province.build(world)


@pytest.fixture
def keys(world, test_pki, trust, settings):
    a = world.actors
    files = {
        "unit_head": test_pki.p12(test_pki.person(a["unit_head"].person), "an-head"),
        "province_approver": test_pki.p12(test_pki.person(a["province_approver"].person),
                                          "an-approver"),
        "chairman": test_pki.p12(test_pki.person(a["chairman"].person), "an-chairman"),
        "hr_head": test_pki.p12(test_pki.person(a["hr_head"].person), "an-hr-head"),
        "agency": test_pki.p12(test_pki.unit(world.in_unit), "an-agency"),
        "commune": test_pki.p12(test_pki.unit(world.commune), "an-commune"),
    }
    write_signers(
        settings,
        users={k: files[k] for k in ("unit_head", "province_approver", "chairman", "hr_head")},
        units={world.in_unit.code: files["agency"], world.commune.code: files["commune"]},
    )
    return files
