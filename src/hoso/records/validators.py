"""The personal identification number (Thông tư 59/2021/TT-BCA, Điều 7).

12 digits: 3 for the province where the birth was registered, 1 for sex and century,
2 for the last digits of the birth year, 6 random.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 "
    "034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 "
    "067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)


def sex_century_digit(sex: str, birth_year: int) -> str:
    century = birth_year // 100 - 19  # 1900s → 0, 2000s → 1, …
    return str(century * 2 + (1 if sex == "female" else 0))


def validate_id_number(value: str, *, birth_date: dt.date | None = None, sex: str | None = None):
    if not (isinstance(value, str) and len(value) == 12 and value.isdigit()):
        raise ValidationError(
            _("The identification number must be exactly 12 digits."), code="id_format"
        )
    if value[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _(
                "The first three digits (%(code)s) are not a province code "
                "of Circular 59/2021/TT-BCA."
            )
            % {"code": value[:3]},
            code="id_province",
        )
    if birth_date is not None:
        if value[4:6] != f"{birth_date.year % 100:02d}":
            raise ValidationError(
                _("Digits 5–6 (%(got)s) must be the last two digits of the birth year (%(want)s).")
                % {"got": value[4:6], "want": f"{birth_date.year % 100:02d}"},
                code="id_year",
            )
        if sex in ("male", "female"):
            want = sex_century_digit(sex, birth_date.year)
            if value[3] != want:
                raise ValidationError(
                    _("Digit 4 (%(got)s) must be %(want)s for this sex and century of birth.")
                    % {"got": value[3], "want": want},
                    code="id_sex_century",
                )
