"""Turns the flat location fields of a request (adcode, address, lat, lon) into a place."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.address import geocode
from matching.geo import haversine_km
from service.enums import LocationPrecision
from service.errors import InvalidInput
from service.reference.data import ReferenceData


@dataclass(frozen=True)
class Place:
    adcode: str | None
    lat: float | None
    lon: float | None
    precision: LocationPrecision


def nearest_district(ref: ReferenceData, lat: float, lon: float) -> str | None:
    """District whose centroid is nearest: an estimate used only when no adcode was given."""
    candidates = [r for r in ref.regions.all() if r.level == "district" and r.lat is not None]
    if ref.city_adcode:
        local = [r for r in candidates if r.adcode.startswith(ref.city_adcode[:4])]
        candidates = local or candidates
    best = min(candidates, key=lambda r: haversine_km(lat, lon, r.lat, r.lon), default=None)  # type: ignore[arg-type]
    return best.adcode if best else None


def require_known_adcode(ref: ReferenceData, adcode: str, field: str = "adcode") -> None:
    if adcode not in ref.regions:
        raise InvalidInput.field(field, f"unknown administrative division code {adcode}")


def resolve_place(
    ref: ReferenceData,
    *,
    adcode: str | None,
    address: str | None,
    lat: float | None,
    lon: float | None,
) -> Place:
    if adcode is not None:
        require_known_adcode(ref, adcode)
    if lat is not None and lon is not None:
        code = adcode or (_address_code(ref, address) if address else None)
        return Place(code or nearest_district(ref, lat, lon), lat, lon, LocationPrecision.point)
    code = adcode or (_address_code(ref, address) if address else None)
    if code is None:
        if address:
            raise InvalidInput.field(
                "address", "could not place this address in any district; give adcode or lat/lon"
            )
        return Place(None, None, None, LocationPrecision.unknown)
    return division_place(ref, code)


def division_place(ref: ReferenceData, code: str) -> Place:
    """A division known only by its code: its centroid, district or city precision."""
    region = ref.regions.get(code)
    precision = (
        LocationPrecision.district
        if region and region.level == "district"
        else LocationPrecision.city
    )
    if region is None or region.lat is None:
        return Place(code, None, None, precision)
    return Place(code, region.lat, region.lon, precision)


def _address_code(ref: ReferenceData, address: str) -> str | None:
    match = geocode(address, city_hint=ref.city_name)
    if match is None or match.adcode not in ref.regions:
        return None
    return match.adcode
