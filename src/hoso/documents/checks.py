"""Upload checks: a scan is accepted by what it contains, never by its name.

Vĩnh Phúc Đ7.3 and Lai Châu 2.2 ask for the digitised copy (bản số hóa) of each
decision or certificate behind a change; those are PDFs or photographed/scanned
images. So three formats are accepted, each recognised by its magic bytes and then
parsed for real:

- PDF: starts with ``%PDF-`` and its cross-reference table, trailer and page tree can
  be read (pyHanko's reader, the one the signatures use) — a truncated download is
  refused;
- JPEG and PNG: the signature bytes, then Pillow verifies the structure and decodes
  every pixel (a truncated image fails to decode), with a cap on the pixel count
  against decompression bombs.

Anything else (HTML, Office files, archives, executables …) is refused with a
Vietnamese message, whatever it is called. The size limit comes from settings
(``HOSO_EVIDENCE_MAX_MB``). The SHA-256 of the content names the stored file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from hoso.core.errors import DomainError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}

# A scan of an A4 page at 600 dpi is about 35 megapixels; twice that is generous.
MAX_PIXELS = 80_000_000
# Page trees deeper than this are not real scans.
MAX_PAGE_TREE_DEPTH = 32


@dataclass(frozen=True)
class Inspected:
    content: bytes
    content_type: str
    sha256: str
    size: int
    pages: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_MB) * 1024 * 1024


def _read(upload) -> bytes:
    """The upload's bytes, refusing before reading more than the limit allows."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(size)
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks, total = [], 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        total += len(chunk)
        if total > limit:
            raise _too_large(total)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int) -> DomainError:
    return DomainError(
        _("The file is larger than the limit of %(limit)s MB (it has %(size)s MB).")
        % {
            "limit": settings.EVIDENCE_MAX_MB,
            "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
        },
        field="file",
        code="too_large",
    )


def _unreadable(kind: str) -> DomainError:
    return DomainError(
        _(
            "The file looks like a %(kind)s but cannot be read: it may be truncated or "
            "damaged. Scan or save it again and upload the new file."
        )
        % {"kind": kind},
        field="file",
        code="damaged",
    )


def _pdf_pages(content: bytes) -> int:
    from pyhanko.pdf_utils.generic import DictionaryObject
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        if reader.encrypted:
            raise DomainError(
                _(
                    "The PDF is password-protected: save it without a password and upload "
                    "it again."
                ),
                field="file",
                code="encrypted",
            )
        pages = 0
        stack = [(reader.root["/Pages"], 0)]
        while stack:
            node, depth = stack.pop()
            node = node.get_object() if hasattr(node, "get_object") else node
            if not isinstance(node, DictionaryObject) or depth > MAX_PAGE_TREE_DEPTH:
                raise ValueError("bad page tree")
            if node.get("/Type") == "/Page" or "/Kids" not in node:
                pages += 1
                continue
            stack.extend((kid, depth + 1) for kid in node["/Kids"])
    except DomainError:
        raise
    except Exception:  # any parse failure means the file is not a readable PDF
        raise _unreadable("PDF") from None
    if pages == 0:
        raise _unreadable("PDF")
    return pages


def _decode_image(content: bytes, expected: str) -> None:
    from PIL import Image

    name = "JPEG" if expected == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as im:
                if im.format != name:
                    raise ValueError("format mismatch")
                if im.width * im.height > MAX_PIXELS:
                    raise DomainError(
                        _(
                            "The image is too large (%(mp)s megapixels): scan it at a lower "
                            "resolution (300 dpi is enough)."
                        )
                        % {"mp": im.width * im.height // 1_000_000},
                        field="file",
                        code="too_large",
                    )
                im.verify()
            # verify() leaves the image unusable; decode every pixel from a fresh open:
            # a truncated file fails here.
            with Image.open(io.BytesIO(content)) as im:
                im.load()
    except DomainError:
        raise
    except Exception:
        raise _unreadable(name) from None


def inspect_upload(upload) -> Inspected:
    """Read, identify and verify an uploaded file; raise DomainError (field "file")
    with a Vietnamese message when it is not a readable PDF, JPEG or PNG."""
    content = _read(upload)
    if not content:
        raise DomainError(_("The file is empty."), field="file", code="empty")
    pages = 1
    if content.startswith(b"%PDF-"):
        content_type = PDF
        pages = _pdf_pages(content)
    elif content.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
        _decode_image(content, JPEG)
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
        _decode_image(content, PNG)
    else:
        raise DomainError(
            _(
                "Only PDF, JPEG and PNG files are accepted, and this file is none of them "
                "(its content was checked, not its name)."
            ),
            field="file",
            code="format",
        )
    return Inspected(
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=pages,
    )
