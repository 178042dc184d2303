"""Settings from the environment (BRIEFBOT_*), a .env file, or a TOML file; secrets as SecretStr."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from briefings.nlp import DEFAULT_PIPELINE

CONFIG_FILE_ENV = "BRIEFBOT_CONFIG"
DEFAULT_CONFIG_FILE = Path("briefbot.toml")


def config_file_path() -> Path:
    """The TOML file settings are read from: $BRIEFBOT_CONFIG, else ./briefbot.toml (if it exists)."""
    return Path(os.environ.get(CONFIG_FILE_ENV) or DEFAULT_CONFIG_FILE)


class EngineSettings(BaseSettings):
    """How the engine reads the news."""

    model_config = SettingsConfigDict(
        env_prefix="BRIEFBOT_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    spacy_pipeline: str = Field(DEFAULT_PIPELINE, description="name of an installed spaCy English pipeline")
    max_article_chars: int = Field(500_000, gt=0)
    allow_private_urls: bool = Field(
        False, description="let URLs resolve to private/loopback addresses (staging only)"
    )
    fetch_timeout_s: float = Field(10.0, gt=0)
    fetch_max_bytes: int = Field(5 * 1024 * 1024, gt=0)
    data_dir: Path = Path("data")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments first, then the environment, `.env`, the TOML file, and secret files."""
        toml_file = settings_cls.model_config.get("toml_file") or config_file_path()
        toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_file)
        return (init_settings, env_settings, dotenv_settings, toml, file_secret_settings)


def load_engine_settings() -> EngineSettings:
    """Read the engine settings now (never at import time)."""
    return EngineSettings()


class FeedSettings(BaseModel):
    """How feeds are polled (BRIEFBOT_FEEDS__*, or a [feeds] table in the TOML file)."""

    default_interval_s: int = Field(900, ge=60, description="time between two polls of a healthy feed")
    concurrency: int = Field(16, ge=1, le=512, description="feeds fetched at the same time")
    max_backoff_s: int = Field(6 * 3600, ge=60, description="longest wait after repeated failures")
    disable_after_failures: int = Field(
        48, ge=1, description="a feed failing this many polls in a row is paused and its channels told"
    )
    alert_after_failures: int = Field(
        3, ge=1, description="a feed failing this many polls in a row: each channel following it is told once"
    )
    extraction_workers: int = Field(
        1, ge=0, description="processes running the engine (0: in a thread of the bot's own process)"
    )
    poll_timeout_s: float = Field(60.0, gt=0, description="a feed's whole poll (fetch, parse, store)")
    linked_pages: int = Field(
        5,
        ge=0,
        le=50,
        description="per poll, items that are only a teaser are read from this many linked pages",
    )
    max_items_per_poll: int = Field(
        50,
        ge=1,
        le=1000,
        description="new items one poll of a feed extracts at most, newest first; the rest come on later polls",
    )
    backlog_interval_s: int = Field(
        120,
        ge=30,
        description="a feed with new items left over is polled again this soon (if its interval is longer)",
    )


class SchedulerSettings(BaseModel):
    """When digests run and what happens to a missed one (BRIEFBOT_SCHEDULER__*)."""

    digest_grace_s: int = Field(
        3 * 3600,
        ge=0,
        description="a digest missed while briefbot was down is posted this late at most, else skipped "
        "with a note to the channel",
    )
    feed_poll_tick_s: int = Field(30, ge=1, description="how often the scheduler looks for feeds due")
    resync_s: int = Field(
        60, ge=1, description="how often schedules changed by other processes are picked up"
    )
    leader_lock_key: int = Field(
        0x62726966, description="PostgreSQL advisory lock that makes one scheduler active among processes"
    )
    leader_retry_s: float = Field(5.0, gt=0, description="how often a standby scheduler tries to take over")
    separate_process: bool = Field(
        True,
        description="on PostgreSQL, `briefbot run` does the scheduler's work (digests, feed poll rounds) in a "
        "child process, so commands never wait behind it; false: in the process that answers commands (the "
        "local console always does it in-process)",
    )


class StorySettings(BaseModel):
    """How long the story memory keeps stories (BRIEFBOT_STORIES__*)."""

    keep_days: int = Field(
        90,
        ge=15,
        description="a story stays answerable this many days after its last article, then is pruned",
    )
    prune_every_s: int = Field(
        6 * 3600, ge=60, description="how often stories past the keep window are pruned"
    )


