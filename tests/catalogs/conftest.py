"""The catalogs' in-process cache must not carry a rolled-back test's changes into the
next test: each test starts and ends with it empty."""

import pytest

from hoso.catalogs.selectors import invalidate


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    invalidate()
    yield
    invalidate()
