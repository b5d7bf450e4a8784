"""Writes a change record for every posting and jobseeker change, inside the same flush.

Hooking the session (rather than each service function) means no write path can forget it:
API calls, imports, the demo loader and future workers all go through a session flush.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from service.changelog.models import ChangeRecord
from service.employers.models import Employer
from service.enums import ChangeOp
from service.events.models import EventPosting
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.postings.models import Posting, PostingReservation, PostingSourceRecord

# Employers are logged because their credit status decides whether their postings may show.
_ROOTS: dict[type, str] = {Posting: "posting", Jobseeker: "jobseeker", Employer: "employer"}
# Child rows whose change is a change of their parent: (entity, attribute with the parent id)
_CHILDREN: dict[type, tuple[str, str]] = {
    PostingReservation: ("posting", "posting_id"),
    PostingSourceRecord: ("posting", "posting_id"),
    EventPosting: ("posting", "posting_id"),
    JobseekerGroup: ("jobseeker", "jobseeker_id"),
}


CHANGED = "jobcircle.changed"  # session.info flag: this session appended change records


def wrote_changes(session: Session) -> bool:
    """Whether the session appended change records (which the indexer should apply)."""
    return bool(session.info.get(CHANGED))


def _collect(session: Session) -> dict[tuple[str, str], ChangeOp]:
    changes: dict[tuple[str, str], ChangeOp] = {}

    def note(entity: str, entity_id: str | None, op: ChangeOp) -> None:
        if entity_id is None:
            return
        key = (entity, entity_id)
        # created and deleted win over updated; a later update never downgrades them
        if changes.get(key) in (ChangeOp.created, ChangeOp.deleted):
            return
        changes[key] = op

    for obj in session.new:
        if type(obj) in _ROOTS:
            note(_ROOTS[type(obj)], obj.id, ChangeOp.created)
    for obj in session.deleted:
        if type(obj) in _ROOTS:
            note(_ROOTS[type(obj)], obj.id, ChangeOp.deleted)
    for obj in [*session.new, *session.dirty, *session.deleted]:
        child = _CHILDREN.get(type(obj))
        if child is not None:
            note(child[0], getattr(obj, child[1]), ChangeOp.updated)
    for obj in session.dirty:
        if type(obj) in _ROOTS and session.is_modified(obj, include_collections=False):
            op = ChangeOp.deleted if _soft_deleted_now(obj) else ChangeOp.updated
            if op == ChangeOp.deleted:
                changes.pop((_ROOTS[type(obj)], obj.id), None)
            note(_ROOTS[type(obj)], obj.id, op)
    return changes


def _soft_deleted_now(obj: object) -> bool:
    """A row whose ``deleted_at`` is set in this flush is gone for every reader."""
    if not hasattr(obj, "deleted_at"):
        return False
    history = inspect(obj).attrs.deleted_at.history
    return bool(history.added) and history.added[0] is not None


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    for (entity, entity_id), op in _collect(session).items():
        session.add(ChangeRecord(entity=entity, entity_id=entity_id, op=op))
        session.info[CHANGED] = True


def install() -> None:
    """Register the listener once for every ORM session in the process."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