class QueueSettings(BaseModel):
    """Where feed polls run: in this process, or fanned out to workers (BRIEFBOT_QUEUE__*)."""

    backend: Literal["local", "procrastinate"] = Field(
        "local",
        description="local: in the bot's process; procrastinate: jobs on PostgreSQL for `briefbot worker`",
    )
    name: str = Field("feeds", description="the procrastinate queue feed polls are put on")
    stalled_after_s: float = Field(
        30,
        gt=0,
        description="a worker silent this long (killed, cut off) is taken for dead: its running jobs are "
        "queued again by the active scheduler (workers beat every third of it)",
    )


class BotSettings(EngineSettings):
    """Everything the service needs: store, feeds, scheduler, queue and platform secrets."""

    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the store; default: SQLite in data_dir/briefbot.db"
    )
    feeds: FeedSettings = Field(default_factory=FeedSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    stories: StorySettings = Field(default_factory=StorySettings)
    shutdown_grace_s: float = Field(
        25,
        ge=0,
        description="on SIGTERM, how long in-flight digests, feed polls and jobs may take to finish before "
        "they are handed back (claimed digests resume their missing parts; queued jobs are retried)",
    )
    health_port: int | None = Field(
        None, ge=0, le=65535, description="serve /healthz and /metrics on this port (unset: not served)"
    )
    health_host: str = Field("127.0.0.1", description="the address /healthz and /metrics listen on")
    health_max_poll_age_s: float = Field(
        900, gt=0, description="the active scheduler is unhealthy when no feed poll round finished this long"
    )
    discord_token: SecretStr | None = None
    # Discord's own endpoints by default; a staging set-up (or the tests' fake Discord) points elsewhere.
    discord_api_url: str = Field("https://discord.com/api/v10", description="Discord's REST API base URL")
    discord_gateway_url: str = Field("wss://gateway.discord.gg/", description="Discord's gateway URL")
    discord_application_id: int | None = Field(
        None, description="for the invite URL; else read from the token"
    )
    discord_shard_count: int | None = Field(
        None, ge=1, description="shards in all; default: Discord's advice"
    )
    discord_shard_ids: list[int] | None = Field(
        None, description="the shards this process runs; default: all"
    )
    discord_sync_commands: bool = Field(True, description="register the slash commands with Discord at start")
    slack_bot_token: SecretStr | None = Field(None, description="xoxb-…: one workspace, no OAuth")
    slack_signing_secret: SecretStr | None = Field(None, description="verifies that requests come from Slack")
    slack_app_token: SecretStr | None = Field(None, description="xapp-…: Socket Mode (behind a firewall)")
    slack_client_id: str | None = Field(None, description="OAuth installs in many workspaces")
    slack_client_secret: SecretStr | None = None
    slack_port: int = Field(3000, ge=0, le=65535, description="HTTP mode: the port /slack/events listens on")
    slack_host: str = Field("127.0.0.1", description="HTTP mode: the address /slack/events listens on")
    # Slack's own Web API by default; a staging proxy (or the tests' fake Slack) points elsewhere.
    slack_api_url: str = Field("https://slack.com/api/", description="Slack's Web API base URL")
    slack_admins: list[str] = Field(
        default_factory=list, description="Slack user ids that may change any channel's briefing"
    )
    slack_command_prefix: str = Field(
        "", max_length=20, description='e.g. "news-": /news-who where another app holds /who'
    )

    def store_url(self) -> str:
        """The database URL to use: the one configured, else a SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'briefbot.db').as_posix()}"


def load_settings(config_file: Path | None = None) -> BotSettings:
    """Read the service settings now: arguments, environment, .env, then the TOML file (never at import)."""
    if config_file is None:
        return BotSettings()
    if not config_file.is_file():
        raise FileNotFoundError(f"the configuration file {config_file} does not exist")
    # A subclass carries the file name so the TOML source reads that file instead of the default one.
    with_file: type[BotSettings] = type(
        "BotSettings",
        (BotSettings,),
        {"model_config": {**BotSettings.model_config, "toml_file": config_file}},
    )
    return with_file()
