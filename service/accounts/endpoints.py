from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from service.accounts import service
from service.accounts.models import Account
from service.accounts.schemas import (
    AccountCreate,
    AccountPublic,
    AccountUpdate,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    AuditRecordPublic,
    Me,
    RegistrationResult,
    SelfRegistration,
    Token,
)
from service.audit import service as audit
from service.auth.permissions import AdminOnly, Authenticated
from service.auth.tokens import issue_token
from service.caller import Caller, CallerDep, Role
from service.constants import API_PREFIX
from service.crypto import cipher_for
from service.db import SessionDep
from service.errors import problem_responses
from service.jobseekers.service import to_public as jobseeker_public
from service.pagination import Page, PageParams, page_params
from service.persistence import fetch
from service.reference.data import ReferenceDep

auth_router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])
admin_router = APIRouter(prefix=API_PREFIX, tags=["administration"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _token(request: Request, account: Account) -> Token:
    settings = request.app.state.settings
    token, expires_in = issue_token(
        settings.secret_key,
        account_id=account.id,
        role=account.role,
        minutes=settings.access_token_minutes,
    )
    return Token(access_token=token, expires_in=expires_in, role=Role(account.role))


@auth_router.post("/token", response_model=Token, responses=problem_responses(401, 422, 429))
async def log_in(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    caller: CallerDep,
) -> Token:
    """OAuth2 password flow: a short-lived bearer token. When it expires, log in again."""
    account = await service.authenticate(
        session,
        request.app.state.limits,
        username=form.username.strip(),
        password=form.password,
        client=_client(request),
    )
    return _token(request, account)


@auth_router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=RegistrationResult,
    responses=problem_responses(409, 422, 429),
)
async def register_jobseeker(
    request: Request,
    body: SelfRegistration,
    session: SessionDep,
    ref: ReferenceDep,
    caller: CallerDep,
) -> RegistrationResult:
    """A jobseeker registers themselves; the phone number is the username."""
    cipher = cipher_for(request.app.state.settings.secret_key)
    jobseeker, account = await service.register_self(
        session, ref, cipher, request.app.state.limits, body, client=_client(request)
    )
    # the response goes to the person who just registered: their own data, unmasked
    public = jobseeker_public(
        jobseeker,
        caller=Caller(role=Role.jobseeker, jobseeker_id=jobseeker.id),
        ref=ref,
        cipher=cipher,
    )
    return RegistrationResult(jobseeker=public, token=_token(request, account))


@auth_router.get("/me", response_model=Me, responses=problem_responses(401))
async def read_me(caller: Authenticated) -> Me:
    """Who the token or API key belongs to, and what it may see."""
    return Me(
        role=caller.role,
        via=caller.via,
        actor_id=caller.actor_id,
        jobseeker_id=caller.jobseeker_id,
        employer_id=caller.employer_id,
        station_id=caller.station_id,
        scope_adcodes=list(caller.adcodes),
    )


@admin_router.post(
    "/accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountPublic,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_account(body: AccountCreate, session: SessionDep, caller: AdminOnly) -> Account:
    """Create an account for staff, an employer, an admin or a registered jobseeker."""
    return await service.create_account(session, body)


@admin_router.get(
    "/accounts", response_model=Page[AccountPublic], responses=problem_responses(401, 403, 422)
)
async def list_accounts(
    session: SessionDep,
    caller: AdminOnly,
    page: Annotated[PageParams, Depends(page_params)],
    role: Role | None = None,
) -> Page[AccountPublic]:
    """List accounts."""
    rows, cursor = await service.list_accounts(session, page, role=role)
    return Page(items=[AccountPublic.model_validate(a) for a in rows], next_cursor=cursor)


@admin_router.get(
    "/accounts/{account_id}",
    response_model=AccountPublic,
    responses=problem_responses(401, 403, 404),
)
async def read_account(account_id: str, session: SessionDep, caller: AdminOnly) -> Account:
    """One account."""
    return await fetch(session, Account, account_id, what="account")


@admin_router.patch(
    "/accounts/{account_id}",
    response_model=AccountPublic,
    responses=problem_responses(401, 403, 404, 422),
)
async def update_account(
    account_id: str, body: AccountUpdate, session: SessionDep, caller: AdminOnly
) -> Account:
    """Reset a password, disable an account, change a staff member's station or districts."""
    account = await fetch(session, Account, account_id, what="account")
    return await service.update_account(session, account, body)


@admin_router.post(
    "/api-keys",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problem_responses(401, 403, 422),
)
async def create_api_key(
    request: Request, body: ApiKeyCreate, session: SessionDep, caller: AdminOnly
) -> ApiKeyCreated:
    """Issue an API key bound to an employer or a station. The key is shown only once."""
    row, key = await service.create_api_key(
        session, request.app.state.settings.secret_key, body, caller=caller
    )
    public = ApiKeyPublic.model_validate(row)
    return ApiKeyCreated(**public.model_dump(), key=key)


@admin_router.get(
    "/api-keys", response_model=Page[ApiKeyPublic], responses=problem_responses(401, 403, 422)
)
async def list_api_keys(
    session: SessionDep, caller: AdminOnly, page: Annotated[PageParams, Depends(page_params)]
) -> Page[ApiKeyPublic]:
    """List API keys (never the keys themselves)."""
    rows, cursor = await service.list_api_keys(session, page)
    return Page(items=[ApiKeyPublic.model_validate(k) for k in rows], next_cursor=cursor)


@admin_router.delete(
    "/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def revoke_api_key(key_id: str, session: SessionDep, caller: AdminOnly) -> Response:
    """Revoke an API key; it stops working at once."""
    await service.revoke_api_key(session, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@admin_router.get(
    "/audit-log",
    response_model=list[AuditRecordPublic],
    responses=problem_responses(401, 403, 422),
)
async def read_audit_log(
    session: SessionDep,
    caller: AdminOnly,
    entity_id: Annotated[
        str | None, Query(max_length=32, description="e.g. a jobseeker id")
    ] = None,
    actor: Annotated[str | None, Query(max_length=64, examples=["token:01a1fd..."])] = None,
    since: datetime | None = None,
    before: Annotated[int | None, Query(description="Only records older than this seq")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditRecordPublic]:
    """Who read or exported personal data, newest first. Page with `before` = last `seq`."""
    rows = await audit.query(
        session, limit=limit, before=before, entity_id=entity_id, actor=actor, since=since
    )
    return [AuditRecordPublic.model_validate(r) for r in rows]
