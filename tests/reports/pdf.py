"""Reading a printed PDF back in tests: its text (pypdfium2), where a piece of text
sits, its fonts (by parsing the file's objects) and its pages as pixels."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageChops

# Pixels darker than this are ink (text and rules are black; the draft mark is a light
# red; anti-aliased edges of the rules stay lighter).
INK = 160


def squash(text: str) -> str:
    """Text without whitespace: table cells wrap words onto several lines."""
    return re.sub(r"\s+", "", text)


@dataclass
class Pdf:
    data: bytes

    def __post_init__(self):
        self.doc = pdfium.PdfDocument(self.data)

    def __len__(self) -> int:
        return len(self.doc)

    def text(self, page: int) -> str:
        return self.doc[page].get_textpage().get_text_range()

    @property
    def texts(self) -> list[str]:
        return [self.text(i) for i in range(len(self))]

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)

    def find(self, page: int, text: str) -> tuple[float, float, float, float] | None:
        """(left, bottom, right, top) in points of the first `text` on the page."""
        textpage = self.doc[page].get_textpage()
        hit = textpage.search(text, match_case=True).get_next()
        if hit is None:
            return None
        start, count = hit
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        boxes = [b for b in boxes if b[2] > b[0]]  # spaces have no box
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def image(self, page: int, scale: float = 1.0, *, grey: bool = True) -> Image.Image:
        bitmap = self.doc[page].render(scale=scale, grayscale=grey)
        return bitmap.to_pil().convert("L" if grey else "RGB")

    def base_fonts(self) -> set[str]:
        return {m.decode() for m in re.findall(rb"/BaseFont\s*/([^\s/>\]]+)", self.data)}

    def embedded_font_files(self) -> int:
        return len(re.findall(rb"/FontFile2\s+\d+\s+0\s+R", self.data))


def ink_box(image: Image.Image, box: tuple[int, int, int, int]):
    """The bounding box (in the image's pixels) of the ink inside `box`, or None."""
    region = image.crop(box).point(lambda p: 255 if p < INK else 0)
    found = region.getbbox()
    if found is None:
        return None
    return (found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1])


def dark_count(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(image.crop(box).histogram()[:INK])


def reddish_pixels(image: Image.Image) -> int:
    """Pixels of the draft mark's colour: red clearly above green (text is black)."""
    r, g, _b = image.split()
    return sum(ImageChops.subtract(r, g).histogram()[36:])


def jpeg(colour=(20, 60, 200), size=(300, 450)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()
