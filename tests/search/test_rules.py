"""The search's rules, one test each (issue 7: đ/d, NFC and NFD input, word order,
typos within reason, "dung 1985", the identification number, filters, sub-tree,
changed since), and that nothing outside `visible_to` appears in results or counts."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.utils import timezone

from hoso.accounts.permissions import SYSTEM
from hoso.records.models import Sex, StaffCategory, Status
from hoso.search import selectors

from ..factories import PersonFactory
from ..records.documents import first_revision


def names(result) -> list[str]:
    return [p.full_name for p in result.page.object_list]


def found(user, q="", **filters) -> list[str]:
    return names(selectors.search(user=user, q=q, filters=filters))


@pytest.fixture
def admin(world):
    return world.actors["province_admin"]


@pytest.fixture
def people(world):
    """A few names that share words, in the province admin's sight (the world's own
    Nguyễn Văn Dũng renamed out of the way)."""
    unit = world.in_unit
    world.people["in"].full_name = "Bùi Xuân Phái"
    world.people["in"].save()
    return {
        "dung85": PersonFactory(unit=unit, full_name="Nguyễn Văn Dũng",
                                birth_date=dt.date(1985, 3, 15)),
        "dung90": PersonFactory(unit=unit, full_name="Trần Văn Dũng",
                                birth_date=dt.date(1990, 7, 2)),
        "dung_f": PersonFactory(unit=unit, full_name="Lê Thị Dung", sex=Sex.FEMALE,
                                birth_date=dt.date(1985, 11, 30)),
        "duc": PersonFactory(unit=unit, full_name="Đỗ Minh Đức", birth_date=dt.date(1979, 1, 5)),
        "hung": PersonFactory(unit=unit, full_name="Nguyễn Văn Hùng",
                              birth_date=dt.date(1985, 6, 1)),
        "an": PersonFactory(unit=unit, full_name="Phạm Thị An", sex=Sex.FEMALE),
        "anh": PersonFactory(unit=unit, full_name="Phạm Thị Anh", sex=Sex.FEMALE),
        "kbong": PersonFactory(unit=unit, full_name="K'Bông Ka", sex=Sex.FEMALE),
    }


# --- the text -----------------------------------------------------------------------


def test_a_name_typed_without_accents_finds_it_with_them(admin, people):
    assert found(admin, "nguyen van dung")[0] == "Nguyễn Văn Dũng"


def test_case_does_not_matter(admin, people):
    assert found(admin, "NGUYỄN VĂN DŨNG")[0] == "Nguyễn Văn Dũng"
    assert found(admin, "nGuYeN vAn DuNg")[0] == "Nguyễn Văn Dũng"


def test_nfc_and_nfd_input_find_the_same_people(admin, people):
    nfc = unicodedata.normalize("NFC", "Nguyễn Văn Dũng")
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Dũng")
    assert nfc != nfd
    assert found(admin, nfd) == found(admin, nfc)
    assert found(admin, nfd)[0] == "Nguyễn Văn Dũng"


def test_d_with_stroke_is_d(admin, people):
    # "Đỗ Minh Đức" typed with plain d, and "đ" typed for a name with none
    assert found(admin, "do minh duc") == ["Đỗ Minh Đức"]
    assert found(admin, "ĐUNG") == found(admin, "dung")
    assert "Nguyễn Văn Dũng" in found(admin, "đũng")


def test_words_match_in_any_order(admin, people):
    assert found(admin, "dung nguyen van")[0] == "Nguyễn Văn Dũng"
    assert found(admin, "van dung nguyen")[0] == "Nguyễn Văn Dũng"


def test_every_word_must_match(admin, people):
    # "nguyen" and "dung" both: not Trần Văn Dũng, not Nguyễn Văn Hùng
    assert found(admin, "nguyen dung") == ["Nguyễn Văn Dũng"]


def test_words_match_as_the_beginning_of_a_word(admin, people):
    assert found(admin, "ng v dun") == ["Nguyễn Văn Dũng"]


def test_an_exact_full_name_ranks_first_then_whole_words_then_prefixes(admin, people):
    PersonFactory(unit=people["an"].unit, full_name="Phạm Thị An Bình", sex=Sex.FEMALE)
    # exact name first; whole word "an" (Phạm Thị An Bình) before the prefix (Anh)
    assert found(admin, "pham thi an") == ["Phạm Thị An", "Phạm Thị An Bình", "Phạm Thị Anh"]


def test_a_typo_in_a_word_is_forgiven(admin, people):
    result = selectors.search(user=admin, q="nguyen van dugn")
    assert names(result) == ["Nguyễn Văn Dũng"]
    assert result.typos
    assert found(admin, "nguyn van dung") == ["Nguyễn Văn Dũng"]  # a letter missing
    assert found(admin, "nguyeen van dung") == ["Nguyễn Văn Dũng"]  # a letter too many


def test_typos_are_tried_only_when_nothing_matches_as_typed(admin, people):
    # "hung" is a name of its own: Nguyễn Văn Hùng, not the Dũngs one letter away
    result = selectors.search(user=admin, q="nguyen van hung")
    assert names(result) == ["Nguyễn Văn Hùng"]
    assert not result.typos


def test_a_word_wrong_everywhere_is_searched_again_with_its_near_words(admin, people):
    # "tran" and "van" exist, "dunk" does not begin any name: "dung" is one letter away
    assert found(admin, "tran van dunk") == ["Trần Văn Dũng"]


def test_typos_within_reason_not_beyond(admin, people):
    assert found(admin, "xyzzy van dung") == []  # five letters off: no match
    assert found(admin, "nguyen van dxgn") == []  # two mistakes in a four-letter word
    # two letters: no typos at all ("ab" is not "an")
    assert found(admin, "pham thi ab") == []


def test_name_with_a_year_finds_the_one_born_that_year(admin, people):
    result = selectors.search(user=admin, q="dung 1985")
    assert names(result) == ["Lê Thị Dung", "Nguyễn Văn Dũng"]
    assert result.total == 2


def test_name_with_a_date_of_birth(admin, people):
    assert found(admin, "dũng 15/03/1985") == ["Nguyễn Văn Dũng"]
    assert found(admin, "dung 1985-11-30") == ["Lê Thị Dung"]


def test_the_identification_number_finds_exactly_its_person(admin, people):
    person = people["dung90"]
    assert found(admin, person.id_number) == ["Trần Văn Dũng"]
    assert found(admin, "000000000000") == []


def test_the_number_is_matched_through_its_keyed_hash(admin, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = people["dung90"]
    with CaptureQueriesContext(connection) as queries:
        selectors.search(user=admin, q=person.id_number)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert person.id_number not in sql  # the number never reaches the database in clear


def test_numbers_that_mean_nothing_are_left_out_with_a_notice(admin, people):
    result = selectors.search(user=admin, q="dung 123")
    assert "Nguyễn Văn Dũng" in names(result)
    assert result.notices == [
        "“123” đã được bỏ qua: năm sinh có 4 chữ số, ngày sinh dạng dd/mm/yyyy và số "
        "định danh có 12 chữ số."
    ]


def test_names_with_an_apostrophe(admin, people):
    assert found(admin, "k'bong") == ["K'Bông Ka"]
    assert found(admin, "k bong ka") == ["K'Bông Ka"]


# --- filters -------------------------------------------------------------------------


def test_the_unit_filter_takes_its_sub_tree(world, admin):
    result = found(admin, "", unit=world.in_unit)
    assert "Nguyễn Văn Dũng" in result and "Lê Thị Hoa" in result  # in_child is below
    assert "Phạm Văn Nam" not in result
    assert found(admin, "", unit=world.in_child) == ["Lê Thị Hoa"]


def test_category_status_and_sex_filters(world, admin, people):
    PersonFactory(unit=world.in_unit, full_name="Võ Văn Dũng", category=StaffCategory.VIEN_CHUC,
                  status=Status.RETIRED)
    assert found(admin, "dung", category=StaffCategory.VIEN_CHUC) == ["Võ Văn Dũng"]
    assert found(admin, "dung", status=Status.RETIRED) == ["Võ Văn Dũng"]
    assert found(admin, "dung", sex=Sex.FEMALE) == ["Lê Thị Dung"]


def test_age_range(admin, people):
    today = timezone.localdate()
    born = today.replace(year=today.year - 40)  # 40 today
    PersonFactory(unit=people["an"].unit, full_name="Mai Văn Tuổi", birth_date=born)
    PersonFactory(unit=people["an"].unit, full_name="Mai Văn Trẻ",
                  birth_date=born + dt.timedelta(days=1))  # 39 until tomorrow
    assert found(admin, "mai", age_min=40) == ["Mai Văn Tuổi"]
    assert found(admin, "mai", age_max=39) == ["Mai Văn Trẻ"]
    assert found(admin, "mai", age_min=39, age_max=40) == ["Mai Văn Trẻ", "Mai Văn Tuổi"]


@pytest.fixture
def filed(world):
    """Two people with approved files that differ in every projected filter."""
    unit = world.in_unit
    a = PersonFactory(unit=unit, full_name="Hồ Văn Hồ Sơ")
    b = PersonFactory(unit=unit, full_name="Hồ Thị Hồ Sơ", sex=Sex.FEMALE)
    first_revision(a)  # rank 01.003, job dc_to_chuc_can_bo, ethnicity 01, dh, trung_cap, Party
    first_revision(b, rank_code="01.002", salary_coefficient="4.40", salary_step=1,
                   salary_history=[{"month": "2020-09", "rank_code": "01.002",
                                    "salary_step": 1, "salary_coefficient": "4.40"}],
                   ethnicity="02", education_level="ths", political_theory="cao_cap",
                   party_join_date=None, party_official_date=None)
    return a, b


def test_filters_on_the_approved_file(admin, filed):
    assert found(admin, "ho so", rank="01.003") == ["Hồ Văn Hồ Sơ"]
    assert found(admin, "ho so", rank="01.002") == ["Hồ Thị Hồ Sơ"]
    assert found(admin, "ho so", ethnicity="02") == ["Hồ Thị Hồ Sơ"]
    assert found(admin, "ho so", education="ths") == ["Hồ Thị Hồ Sơ"]
    assert found(admin, "ho so", political_theory="trung_cap") == ["Hồ Văn Hồ Sơ"]
    assert found(admin, "ho so", job_position="dc_to_chuc_can_bo") == [
        "Hồ Thị Hồ Sơ", "Hồ Văn Hồ Sơ"
    ]


def test_party_membership_filter(admin, filed):
    assert found(admin, "ho so", party="yes") == ["Hồ Văn Hồ Sơ"]
    assert found(admin, "ho so", party="no") == ["Hồ Thị Hồ Sơ"]


def test_party_membership_searches_only_whom_the_user_may_read_restricted(world, filed):
    # The unit administrator sees both files but not their restricted fields.
    unit_admin = world.actors["unit_admin"]
    assert found(unit_admin, "ho so") == ["Hồ Thị Hồ Sơ", "Hồ Văn Hồ Sơ"]
    assert found(unit_admin, "ho so", party="yes") == []
    assert found(unit_admin, "ho so", party="no") == []
    facets = {f.key for f in selectors.search(user=unit_admin, q="ho so").facets}
    assert "party" not in facets
    hr = world.actors["hr_officer"]
    party = next(f for f in selectors.search(user=hr, q="ho so").facets if f.key == "party")
    assert [(v.value, v.count) for v in party.values] == [("yes", 1), ("no", 1)]


def test_the_party_blind_index_differs_for_every_person(filed):
    from hoso.records.models import Profile

    a, b = filed
    tags = set(Profile.objects.values_list("party_member_tag", flat=True))
    assert len(tags) == 2 and "1" not in tags and "0" not in tags
    # b is not a member: her tag is not a's with another value
    assert Profile.objects.get(person=a).party_member_tag != Profile.objects.get(
        person=b).party_member_tag


def test_changed_since(admin, world):
    old = PersonFactory(unit=world.in_unit, full_name="Cũ Văn Xưa")
    new = PersonFactory(unit=world.in_unit, full_name="Mới Văn Nay")
    from hoso.records.services import revision_create

    from ..records.documents import document_for

    revision_create(actor=SYSTEM, person=old, document=document_for(old), reason="x",
                    approved_at=timezone.now() - dt.timedelta(days=40))
    first_revision(new)
    since = timezone.localdate() - dt.timedelta(days=10)
    assert found(admin, "van", changed_since=since) == ["Mới Văn Nay"]
    assert found(admin, "van", changed_since=since - dt.timedelta(days=60)) == [
        "Cũ Văn Xưa", "Mới Văn Nay"
    ]


# --- visible_to ----------------------------------------------------------------------


def test_nothing_outside_the_users_scope_is_found(world):
    hr = world.actors["hr_officer"]  # Sở Nội vụ and its sub-tree
    PersonFactory(unit=world.out_unit, full_name="Nguyễn Văn Dũng")
    result = selectors.search(user=hr, q="nguyen van dung")
    assert result.total == 1
    assert [p.unit for p in result.page.object_list] == [world.in_unit]


def test_facet_counts_count_only_the_people_in_scope(world):
    hr = world.actors["hr_officer"]
    for _ in range(3):
        PersonFactory(unit=world.out_unit, full_name="Lò Văn Ngoài", status=Status.RETIRED)
    PersonFactory(unit=world.in_unit, full_name="Lò Văn Trong")
    result = selectors.search(user=hr, q="lo van")
    facets = {f.key: {v.value: v.count for v in f.values} for f in result.facets}
    assert result.total == 1
    assert facets["status"] == {"active": 1}
    assert facets["unit"] == {str(world.in_unit.pk): 1}


def test_a_staff_member_finds_only_themselves(world):
    staff = world.actors["staff"]
    assert found(staff, "") == ["Cán bộ staff"]
    assert found(staff, "nguyen van dung") == []


def test_expired_and_revoked_roles_find_only_their_own_file(world):
    for key in ("expired", "revoked"):
        assert found(world.actors[key], "can bo") == [f"Cán bộ {key}"]


def test_the_sql_path_and_the_in_memory_path_agree(admin, people, filed, world):
    for q, filters in (("dung", {}), ("van", {}), ("nguyen van dugn", {}), ("", {}),
                       ("ho so", {"unit": world.in_unit})):
        memory = selectors.search(user=admin, q=q, filters=filters, page_size=100)
        sql = selectors.search(user=admin, q=q, filters=filters, page_size=100, limit=0)
        assert memory.strategy == "memory" and sql.strategy == "sql"
        assert names(sql) == names(memory), q
        assert sql.total == memory.total
        def counts(result):
            return {f.key: [(v.value, v.count) for v in f.values]
                    for f in result.facets if f.key != "party"}
        assert counts(sql) == counts(memory), q


def test_the_number_of_queries_does_not_grow_with_the_results(world, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(q):
        selectors.search(user=admin, q=q)  # the vocabulary and catalogs are read once
        with CaptureQueriesContext(connection) as captured:
            selectors.search(user=admin, q=q)
        return len(captured.captured_queries)

    PersonFactory(unit=world.in_unit, full_name="Ít Văn Một")
    few = queries("it van")
    for i in range(25):
        PersonFactory(unit=world.in_child, full_name=f"Nhiều Văn Người {i}")
    assert queries("nhieu van") == few
