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
from ingest.readers import FileUnreadable, RawRow, RowProblem, read_csv, read_jsonl

__all__ = [
    "PROVINCE_CODES",
    "FieldUnreadable",
    "FileUnreadable",
    "Pay",
    "PayUnreadable",
    "RawRow",
    "RowProblem",
    "citizen_check_char",
    "credit_check_char",
    "make_citizen_id",
    "make_credit_code",
    "mask_citizen_id",
    "mask_phone",
    "parse_education",
    "parse_headcount",
    "parse_pay",
    "read_csv",
    "read_jsonl",
    "validate_citizen_id",
    "validate_credit_code",
    "validate_mobile",
]
