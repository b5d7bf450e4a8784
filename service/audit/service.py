"""Writing and reading the audit log of personal-data access."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.audit.models import AuditRecord
from service.caller import Caller, Role
from service.errors import InvalidInput

AUDITED_ROLES = {Role.staff, Role.admin}


def record_access(
    session: AsyncSession,
    caller: Caller,
    *,
    action: str,
    entity: str,
    entity_ids: Sequence[str],
    route: str | None = None,
) -> None:
    """One row per record that staff or an admin saw in full (reads, lists, exports)."""
    if caller.role not in AUDITED_ROLES:
        return
    session.add_all(
        AuditRecord(
            actor=caller.actor,
            role=caller.role,
            action=action,
            entity=entity,
            entity_id=entity_id,
            client_ip=caller.client_ip,
            request_id=caller.request_id,
            route=route,
        )
        for entity_id in entity_ids
    )


async def query(
    session: AsyncSession,
    *,
    limit: int,
    before: int | None,
    entity_id: str | None,
    actor: str | None,
    since: datetime | None,
) -> list[AuditRecord]:
    statement = select(AuditRecord)
    if before is not None:
        if before < 1:
            raise InvalidInput.field("before", "must be a positive sequence number", "query")
        statement = statement.where(col(AuditRecord.seq) < before)
    if entity_id:
        statement = statement.where(AuditRecord.entity_id == entity_id)
    if actor:
        statement = statement.where(AuditRecord.actor == actor)
    if since:
        statement = statement.where(col(AuditRecord.at) >= since)
    statement = statement.order_by(col(AuditRecord.seq).desc()).limit(limit)
    return list((await session.exec(statement)).all())
