"""Who is calling. Every route takes the caller from ``get_caller`` (or a role-checking
dependency built on it, in ``service.auth.permissions``).

A bearer token names an account, an ``X-API-Key`` header a machine client; both are looked up
on each request, so a disabled account or a revoked key stops working at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from service.db import SessionDep


class Role(StrEnum):
    anonymous = "anonymous"
    jobseeker = "jobseeker"
    employer = "employer"
    staff = "staff"
    admin = "admin"


@dataclass(frozen=True)
class Caller:
    role: Role
    actor_id: str | None = None  # account id, or api-key id for machine clients
    via: str = "none"  # "token", "api_key" or "none"
    jobseeker_id: str | None = None
    employer_id: str | None = None
    station_id: str | None = None
    adcodes: tuple[str, ...] = ()  # staff scope: district codes or prefixes
    client_ip: str | None = None
    request_id: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.via}:{self.actor_id}" if self.actor_id else str(self.role)

    def in_scope(self, *, adcode: str | None, station_id: str | None = None) -> bool:
        """Staff see what lies in their districts, and what was registered at their station."""
        if self.role == Role.admin:
            return True
        if self.role != Role.staff:
            return False
        if station_id is not None and station_id == self.station_id:
            return True
        return adcode is not None and any(adcode.startswith(p) for p in self.adcodes)

    def sees_personal_data_of(
        self, *, jobseeker_id: str, adcode: str | None, station_id: str | None = None
    ) -> bool:
        """Full ID numbers and phones go only to the person, in-scope staff and admins."""
        if self.role == Role.jobseeker:
            return self.jobseeker_id == jobseeker_id
        return self.in_scope(adcode=adcode, station_id=station_id)


bearer_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)


async def get_caller(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Caller:
    from service.auth.resolve import resolve_caller

    return await resolve_caller(request, session, token=token, api_key=api_key)


CallerDep = Annotated[Caller, Depends(get_caller)]
