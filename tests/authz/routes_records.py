"""Matrix entries for the personnel files: the pages of `people` and their API routes.

The file pages take the person; one revision takes the person and the revision's
number (`extra["kwargs"]`, built from the target revision); the profile schema takes
the staff category.
"""

from .spec import ALL_ACTORS, Route

# Province-wide readers, and the unit-level roles held on `in_unit` with its sub-tree,
# but the auditor (no personal files, Lâm Đồng Đ13).
PERSON_READERS = frozenset(
    {"province_admin", "province_approver", "unit_admin", "hr_officer", "hr_head", "unit_head"}
)


def _revision_kwargs(revision):
    return {"pk": revision.person_id, "number": revision.number}


def _category(obj):
    return {"category": "vien_chuc"}


ROUTES: list[Route] = [
    # Everyone with a file sees at least their own (expired and revoked roles included).
    Route("people:person_list", allowed=ALL_ACTORS),
    Route("people:person_detail", target="person", allowed=PERSON_READERS),
    Route("people:revision_list", target="person", allowed=PERSON_READERS),
    Route("people:revision_detail", target="revision", allowed=PERSON_READERS,
          extra={"kwargs": _revision_kwargs}),
    Route("people:revision_as_of", target="person", allowed=PERSON_READERS,
          query="?date=31/12/2099"),
    Route("people:revision_diff", target="person", allowed=PERSON_READERS),
    # API
    Route("api:person-list", allowed=ALL_ACTORS, api=True),
    Route("api:person-detail", target="person", allowed=PERSON_READERS, api=True),
    Route("api:person-revisions", target="person", allowed=PERSON_READERS, api=True),
    Route("api:person-revision", target="revision", allowed=PERSON_READERS, api=True,
          extra={"kwargs": _revision_kwargs}),
    Route("api:person-as-of", target="revision", allowed=PERSON_READERS, api=True,
          query="?date=2099-12-31", extra={"kwargs": lambda r: {"pk": r.person_id}}),
    Route("api:person-diff", target="revision", allowed=PERSON_READERS, api=True,
          query="?from=0&to=1", extra={"kwargs": lambda r: {"pk": r.person_id}}),
    Route("api:profile-schema-detail", allowed=ALL_ACTORS, api=True,
          extra={"kwargs": _category}),
]
