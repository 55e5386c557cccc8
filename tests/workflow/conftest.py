import pytest

from ..documents.conftest import evidence_kind  # noqa: F401


@pytest.fixture
def staff(world):
    return world.actors["staff"]
