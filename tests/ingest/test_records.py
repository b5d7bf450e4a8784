"""Raw rows → posting records: every cell read, every unreadable cell reported."""

from __future__ import annotations

from datetime import date, datetime

from ingest.dates import CHINA_TIME
from ingest.identifiers import make_credit_code
from ingest.readers import RawRow
from ingest.records import FieldError, PostingRecord, RowErrors, posting_record

TODAY = date(2026, 11, 21)
CODE = make_credit_code("91420100MA4K12345")


def _read(**fields: str) -> PostingRecord | RowErrors:
    return posting_record(RawRow(7, fields, {"备注": "包吃"}), today=TODAY)


def test_a_full_row_is_read_into_typed_values() -> None:
    record = _read(
        title=" 叉车司机 ", pay="6-8K", headcount="招3人", education="高中及以上",
        experience="2年以上", skills="叉车、仓储 管理", certificates="叉车证",
        location="武汉市东西湖区走马岭", employer="武汉顺达物流有限公司", credit_code=CODE,
        external_id="WH-001", valid_until="2026年12月31日", contact_phone="027-85123456",
        employment_type="全职",
    )  # fmt: skip
    assert isinstance(record, PostingRecord)
    assert (record.number, record.title) == (7, "叉车司机")
    assert (record.salary_min, record.salary_max, record.salary_unit) == (6000, 8000, "month")
    assert record.headcount == 3 and record.education == "senior_high"
    assert record.experience_years == 2
    assert record.skills == ("叉车", "仓储", "管理") and record.certificates == ("叉车证",)
    assert record.credit_code == CODE and record.external_id == "WH-001"
    assert record.valid_until == date(2026, 12, 31)
    assert record.employment_type == "full_time" and record.extra == {"备注": "包吃"}


def test_a_day_job_with_a_start_time_is_a_gig() -> None:
    record = _read(title="搬运工", pay="200元/天", starts_at="2026-11-22 07:00",
                   ends_at="2026-11-22 17:00")  # fmt: skip
    assert isinstance(record, PostingRecord)
    assert record.employment_type == "gig" and record.salary_unit == "day"
    assert record.starts_at == datetime(2026, 11, 22, 7, tzinfo=CHINA_TIME)
    monthly = _read(title="搬运工", pay="5000元/月", starts_at="2026-11-22 07:00")
    assert isinstance(monthly, PostingRecord) and monthly.employment_type == "full_time"


def test_every_bad_cell_of_a_row_is_reported_not_only_the_first() -> None:
    errors = _read(
        title="", pay="很多", headcount="一些人", credit_code="91420100MA4K123450",
        lat="30.5", valid_until="下个月", employment_type="随便", contact_phone="打电话",
        occupation_code="焊工", starts_at="2026-11-22 18:00", ends_at="2026-11-22 08:00",
    )  # fmt: skip
    assert isinstance(errors, RowErrors) and errors.number == 7
    fields = [e.field for e in errors.errors]
    assert sorted(fields) == sorted(
        ["title", "pay", "headcount", "credit_code", "lat", "valid_until", "employment_type",
         "contact_phone", "occupation_code", "ends_at"]
    )  # fmt: skip
    assert FieldError("title", "the title is empty") in errors.errors


def test_negotiable_pay_and_unknown_headcount_are_not_errors() -> None:
    record = _read(title="销售代表", pay="面议", headcount="若干")
    assert isinstance(record, PostingRecord)
    assert (record.salary_min, record.salary_max, record.headcount) == (None, None, 1)


def test_pay_notes_say_what_was_assumed() -> None:
    record = _read(title="会计", pay="年薪12万")
    assert isinstance(record, PostingRecord)
    assert record.salary_min == 10000 and record.pay_note == "yearly pay divided by 12"
    inferred = _read(title="服务员", pay="4500")
    assert isinstance(inferred, PostingRecord)
    assert inferred.pay_note == "unit inferred from the amount"


def test_a_written_pay_unit_column_overrides_the_guess() -> None:
    record = _read(title="钟点工", pay="30", salary_unit="小时")
    assert isinstance(record, PostingRecord) and record.salary_unit == "hour"
    bad = _read(title="钟点工", pay="30", salary_unit="每季度")
    assert isinstance(bad, RowErrors) and bad.errors[0].field == "salary_unit"


def test_fingerprints_find_the_same_row_again_and_only_it() -> None:
    first = _read(title="保洁员", pay="3500", location="江岸区")
    again = _read(title=" 保洁员", pay="3500元/月", location="江岸区 ")
    other = _read(title="保洁员", pay="3800", location="江岸区")
    assert isinstance(first, PostingRecord) and isinstance(again, PostingRecord)
    assert isinstance(other, PostingRecord)
    assert first.fingerprint("e1") == again.fingerprint("e1")
    assert first.fingerprint("e1") != other.fingerprint("e1")
    assert first.fingerprint("e1") != first.fingerprint("e2")
    assert first.fingerprint("e1").startswith("row:")
