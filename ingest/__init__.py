"""Getting postings and people in: validation and normalisation of raw records."""

from ingest.dates import parse_date, parse_datetime
from ingest.dedupe import VacancyFacts, best_duplicate, same_vacancy, title_similarity
from ingest.feeds import FairFeed, StationFeed, read_fair_feed, read_station_feed
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
from ingest.records import FieldError, PostingRecord, RowErrors, posting_record
from ingest.screening import Flag, PostingFacts, screen_posting
from ingest.xlsx import read_xlsx

__all__ = [
    "PROVINCE_CODES",
    "FairFeed",
    "FieldError",
    "FieldUnreadable",
    "FileUnreadable",
    "Flag",
    "Pay",
    "PayUnreadable",
    "PostingFacts",
    "PostingRecord",
    "RawRow",
    "RowErrors",
    "RowProblem",
    "StationFeed",
    "VacancyFacts",
    "best_duplicate",
    "citizen_check_char",
    "credit_check_char",
    "make_citizen_id",
    "make_credit_code",
    "mask_citizen_id",
    "mask_phone",
    "parse_date",
    "parse_datetime",
    "parse_education",
    "parse_headcount",
    "parse_pay",
    "posting_record",
    "read_csv",
    "read_fair_feed",
    "read_jsonl",
    "read_station_feed",
    "read_xlsx",
    "same_vacancy",
    "screen_posting",
    "title_similarity",
    "validate_citizen_id",
    "validate_credit_code",
    "validate_mobile",
]
