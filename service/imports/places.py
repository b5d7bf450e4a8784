"""Where an imported posting is: the flat location cells of many rows placed at once.

Like ``service.locations.resolve_place`` (which places one API request), with the addresses of
a whole batch geocoded in one call. Precision says how much is known: ``point`` (coordinates
were given), ``district`` or ``city`` (only the division: coordinates are its centroid, and
searches treat the posting as imprecise), ``unknown`` (nothing said).
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.address import geocode_many
from ingest.records import FieldError, PostingRecord
from service.enums import LocationPrecision
from service.locations import Place, division_place, nearest_district
from service.reference.data import ReferenceData


def place_records(
    ref: ReferenceData, records: Sequence[PostingRecord], *, default_adcode: str | None = None
) -> list[Place | FieldError]:
    """A place, or the reason there is none, for each record (in order).

    ``default_adcode`` places rows that say nothing about where (a gig station's own jobs)."""
    wanted = [i for i, r in enumerate(records) if r.adcode is None and r.address and r.lat is None]
    found = geocode_many([records[i].address or "" for i in wanted], city_hint=ref.city_name)
    from_address = dict(zip(wanted, found, strict=True))
    out: list[Place | FieldError] = []
    for i, record in enumerate(records):
        code = record.adcode
        if code is not None and code not in ref.regions:
            out.append(FieldError("adcode", f"unknown administrative division code {code}"))
            continue
        if code is None and i in from_address:
            match = from_address[i]
            if match is None or match.adcode not in ref.regions:
                out.append(
                    FieldError("location", f"could not place {record.address!r} in any district")
                )
                continue
            code = match.adcode
        if record.lat is not None and record.lon is not None:
            code = code or nearest_district(ref, record.lat, record.lon)
            out.append(Place(code, record.lat, record.lon, LocationPrecision.point))
        elif code is not None:
            out.append(division_place(ref, code))
        elif default_adcode is not None:
            out.append(division_place(ref, default_adcode))
        else:
            out.append(Place(None, None, None, LocationPrecision.unknown))
    return out
