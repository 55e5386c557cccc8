"""Matrix entries for the pages of the org tree (`org`) and the audit trail (`audit`);
people's pages are in routes_records.py."""

from .spec import ALL_ACTORS, Route

# Province-wide readers, and the unit-level roles held on `in_unit` with its sub-tree.
UNIT_READERS = frozenset(
    {
        "province_admin", "province_approver", "auditor", "unit_admin", "hr_officer",
        "hr_head", "unit_head",
    }
)
ORG_EDITORS = frozenset({"province_admin", "unit_admin"})
AUDITORS = frozenset({"province_admin", "auditor"})


def _new_unit(world, obj):
    """A division under in_unit (where the unit administrator holds org.change)."""
    return {
        "code": "002.01.00.H26", "name": "Phòng Công chức, viên chức", "short_name": "",
        "kind": "division", "parent": world.in_unit.pk, "valid_from": "", "valid_to": "",
    }


def _renamed(world, obj):
    """The target unit as it is, but for its name."""
    return {
        "code": obj.code, "name": f"{obj.name} (đổi tên)", "short_name": obj.short_name,
        "kind": obj.kind, "parent": obj.parent_id or "",
        "valid_from": obj.valid_from.isoformat() if obj.valid_from else "",
        "valid_to": obj.valid_to.isoformat() if obj.valid_to else "",
    }


ROUTES: list[Route] = [
    # Everyone sees at least the unit they belong to.
    Route("org:unit_list", allowed=ALL_ACTORS),
    Route("org:unit_detail", target="unit", allowed=UNIT_READERS),
    Route("org:unit_create", allowed=ORG_EDITORS),
    # A form POST must really succeed (redirect), not come back with form errors.
    Route("org:unit_create", method="POST", allowed=ORG_EDITORS, data=_new_unit, ok=(302,)),
    Route("org:unit_update", target="unit", allowed=ORG_EDITORS),
    Route(
        "org:unit_update", method="POST", target="unit", allowed=ORG_EDITORS, data=_renamed,
        ok=(302,),
    ),
    Route("audit:log_list", allowed=AUDITORS),
    Route("audit:log_detail", target="change", allowed=AUDITORS),
    Route("audit:verify", method="POST", allowed=AUDITORS, ok=(200,)),
]
