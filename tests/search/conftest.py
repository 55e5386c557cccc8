"""The search's fixtures: a fresh copy of the name vocabulary for every test (the
test's transaction rolls back, and SQLite then reuses the rolled-back ids)."""

from __future__ import annotations

import pytest

from hoso.search import vocabulary


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    vocabulary.reset()
    yield
    vocabulary.reset()
