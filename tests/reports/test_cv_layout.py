"""The printed CV as a document: fonts, text, every field of the schema, and the layout
of the paper form checked on the rendered pages (pixel regions, not a golden image)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from hoso.catalogs.selectors import choices
from hoso.records.schema import get_schema, print_items
from hoso.reports.cv import (
    CONTRACT_VALUE_ONLY,
    FOOTER_Y,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PHOTO_COLUMN,
    PHOTO_HEIGHT,
    PHOTO_WIDTH,
    render_cv,
    value_text,
)

from .documents import WORDS, full_document
from .pdf import Pdf, dark_count, ink_box, jpeg, reddish_pixels, squash

WITHHELD = "(không có quyền xem)"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def full_cv(django_db_setup, django_db_blocker) -> Pdf:
    """A civil servant's CV with every field filled and 20 rows in every table (the
    catalogs it reads were loaded by the migrations)."""
    with django_db_blocker.unblock():
        return Pdf(render_cv(full_document("cong_chuc"), category="cong_chuc"))


@pytest.fixture(scope="module")
def draft_cv(django_db_setup, django_db_blocker) -> Pdf:
    with django_db_blocker.unblock():
        return Pdf(render_cv(full_document("cong_chuc"), category="cong_chuc", draft=True))


# --- fonts and text ----------------------------------------------------------------


def test_every_font_of_the_pdf_is_liberation_serif_embedded(full_cv):
    fonts = full_cv.base_fonts()
    assert fonts, "no font in the PDF"
    # subset-embedded TrueType: "ABCDEF+LiberationSerif[-Bold…]", each with its file
    assert all(re.fullmatch(r"[A-Z]{6}\+LiberationSerif(-\w+)?", f) for f in fonts), fonts
    assert {"LiberationSerif", "LiberationSerif-Bold"} <= {f.split("+")[1] for f in fonts}
    assert full_cv.embedded_font_files() == len(fonts)


def test_vietnamese_values_keep_their_diacritics(db):
    doc = full_document("cong_chuc", rows=1)
    doc["full_name"] = "Nguyễn Thị Hồng Nhung"
    doc["recruiting_agency"] = "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk"
    doc["training"][0]["institution"] = "Trường Đại học Cần Thơ"
    text = nfc(Pdf(render_cv(doc, category="cong_chuc")).all_text)
    assert "NGUYỄN THỊ HỒNG NHUNG" in text  # the name at birth in capitals
    assert "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk" in text
    assert squash("Trường Đại học Cần Thơ") in squash(text)  # a table cell wraps it
    assert "SƠ YẾU LÝ LỊCH" in text


def test_dates_print_day_month_year_and_codes_by_their_label(db):
    doc = full_document("cong_chuc", rows=1)
    doc["id_issue_date"] = "2021-04-12"
    doc["birth_date"] = "1985-07"  # day unknown
    ethnicity, label = choices("ethnicities")[3]
    doc["ethnicity"] = ethnicity
    doc["rank_code"] = "01.003"
    text = nfc(Pdf(render_cv(doc, category="cong_chuc")).all_text)
    assert "12/04/2021" in text and "2021-04-12" not in text
    assert "07/1985" in text
    assert f"Dân tộc: {label}" in text
    assert "Chuyên viên (mã 01.003)" in text  # the rank with its code (Mẫu 2C, mục 14)


# --- the schema, field by field ----------------------------------------------------


def _date_forms(value) -> set[str]:
    y, m, d = str(value).split("-")
    return {f"{d}/{m}/{y}", f"ngày {d} tháng {m} năm {y}"}


@pytest.mark.parametrize("category", ["cong_chuc", "vien_chuc", "lao_dong"])
def test_every_printable_field_of_the_schema_is_printed(db, category):
    """Walks the schema: each printable field's label and value, each table's heading,
    its columns' labels and its first row's values are on the pages."""
    doc = full_document(category, rows=2)
    text = squash(nfc(Pdf(render_cv(doc, category=category)).all_text))
    schema = get_schema(category)
    missing = []
    for f in schema.fields:
        if not f.printable or f.type == "evidence":
            continue  # the photo is the photo box (test below); scans are not printed
        label = squash(nfc(str(f.label)))
        if f.is_table:
            if label.upper() not in text.upper():
                missing.append(f"{f.key}: heading")
            for col in f.columns:
                if not col.printable or col.type == "evidence":
                    continue
                if squash(nfc(str(col.label))).lower() not in text.lower():
                    missing.append(f"{f.key}.{col.key}: column label")
                value = value_text(col, doc[f.key][0].get(col.key), category=category)
                if value and squash(nfc(value)) not in text:
                    missing.append(f"{f.key}.{col.key}: value {value!r}")
            continue
        value_only = category == "lao_dong" and f.key in CONTRACT_VALUE_ONLY
        if not value_only and label not in text:
            missing.append(f"{f.key}: label {str(f.label)!r}")
        if f.key == "declaration":
            continue  # printed as the declaration above the person's signature
        value = value_text(f, doc[f.key], category=category)
        forms = {value} | (_date_forms(doc[f.key]) if f.type == "date" else set())
        if not any(squash(nfc(v)) in text for v in forms):
            missing.append(f"{f.key}: value {value!r}")
    assert not missing, "not printed: " + "; ".join(missing)


def test_fields_the_reader_may_not_see_print_as_withheld(db):
    doc = full_document("cong_chuc", rows=2)
    doc["history_detention"] = "Bị bắt giữ tại Côn Đảo"
    code, label = next((c, lbl) for c, lbl in choices("religions") if len(lbl) > 6)
    doc["religion"] = code
    for row in doc["family_own"]:
        row["full_name"] = "Trần Văn Bố Ruột"
    hidden = {"history_detention", "religion", "family_own"}
    shown = {k: v for k, v in doc.items() if k not in hidden}
    text = nfc(Pdf(render_cv(shown, category="cong_chuc", hidden=hidden)).all_text)
    assert text.count(WITHHELD) == 3
    assert "Côn Đảo" not in text and "Trần Văn Bố Ruột" not in text
    assert f"Tôn giáo: {label}" not in text
    assert "Tôn giáo: " + WITHHELD in text  # the label stays: the field did not vanish


# --- the layout ----------------------------------------------------------------------

SCALE = 2.0  # pixels per point


def _px(points: float) -> int:
    return round(points * SCALE)


def _photo_box(image):
    """(left, top, right, bottom) pixels of the photo box: the long dark vertical rule
    at the left margin, and the one a photo's width to its right."""
    x0 = _px(MARGIN_LEFT)
    top_half = (0, _px(MARGIN_TOP), 0, _px(PAGE_HEIGHT / 2))
    columns = {
        x: dark_count(image, (x, top_half[1], x + 1, top_half[3])) for x in range(x0 - 3, x0 + 4)
    }
    left = max(columns, key=columns.get)
    edge = ink_box(image, (left, top_half[1], left + 1, top_half[3]))
    right_guess = left + _px(PHOTO_WIDTH)
    columns = {
        x: dark_count(image, (x, edge[1], x + 1, edge[3]))
        for x in range(right_guess - 3, right_guess + 4)
    }
    right = max(columns, key=columns.get)
    return left, edge[1], right, edge[3], columns[right]


