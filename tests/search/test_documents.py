"""Rows → documents: what the ranker sees of a person."""

from __future__ import annotations

from datetime import date

from service.jobseekers.models import Jobseeker
from service.search.documents import jobseeker_doc


def _person(availability: dict[str, object]) -> Jobseeker:
    return Jobseeker(id="p1", name="王芳", adcode="420102", availability=availability)


def test_the_date_a_person_is_available_from_reaches_the_ranker() -> None:
    doc = jobseeker_doc(
        _person({"available_from": "2026-12-01", "weekdays": [6, 7], "day_parts": ["morning"]}),
        None,
        str.split,
    )
    assert doc.available_from == date(2026, 12, 1)
    assert doc.available_weekdays == (6, 7)
    assert doc.available_day_parts == ("morning",)


def test_no_or_unreadable_availability_date_means_no_limit() -> None:
    assert jobseeker_doc(_person({}), None, str.split).available_from is None
    unreadable = _person({"available_from": "soon"})
    assert jobseeker_doc(unreadable, None, str.split).available_from is None
