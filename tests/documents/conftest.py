import pytest


@pytest.fixture
def evidence_kind(db) -> str:
    """A code of the `evidence_kinds` catalog (the decision kinds of Vĩnh Phúc Đ7.3)."""
    from hoso.catalogs.selectors import choices

    kinds = [code for code, _label in choices("evidence_kinds")]
    assert kinds, "the evidence_kinds catalog is empty"
    return kinds[0]
