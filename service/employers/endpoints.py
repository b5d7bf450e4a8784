from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, status

from service import examples
from service.auth.permissions import EmployerStaffAdmin, StaffOrAdmin
from service.caller import CallerDep
from service.constants import API_PREFIX
from service.db import SessionDep
from service.employers import repository, service
from service.employers.schemas import EmployerCreate, EmployerPublic, EmployerUpdate
from service.enums import CreditStatus
from service.errors import problem_responses
from service.pagination import Page, PageParams, page_params
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/employers", tags=["employers"])
EmployerBody = Annotated[
    EmployerCreate,
    Body(
        openapi_examples={
            "employer": examples.EMPLOYER,
        }
    ),
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EmployerPublic,
    responses=problem_responses(409, 422),
)
async def create_employer(
    body: EmployerBody,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
) -> EmployerPublic:
    """Register an employer (用人单位)."""
    employer = await service.create(session, ref, body, caller=caller)
    return EmployerPublic.model_validate(employer)


@router.get("", response_model=Page[EmployerPublic], responses=problem_responses(422))
async def list_employers(
    session: SessionDep,
    caller: CallerDep,
    page: Annotated[PageParams, Depends(page_params)],
    credit_status: CreditStatus | None = None,
    adcode: Annotated[str | None, Query(pattern=r"^\d{2,6}$", description="Adcode prefix")] = None,
    q: Annotated[str | None, Query(max_length=50, description="Part of the name")] = None,
) -> Page[EmployerPublic]:
    """List employers, newest first."""
    rows, cursor = await repository.list_page(
        session, page, credit_status=credit_status, adcode=adcode, q=q
    )
    return Page(items=[EmployerPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{employer_id}", response_model=EmployerPublic, responses=problem_responses(404))
async def read_employer(employer_id: str, session: SessionDep, caller: CallerDep) -> EmployerPublic:
    """One employer."""
    return EmployerPublic.model_validate(await service.get_or_404(session, employer_id))


@router.patch(
    "/{employer_id}", response_model=EmployerPublic, responses=problem_responses(404, 409, 422)
)
async def update_employer(
    employer_id: str,
    body: EmployerUpdate,
    session: SessionDep,
    ref: ReferenceDep,
    caller: EmployerStaffAdmin,
) -> EmployerPublic:
    """Change an employer's details or credit status."""
    employer = await service.get_or_404(session, employer_id)
    updated = await service.update(session, ref, employer, body, caller=caller)
    return EmployerPublic.model_validate(updated)
