"""Reference tables loaded once per process: occupations, regions, the priority policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from matching.normalize import OccupationNormalizer, load_normalizer
from matching.policy import PriorityPolicy, load_policy
from matching.regions import RegionTable, load_regions
from matching.taxonomy import Taxonomy, load_taxonomy
from service.config import Settings
from service.errors import InvalidInput


@dataclass(frozen=True)
class ReferenceData:
    taxonomy: Taxonomy
    regions: RegionTable
    policy: PriorityPolicy
    city_adcode: str | None
    normalizer: OccupationNormalizer

    @property
    def city_name(self) -> str | None:
        region = self.regions.get(self.city_adcode) if self.city_adcode else None
        return region.name if region else None


def load_reference(settings: Settings) -> ReferenceData:
    return ReferenceData(
        taxonomy=load_taxonomy(),
        regions=load_regions(),
        policy=load_policy(settings.policy_file),
        city_adcode=settings.city_adcode,
        normalizer=load_normalizer(),
    )


# Below this score the normaliser's best guess is not trusted to stand for the title.
DERIVATION_MIN_SCORE = 0.3


def derive_occupation(ref: ReferenceData, title: str) -> str | None:
    """The CSCO-2022 code a free-text title stands for, when the normaliser is confident."""
    best = ref.normalizer.normalize(title, limit=1)
    if not best or best[0].score < DERIVATION_MIN_SCORE:
        return None
    return best[0].code


def derive_occupations(ref: ReferenceData, titles: Sequence[str]) -> list[str | None]:
    """:func:`derive_occupation` for many titles at once (an import's batch)."""
    found = ref.normalizer.normalize_many(titles, limit=1)
    return [
        best[0].code if best and best[0].score >= DERIVATION_MIN_SCORE else None for best in found
    ]


def require_known_groups(
    ref: ReferenceData, groups: Sequence[str], field: str, *, item: str = ""
) -> None:
    """Every code must be a priority group of the policy file; the error names the entry
    (``reserved_for.1``, ``priority_groups.0.group``)."""
    known = set(ref.policy.group_codes)
    for index, group in enumerate(groups):
        if group not in known:
            raise InvalidInput.field(f"{field}.{index}{item}", f"unknown priority group {group}")


def get_reference(request: Request) -> ReferenceData:
    return request.app.state.reference


ReferenceDep = Annotated[ReferenceData, Depends(get_reference)]
