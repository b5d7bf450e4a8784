from datetime import date

import pytest

from ingest.identifiers import (
    citizen_check_char,
    make_citizen_id,
    make_credit_code,
    mask_citizen_id,
    mask_phone,
    validate_citizen_id,
    validate_credit_code,
    validate_mobile,
)

TODAY = date(2025, 6, 1)


def _with_check(body17: str) -> str:
    """A number whose check digit is right, so only the other rule under test can fail."""
    return body17 + citizen_check_char(body17)


# --- citizen ID (GB 11643-1999) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),  # the example printed in GB 11643-1999
        ("11010519491231002x", "11010519491231002X"),  # lower-case x is accepted
        (" 11010519491231002X ", "11010519491231002X"),
        # 4*7+2*9+0+1*5+0+2*4+1*2+9*1+9*6+0+0+1*9+0+1*5+1*8+2*4+3*2 = 160; 160 mod 11 = 6 → "6"
        ("420102199001011236", "420102199001011236"),
        (make_citizen_id("420102", date(1990, 1, 1), 123), "420102199001011236"),
        (make_citizen_id("430103", date(2000, 2, 29), 8), "430103200002290082"),
        (make_citizen_id("810000", date(1985, 7, 1), 1), "810000198507010011"),
    ],
)
def test_valid_citizen_ids(raw: str, expected: str) -> None:
    assert validate_citizen_id(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105194912310021", "check digit mismatch: expected X"),
        ("420102199001011234", "check digit mismatch: expected 6"),
        (_with_check("42010219900230123"), "invalid birth date 19900230"),
        (_with_check("42010219901301123"), "invalid birth date 19901301"),
        (_with_check("42010220300101123"), "birth date 2030-01-01 is in the future"),
        # the standard's second example: its check digit is right, but 1880 is out of range
        ("440524188001010014", "birth date 1880-01-01 is before 1900-01-01"),
        (_with_check("99010219900101123"), "unknown province code 99"),
        (_with_check("20010219900101123"), "unknown province code 20"),
        ("4201021990010112", "citizen ID must have 18 characters, got 16"),
        ("4201021990010112351", "citizen ID must have 18 characters, got 19"),
        ("", "citizen ID must have 18 characters, got 0"),
        ("42010219900101123A", "citizen ID must be 17 digits followed by a digit or X"),
        ("4201021990O101123X", "citizen ID must be 17 digits followed by a digit or X"),
        (
            "４２０１０２１９９００１０１１２３５",
            "citizen ID must be 17 digits followed by a digit or X",
        ),
    ],
)
def test_invalid_citizen_ids(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        validate_citizen_id(raw, today=TODAY)


def test_birth_date_today_is_accepted() -> None:
    number = make_citizen_id("420102", TODAY, 2)
    assert validate_citizen_id(number, today=TODAY) == number


def test_make_citizen_id_rejects_bad_parts() -> None:
    with pytest.raises(ValueError, match="region code must be 6 digits"):
        make_citizen_id("4201", date(1990, 1, 1), 1)
    with pytest.raises(ValueError, match="sequence number"):
        make_citizen_id("420102", date(1990, 1, 1), 1000)


# --- unified social credit code (GB 32100-2015) ---------------------------------------------

# Published codes, checked by hand as well as by the code:
#   91350100M000100Y43: 9*1+1*3+3*9+5*27+1*26+M(21)*20+1*8+Y(30)*30+4*28 = 1640;
#                       1640 mod 31 = 28; 31 - 28 = 3 → "3".
#   91110000802100433B (北京百度网讯科技有限公司 in public company records):
#                       weighted sum 485; 485 mod 31 = 20; 31 - 20 = 11 → "B".
PUBLISHED_CREDIT_CODES = ["91350100M000100Y43", "91110000802100433B"]


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES)
def test_published_credit_codes_are_valid(code: str) -> None:
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),
        (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
    ],
)
def test_credit_code_is_normalised(raw: str, expected: str) -> None:
    assert validate_credit_code(raw) == expected


@pytest.mark.parametrize(
    "body",
    ["91420100MA4K00001", "12420000MB1234567", "52430100MJ0000001", "93420102ma4kxy00q"],
)
def test_made_credit_codes_round_trip(body: str) -> None:
    code = make_credit_code(body)
    assert len(code) == 18
    assert code.startswith(body.upper())
    assert validate_credit_code(code) == code


def test_check_value_zero_is_character_zero() -> None:
    # 31 - (sum mod 31) is 31 when the sum is a multiple of 31; the standard maps that to "0".
    assert make_credit_code("0" * 17) == "0" * 18


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("91350100M000100Y44", "check character mismatch: expected 3"),
        ("91110000802100433C", "check character mismatch: expected B"),
        ("91350100M000100Y4", "credit code must have 18 characters, got 17"),
        ("91350100M000100Y433", "credit code must have 18 characters, got 19"),
        ("91350100I000100Y43", "credit code contains invalid characters: I"),
        ("91350100O0S0V00Z43", "credit code contains invalid characters: OSVZ"),
        ("9135010-M000100Y43", "credit code contains invalid characters: -"),
    ],
)
def test_invalid_credit_codes(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        validate_credit_code(raw)


# --- mobile numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086-138-1234-5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("(+86) 19912345678", "19912345678"),
        ("16612345678", "16612345678"),
    ],
)
def test_valid_mobiles(raw: str, expected: str) -> None:
    assert validate_mobile(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1381234567", "mobile number must have 11 digits, got 10"),
        ("138123456789", "mobile number must have 11 digits, got 12"),
        ("12812345678", "mobile number must start with 13-19"),
        ("23812345678", "mobile number must start with 13-19"),
        ("02787654321", "mobile number must start with 13-19"),
        ("1381234567a", "mobile number must contain only digits"),
        ("", "mobile number must have 11 digits, got 0"),
    ],
)
def test_invalid_mobiles(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        validate_mobile(raw)


# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("42010219900101123X", "420102********123X"),
        ("42010219900101123x", "420102********123X"),
        ("420102900101123", "420102*****1123"),  # a 15-digit first-generation number
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_citizen_id(raw: str, masked: str) -> None:
    assert mask_citizen_id(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("027-87654321", "*******4321"),  # not a mobile: keep only the last four
        ("1234", "****"),
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked
