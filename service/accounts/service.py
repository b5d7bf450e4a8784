"""Accounts, logins, self-registration, API keys and the first admin."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.accounts.models import Account, ApiKey
from service.accounts.schemas import AccountCreate, AccountUpdate, ApiKeyCreate, SelfRegistration
from service.auth.apikeys import hash_key, new_api_key
from service.auth.errors import TooManyRequests, Unauthorized
from service.auth.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from service.auth.ratelimit import Limits
from service.caller import Caller, Role
from service.crypto import PersonalDataCipher
from service.employers.models import Employer
from service.errors import Conflict
from service.jobseekers import service as jobseekers
from service.jobseekers.models import Jobseeker
from service.jobseekers.schemas import JobseekerCreate
from service.pagination import PageParams, apply_cursor, split_page
from service.persistence import apply_changes, fetch
from service.reference.data import ReferenceData
from service.schemas import patch_changes
from service.sqltypes import utcnow
from service.stations.models import Station


async def by_username(session: AsyncSession, username: str) -> Account | None:
    return (await session.exec(select(Account).where(Account.username == username))).first()


async def authenticate(
    session: AsyncSession, limits: Limits, *, username: str, password: str, client: str
) -> Account:
    wait = limits.token_per_client.hit(client)
    if wait:
        raise TooManyRequests("too many login attempts from this address", retry_after=wait)
    wait = limits.login_backoff.wait_seconds(username)
    if wait:
        raise TooManyRequests("too many failed logins for this username", retry_after=wait)
    account = await by_username(session, username)
    # verify against a dummy hash for unknown users: same cost, so timing tells nothing
    valid = verify_password(account.password_hash if account else DUMMY_HASH, password)
    if account is None or not valid or not account.is_active:
        limits.login_backoff.failed(username)
        raise Unauthorized("wrong username or password, or the account is disabled")
    limits.login_backoff.succeeded(username)
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.last_login_at = utcnow()
    session.add(account)
    return account


async def _check_unique_username(session: AsyncSession, username: str) -> None:
    if await by_username(session, username) is not None:
        raise Conflict(f"the username {username} is taken")


async def register_self(
    session: AsyncSession,
    ref: ReferenceData,
    cipher: PersonalDataCipher,
    limits: Limits,
    data: SelfRegistration,
    *,
    client: str,
) -> tuple[Jobseeker, Account]:
    wait = limits.registration_per_client.hit(client)
    if wait:
        raise TooManyRequests("too many registrations from this address", retry_after=wait)
    await _check_unique_username(session, data.phone)
    # a self-registered person belongs to no station until staff take the case
    profile = JobseekerCreate.model_validate(
        data.model_dump(exclude={"password", "station_id"}, exclude_unset=True)
    )
    jobseeker = await jobseekers.create(session, ref, cipher, profile)
    account = Account(
        username=data.phone,
        password_hash=hash_password(data.password),
        role=Role.jobseeker,
        display_name=data.name,
        jobseeker_id=jobseeker.id,
    )
    session.add(account)
    await session.flush()
    return jobseeker, account


async def _check_bindings(session: AsyncSession, data: AccountCreate | AccountUpdate) -> None:
    bindings = (
        ("jobseeker_id", Jobseeker, "jobseeker"),
        ("employer_id", Employer, "employer"),
        ("station_id", Station, "station"),
    )
    for field, model, what in bindings:
        key = getattr(data, field, None)
        if key:
            await fetch(session, model, key, what=what, field=field)


async def create_account(session: AsyncSession, data: AccountCreate) -> Account:
    await _check_unique_username(session, data.username)
    await _check_bindings(session, data)
    values = data.model_dump(exclude={"password"})
    account = Account(**values, password_hash=hash_password(data.password))
    session.add(account)
    await session.flush()
    return account


async def update_account(session: AsyncSession, account: Account, data: AccountUpdate) -> Account:
    changes = patch_changes(data, not_null={"is_active", "scope_adcodes", "password"})
    await _check_bindings(session, data)
    if "password" in changes:
        changes["password_hash"] = hash_password(changes.pop("password"))
    return await apply_changes(session, account, changes)


async def list_accounts(
    session: AsyncSession, params: PageParams, *, role: str | None
) -> tuple[list[Account], str | None]:
    statement = select(Account)
    if role:
        statement = statement.where(Account.role == role)
    rows = (await session.exec(apply_cursor(statement, col(Account.id), params))).all()
    return split_page(rows, params, key=lambda a: a.id)


async def ensure_first_admin(session: AsyncSession, username: str, password: str) -> bool:
    """Create the admin if no admin exists yet. True when one was created."""
    existing = await session.exec(select(Account).where(Account.role == Role.admin).limit(1))
    if existing.first() is not None:
        return False
    await _check_unique_username(session, username)
    session.add(Account(username=username, password_hash=hash_password(password), role=Role.admin))
    await session.flush()
    return True


async def create_api_key(
    session: AsyncSession, secret_key: str, data: ApiKeyCreate, *, caller: Caller
) -> tuple[ApiKey, str]:
    if data.employer_id:
        await fetch(session, Employer, data.employer_id, what="employer", field="employer_id")
    if data.station_id:
        await fetch(session, Station, data.station_id, what="station", field="station_id")
    key, prefix = new_api_key()
    row = ApiKey(
        name=data.name,
        prefix=prefix,
        key_hash=hash_key(secret_key, key),
        role=Role.employer if data.employer_id else Role.staff,
        employer_id=data.employer_id,
        station_id=data.station_id,
        created_by=caller.actor_id,
    )
    session.add(row)
    await session.flush()
    return row, key


async def revoke_api_key(session: AsyncSession, key_id: str) -> ApiKey:
    row = await fetch(session, ApiKey, key_id, what="API key")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        await session.flush()
    return row


async def list_api_keys(
    session: AsyncSession, params: PageParams
) -> tuple[list[ApiKey], str | None]:
    rows = (await session.exec(apply_cursor(select(ApiKey), col(ApiKey.id), params))).all()
    return split_page(rows, params, key=lambda k: k.id)
