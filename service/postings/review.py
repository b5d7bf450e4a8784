"""Staff review of postings that screening held (pending_review) or rejected.

A release opens the posting, a rejection keeps it unpublished with the reviewer's reason.
Each decision is kept on the posting (``posting_reviews``) and written to the audit log. An
employer barred by its credit (C grade, wage-arrears list) is never released: the law, not a
reviewer, keeps its postings off.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from service.audit import service as audit
from service.caller import Caller
from service.employers import service as employers
from service.enums import CreditStatus, PostingStatus, ReviewDecision
from service.errors import Conflict
from service.pagination import PageParams
from service.postings import access, repository
from service.postings.models import Posting, PostingReview
from service.postings.schemas import PostingReviewCreate
from service.postings.service import BANNED_CREDIT, CREDIT_MESSAGES
from service.sqltypes import utcnow

REVIEWABLE = frozenset({PostingStatus.pending_review, PostingStatus.rejected})
OUTCOME = {
    ReviewDecision.release: PostingStatus.open,
    ReviewDecision.reject: PostingStatus.rejected,
}


async def review(
    session: AsyncSession,
    posting: Posting,
    data: PostingReviewCreate,
    *,
    caller: Caller,
    route: str | None = None,
) -> Posting:
    """Record a decision on a held or rejected posting and apply it."""
    access.require_manage(caller, posting)
    if posting.status not in REVIEWABLE:
        raise Conflict(
            f"only postings held for review or rejected are reviewed; this one is {posting.status}"
        )
    if data.decision == ReviewDecision.release:
        await _require_employer_may_post(session, posting)
    now = utcnow()
    session.add(
        PostingReview(
            posting_id=posting.id,
            decision=data.decision,
            note=data.note,
            from_status=posting.status,
            reviewer=caller.actor,
            reviewer_role=caller.role,
            reviewed_at=now,
        )
    )
    posting.status = OUTCOME[data.decision]
    posting.updated_at = now  # the same instant as the review: the queue compares the two
    session.add(posting)
    await session.flush()
    audit.record_access(
        session,
        caller,
        action=f"review_{data.decision}",
        entity="posting",
        entity_ids=[posting.id],
        route=route,
    )
    return posting


async def _require_employer_may_post(session: AsyncSession, posting: Posting) -> None:
    employer = await employers.get_or_404(session, posting.employer_id)
    if employer.credit_status in BANNED_CREDIT:
        reason = CREDIT_MESSAGES[CreditStatus(employer.credit_status)]
        raise Conflict(
            f"the employer is barred from posting ({employer.credit_status}): {reason}; "
            "its postings cannot be released while its credit status stands"
        )


async def queue_page(
    session: AsyncSession, params: PageParams, *, caller: Caller
) -> tuple[list[Posting], str | None]:
    """Postings waiting for a decision in the caller's scope, oldest first."""
    return await repository.review_queue_page(
        session,
        params,
        waiting=repository.awaiting_review_clause(BANNED_CREDIT),
        scope=access.managed_clause(caller),
    )
