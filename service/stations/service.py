from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.geo import EARTH_RADIUS_KM
from matching.travel import MINUTES_TOLERANCE, TravelTimeProvider, haversine_many
from service.errors import InvalidInput
from service.locations import resolve_place
from service.persistence import apply_changes, fetch
from service.reference.data import ReferenceData
from service.schemas import patch_changes, require_coordinates
from service.stations import repository
from service.stations.hours import open_at
from service.stations.models import Station
from service.stations.schemas import StationCreate, StationUpdate


async def get_or_404(
    session: AsyncSession, station_id: str, *, field: str | None = None
) -> Station:
    return await fetch(session, Station, station_id, what="station", field=field)


async def create(session: AsyncSession, ref: ReferenceData, data: StationCreate) -> Station:
    place = resolve_place(ref, adcode=data.adcode, address=data.address, lat=data.lat, lon=data.lon)
    if place.adcode is None:
        raise InvalidInput.field("adcode", "a station needs adcode, address or lat/lon")
    values = data.model_dump(exclude={"adcode", "lat", "lon"})
    # A station's own coordinates are kept only when given; a centroid is not a station's place.
    station = Station(**values, adcode=place.adcode, lat=data.lat, lon=data.lon)
    session.add(station)
    await session.flush()
    return station


async def update(
    session: AsyncSession, ref: ReferenceData, station: Station, data: StationUpdate
) -> Station:
    changes = patch_changes(data, not_null={"name", "kind", "adcode", "opening_hours", "services"})
    if {"lat", "lon"} & changes.keys():
        require_coordinates(changes.get("lat", station.lat), changes.get("lon", station.lon))
    if {"adcode", "address", "lat", "lon"} & changes.keys():
        place = resolve_place(
            ref,
            adcode=changes.get("adcode"),
            address=changes.get("address", station.address),
            lat=changes.get("lat", station.lat),
            lon=changes.get("lon", station.lon),
        )
        if place.adcode:
            changes["adcode"] = place.adcode
    return await apply_changes(session, station, changes)


@dataclass(frozen=True)
class Nearby:
    station: Station
    minutes: float
    distance_km: float
    open_now: bool | None


async def nearby(
    session: AsyncSession,
    travel: TravelTimeProvider,
    *,
    lat: float,
    lon: float,
    minutes: float,
    mode: str,
    kind: str | None = None,
    at: datetime,
    limit: int = 20,
) -> list[Nearby]:
    """Stations within ``minutes`` by ``mode`` of a place, nearest first (then by name)."""
    radius = float(np.max(travel.reach_km(mode, np.array([minutes]))))
    dlat = math.degrees(radius / EARTH_RADIUS_KM) + 1e-6
    dlon = dlat / math.cos(math.radians(min(89.0, abs(lat) + dlat)))
    box = (lat - dlat, lon - dlon, lat + dlat, lon + dlon)
    found = await repository.located_in_box(session, box, kind)
    if not found:
        return []
    lats = np.array([s.lat for s in found], dtype=np.float64)
    lons = np.array([s.lon for s in found], dtype=np.float64)
    timed = travel.minutes_from(lat, lon, lats, lons, mode)
    km = haversine_many(lat, lon, lats, lons)
    inside = [i for i in range(len(found)) if timed[i] <= minutes + MINUTES_TOLERANCE]
    inside.sort(key=lambda i: (timed[i], found[i].name, found[i].id))
    return [
        Nearby(found[i], float(timed[i]), float(km[i]), open_at(found[i].opening_hours, at))
        for i in inside[:limit]
    ]
