import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

from ..documents.conftest import evidence_kind  # noqa: F401
from ..signing.conftest import PASSPHRASE, test_pki, trust  # noqa: F401


@pytest.fixture
def staff(world):
    return world.actors["staff"]


class Clock:
    """The time the services read (`django.utils.timezone.now`), set by the test: the
    review's due dates and windows are checked against hand-computed calendar dates.
    Certificates are still checked against the real time (the test PKI's are valid
    now)."""

    def __init__(self, monkeypatch):
        self._now = None
        self._real = timezone.now
        monkeypatch.setattr(timezone, "now", self.now)

    def now(self):
        return self._now if self._now is not None else self._real()

    def set(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """`hour:minute` of `day` in Việt Nam, as Django gives the time: in UTC."""
        local = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        self._now = local.astimezone(dt.UTC)
        return self._now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@dataclass
class Keys:
    """Signing keys (PKCS#12, opened with PASSPHRASE) configured as `[user."…"]` signers
    in the test's signers file; `issued[username]` is the certificate, to revoke."""

    test_pki: object
    trust: Path
    path: Path
    issued: dict

    def add(self, user) -> None:
        issued = self.test_pki.person(user.person)
        p12 = self.test_pki.p12(issued, f"key-{user.username}")
        self.issued[user.username] = issued
        with self.path.open("a", encoding="utf-8") as f:
            f.write(f'[user."{user.username}"]\nbackend = "p12"\nfile = "{p12}"\n\n')

    def revoke(self, user, settings) -> None:
        """Revoke the user's certificate and publish the CRL to the trust store."""
        settings.SIGNING_REVOCATION = "require"
        self.test_pki.province.revoke(self.issued[user.username].cert)
        self.test_pki.install(self.trust)


@pytest.fixture
def keys(world, test_pki, trust, settings):  # noqa: F811
    """Keys for the world's approvers (the certificate names their ID number)."""
    path = Path(settings.SIGNING_SIGNERS_FILE)
    path.write_text("", encoding="utf-8")
    k = Keys(test_pki, trust, path, {})
    for key in ("hr_officer", "hr_head", "unit_head", "chairman", "province_approver"):
        k.add(world.actors[key])
    return k


def submitted(actor, person=None, *, changes=None):
    """A change request of `person` (the actor's own file by default) made by `actor`
    and submitted: an approved file first (revision 1), then a new phone number, which
    needs no evidence."""
    from hoso.records.models import Revision
    from hoso.workflow import services

    from ..records.documents import first_revision

    person = person or actor.person
    if not Revision.objects.filter(person=person).exists():
        first_revision(person)
    draft = services.draft_start(actor=actor, person=person)
    services.draft_update(actor=actor, draft=draft, changes=changes or {"phone": "0912345678"})
    return services.submit(draft, actor=actor)
