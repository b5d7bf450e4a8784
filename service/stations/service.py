from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from service.errors import InvalidInput
from service.locations import resolve_place
from service.persistence import apply_changes, fetch
from service.reference.data import ReferenceData
from service.schemas import patch_changes, require_coordinates
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
