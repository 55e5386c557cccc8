"""A world built on a fixed day, so that every date the tests compute by hand is the
same whenever the suite runs: the clock (tests/workflow/conftest.py) stands at Monday
04/01/2027, 09:00 when the world is built, every account given that day."""

import datetime as dt

import pytest

from ..conftest import build_world
from ..workflow.conftest import Clock

START = dt.date(2027, 1, 4)


@pytest.fixture
def clock(monkeypatch):
    c = Clock(monkeypatch)
    c.set(START, 9)
    return c


@pytest.fixture
def world(clock, db):
    from hoso.accounts.models import User

    w = build_world()
    # `date_joined`'s default is the real clock's: the accounts are given on START.
    User.objects.update(date_joined=clock.now())
    return w


@pytest.fixture
def staff(world):
    return world.actors["staff"]
