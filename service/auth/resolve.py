"""Bearer token or API key → Caller."""

from __future__ import annotations

from fastapi import Request
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.accounts.models import Account, ApiKey
from service.auth.apikeys import key_matches, split_key
from service.auth.errors import Unauthorized
from service.auth.tokens import read_token
from service.caller import Caller, Role
from service.observability import REQUEST_ID_HEADER
from service.sqltypes import utcnow
from service.stations.models import Station


def _context(request: Request) -> dict[str, str | None]:
    return {
        "client_ip": request.client.host if request.client else None,
        "request_id": request.headers.get(REQUEST_ID_HEADER),
    }


async def _staff_scope(
    session: AsyncSession, station_id: str | None, extra: list[str]
) -> tuple[str, ...]:
    scope = list(extra)
    if station_id:
        station = await session.get(Station, station_id)
        if station is not None and station.adcode not in scope:
            scope.append(station.adcode)
    return tuple(scope)


async def _from_token(request: Request, session: AsyncSession, token: str) -> Caller:
    claims = read_token(request.app.state.settings.secret_key, token)
    if claims is None:
        raise Unauthorized("the bearer token is invalid or has expired; log in again")
    account = await session.get(Account, claims["sub"])
    if account is None or not account.is_active:
        raise Unauthorized("this account no longer exists or has been disabled")
    role = Role(account.role)
    scope = (
        await _staff_scope(session, account.station_id, account.scope_adcodes)
        if role == Role.staff
        else ()
    )
    return Caller(
        role=role,
        actor_id=account.id,
        via="token",
        jobseeker_id=account.jobseeker_id,
        employer_id=account.employer_id,
        station_id=account.station_id,
        adcodes=scope,
        **_context(request),
    )


async def _from_api_key(request: Request, session: AsyncSession, key: str) -> Caller:
    prefix = split_key(key)
    row = None
    if prefix is not None:
        row = (await session.exec(select(ApiKey).where(ApiKey.prefix == prefix))).first()
    secret = request.app.state.settings.secret_key
    if row is None or row.revoked_at is not None or not key_matches(secret, key, row.key_hash):
        raise Unauthorized("the API key is unknown or has been revoked")
    row.last_used_at = utcnow()
    session.add(row)
    role = Role(row.role)
    scope = await _staff_scope(session, row.station_id, []) if role == Role.staff else ()
    return Caller(
        role=role,
        actor_id=row.id,
        via="api_key",
        employer_id=row.employer_id,
        station_id=row.station_id,
        adcodes=scope,
        **_context(request),
    )


async def resolve_caller(
    request: Request, session: AsyncSession, *, token: str | None, api_key: str | None
) -> Caller:
    if token:
        return await _from_token(request, session, token)
    if api_key:
        return await _from_api_key(request, session, api_key)
    return Caller(role=Role.anonymous, **_context(request))
