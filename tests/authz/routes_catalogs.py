"""Matrix entries for the code lists (`catalogs` pages and `api:catalog-*`).

Code lists are nobody's personal data: every logged-in account reads them (the forms
of everyone's file need them), in any "scope". Changing them is the province
administrator's (`catalog.manage`, Vĩnh Phúc Đ19.3). The in- and out-of-scope targets
are two shipped lists (ethnicities, religions) and an entry of each: the answer must
not depend on which.
"""

from .spec import ALL_ACTORS, Route

MANAGERS = frozenset({"province_admin"})


def _new_entry(world, obj):
    return {"code": "99", "label": "Mục thử", "parent_code": "", "valid_from": "2026-01-01",
            "valid_to": ""}


def _relabel(world, obj):
    return {"label": f"{obj.label} (sửa)", "parent_code": obj.parent_code}


def _end(world, obj):
    return {"valid_to": "2030-12-31"}


def _upload(world, obj):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        f"key: {obj.key}\nname: {obj.name}\nversion: test\nsource: test\n"
        "entries:\n  - {code: \"98\", label: \"Mục tải lên\"}\n"
    ).encode()
    return {"file": SimpleUploadedFile(f"{obj.key}.yaml", body), "check_only": ""}


ROUTES: list[Route] = [
    Route("catalogs:list_list", allowed=ALL_ACTORS),
    Route("catalogs:list_detail", target="codelist", allowed=ALL_ACTORS,
          allowed_out=ALL_ACTORS),
    Route("catalogs:entry_create", target="codelist", allowed=MANAGERS, allowed_out=MANAGERS),
    Route("catalogs:entry_create", method="POST", target="codelist", allowed=MANAGERS,
          allowed_out=MANAGERS, data=_new_entry, ok=(302,)),
    Route("catalogs:list_upload", target="codelist", allowed=MANAGERS, allowed_out=MANAGERS),
    Route("catalogs:list_upload", method="POST", target="codelist", allowed=MANAGERS,
          allowed_out=MANAGERS, data=_upload, ok=(302,)),
    Route("catalogs:entry_update", target="codeentry", allowed=MANAGERS, allowed_out=MANAGERS),
    Route("catalogs:entry_update", method="POST", target="codeentry", allowed=MANAGERS,
          allowed_out=MANAGERS, data=_relabel, ok=(302,)),
    Route("catalogs:entry_end", target="codeentry", allowed=MANAGERS, allowed_out=MANAGERS),
    Route("catalogs:entry_end", method="POST", target="codeentry", allowed=MANAGERS,
          allowed_out=MANAGERS, data=_end, ok=(302,)),
    Route("api:catalog-list", allowed=ALL_ACTORS, api=True),
    Route("api:catalog-detail", target="codelist", allowed=ALL_ACTORS, allowed_out=ALL_ACTORS,
          api=True),
    Route("api:catalog-entries", target="codelist", allowed=ALL_ACTORS,
          allowed_out=ALL_ACTORS, api=True),
]
