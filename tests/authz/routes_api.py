"""Matrix entries for the REST API (namespace `api`).

Every request carries the actor's token (see `test_matrix._client_for`). A list
answers everyone with what they may see; reading one object outside one's scope is a
404, acting on one inside it without the right a 403.
"""

import datetime as dt

from django.utils import timezone

from ..factories import PASSWORD
from .spec import ALL_ACTORS, Route

ANON = frozenset({"anonymous"})
# Province-wide readers, and the unit-level roles held on `in_unit` with its sub-tree.
UNIT_READERS = frozenset(
    {
        "province_admin", "province_approver", "auditor", "unit_admin", "hr_officer",
        "hr_head", "unit_head",
    }
)
ORG_EDITORS = frozenset({"province_admin", "unit_admin"})
ACCOUNT_VIEWERS = frozenset({"province_admin", "auditor", "unit_admin", "hr_officer", "hr_head"})
ACCOUNT_MANAGERS = frozenset({"province_admin", "unit_admin"})
ROLE_GRANTERS = frozenset({"province_admin", "unit_admin"})
# grant.view on in_unit; the chairman holds it on the commune only.
GRANT_VIEWERS = frozenset({"province_admin", "auditor", "unit_admin", "unit_head"})
GRANT_MANAGERS = frozenset({"province_admin", "unit_admin"})


def _today() -> dt.date:
    return timezone.localdate()


def _credentials(world, obj):
    """The staff member's own log-in (no second factor needed): a token for anyone
    who knows it."""
    return {"username": world.actors["staff"].username, "password": PASSWORD}


def _new_unit(world, obj):
    return {
        "code": "002.01.00.H26", "name": "Phòng Công chức, viên chức", "kind": "division",
        "parent": world.in_unit.pk,
    }


def _rename(world, obj):
    return {"name": f"{obj.name} (đổi tên)"}


def _new_account(world, obj):
    return {"full_name": "Trần Văn Mới", "unit": world.in_unit.pk}


def _lock(world, obj):
    return {"active": False}


def _new_role(world, obj):
    return {
        "user": world.actors["staff"].pk, "role": "hr_head", "unit": world.in_unit.pk,
        "include_subtree": True,
    }


def _shorten_role(world, obj):
    return {"valid_to": (_today() + dt.timedelta(days=60)).isoformat()}


def _reason(world, obj):
    return {"reason": "Chuyển công tác"}


def _new_grant(world, obj):
    return {
        "grantee": world.actors["staff"].username, "document_number": "45/SNV-CCVC",
        "document_date": (_today() - dt.timedelta(days=1)).isoformat(),
        "signer_name": "Lê Văn Ký", "unit": world.in_unit.pk,
        "valid_to": (_today() + dt.timedelta(days=30)).isoformat(),
    }


ROUTES: list[Route] = [
    Route("api:token", method="POST", allowed=ALL_ACTORS | ANON, api=True, data=_credentials,
          ok=(200,)),
    Route("api:schema", allowed=ALL_ACTORS, api=True),
    Route("api:docs", allowed=ALL_ACTORS, api=True),
    # org units
    Route("api:orgunit-list", allowed=ALL_ACTORS, api=True),
    Route("api:orgunit-list", method="POST", allowed=ORG_EDITORS, api=True, data=_new_unit,
          ok=(201,)),
    Route("api:orgunit-detail", target="unit", allowed=UNIT_READERS, api=True),
    Route("api:orgunit-detail", method="PATCH", target="unit", allowed=ORG_EDITORS, api=True,
          data=_rename, ok=(200,)),
    # accounts
    Route("api:account-list", allowed=ACCOUNT_VIEWERS, api=True),
    Route("api:account-list", method="POST", allowed=ACCOUNT_MANAGERS, api=True,
          data=_new_account, ok=(201,)),
    Route("api:account-detail", target="account", allowed=ACCOUNT_VIEWERS, api=True),
    Route("api:account-reset-password", method="POST", target="account",
          allowed=ACCOUNT_MANAGERS, api=True, ok=(200,)),
    Route("api:account-set-active", method="POST", target="account",
          allowed=ACCOUNT_MANAGERS, api=True, data=_lock, ok=(200,)),
    # roles
    Route("api:roleassignment-list", allowed=ALL_ACTORS, api=True),
    Route("api:roleassignment-list", method="POST", allowed=ROLE_GRANTERS, api=True,
          data=_new_role, ok=(201,)),
    Route("api:roleassignment-detail", target="role", allowed=ACCOUNT_VIEWERS, api=True),
    Route("api:roleassignment-detail", method="PATCH", target="role", allowed=ROLE_GRANTERS,
          api=True, data=_shorten_role, ok=(200,)),
    Route("api:roleassignment-revoke", method="POST", target="role", allowed=ROLE_GRANTERS,
          api=True, data=_reason, ok=(200,)),
    # written-consent grants
    Route("api:grant-list", allowed=ALL_ACTORS, api=True),
    Route("api:grant-list", method="POST", allowed=GRANT_MANAGERS, api=True,
          data=_new_grant, ok=(201,)),
    Route("api:grant-detail", target="grant", allowed=GRANT_VIEWERS, api=True),
    Route("api:grant-revoke", method="POST", target="grant", allowed=GRANT_MANAGERS,
          api=True, data=_reason, ok=(200,)),
    # people: routes_records.py
]


# --- the printed CV and verification (reports, signing) --------------------------------

def _cv_person(obj):
    return {"pk": obj.person_id}


def _unsigned_pdf(world, obj):
    """A real PDF without a signature: the report says so (200)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 760, "Quyet dinh")
    c.showPage()
    c.save()
    return {"file": SimpleUploadedFile("quyet-dinh.pdf", out.getvalue(), "application/pdf")}


# Printing is exporting (`person.export`), as on the pages (routes_reports.py).
CV_PRINTERS = frozenset(
    {"province_admin", "province_approver", "hr_officer", "hr_head", "unit_head"}
)
CV_DRAFT_PRINTERS = frozenset({"province_admin", "hr_officer", "hr_head"})

ROUTES += [
    Route("api:person-cv-pdf", target="revision", allowed=CV_PRINTERS, api=True,
          extra={"kwargs": _cv_person}),
    Route("api:person-cv-draft-pdf", target="draft", allowed=CV_DRAFT_PRINTERS, api=True,
          extra={"kwargs": _cv_person}),
    # every account may verify a file, as on the page
    Route("api:signature-verify", method="POST", allowed=ALL_ACTORS, api=True,
          data=_unsigned_pdf, extra={"multipart": True}),
]
