from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from service.config import DEMO_SECRET, Settings


def test_defaults_are_the_embedded_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in list(__import__("os").environ):
        if name.startswith("JOBCIRCLE_"):
            monkeypatch.delenv(name)
    settings = Settings()
    assert settings.database_url == "sqlite+aiosqlite:///var/jobcircle.db"
    assert settings.search_backend == "embedded"
    assert settings.should_auto_migrate
    assert Path(settings.embedding_model, "config.json").is_file()  # shipped in the wheel
    assert settings.policy_file.is_file()


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "JOBCIRCLE_DATABASE_URL=postgresql+asyncpg://u@h/db\nJOBCIRCLE_LOG_FORMAT=json\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("JOBCIRCLE_LOG_LEVEL", "DEBUG")
    settings = Settings()
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.log_format == "json"
    assert settings.log_level == "DEBUG"
    assert not settings.should_auto_migrate  # PostgreSQL is never migrated silently


def test_production_refuses_the_demo_secret() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None, environment="production", secret_key=DEMO_SECRET)
    Settings(_env_file=None, environment="production", secret_key="x" * 40)


def test_bad_values_are_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, search_backend="solr")
    with pytest.raises(ValidationError):
        Settings(_env_file=None, city_adcode="wuhan")
