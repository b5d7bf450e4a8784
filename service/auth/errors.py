from __future__ import annotations

from service.errors import ServiceError


class Unauthorized(ServiceError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str = "log in (POST /api/v1/auth/token) or send an API key") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ServiceError):
    status, slug, title = 403, "forbidden", "Not allowed"


class TooManyRequests(ServiceError):
    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, *, retry_after: float) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__(f"{detail}; retry in {seconds} s", headers={"Retry-After": str(seconds)})
