"""A full build reads rows its own (faster) way: it must make the same documents as the
refresh of a single row does."""

from __future__ import annotations

import dataclasses

import httpx
from fastapi import FastAPI

from tests.factories import API, create_event, create_jobseeker, create_posting


def _without_vector(doc):  # type: ignore[no-untyped-def]
    return dataclasses.replace(doc, vector=None)


async def test_build_and_refresh_make_the_same_documents(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    welfare = await create_posting(
        client, title="社区公益性岗位保洁", employment_type="public_welfare", occupation_code=None
    )
    named = await create_posting(
        client,
        title="退役军人专岗安保员",
        reserved_for=["veteran"],
        requirements={"skills": ["消防"], "certificates": ["保安员证"], "education": "senior_high"},
    )
    fair = await create_event(client, target_groups=["veteran"])
    linked = await create_posting(client, title="叉车司机", occupation_code="4-02-03-03")
    response = await client.post(
        f"{API}/events/{fair['id']}/postings",
        json={"postings": [{"posting_id": linked["id"], "booth": "A-01"}]},
    )
    assert response.status_code in (200, 201), response.text
    person = await create_jobseeker(
        client,
        lat=30.6,
        lon=114.3,
        skills=["叉车"],
        priority_groups=[{"group": "veteran", "certified_at": "2026-01-05"}],
        availability={"available_from": "2026-12-01", "weekdays": [1, 2]},
    )
    posting_ids = [welfare["id"], named["id"], linked["id"]]

    indexer = app.state.search.indexer
    index = indexer.index
    await indexer.build()
    built_postings = await index.get_postings(posting_ids)
    [built_person] = await index.get_jobseekers([person["id"]])
    async with app.state.sessionmaker() as session:
        await indexer.refresh_postings(session, posting_ids)
        await indexer.refresh_people(session, [person["id"]])
    refreshed_postings = await index.get_postings(posting_ids)
    [refreshed_person] = await index.get_jobseekers([person["id"]])

    assert [_without_vector(d) for d in built_postings] == [
        _without_vector(d) for d in refreshed_postings
    ]
    assert _without_vector(built_person) == _without_vector(refreshed_person)
    # and they carry what the rules need
    assert built_postings[0].reserved_for == ("employment_difficulty",)
    assert "veteran" in built_postings[1].reserved_for
    assert built_postings[1].certificates == ("保安员证",)
    assert built_postings[2].event_ids == (fair["id"],)
    assert built_person.group_codes == ("veteran",)
    assert built_person.available_weekdays == (1, 2)
