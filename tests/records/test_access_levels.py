"""Access levels of the file's fields, decided in the one permission path
(`accounts.permissions.file_access`, actions person.view_restricted / view_secret in
roles.py) and applied by `records.selectors.visible_document`.

The rule (roles.py): public fields for everyone who may view the file; restricted
fields for those who keep or approve it in the unit's chain and for consent grants
naming the section; secret fields for the chain inside the unit and Sở Nội vụ only;
the person always sees all of their own file (Vĩnh Phúc Đ4.4; Cần Thơ Đ3.3, Quảng Nam
Đ2.3, Lâm Đồng Đ6.2 on restricted access).
"""

from __future__ import annotations

import pytest

from hoso.accounts.permissions import SYSTEM, can, file_access
from hoso.accounts.roles import Action
from hoso.records.models import Person
from hoso.records.selectors import visible_document

from ..factories import GrantFactory, UserFactory

DOC = {
    "full_name": "Nguyễn Văn Dũng",  # personal, public
    "ethnicity": "01",  # personal, public
    "religion": "01",  # personal, restricted
    "rank_code": "01.003",  # employment, public
    "health_status": "Tốt",  # health, restricted
    "family_own": [{"relationship": "bo", "full_name": "Nguyễn Văn Cha", "birth_year": 1950}],
    "history_detention": "Không",  # self-history, secret
}
PUBLIC = {"full_name", "ethnicity", "rank_code"}
RESTRICTED = {"religion", "health_status", "family_own"}
SECRET = {"history_detention"}

# The authorization matrix of the two new actions: who holds them on an in-scope file
# (`world.people["in"]`, in the unit the unit-level roles are held on).
VIEW_RESTRICTED = {
    "province_admin", "province_approver", "hr_officer", "hr_head", "unit_head",
}
VIEW_SECRET = {"province_admin", "hr_officer", "hr_head", "unit_head"}
# Out of scope (Sở Y tế): province-wide roles only.
VIEW_RESTRICTED_OUT = {"province_admin", "province_approver"}
VIEW_SECRET_OUT = {"province_admin"}


@pytest.mark.parametrize(
    ("action", "in_scope", "out_scope"),
    [
        (Action.PERSON_VIEW_RESTRICTED, VIEW_RESTRICTED, VIEW_RESTRICTED_OUT),
        (Action.PERSON_VIEW_SECRET, VIEW_SECRET, VIEW_SECRET_OUT),
    ],
)
def test_matrix_of_the_access_level_actions(world, action, in_scope, out_scope):
    failures = []
    for key, user in world.actors.items():
        for person, allowed in ((world.people["in"], in_scope), (world.people["out"], out_scope)):
            got = can(user, action, person)
            listed = Person.objects.visible_to(user, action).filter(pk=person.pk).exists()
            if got != (key in allowed) or listed != got:
                failures.append(f"{key} on {person.full_name}: can={got} listed={listed}")
    assert not failures, failures


def _keys(user, person):
    return set(visible_document(user, person, DOC, category=person.category))


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("province_admin", PUBLIC | RESTRICTED | SECRET),
        ("hr_officer", PUBLIC | RESTRICTED | SECRET),
        ("hr_head", PUBLIC | RESTRICTED | SECRET),
        ("unit_head", PUBLIC | RESTRICTED | SECRET),
        ("province_approver", PUBLIC | RESTRICTED),
        ("unit_admin", PUBLIC),
        ("auditor", set()),
        ("chairman", set()),  # the commune's chairman: Sở Nội vụ is not theirs
        ("staff", set()),
        ("expired", set()),
        ("revoked", set()),
    ],
)
def test_each_role_reads_the_levels_its_rule_opens(world, actor, expected):
    assert _keys(world.actors[actor], world.people["in"]) == expected


def test_the_chairman_reads_everything_of_the_commune_staff(world):
    assert _keys(world.actors["chairman"], world.people["commune"]) == (
        PUBLIC | RESTRICTED | SECRET
    )


@pytest.mark.parametrize("actor", ["staff", "expired", "auditor", "unit_admin"])
def test_the_person_reads_all_of_their_own_file(world, actor):
    user = world.actors[actor]
    assert _keys(user, user.person) == set(DOC)
    assert file_access(user, user.person).everything


def test_a_consent_grant_opens_public_and_restricted_fields_of_its_sections_only(world):
    reader = UserFactory(username="reader", unit=world.out_unit)
    grant = GrantFactory(grantee=reader, sections=["health"])
    grant.persons.set([world.people["in"]])
    # health: its restricted field; nothing of the other sections, never the secret one
    assert _keys(reader, world.people["in"]) == {"health_status"}
    assert _keys(reader, world.people["out"]) == set()


def test_a_grant_naming_personal_and_family_opens_them_but_not_self_history(world):
    reader = UserFactory(username="reader", unit=world.out_unit)
    GrantFactory(grantee=reader, unit=world.in_unit, include_subtree=True,
                 sections=["personal", "family", "history"])
    keys = _keys(reader, world.people["in_child"])
    assert keys == {"full_name", "ethnicity", "religion", "family_own"}


def test_a_role_and_a_grant_add_up(world):
    """The unit administrator (public fields) with a grant on the health section."""
    admin = world.actors["unit_admin"]
    GrantFactory(grantee=admin, unit=world.in_unit, sections=["health"])
    admin = type(admin).objects.get(pk=admin.pk)
    assert _keys(admin, world.people["in"]) == PUBLIC | {"health_status"}


def test_an_expired_grant_opens_nothing(world):
    import datetime as dt

    from django.utils import timezone

    reader = UserFactory(username="reader", unit=world.out_unit)
    today = timezone.localdate()
    grant = GrantFactory(grantee=reader, sections=["health"],
                         valid_from=today - dt.timedelta(days=10),
                         valid_to=today - dt.timedelta(days=1))
    grant.persons.set([world.people["in"]])
    assert _keys(reader, world.people["in"]) == set()


def test_the_system_reads_everything(world):
    assert set(visible_document(SYSTEM, world.people["in"], DOC)) == set(DOC)


def test_a_restricted_column_of_a_public_table_is_cut_from_its_rows(world, settings, tmp_path):
    """Column-level access: a province's extension adds a public table with one
    restricted column; readers without that level get the rows without it."""
    (tmp_path / "ext.yaml").write_text(
        "forms: [cv]\nextension: kiem_tra\nsections:\n  - key: qualifications\n"
        "    fields:\n      - key: ext_licences\n        label_vi: Chứng chỉ hành nghề\n"
        "        type: table\n        columns:\n"
        "          - {key: name, label_vi: Tên, type: text}\n"
        "          - {key: remark, label_vi: Ghi chú, type: text, access: restricted}\n",
        encoding="utf-8",
    )
    settings.SCHEMA_EXTENSIONS = str(tmp_path)
    doc = {"ext_licences": [{"name": "Luật sư", "remark": "Đang bị đình chỉ"}]}
    person = world.people["in"]
    admin = world.actors["unit_admin"]
    assert visible_document(admin, person, doc) == {"ext_licences": [{"name": "Luật sư"}]}
    assert visible_document(world.actors["hr_officer"], person, doc) == doc
