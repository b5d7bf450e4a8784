"""Getting postings and people in: validation and normalisation of raw records."""

from ingest.fields import FieldUnreadable, parse_education, parse_headcount
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
from ingest.pay import Pay, PayUnreadable, parse_pay

__all__ = [
    "PROVINCE_CODES",
    "FieldUnreadable",
    "Pay",
    "PayUnreadable",
    "citizen_check_char",
    "credit_check_char",
    "make_citizen_id",
    "make_credit_code",
    "mask_citizen_id",
    "mask_phone",
    "parse_education",
    "parse_headcount",
    "parse_pay",
    "validate_citizen_id",
    "validate_credit_code",
    "validate_mobile",
]
