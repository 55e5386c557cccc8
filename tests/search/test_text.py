"""The search key and the trigram similarity (hoso.core.text)."""

from __future__ import annotations

import unicodedata

import pytest
from django.db import connection

from hoso.core.text import edit_distance, key_words, search_key, similarity


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Nguyễn Văn Dũng", "nguyen van dung"),
        ("NGUYỄN VĂN DŨNG", "nguyen van dung"),
        (unicodedata.normalize("NFD", "Nguyễn Văn Dũng"), "nguyen van dung"),
        ("Đỗ Đức Đạt", "do duc dat"),
        ("  Trần   thị\tHoa ", "tran thi hoa"),
        ("K'Bông", "k bong"),
        ("Hoàng-Văn  Xã", "hoang van xa"),
        ("", ""),
        (None, ""),
    ],
)
def test_search_key(text, key):
    assert search_key(text) == key


def test_every_vietnamese_vowel_with_every_tone_folds_to_its_base_letter():
    bases = {"a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "i": "iìíỉĩị",
             "o": "oòóỏõọôồốổỗộơờớởỡợ", "u": "uùúủũụưừứửữự", "y": "yỳýỷỹỵ", "d": "dđ"}
    for base, letters in bases.items():
        for letter in letters + letters.upper():
            assert search_key(letter) == base, letter


def test_key_words():
    assert key_words("Lê Thị  Hoa") == ["le", "thi", "hoa"]


def test_similarity_of_the_same_words_is_one_and_of_nothing_shared_zero():
    assert similarity("nguyen van dung", "nguyen van dung") == 1.0
    assert similarity("abc", "xyz") == 0.0
    # "dung" and "dugn": "  d", " du" shared of the 5 + 5 distinct trigrams
    assert similarity("dung", "dugn") == pytest.approx(2 / 8)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
@pytest.mark.django_db
def test_similarity_is_pg_trgms_similarity():
    pairs = [("nguyen van dung", "nguyen van dugn"), ("tran thi hoa", "hoa"),
             ("le van an", "le an"), ("k bong ka", "kbong"), ("dung", "dugn")]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert similarity(a, b) == pytest.approx(cursor.fetchone()[0], abs=1e-6), (a, b)


def test_edit_distance_counts_a_swap_of_neighbours_as_one():
    assert edit_distance("dung", "dugn") == 1
    assert edit_distance("nguyen", "nguyn") == 1
    assert edit_distance("dung", "dxgn", limit=1) == 2  # beyond the limit: limit + 1
    assert edit_distance("an", "an") == 0
