"""Who sees and who changes which posting.

- Everyone sees open postings. Held (pending_review), rejected, filled and closed ones are not
  public: not in lists, search, matches or the partner feed.
- An employer also sees all of its own; staff also see all in their districts or posted
  through their station; admins see everything. Those who see a posting beyond the public also
  see its screening flags and latest review.
- An employer changes its own postings, staff those in their scope, admins any. Only staff in
  scope and admins review held and rejected postings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_, true
from sqlmodel import col

from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.enums import PostingStatus
from service.postings.models import Posting


def visible_clause(caller: Caller) -> Any:
    if caller.role == Role.admin:
        return true()
    return or_(col(Posting.status) == PostingStatus.open, managed_clause(caller))


def managed_clause(caller: Caller) -> Any:
    """The postings the caller manages, as a WHERE clause (``may_manage`` in SQL)."""
    if caller.role == Role.admin:
        return true()
    clauses: list[Any] = []
    if caller.role == Role.employer and caller.employer_id:
        clauses.append(col(Posting.employer_id) == caller.employer_id)
    if caller.role == Role.staff:
        clauses += [col(Posting.adcode).startswith(prefix) for prefix in caller.adcodes]
        if caller.station_id:
            clauses.append(col(Posting.station_id) == caller.station_id)
    return or_(*clauses) if clauses else false()


def may_manage(
    caller: Caller, *, employer_id: str, adcode: str | None, station_id: str | None
) -> bool:
    if caller.role == Role.employer:
        return caller.employer_id == employer_id
    return caller.in_scope(adcode=adcode, station_id=station_id)


def manages(caller: Caller, posting: Posting) -> bool:
    return may_manage(
        caller,
        employer_id=posting.employer_id,
        adcode=posting.adcode,
        station_id=posting.station_id,
    )


def can_see(caller: Caller, posting: Posting) -> bool:
    return posting.status == PostingStatus.open or manages(caller, posting)


def require_manage(caller: Caller, posting: Posting) -> None:
    if not manages(caller, posting):
        raise Forbidden("this posting belongs to another employer or lies outside your districts")
