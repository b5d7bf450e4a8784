from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query

from matching.typeahead import suggest
from service.caller import CallerDep
from service.constants import API_PREFIX
from service.errors import NotFound, problem_responses
from service.reference.data import ReferenceDep
from service.reference.schemas import (
    OccupationMatchPublic,
    OccupationPublic,
    PriorityGroupsPublic,
    RegionPublic,
)

router = APIRouter(prefix=API_PREFIX, tags=["reference"])
CODE_LIKE = re.compile(r"[0-9][0-9-]*")


def _occupation(o) -> OccupationPublic:  # type: ignore[no-untyped-def]
    return OccupationPublic(
        code=o.code,
        name=o.name,
        level=o.level,
        parent=o.parent,
        aliases=list(o.aliases),
        definition=o.definition or None,
    )


def _region(r) -> RegionPublic:  # type: ignore[no-untyped-def]
    return RegionPublic(
        adcode=r.adcode,
        name=r.name,
        full_name=r.full_name,
        level=r.level,
        parent=r.parent,
        lat=r.lat,
        lon=r.lon,
    )


@router.get("/occupations", response_model=list[OccupationPublic], responses=problem_responses(422))
async def search_occupations(
    ref: ReferenceDep,
    caller: CallerDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=50,
            description="Code, code prefix, name or alias",
            examples=["焊工"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[OccupationPublic]:
    """Search CSCO-2022 (职业分类大典) as you type: code, name or alias prefix, pinyin."""
    if CODE_LIKE.fullmatch(q.strip()):
        found = ref.taxonomy.search(q, limit=limit)
    else:
        found = suggest(ref.taxonomy, q, limit=limit)
    return [_occupation(o) for o in found]


@router.get(
    "/occupations/normalize",
    response_model=list[OccupationMatchPublic],
    responses=problem_responses(422),
)
async def normalize_occupation(
    ref: ReferenceDep,
    caller: CallerDep,
    title: Annotated[
        str,
        Query(
            min_length=1,
            max_length=100,
            description="A raw job title as platforms write it",
            examples=["解记面馆招聘洗碗工"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[OccupationMatchPublic]:
    """The CSCO-2022 codes a raw job title most likely stands for, best first, with scores."""
    return [
        OccupationMatchPublic(code=m.code, name=m.name, level=m.level, score=round(m.score, 4))
        for m in ref.normalizer.normalize(title, limit=limit)
    ]


@router.get(
    "/occupations/{code}", response_model=OccupationPublic, responses=problem_responses(404)
)
async def read_occupation(code: str, ref: ReferenceDep, caller: CallerDep) -> OccupationPublic:
    """One occupation or occupation group by its code."""
    occupation = ref.taxonomy.get(code)
    if occupation is None:
        raise NotFound(f"no CSCO-2022 occupation has code {code}")
    return _occupation(occupation)


@router.get("/regions", response_model=list[RegionPublic], responses=problem_responses(422))
async def search_regions(
    ref: ReferenceDep,
    caller: CallerDep,
    q: Annotated[
        str | None, Query(max_length=50, description="Name or adcode prefix", examples=["江岸"])
    ] = None,
    parent: Annotated[
        str | None, Query(pattern=r"^\d{6}$", description="Only the children of this division")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[RegionPublic]:
    """Administrative divisions (GB/T 2260) with centroids."""
    if q:
        found = ref.regions.search(q, parent=parent, limit=limit)
    elif parent:
        found = ref.regions.children(parent)[:limit]
    else:
        found = ref.regions.children(ref.city_adcode)[:limit] if ref.city_adcode else []
    return [_region(r) for r in found]


@router.get("/regions/{adcode}", response_model=RegionPublic, responses=problem_responses(404))
async def read_region(adcode: str, ref: ReferenceDep, caller: CallerDep) -> RegionPublic:
    """One administrative division."""
    region = ref.regions.get(adcode)
    if region is None:
        raise NotFound(f"no administrative division has code {adcode}")
    return _region(region)


@router.get("/priority-groups", response_model=PriorityGroupsPublic)
async def read_priority_policy(ref: ReferenceDep, caller: CallerDep) -> PriorityGroupsPublic:
    """Priority groups in their configured order, promises and reserved-post rules."""
    return PriorityGroupsPublic.model_validate(ref.policy.model_dump(mode="json"))
