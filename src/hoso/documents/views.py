"""Pages of evidence documents: the download, behind the permission path (the file is
never served by the web server or by a public storage URL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from hoso.core.errors import NotFound

from . import selectors


def file_response(doc, handle, *, inline: bool = False) -> FileResponse:
    response = FileResponse(
        handle, content_type=doc.content_type, as_attachment=not inline,
        filename=doc.download_name,
    )
    # The content was checked on upload; still, never let a browser run it as a page.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_download(request, pk: int):
    try:
        doc, handle = selectors.evidence_open(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    return file_response(doc, handle, inline=request.GET.get("inline") == "1")
