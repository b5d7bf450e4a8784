"""Getting postings and people in: validation and normalisation of raw records."""

from ingest.identifiers import (
    PROVINCE_CODES,
    citizen_check_char,
    credit_check_char,
    make_citizen_id,
    make_credit_code,
    mask_citizen_id,
    mask_phone,
    validate_citizen_id,
    validate_credit_code,
    validate_mobile,
)

__all__ = [
    "PROVINCE_CODES",
    "citizen_check_char",
    "credit_check_char",
    "make_citizen_id",
    "make_credit_code",
    "mask_citizen_id",
    "mask_phone",
    "validate_citizen_id",
    "validate_credit_code",
    "validate_mobile",
]
