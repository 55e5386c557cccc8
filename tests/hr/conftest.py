"""Helpers of the HR lists' tests: a fixed today, people of the world with the dates the
tests give them, and approved files with a rank, a step and the date it is held from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hoso.accounts.permissions import SYSTEM
from hoso.catalogs.selectors import salary_coefficient
from hoso.records.models import Person
from hoso.records.services import revision_create

from ..factories import PersonFactory
from ..records.documents import document_for
from ..workflow.conftest import Clock

TODAY = dt.date(2026, 5, 10)


@pytest.fixture
def today(monkeypatch):
    """The services' clock set to 10/05/2026, 09:00 (the lists count from this month)."""
    clock = Clock(monkeypatch)
    clock.set(TODAY)
    return TODAY


@pytest.fixture
def quiet_world(today, world):
    """The world, everyone in it born in 1990: far from retirement, so that the only
    people on a list are those a test puts there."""
    Person.objects.update(birth_date=dt.date(1990, 5, 17))
    return world


def person(unit, *, born: dt.date, sex: str = "male", name: str = "", **kw) -> Person:
    return PersonFactory(unit=unit, birth_date=born, sex=sex,
                         **({"full_name": name} if name else {}), **kw)


def salaried(unit, *, rank: str, group: str, step: int, since: dt.date, name: str = "",
             category: str = "cong_chuc", born: dt.date = dt.date(1980, 5, 17)) -> Person:
    """A person with an approved file at `step` of `rank` (salary `group`) since
    `since` (the file's salary history agrees)."""
    p = person(unit, born=born, name=name, category=category)
    coefficient = str(salary_coefficient(group, step, since))
    revision_create(
        actor=SYSTEM, person=p, reason="Hồ sơ ban đầu",
        document=document_for(
            p, rank_code=rank, salary_step=step, salary_coefficient=coefficient,
            salary_since=since.isoformat(),
            salary_history=[{"month": f"{since:%Y-%m}", "rank_code": rank, "salary_step": step,
                             "salary_coefficient": coefficient}],
        ),
        approved_at=timezone.now(),
    )
    return p


def login(client, user):
    """Log `user` in, second factor included (the roles that need one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="app", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
