"""Full profile documents for the demo people and the benchmarks.

`fake_document(rng, person=…, category=…, rows=3)` writes the whole file of a person
the way an HR officer would have it after years of service: every field of the CV
form (or of the labour contract for người lao động), codes taken from the code lists
and valid on the dates they are used, dates in the order the schema demands and
consistent with the birth date (recruited at 18 or older, Party membership confirmed a
year after joining …), the salary coefficient of the rank's group at the step reached
after the regular raises (Thông tư 08/2013/TT-BNV: 36 months a step for groups that
need college or more, 24 for the others; seniority beyond the scale from the last step,
Thông tư 04/2005/TT-BNV), family members with Vietnamese names and birth years that fit,
and `rows` rows in every repeating table (the bench asks 20).

Evidence fields (the photo, scanned decisions) stay empty: they point to uploaded
documents, and the demo uploads none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import random
import unicodedata
from decimal import Decimal

from django.utils import timezone

from hoso.catalogs import selectors as catalogs

from .names import FAMILY, GIVEN, MIDDLE

RECRUIT_AGE = (21, 30)
SCALE_FROM = dt.date(2004, 10, 1)
# Ethnicities of the demo's province (Lâm Đồng, with Đắk Nông and Bình Thuận): Kinh
# most, then the peoples of the Central Highlands and those who came from the north.
ETHNICITIES = (("01", 82), ("16", 5), ("28", 3), ("36", 2), ("20", 2), ("02", 2), ("07", 2),
               ("17", 1), ("21", 1))
RELIGIONS = (("00", 70), ("01", 13), ("02", 11), ("03", 5), ("04", 1))
STREETS = ("Trần Phú", "Lê Lợi", "Nguyễn Trãi", "Hai Bà Trưng", "Phan Đình Phùng",
           "Hùng Vương", "Quang Trung", "Lý Thường Kiệt", "Bùi Thị Xuân", "Yersin")
INSTITUTIONS = ("Trường Đại học Đà Lạt", "Học viện Hành chính Quốc gia",
                "Trường Đại học Sư phạm Thành phố Hồ Chí Minh", "Trường Đại học Y Dược Huế",
                "Trường Đại học Kinh tế Quốc dân", "Trường Chính trị tỉnh Lâm Đồng",
                "Trường Đại học Luật Hà Nội", "Trường Cao đẳng Y tế Lâm Đồng")
MAJORS = ("Quản lý nhà nước", "Luật", "Kế toán", "Sư phạm Toán", "Sư phạm Ngữ văn",
          "Y đa khoa", "Điều dưỡng", "Công nghệ thông tin", "Kinh tế nông nghiệp",
          "Hành chính học", "Tài chính – Ngân hàng", "Xây dựng dân dụng")
OCCUPATIONS = ("Làm ruộng", "Công nhân", "Giáo viên", "Cán bộ hưu trí", "Buôn bán",
               "Bác sĩ", "Kỹ sư", "Nội trợ", "Học sinh", "Sinh viên", "Công chức")
UNIT_TEXT = "Ủy ban nhân dân tỉnh Lâm Đồng"
REWARD_AUTHORITIES = {"title": "Chủ tịch Ủy ban nhân dân tỉnh", "award": "Chủ tịch nước"}


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (1 if b.day < a.day else 0)


def _between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))


def _years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_FAMILIES = ([n for n, _ in FAMILY], list(itertools.accumulate(w for _, w in FAMILY)))
_MIDDLES = {
    sex: ([n for n, _ in v], list(itertools.accumulate(w for _, w in v)))
    for sex, v in MIDDLE.items()
}


def _name(rng: random.Random, sex: str, family: str | None = None) -> str:
    """A Vietnamese name of the sex: family name (given, or weighted by frequency),
    middle name and given name."""
    family = family or rng.choices(_FAMILIES[0], cum_weights=_FAMILIES[1])[0]
    middle = rng.choices(_MIDDLES[sex][0], cum_weights=_MIDDLES[sex][1])[0]
    return f"{family} {middle} {rng.choice(GIVEN[sex])}"


def _codes(list_key: str, on: dt.date | None, parent: str | None = None) -> list[str]:
    """The codes of a list valid on a day; `catalogs.choices` memoises the pairs, this
    the codes (a document asks for them dozens of times)."""
    pairs = catalogs.choices(list_key, on, parent)
    key = (list_key, on, parent)
    cached = _CODES.get(key)
    if cached is None or cached[0] is not pairs:
        cached = _CODES[key] = (pairs, [code for code, _label in pairs])
    return cached[1]


_CODES: dict[tuple, tuple[list, list[str]]] = {}
_RANKS: dict[tuple, list[str]] = {}


def _ranks_with_scale(list_key: str, on: dt.date) -> list[str]:
    """Ranks (or titles) whose salary group has a scale: the ones a salary can be on."""
    return [c for c in _codes(list_key, on)
            if (info := catalogs.rank_info(c)) and catalogs.salary_steps(info.salary_group)]


class _Profile:
    """The facts one document is built from, drawn once so the fields agree."""

    def __init__(self, rng, person, category: str, rows: int, today: dt.date, unit_code: str):
        self.rng, self.person, self.category, self.rows, self.today = (
            rng, person, category, rows, today)
        self.unit_code = unit_code
        self.birth: dt.date = person.birth_date
        self.sex: str = person.sex
        self.family_name = person.full_name.split()[0]
        age_lo = _years(self.birth, RECRUIT_AGE[0])
        latest = today - dt.timedelta(days=60)
        self.recruited = _between(rng, age_lo, min(_years(self.birth, RECRUIT_AGE[1]), latest))
        if self.recruited < _years(self.birth, 18):
            self.recruited = _years(self.birth, 18)
        self.joined_unit = _between(rng, self.recruited, latest)
        rank_list = "titles" if category == "vien_chuc" else "ranks"
        key = (rank_list, today, id(catalogs.choices(rank_list, today)))
        if key not in _RANKS:
            _RANKS[key] = _ranks_with_scale(rank_list, today)
        self.rank = rng.choice(_RANKS[key])
        info = catalogs.rank_info(self.rank)
        self.group = info.salary_group
        self.raise_months = info.raise_interval_months
        self.steps = catalogs.salary_steps(self.group)
        served = max(0, _months_between(self.recruited, today))
        self.step = min(self.steps, 1 + served // self.raise_months)
        # The scale of Decree 204/2004/NĐ-CP applies from 1/10/2004: everyone was
        # transposed onto it then, which is a salary decision of its own.
        self.salary_since = max(
            _add_months(self.recruited, (self.step - 1) * self.raise_months), SCALE_FROM
        )
        at_last = _months_between(self.salary_since, today) if self.step == self.steps else 0
        # Thâm niên vượt khung: 5 % after a full interval at the last step, +1 % a year.
        over = at_last - self.raise_months
        self.seniority = 0 if over < 0 else 5 + over // 12
        self.spouse_family = _name(rng, "male").split()[0]

    # helpers -------------------------------------------------------------------------

    def coefficient(self, step: int, on: dt.date) -> str:
        value = catalogs.salary_coefficient(self.group, step, on)
        return str(Decimal(value).quantize(Decimal("0.01")))

    def place_old(self, province: str | None = None) -> dict:
        """A place named with the provinces before the 2025 reform (birth, home town)."""
        code = province or self.rng.choice(_codes("provinces", dt.date(2020, 1, 1)))
        village = self.rng.choice(("Thôn 1", "Thôn 3", "Thôn Phú Hội", "Xóm Đông", "Ấp 2"))
        return {"province": code, "text": f"{village}, {catalogs.code_label('provinces', code)}"}

    def place_new(self) -> dict:
        """A place of the two-level local government (today's addresses)."""
        province = self.person_province_new()
        commune = self.rng.choice(_codes("communes", self.today, parent=province))
        street = self.rng.choice(STREETS)
        return {
            "province": province, "commune": commune,
            "text": f"Số {self.rng.randint(1, 250)} đường {street}, "
                    f"{catalogs.code_label('communes', commune)}",
        }

    def person_province_new(self) -> str:
        new = _codes("provinces", self.today)
        return "68" if "68" in new else self.rng.choice(new)

    def spread(self, start: dt.date, end: dt.date, n: int) -> list[dt.date]:
        """`n` days from `start` to `end`, in order (repeating when the span is short)."""
        if n <= 0:
            return []
        span = max(0, end.toordinal() - start.toordinal())
        return [dt.date.fromordinal(start.toordinal() + span * i // max(1, n)) for i in range(n)]

    def years(self, n: int, first: int) -> list[int]:
        last = self.today.year - 1
        first = min(first, last)
        span = list(range(first, last + 1))
        return [span[i % len(span)] for i in range(n)] if n else []


def _family_rows(p: _Profile, side: str) -> list[dict]:
    rng, rows = p.rng, p.rows
    birth_year = p.birth.year
    out: list[dict] = []
    if side == "own":
        father_family = p.family_name
        members = [("bo", "male", father_family, birth_year - rng.randint(24, 34)),
                   ("me", "female", None, birth_year - rng.randint(20, 30))]
        if p.today.year - birth_year >= 24:
            spouse = "chong" if p.sex == "female" else "vo"
            members.append((spouse, "male" if spouse == "chong" else "female",
                            p.spouse_family if spouse == "chong" else None,
                            birth_year + rng.randint(-4, 4)))
            children_family = p.spouse_family if p.sex == "female" else p.family_name
            first_child = birth_year + rng.randint(24, 30)
            for i in range(min(3, rows)):
                year = first_child + 3 * i
                if year <= p.today.year:
                    members.append(("con", rng.choice(("male", "female")), children_family, year))
        sibling = 0
        while len(members) < rows:
            sex = rng.choice(("male", "female"))
            year = birth_year + rng.choice((-1, 1)) * rng.randint(2, 12)
            code = "em" if year > birth_year else ("anh" if sex == "male" else "chi")
            members.append((code, sex, p.family_name, year))
            sibling += 1
    else:
        male = p.sex == "male"  # the person's spouse is a wife: her parents are bố/mẹ vợ
        spouse_family = None if male else p.spouse_family
        members = [("bo_vo" if male else "bo_chong", "male", spouse_family,
                    birth_year - rng.randint(24, 32)),
                   ("me_vo" if male else "me_chong", "female", None,
                    birth_year - rng.randint(20, 28))]
        wife_family = _name(rng, "male").split()[0]
        while len(members) < rows:
            sex = rng.choice(("male", "female"))
            year = birth_year + rng.randint(-10, 10)
            code = {"male": "anh_vo_chong", "female": "chi_vo_chong"}[sex] if year < birth_year \
                else "em_vo_chong"
            members.append((code, sex, wife_family if male else p.spouse_family, year))
    for code, sex, family, year in members[:rows]:
        year = min(max(year, 1900), p.today.year)
        row = {
            "relationship": code,
            "full_name": _name(rng, sex, family),
            "birth_year": year,
            "home_town": p.place_old()["text"],
            "occupation": rng.choice(OCCUPATIONS) if p.today.year - year >= 6 else "Trẻ em",
            "residence": p.place_new()["text"],
            "abroad": False,
            "organisations": rng.choice(("Không", "Hội Nông dân", "Hội Liên hiệp Phụ nữ",
                                         "Hội Cựu chiến binh")),
        }
        death = year + rng.randint(62, 90)
        if code in ("bo", "me", "bo_vo", "me_vo", "bo_chong", "me_chong") and death < p.today.year \
                and rng.random() < 0.5:
            row["death_year"] = death
        out.append(row)
    return out


def _cv_fields(p: _Profile) -> dict:
    rng, today, rows = p.rng, p.today, p.rows
    person = p.person
    given = person.full_name.split()[-1]
    issue = _between(rng, max(dt.date(2021, 1, 1), _years(p.birth, 14)), today)
    doc: dict = {
        "managing_unit": p.unit_code,
        "employing_unit": p.unit_code,
        "staff_number": f"{rng.randrange(10**7):07d}",
        "full_name": person.full_name,
        "other_names": given,
        "birth_date": p.birth.isoformat(),
        "sex": p.sex,
        "birth_place": p.place_old(person.id_number[1:3]),
        "home_town": p.place_old(person.id_number[1:3] if rng.random() < 0.7 else None),
        "ethnicity": _pick(rng, ETHNICITIES),
        "religion": _pick(rng, RELIGIONS),
        "permanent_address": p.place_new(),
        "current_address": p.place_new(),
        "id_number": person.id_number,
        "id_issue_date": issue.isoformat(),
        "id_issue_place": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "legacy_id_number": f"{rng.randrange(10**8, 10**9)}",
        "phone": f"09{rng.randrange(10**8):08d}",
        "email": f"{_ascii(person.full_name).lower().replace(' ', '.')}@lamdong.gov.vn",
        "social_insurance_number": f"{rng.randrange(10**10):010d}",
        "recruitment_occupation": rng.choice(("Chuyên viên", "Giáo viên", "Kế toán",
                                              "Bác sĩ", "Cán sự", "Kỹ thuật viên")),
        "recruitment_date": p.recruited.isoformat(),
        "recruiting_agency": rng.choice(("Sở Nội vụ tỉnh Lâm Đồng", UNIT_TEXT,
                                         "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng",
                                         "Sở Y tế tỉnh Lâm Đồng")),
        "current_unit_date": p.joined_unit.isoformat(),
        "main_work": rng.choice(("Tham mưu công tác tổ chức cán bộ.",
                                 "Giảng dạy và chủ nhiệm lớp.",
                                 "Khám, chữa bệnh tại khoa Nội.",
                                 "Quản lý tài chính, kế toán của đơn vị.")),
        "job_position": rng.choice(_codes("job_positions", today)),
        "rank_code": p.rank,
        "salary_step": p.step,
        "salary_coefficient": p.coefficient(p.step, p.salary_since),
        "salary_since": p.salary_since.isoformat(),
        "next_raise_date": _add_months(p.salary_since, p.raise_months).isoformat(),
        "seniority_allowance_percent": str(p.seniority),
        "strengths": rng.choice(("Tổng hợp, tham mưu.", "Giao tiếp, phối hợp.",
                                 "Chuyên môn nghiệp vụ vững.")),
        "general_education": "12/12",
        "education_level": _pick(rng, (("dh", 70), ("ths", 20), ("cd", 6), ("ts", 2),
                                       ("tc", 2))),
        "education_major": rng.choice(MAJORS),
        "political_theory": _pick(rng, (("trung_cap", 50), ("so_cap", 30), ("cao_cap", 15),
                                        ("cu_nhan", 5))),
        "state_management": _pick(rng, (("cv", 60), ("cvc", 30), ("cvcc", 5), ("can_su", 5))),
        "it_level": rng.choice(_codes("it_levels", today)),
        "academic_degree": _pick(rng, (("ths", 85), ("ts", 15))),
        "academic_title": "pgs",
        "honorary_title": rng.choice(_codes("honorary_titles", today)),
        "health_status": rng.choice(("Tốt", "Bình thường", "Khá")),
        "height_cm": rng.randint(150, 178),
        "weight_kg": rng.randint(45, 78),
        "blood_group": rng.choice(_codes("blood_groups", today)),
        "war_invalid_grade": f"{rng.randint(1, 4)}/4",
        "policy_family": rng.choice(("Con gia đình có công với cách mạng",
                                     "Con thương binh", "Không")),
        "history_detention": "Không.",
        "history_old_regime": "Không.",
        "history_foreign_orgs": "Không.",
        "history_relatives_abroad": "Không.",
        "unit_remarks": rng.choice((
            "Có phẩm chất chính trị, đạo đức tốt; hoàn thành tốt nhiệm vụ được giao.",
            "Chấp hành tốt chủ trương, chính sách; có tinh thần trách nhiệm.",
        )),
    }
    # Party: joined at 25–35 (if old enough), confirmed a year later.
    latest = today - dt.timedelta(days=400)
    join = _between(rng, min(max(_years(p.birth, 25), p.recruited), latest), latest)
    doc["party_join_date"] = join.isoformat()
    doc["party_official_date"] = min(_years(join, 1), today).isoformat()
    enlist = _years(p.birth, rng.randint(18, 20))
    doc["military_enlist_date"] = enlist.isoformat()
    doc["military_discharge_date"] = min(_years(enlist, 2), today).isoformat()
    doc["military_rank"] = rng.choice(("binh_nhat", "ha_si", "trung_si", "thuong_si"))

    # Positions held (the last one still held), each appointed after recruitment.
    positions = [c for c in _codes("position_titles", today)]
    starts = p.spread(p.recruited, today - dt.timedelta(days=30), rows)
    doc["positions"] = []
    for i, start in enumerate(starts):
        code = rng.choice(positions)
        row = {"position": code, "sphere": rng.choice(("government", "party",
                                                       "mass_organisation")),
               "unit_name": rng.choice(("Sở Nội vụ", "Chi bộ cơ quan", "Công đoàn cơ sở",
                                        "Phòng Tổ chức cán bộ")),
               "concurrent": i > 0,
               "from": start.isoformat(),
               "decision": f"{rng.randint(1, 999)}/QĐ-UBND ngày {start:%d/%m/%Y}"}
        if i < len(starts) - 1:
            row["to"] = (starts[i + 1] - dt.timedelta(days=1)).isoformat() \
                if starts[i + 1] > start else start.isoformat()
        doc["positions"].append(row)
    current = doc["positions"][-1]["position"] if doc["positions"] else None
    allowance = catalogs.entry_for("position_titles", current).attrs.get("allowance") \
        if current else None
    doc["position_allowance"] = allowance or "0.00"

    languages = _codes("languages", today)
    levels = ("bac_2", "bac_3", "bac_4", "chung_chi_b")
    doc["languages"] = [
        {"language": languages[i % len(languages)], "level": rng.choice(levels),
         "certificate": f"Chứng chỉ số {rng.randint(1000, 99999)}"}
        for i in range(rows)
    ]
    orgs = _codes("mass_organisations", today)
    joins = p.spread(_years(p.birth, 15), today - dt.timedelta(days=1), rows)
    doc["mass_organisations"] = [
        {"organisation": orgs[i % len(orgs)], "join_date": joins[i].isoformat(),
         "role": rng.choice(("Đoàn viên", "Hội viên", "Ủy viên Ban Chấp hành"))}
        for i in range(rows)
    ]

    # Training: after the 18th birthday, each course from one month to a later one.
    forms = _codes("training_forms", today)
    tstarts = p.spread(_years(p.birth, 18), today - dt.timedelta(days=200), rows)
    doc["training"] = []
    for start in tstarts:
        end = min(_add_months(start, rng.randint(3, 48)), today)
        doc["training"].append({
            "institution": rng.choice(INSTITUTIONS), "major": rng.choice(MAJORS),
            "from": f"{start:%Y-%m}", "to": f"{max(end, start):%Y-%m}",
            "form": rng.choice(forms),
            "qualification": rng.choice(("Cử nhân", "Thạc sĩ", "Chứng chỉ", "Trung cấp")),
        })
    # Work history: consecutive periods from recruitment on; the last one open-ended.
    wstarts = p.spread(p.recruited, today, rows)
    doc["work_history"] = []
    for i, start in enumerate(wstarts):
        row = {"from": f"{start:%Y-%m}",
               "description": rng.choice(("Chuyên viên Phòng Tổ chức cán bộ, Sở Nội vụ",
                                          "Giáo viên Trường THPT Bùi Thị Xuân",
                                          "Bác sĩ Bệnh viện Đa khoa tỉnh",
                                          "Kế toán Trung tâm Y tế huyện"))}
        if i < len(wstarts) - 1:
            row["to"] = f"{max(wstarts[i + 1], start):%Y-%m}"
        doc["work_history"].append(row)
    # Salary history: the raises from recruitment to the current step.
    months = p.spread(max(p.recruited, SCALE_FROM), p.salary_since, rows)
    doc["salary_history"] = []
    for month in months:
        step = min(p.steps, 1 + max(0, _months_between(p.recruited, month)) // p.raise_months)
        when = dt.date(month.year, month.month, 1)
        doc["salary_history"].append({
            "month": f"{month:%Y-%m}", "rank_code": p.rank, "salary_step": step,
            "salary_coefficient": p.coefficient(step, when),
            "decision": f"{rng.randint(1, 999)}/QĐ-SNV",
        })
    kinds = [(e.code, e.attrs.get("unit")) for e in catalogs.entries("allowance_kinds", today)]
    astarts = p.spread(p.recruited, today - dt.timedelta(days=1), rows)
    doc["allowances"] = []
    for i, start in enumerate(astarts):
        kind, unit = kinds[i % len(kinds)]
        row = {"kind": kind, "from": start.isoformat(),
               "decision": f"{rng.randint(1, 999)}/QĐ-UBND"}
        if unit == "percent":
            row["percent"] = str(rng.choice((5, 10, 15, 25)))
        else:
            row["coefficient"] = rng.choice(("0.10", "0.20", "0.30", "0.50"))
        if rng.random() < 0.5:
            row["to"] = min(_years(start, 2), today).isoformat()
        doc["allowances"].append(row)
    # Rewards, discipline and evaluations, one year a row since recruitment.
    reward_entries = catalogs.entries("reward_forms", today)
    doc["rewards"] = []
    for year in p.years(rows, p.recruited.year):
        e = rng.choice(reward_entries)
        doc["rewards"].append({
            "year": year, "form": e.code,
            "authority": REWARD_AUTHORITIES.get(e.attrs.get("kind"), "Giám đốc Sở"),
            "decision": f"{rng.randint(1, 999)}/QĐ-UBND ngày 15/01/{year + 1}",
        })
    best = max(doc["rewards"], key=lambda r: catalogs.entry_for("reward_forms", r["form"])
               .attrs.get("level", 0), default=None)
    if best:
        doc["highest_award"], doc["highest_award_year"] = best["form"], best["year"]
    forms_ok = [e for e in catalogs.entries("discipline_forms", today)
                if p.category in (e.attrs.get("applies_to") or [])] \
        or catalogs.entries("discipline_forms", today)
    doc["disciplines"] = []
    for year in p.years(rows, p.recruited.year):
        e = rng.choice(forms_ok[:2])  # a reprimand or a warning: the common ones
        doc["disciplines"].append({
            "year": year, "form": e.code, "authority": "Giám đốc Sở",
            "reason": "Vi phạm quy định về thời gian làm việc.",
            "decision": f"{rng.randint(1, 999)}/QĐ-SNV", "expiry": f"{year + 1}-12-31",
        })
    worst = max(doc["disciplines"], key=lambda r: catalogs.entry_for(
        "discipline_forms", r["form"]).attrs.get("level", 0), default=None)
    if worst:
        doc["highest_discipline"], doc["highest_discipline_year"] = worst["form"], worst["year"]
    doc["evaluations"] = []
    for year in p.years(rows, p.recruited.year):
        grades = _codes("evaluation_grades", dt.date(year, 12, 31))
        common = [g for g in grades if g not in ("khtnv", "kem")] or grades
        doc["evaluations"].append({"year": year, "grade": rng.choice(common)})
    doc["family_own"] = _family_rows(p, "own")
    doc["family_spouse"] = _family_rows(p, "spouse")
    return doc


def _contract_fields(p: _Profile) -> dict:
    rng, today = p.rng, p.today
    signed = _between(rng, max(p.recruited, today - dt.timedelta(days=3 * 365)),
                      today - dt.timedelta(days=1))
    indefinite = rng.random() < 0.4
    doc = {
        "contract_number": f"{rng.randint(1, 500)}/{signed.year}/HĐLĐ",
        "contract_date": signed.isoformat(),
        "contract_place": UNIT_TEXT,
        "employer_representative": _name(rng, rng.choice(("male", "female"))),
        "employer_representative_position": "Giám đốc",
        "employer_authorisation": f"Giấy ủy quyền số {rng.randint(1, 99)}/GUQ",
        "employer_address": f"Số {rng.randint(1, 99)} đường {rng.choice(STREETS)}, Đà Lạt",
        "employer_phone": f"0263{rng.randrange(10**7):07d}",
        "contract_type": "khong_xac_dinh" if indefinite else "xac_dinh",
        "contract_from": signed.isoformat(),
        "probation": "Không",
        "nationality": "Việt Nam",
        "job_title": rng.choice(("Lái xe", "Bảo vệ", "Nhân viên phục vụ", "Nhân viên kỹ thuật")),
        "job_duties": "Thực hiện công việc theo phân công của thủ trưởng đơn vị.",
        "workplace": UNIT_TEXT,
        "working_time": "8 giờ/ngày, 40 giờ/tuần",
        "rest_regime": "Theo quy định của Bộ luật Lao động.",
        "salary_amount": rng.randrange(5_000_000, 12_000_000, 100_000),
        "pay_method": "Chuyển khoản",
        "pay_period": "Hằng tháng",
    }
    if not indefinite:
        doc["contract_to"] = _add_months(signed, rng.choice((12, 24, 36))).isoformat()
    return doc


def _filler(rng: random.Random, field, today: dt.date):
    """A value for a field this module does not know by name (a province's extension,
    a new clause of the contract): right for its type, from its code list if any."""
    ftype = field.type
    if ftype in ("text", "longtext"):
        return None if field.pattern else "Theo quy định của pháp luật."
    if ftype == "bool":
        return True
    if ftype == "integer":
        low = int(field.min) if field.min is not None else 0
        high = int(field.max) if field.max is not None else low + 100
        return rng.randint(low, min(high, low + 100))
    if ftype == "decimal":
        low = Decimal(str(field.min)) if field.min is not None else Decimal(0)
        return str(low)
    if ftype == "code":
        if field.choices:
            return field.choices[0].code
        codes = _codes(field.code_list, today)
        return rng.choice(codes) if codes else None
    return None  # dates, units, places and evidence are not guessed


def fake_document(
    rng: random.Random, *, person, category: str, rows: int = 3,
    today: dt.date | None = None, unit_code: str | None = None,
) -> dict:
    """A realistic, valid full profile document of `person` (its name, birth date, sex
    and identification number are used as they are) for staff `category`, with `rows`
    rows in every repeating table. `unit_code` is the QĐ 20 code of the person's unit
    (read from `person.unit` when not given)."""
    from hoso.records.schema import get_schema

    today = today or timezone.localdate()
    unit_code = unit_code or person.unit.code
    p = _Profile(rng, person, category, rows, today, unit_code)
    doc = _cv_fields(p)
    if category == "lao_dong":
        doc |= _contract_fields(p)
    schema = get_schema(category)
    out: dict = {}
    for field in schema.fields:
        value = doc.get(field.key)
        if value is None:
            value = _filler(rng, field, today)
        if value is None:
            continue
        if field.is_table:
            keys = {c.key for c in field.columns}
            value = [{k: v for k, v in row.items() if k in keys} for row in value]
        out[field.key] = value
    return out
