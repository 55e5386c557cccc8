"""Files to upload in tests: a real scanned-looking PDF (an image on an A4 page, as a
scanner makes it), JPEG and PNG photos, and the malformed ones the checks refuse."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def _image(fmt: str, size=(240, 320), colour=(200, 210, 190)) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(im)
    for y in range(20, size[1] - 20, 16):  # lines of "text"
        draw.line((20, y, size[0] - 20, y), fill=(40, 40, 40), width=2)
    buf = io.BytesIO()
    im.save(buf, format=fmt)
    return buf.getvalue()


def png_bytes(**kw) -> bytes:
    return _image("PNG", **kw)


def jpeg_bytes(**kw) -> bytes:
    return _image("JPEG", **kw)


def scanned_pdf_bytes(pages: int = 1, marker: str = "") -> bytes:
    """An A4 PDF whose pages are images, like a scanner's output (`marker` makes the
    content, and so its hash, unique)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)  # same bytes every time
    c.setTitle(f"scan {marker}")
    for _ in range(pages):
        c.drawImage(ImageReader(io.BytesIO(png_bytes())), 40, 200, width=500, height=600)
        c.showPage()
    c.save()
    return buf.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