def test_the_photo_box_is_4_by_6_cm_at_the_top_left_with_the_photo(db):
    doc = full_document("cong_chuc", rows=1)
    light_blue = (170, 200, 255)  # lighter than ink: the box's rules stay visible on it
    pdf = Pdf(render_cv(doc, category="cong_chuc", photo=jpeg(light_blue)))
    image = pdf.image(0, SCALE)
    left, top, right, bottom, right_count = _photo_box(image)
    assert abs(left - _px(MARGIN_LEFT)) <= 2  # on the left margin
    assert abs((right - left) - _px(PHOTO_WIDTH)) <= 2  # 4 cm wide
    assert abs((bottom - top) - _px(PHOTO_HEIGHT)) <= 2  # 6 cm high
    assert right_count >= _px(PHOTO_HEIGHT) - 4  # the right edge is a whole rule
    assert top < _px(PAGE_HEIGHT / 4)  # at the top of the first page
    # the photo fills the box: its centre is the photo's colour
    colour = pdf.image(0, SCALE, grey=False).getpixel(((left + right) // 2, (top + bottom) // 2))
    assert all(abs(a - b) <= 12 for a, b in zip(colour, light_blue, strict=True)), colour


def test_without_a_photo_the_box_says_where_to_paste_one(full_cv):
    image = full_cv.image(0, SCALE)
    left, top, right, bottom, _ = _photo_box(image)
    caption = full_cv.find(0, "Ảnh màu")
    assert caption is not None
    x = _px((caption[0] + caption[2]) / 2)
    y = _px(PAGE_HEIGHT - caption[3])
    assert left < x < right and top < y < bottom
    assert abs((bottom - top) - _px(PHOTO_HEIGHT)) <= 2


def test_the_title_is_centred_beside_the_photo(full_cv):
    title = full_cv.find(0, "SƠ YẾU LÝ LỊCH CÁN BỘ")
    assert title is not None
    image = full_cv.image(0, SCALE)
    band = (
        _px(MARGIN_LEFT + PHOTO_COLUMN),
        _px(PAGE_HEIGHT - title[3]) - 1,
        _px(PAGE_WIDTH - MARGIN_RIGHT),
        _px(PAGE_HEIGHT - title[1]) + 1,
    )
    ink = ink_box(image, band)
    assert ink is not None
    column_centre = (band[0] + band[2]) / 2
    assert abs((ink[0] + ink[2]) / 2 - column_centre) <= 3  # centred in its column
    assert ink[2] - ink[0] > (band[2] - band[0]) * 0.6  # one line, the column's width
    left, top, right, bottom, _ = _photo_box(image)
    assert top <= band[1] <= top + _px(20)  # level with the top of the photo box


def test_nothing_is_drawn_outside_the_margins(draft_cv):
    """Every page, the draft mark included: the margins are blank, but for the footer
    line in the bottom margin."""
    width, height = round(PAGE_WIDTH), round(PAGE_HEIGHT)
    footer = (height - FOOTER_Y - 20, height - FOOTER_Y + 4)  # two lines at most
    problems = []
    for page in range(len(draft_cv)):
        image = draft_cv.image(page, 1.0).point(lambda p: 0 if p < 250 else 255)
        strips = {
            "left": (0, 0, round(MARGIN_LEFT) - 2, height),
            "right": (round(PAGE_WIDTH - MARGIN_RIGHT) + 2, 0, width, height),
            "top": (0, 0, width, round(MARGIN_TOP) - 2),
        }
        for name, box in strips.items():
            if image.crop(box).point(lambda p: 255 - p).getbbox() is not None:
                problems.append(f"page {page + 1}: ink in the {name} margin")
        bottom = (0, round(PAGE_HEIGHT - MARGIN_BOTTOM) + 2, width, height)
        found = image.crop(bottom).point(lambda p: 255 - p).getbbox()
        if found is None:
            problems.append(f"page {page + 1}: no footer")
            continue
        top, low = found[1] + bottom[1], found[3] + bottom[1]
        if top < footer[0] or low > footer[1]:
            problems.append(f"page {page + 1}: ink in the bottom margin at {top}–{low}")
    assert not problems, problems


def test_a_draft_has_the_mark_on_every_page_and_the_approved_none(draft_cv, full_cv):
    assert len(draft_cv) > 3
    for page in range(len(draft_cv)):
        assert reddish_pixels(draft_cv.image(page, 1.0, grey=False)) > 2000, page
        assert "BẢN NHÁP" in nfc(draft_cv.text(page))
        assert "Bản nháp, chưa được phê duyệt" in nfc(draft_cv.text(page))
    for page in range(len(full_cv)):
        assert reddish_pixels(full_cv.image(page, 1.0, grey=False)) == 0, page
        assert "BẢN NHÁP" not in nfc(full_cv.text(page))


def test_pages_are_numbered_x_of_y(full_cv):
    n = len(full_cv)
    for page in range(n):
        assert f"Trang {page + 1}/{n}" in full_cv.text(page)


@pytest.mark.parametrize(
    ("table", "column", "marker"),
    [
        ("training", "institution", "institution"),
        ("family_own", "relationship", ":occupation"),  # in the merged cell "…: occupation …"
    ],
)
def test_long_tables_split_over_pages_and_repeat_their_header(full_cv, table, column, marker):
    header = squash(nfc(str(get_schema("cong_chuc").field(table).column(column).label)))
    texts = [squash(nfc(t)) for t in full_cv.texts]
    row = re.compile(re.escape(marker) + "(" + "|".join(squash(w) for w in WORDS) + r")số\d+")
    pages = [i for i, t in enumerate(texts) if row.search(t)]
    assert len(pages) >= 2, f"{table} fits on one page: the test needs it to split"
    for page in pages:
        assert header in texts[page], f"{table}: no header on page {page + 1}"
    everything = "".join(texts)
    for n in range(20):  # no row lost at a page break
        assert f"{marker}{squash(WORDS[n % len(WORDS)])}số{n + 1}" in everything


def test_the_cv_ends_with_the_declaration_and_both_signatures(full_cv):
    last = squash(nfc(full_cv.text(len(full_cv) - 1)))
    for words in (
        "Người khai",
        "Tôi xin cam đoan những lời khai trên đây là đúng sự thật",
        "(Ký tên, ghi rõ họ tên)",
        "Thủ trưởng cơ quan, đơn vị quản lý và sử dụng CBCCVC",
        "(Ký tên, đóng dấu)",
        "ngày …… tháng …… năm",
        "Nguyễn Thị Hồng Nhung",  # the declarant's name under the signature
    ):
        assert squash(words) in last, words


def test_items_are_numbered_in_the_order_of_the_form(full_cv):
    text = nfc(full_cv.all_text)
    numbers = [int(n) for n in re.findall(r"(?m)^(\d+)\) ", text)]
    assert numbers[:5] == [1, 2, 3, 4, 5]
    # the schema's items, but the declaration, which goes with the signatures
    expected = [
        item.number
        for item in print_items(get_schema("cong_chuc"))
        if item.number and [f.key for f in item.fields] != ["declaration"]
    ]
    assert numbers == expected


def test_the_labour_contract_prints_in_the_layout_of_its_form(db):
    doc = full_document("lao_dong", rows=2)
    doc["contract_number"] = "15/HĐLĐ"
    doc["contract_date"] = "2025-03-01"
    doc["contract_place"] = "Đà Lạt"
    pdf = Pdf(render_cv(doc, category="lao_dong"))
    first, text = nfc(pdf.text(0)), nfc(pdf.all_text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "HỢP ĐỒNG LAO ĐỘNG" in first
    assert "15/HĐLĐ" in first
    assert "Đà Lạt, ngày 01 tháng 03 năm 2025" in first
    assert "NGƯỜI LAO ĐỘNG" in text and "NGƯỜI SỬ DỤNG LAO ĐỘNG" in text
    assert not re.search(r"(?m)^\d+\) ", text)  # the CV's item numbers are not the contract's
    assert "Ảnh màu" not in text  # no photo box on a contract
