"""The posting rules (``ingest.screening``) applied to what the service is about to store.

One function for every channel — the API, file imports, fair and station feeds — so a
posting is judged the same wherever it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.screening import PostingFacts, screen_posting
from service.employers.models import Employer


def screening_flags(
    values: Mapping[str, Any],
    employer: Employer,
    *,
    extra_texts: tuple[str, ...] = (),
    relayed: bool = False,
) -> list[dict[str, str]]:
    """The flags of a posting given by its stored values (title, description, pay,
    requirements, contact...). ``extra_texts`` are other words the sender wrote (columns the
    service does not keep); ``relayed`` says applicants can reach the employer without a phone
    number: a fair or station relays the posting, or an employer's account posted it."""
    requirements = values.get("requirements") or {}
    texts = [
        *(requirements.get("skills") or ()),
        *(requirements.get("certificates") or ()),
        *extra_texts,
    ]
    facts = PostingFacts(
        title=values["title"],
        description=values.get("description"),
        requirements=tuple(texts),
        employment_type=values.get("employment_type") or "full_time",
        salary_min=values.get("salary_min"),
        salary_max=values.get("salary_max"),
        salary_unit=values.get("salary_unit"),
        occupation_code=values.get("occupation_code"),
        contact_phone=values.get("contact_phone") or employer.contact_phone,
        has_other_contact=relayed,
        employer_name=employer.name,
        credit_code=employer.credit_code,
        employer_credit_status=employer.credit_status,
    )
    return [flag.as_dict() for flag in screen_posting(facts)]
