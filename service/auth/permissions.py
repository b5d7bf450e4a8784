"""Role-checking dependencies. A route names who may call it in its signature:

    caller: StaffOrAdmin        # 401 for anonymous callers, 403 for other roles

Record-level scope (own record, staff districts) is checked by the services with the
``Caller`` these return.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends

from service.auth.errors import Forbidden, Unauthorized
from service.caller import Caller, CallerDep, Role


def allow(*roles: Role) -> Callable[[Caller], Awaitable[Caller]]:
    allowed = frozenset(roles)

    async def check(caller: CallerDep) -> Caller:
        if caller.role in allowed:
            return caller
        if caller.role == Role.anonymous:
            raise Unauthorized()
        names = ", ".join(sorted(r.value for r in allowed))
        raise Forbidden(f"this needs one of the roles: {names}")

    check.allowed_roles = allowed  # type: ignore[attr-defined]  (read by document_auth)
    return check


Authenticated = Annotated[
    Caller, Depends(allow(Role.jobseeker, Role.employer, Role.staff, Role.admin))
]
AdminOnly = Annotated[Caller, Depends(allow(Role.admin))]
StaffOrAdmin = Annotated[Caller, Depends(allow(Role.staff, Role.admin))]
EmployerStaffAdmin = Annotated[Caller, Depends(allow(Role.employer, Role.staff, Role.admin))]
JobseekerStaffAdmin = Annotated[Caller, Depends(allow(Role.jobseeker, Role.staff, Role.admin))]


def forbid_unless(condition: bool, detail: str) -> None:
    if not condition:
        raise Forbidden(detail)
