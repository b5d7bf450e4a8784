"""Validators for Chinese identifiers: citizen ID numbers, credit codes, mobile numbers.

Each validator returns the normalised value or raises ``ValueError`` with a short English message
that names the problem, so API layers can show it as is. Masking helpers never raise: a value that
cannot be masked in the usual shape is masked completely rather than shown.
"""

from __future__ import annotations

import re
from datetime import date

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
_CITIZEN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CITIZEN_CHECK = "10X98765432"
_CITIZEN_SHAPE = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH = date(1900, 1, 1)
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {"31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65", "71", "81", "82", "83"}
)

# GB 32100-2015: 31 characters (digits and capitals without I, O, S, V, Z); value = index.
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {char: value for value, char in enumerate(_CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE_SHAPE = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-()]")


def citizen_check_char(first17: str) -> str:
    """Check character of an 18-digit citizen ID, computed from its first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("citizen ID body must be 17 digits")
    pairs = zip(first17, _CITIZEN_WEIGHTS, strict=True)
    total = sum(int(digit) * weight for digit, weight in pairs)
    return _CITIZEN_CHECK[total % 11]


def _birth_date(value: str, today: date) -> date:
    raw = value[6:14]
    try:
        born = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        raise ValueError(f"invalid birth date {raw}") from None
    if born > today:
        raise ValueError(f"birth date {born.isoformat()} is in the future")
    if born < _EARLIEST_BIRTH:
        raise ValueError(f"birth date {born.isoformat()} is before 1900-01-01")
    return born


def validate_citizen_id(value: str, *, today: date | None = None) -> str:
    """Validate an 18-digit PRC citizen ID number (GB 11643-1999) and return it upper-cased.

    Checks the shape, the province-level code, the birth date (a real date from 1900-01-01 up to
    ``today``) and the MOD 11-2 check character. The old 15-digit numbers are not accepted.
    """
    number = value.strip().upper()
    if len(number) != 18:
        raise ValueError(f"citizen ID must have 18 characters, got {len(number)}")
    if not number.isascii() or not _CITIZEN_SHAPE.fullmatch(number):
        raise ValueError("citizen ID must be 17 digits followed by a digit or X")
    if number[:2] not in PROVINCE_CODES:
        raise ValueError(f"unknown province code {number[:2]}")
    _birth_date(number, today or date.today())
    expected = citizen_check_char(number[:17])
    if number[17] != expected:
        raise ValueError(f"check digit mismatch: expected {expected}")
    return number


def make_citizen_id(region6: str, birth: date, seq: int) -> str:
    """Build a citizen ID with a correct check character (for tests and demo data only).

    ``seq`` is the 3-digit order code; by the standard it is odd for men and even for women.
    """
    if len(region6) != 6 or not region6.isascii() or not region6.isdigit():
        raise ValueError("region code must be 6 digits")
    if not 0 <= seq <= 999:
        raise ValueError("sequence number must be between 0 and 999")
    body = f"{region6}{birth:%Y%m%d}{seq:03d}"
    return body + citizen_check_char(body)


def credit_check_char(first17: str) -> str:
    """Check character of a unified social credit code, computed from its first 17 characters."""
    if len(first17) != 17:
        raise ValueError("credit code body must have 17 characters")
    bad = sorted({char for char in first17 if char not in _CREDIT_VALUES})
    if bad:
        raise ValueError(f"credit code contains invalid characters: {''.join(bad)}")
    pairs = zip(first17, _CREDIT_WEIGHTS, strict=True)
    remainder = sum(_CREDIT_VALUES[char] * weight for char, weight in pairs) % 31
    return _CREDIT_CHARSET[(31 - remainder) % 31]


def validate_credit_code(value: str) -> str:
    """Validate an 18-character unified social credit code (GB 32100-2015).

    Spaces are removed and letters upper-cased; the characters and the check character (the last
    one) are verified. Returns the normalised code.
    """
    code = "".join(value.split()).upper()
    if len(code) != 18:
        raise ValueError(f"credit code must have 18 characters, got {len(code)}")
    bad = sorted({char for char in code if char not in _CREDIT_VALUES})
    if bad:
        raise ValueError(f"credit code contains invalid characters: {''.join(bad)}")
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(f"check character mismatch: expected {expected}")
    return code


def make_credit_code(body17: str) -> str:
    """Append the check character to a 17-character body (for tests and demo data only)."""
    body = body17.upper()
    return body + credit_check_char(body)


def validate_mobile(value: str) -> str:
    """Validate a mainland mobile number and return its bare 11 digits.

    Accepts a "+86", "0086" or "86" prefix, spaces, hyphens and parentheses, e.g.
    "+86 138-1234-5678" → "13812345678".
    """
    number = _MOBILE_SEPARATORS.sub("", value)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if number and not (number.isascii() and number.isdigit()):
        raise ValueError("mobile number must contain only digits")
    if len(number) != 11:
        raise ValueError(f"mobile number must have 11 digits, got {len(number)}")
    if not _MOBILE_SHAPE.fullmatch(number):
        raise ValueError("mobile number must start with 13-19")
    return number


def _mask(text: str, keep_start: int, keep_end: int) -> str:
    hidden = len(text) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(text)
    return text[:keep_start] + "*" * hidden + text[len(text) - keep_end :]


def mask_citizen_id(v: str) -> str:
    """Show only the region code and the last four characters: 420102********123X.

    Values shorter than 15 characters (not an ID number of either generation) are fully masked.
    """
    text = v.strip().upper()
    return _mask(text, 6, 4) if len(text) >= 15 else "*" * len(text)


def mask_phone(v: str) -> str:
    """Show the first three and last four digits of a mobile number: 138****5678.

    Anything that is not a valid mainland mobile number keeps at most its last four characters.
    """
    try:
        return _mask(validate_mobile(v), 3, 4)
    except ValueError:
        text = _MOBILE_SEPARATORS.sub("", v)
        return _mask(text, 0, 4) if len(text) >= 8 else "*" * len(text)
