"""Imports every table so that SQLModel.metadata is complete (Alembic, tests)."""

from service.accounts.models import Account, ApiKey
from service.audit.models import AuditRecord
from service.cases.models import CaseBackground, CaseService
from service.changelog.models import ChangeRecord
from service.circle.models import Community
from service.embeddings.models import StoredEmbedding
from service.employers.models import Employer
from service.events.models import Event, EventPosting, EventRegistration
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.matchruns.models import MatchRun
from service.postings.models import (
    Posting,
    PostingReservation,
    PostingReview,
    PostingSourceRecord,
)
from service.recommendations.models import Recommendation, RecommendationEvent
from service.stations.models import Station

__all__ = [
    "Account",
    "ApiKey",
    "AuditRecord",
    "CaseBackground",
    "CaseService",
    "ChangeRecord",
    "Community",
    "Employer",
    "Event",
    "EventPosting",
    "EventRegistration",
    "Jobseeker",
    "JobseekerGroup",
    "MatchRun",
    "Posting",
    "PostingReservation",
    "PostingReview",
    "PostingSourceRecord",
    "Recommendation",
    "RecommendationEvent",
    "Station",
    "StoredEmbedding",
]
