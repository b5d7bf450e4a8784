"""The configured travel-time provider, built once per process from the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from matching.travel import TravelTimeProvider
from matching.travel_table import build_travel
from service.config import Settings


def travel_from(settings: Settings) -> TravelTimeProvider:
    """``JOBCIRCLE_TRAVEL_*``: the estimate with any changed speeds, or a routing table over it.
    A bad setting or table file raises ``ValueError`` naming it."""
    return build_travel(
        settings.travel_provider.value,
        table=settings.travel_table,
        speeds=settings.travel_speeds,
        detours=settings.travel_detours,
        fixed_minutes=settings.travel_fixed_minutes,
    )


def get_travel(request: Request) -> TravelTimeProvider:
    state = request.app.state
    provider = getattr(state, "travel", None)
    if provider is None:  # the first request that needs it reads the table file
        provider = state.travel = travel_from(state.settings)
    return provider


TravelDep = Annotated[TravelTimeProvider, Depends(get_travel)]
