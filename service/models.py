"""Imports every table so that SQLModel.metadata is complete (Alembic, tests)."""

from service.accounts.models import Account, ApiKey
from service.audit.models import AuditRecord
from service.changelog.models import ChangeRecord
from service.circle.models import Community
from service.embeddings.models import StoredEmbedding
from service.employers.models import Employer
from service.events.models import Event, EventPosting, EventRegistration
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.postings.models import (
    Posting,
    PostingReservation,
    PostingReview,
    PostingSourceRecord,
)
from service.recommendations.models import Recommendation
from service.stations.models import Station

__all__ = [
    "Account",
    "ApiKey",
    "AuditRecord",
    "ChangeRecord",
    "Community",
    "Employer",
    "Event",
    "EventPosting",
    "EventRegistration",
    "Jobseeker",
    "JobseekerGroup",
    "Posting",
    "PostingReservation",
    "PostingReview",
    "PostingSourceRecord",
    "Recommendation",
    "Station",
    "StoredEmbedding",
]
