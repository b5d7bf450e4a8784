"""RFC 9457 problem details for every error the service returns."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://jobcircle.example.org/problems/"

log = structlog.get_logger("jobcircle.errors")


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. `salary_min`.")
    message: str = Field(description="Why the value was refused.")
    location: str | None = Field(None, description="body, query, path or header")


class Problem(BaseModel):
    """RFC 9457 problem document."""

    type: str = Field(examples=[PROBLEM_BASE + "validation"])
    title: str = Field(examples=["请求参数有误 Invalid request"])
    status: int = Field(examples=[422])
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


class ServiceError(Exception):
    """Raised by services; carries everything the problem document needs."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        status: int | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors or []
        self.headers = headers
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title


class NotFound(ServiceError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(ServiceError):
    status, slug, title = 409, "conflict", "Conflict"


class InvalidInput(ServiceError):
    status, slug, title = 422, "validation", "Invalid request"

    @classmethod
    def field(cls, field: str, message: str, location: str = "body") -> InvalidInput:
        return cls(
            f"{field}: {message}",
            errors=[FieldError(field=field, message=message, location=location)],
        )


class PayloadTooLarge(ServiceError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


def problem_response(
    status: int,
    title: str,
    *,
    slug: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=PROBLEM_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors or [],
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_errors(exc: RequestValidationError) -> list[FieldError]:
    out: list[FieldError] = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        location = loc[0] if loc and loc[0] in {"body", "query", "path", "header"} else None
        path = loc[1:] if location else loc
        message = str(err.get("msg", "invalid value"))
        message = message.removeprefix("Value error, ")
        rule = err.get("ctx", {}).get("error")
        named = getattr(rule, "field", None)
        if isinstance(named, str):  # a cross-field rule that names its field
            path = [*path, named]
            message = str(rule)
        out.append(FieldError(field=".".join(path) or "body", message=message, location=location))
    return out


def _is_malformed_json(exc: RequestValidationError) -> bool:
    return any(err.get("type") == "json_invalid" for err in exc.errors())


async def _validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if _is_malformed_json(exc):
        first = next(e for e in exc.errors() if e.get("type") == "json_invalid")
        reason = first.get("ctx", {}).get("error", "not valid JSON")
        return problem_response(
            400,
            "Malformed JSON",
            slug="malformed-json",
            detail=f"The request body is not valid JSON: {reason}",
            errors=[FieldError(field="body", message=str(reason), location="body")],
            instance=request.url.path,
        )
    errors = _field_errors(exc)
    return problem_response(
        422,
        "Invalid request",
        slug="validation",
        detail="; ".join(f"{e.field}: {e.message}" for e in errors[:5]),
        errors=errors,
        instance=request.url.path,
    )


async def _service_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return problem_response(
        exc.status,
        exc.title,
        slug=exc.slug,
        detail=exc.detail,
        errors=exc.errors,
        instance=request.url.path,
        headers=exc.headers,
    )


async def _http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = (
        HTTPStatus(exc.status_code).phrase
        if exc.status_code in HTTPStatus._value2member_map_
        else "Error"
    )
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        exc.status_code,
        phrase,
        slug=phrase.lower().replace(" ", "-"),
        detail=detail,
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
    )


async def _unexpected_handler(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log (with the request id), never to the client.
    log.exception("unhandled_error", path=request.url.path, error_type=type(exc).__name__)
    return problem_response(
        500,
        "Internal server error",
        slug="internal",
        detail="The service failed to handle this request; it has been logged.",
        instance=request.url.path,
    )


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(ServiceError, _service_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
    app.add_exception_handler(Exception, _unexpected_handler)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for problem documents."""
    descriptions = {
        400: "Malformed request",
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict with existing data",
        413: "Body too large",
        422: "Validation failed; `errors` names each field",
    }
    return {
        s: {
            "model": Problem,
            "description": descriptions.get(s, "Error"),
            "content": {PROBLEM_JSON: {}},
        }
        for s in statuses
    }
