"""Matrix entries for the signing app: the verification page is for every account."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .spec import LOGGED_IN, Route


def _upload(world, obj):
    return {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.7 not really", "application/pdf")}


ROUTES: list[Route] = [
    Route("signing:verify", allowed=LOGGED_IN),
    Route("signing:verify", method="POST", allowed=LOGGED_IN, data=_upload),
]
