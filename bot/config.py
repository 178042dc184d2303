"""Settings from the environment (BRIEFBOT_*), a .env file, or a TOML file; secrets as SecretStr."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from briefings.nlp import DEFAULT_PIPELINE


class EngineSettings(BaseSettings):
    """How the engine reads the news."""

    model_config = SettingsConfigDict(env_prefix="BRIEFBOT_", env_file=".env", extra="ignore")

    spacy_pipeline: str = Field(DEFAULT_PIPELINE, description="name of an installed spaCy English pipeline")
    max_article_chars: int = Field(500_000, gt=0)
    allow_private_urls: bool = Field(
        False, description="let URLs resolve to private/loopback addresses (staging only)"
    )
    fetch_timeout_s: float = Field(10.0, gt=0)
    fetch_max_bytes: int = Field(5 * 1024 * 1024, gt=0)
    data_dir: Path = Path("data")


def load_engine_settings() -> EngineSettings:
    """Read the engine settings now (never at import time)."""
    return EngineSettings()
