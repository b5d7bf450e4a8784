"""What an import did, row by row where it matters (API.md: accepted / updated / duplicate /
rejected with row numbers), as the endpoint, the feeds and ``jobcircle import`` return it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RowError(BaseModel):
    field: str | None = Field(None, description="The column (service field name) at fault")
    message: str = Field(examples=["no amount in '很多'"])


class RejectedRow(BaseModel):
    row: int = Field(description="Row number as the file shows it (the header is row 1)")
    where: str | None = Field(None, description="Item of a feed document", examples=[None])
    errors: list[RowError]


class ScreenedRow(BaseModel):
    row: int
    posting_id: str
    status: str = Field(description="rejected or pending_review: stored, not published")
    flags: list[dict[str, str]] = Field(description="Screening flags: code, message, matched")


class MergedRow(BaseModel):
    row: int
    posting_id: str = Field(description="The posting this row turned out to be (another channel)")


class ImportReport(BaseModel):
    rows: int = Field(0, description="Rows read (good and bad)")
    accepted: int = Field(0, description="New postings stored (screened ones included)")
    updated: int = Field(0, description="Postings sent before, changed by this file")
    duplicate: int = Field(
        0, description="Rows that changed nothing: sent before unchanged, or the same vacancy "
        "already known through another channel (then listed under merged)"
    )  # fmt: skip
    rejected: list[RejectedRow] = Field(default_factory=list)
    screened: list[ScreenedRow] = Field(
        default_factory=list, description="Stored but held or refused by the posting rules"
    )
    merged: list[MergedRow] = Field(default_factory=list)
    employers_created: int = 0
    seconds: float = 0.0

    def add(self, other: ImportReport) -> None:
        self.rows += other.rows
        self.accepted += other.accepted
        self.updated += other.updated
        self.duplicate += other.duplicate
        self.rejected += other.rejected
        self.screened += other.screened
        self.merged += other.merged
        self.employers_created += other.employers_created
