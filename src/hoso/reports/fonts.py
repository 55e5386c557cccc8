"""The fonts every printed document embeds.

The paper forms are set in Times New Roman (Nghị định 30/2020/NĐ-CP, Phụ lục I:
"phông chữ tiếng Việt Times New Roman"); Liberation Serif has Times' metrics and
the whole Vietnamese alphabet and is free to embed. The directory comes from settings
(`REPORTS_FONT_DIR`, env `HOSO_FONT_DIR`); reportlab embeds the subset of glyphs a PDF
uses, so a reader needs no font installed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FAMILY = "HosoSerif"
FACES = {
    FAMILY: "LiberationSerif-Regular.ttf",
    f"{FAMILY}-Bold": "LiberationSerif-Bold.ttf",
    f"{FAMILY}-Italic": "LiberationSerif-Italic.ttf",
    f"{FAMILY}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

_lock = threading.Lock()
_registered_from: Path | None = None


def _face_class():
    from reportlab.pdfbase.ttfonts import TTFont

    class Face(TTFont):
        """A TrueType face that remembers the widths it measured: laying out a CV
        measures the same words (labels, syllables, digits) thousands of times, and
        reportlab measures each character in Python (bench/cv_pdf.py)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._widths: dict = {}

        def stringWidth(self, text, size, encoding="utf8"):
            key = (text, size)
            width = self._widths.get(key)
            if width is None:
                if len(self._widths) > 100_000:
                    self._widths.clear()
                width = self._widths[key] = super().stringWidth(text, size, encoding)
            return width

    return Face


def font_dir() -> Path:
    return Path(settings.REPORTS_FONT_DIR)


def register_fonts() -> str:
    """Register the family with reportlab (once per process and directory) and return
    its name. A missing font file is a configuration error, said plainly."""
    global _registered_from
    directory = font_dir()
    if _registered_from == directory:
        return FAMILY
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    with _lock:
        if _registered_from == directory:
            return FAMILY
        missing = [name for name in FACES.values() if not (directory / name).is_file()]
        if missing:
            raise ImproperlyConfigured(
                f"HOSO_FONT_DIR={directory} lacks {', '.join(missing)} "
                "(install Debian's fonts-liberation2 or point HOSO_FONT_DIR at them)"
            )
        face = _face_class()
        for name, filename in FACES.items():
            pdfmetrics.registerFont(face(name, str(directory / filename)))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        for bold, italic, name in (
            (0, 0, FAMILY),
            (1, 0, BOLD),
            (0, 1, ITALIC),
            (1, 1, BOLD_ITALIC),
        ):
            addMapping(FAMILY, bold, italic, name)
        _registered_from = directory
    return FAMILY


_streams_lock = threading.Lock()
_streams_users = 0
_streams_saved = 1


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """Write the PDF's streams compressed but not ASCII85-encoded while inside.

    reportlab encodes every stream in ASCII85 by default (for 7-bit mail channels),
    in pure Python and with 25% more bytes, for nothing: PDF readers take binary
    streams (bench/cv_pdf.py). The flag is reportlab's global
    (`rl_config.useA85`), so it is set while any render runs and put back after the
    last one; a concurrent user of reportlab meanwhile writes binary streams too,
    which are as valid.
    """
    global _streams_users, _streams_saved
    from reportlab import rl_config

    with _streams_lock:
        if _streams_users == 0:
            _streams_saved = rl_config.useA85
            rl_config.useA85 = 0
        _streams_users += 1
    try:
        yield
    finally:
        with _streams_lock:
            _streams_users -= 1
            if _streams_users == 0:
                rl_config.useA85 = _streams_saved
