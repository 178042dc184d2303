"""Settings, `briefbot db upgrade` / `doctor` from the installed command, and the service wiring."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bootstrap import StoreNotReady, build_service, open_store
from bot.clock import FixedClock
from bot.config import BotSettings, load_settings
from bot.store.db import StoreUnavailable

BRIEFBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    return subprocess.run(
        [*BRIEFBOT, *args], env={**clean, **env}, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_settings_from_toml_with_nested_tables_env_overrides_and_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "briefbot.toml"
    config.write_text(
        'database_url = "postgresql://briefbot:hunter2@db.internal/briefbot"\n'
        'discord_token = "not-a-real-token"\n'
        "[feeds]\nconcurrency = 4\n[scheduler]\ndigest_grace_s = 600\n"
    )
    monkeypatch.setenv("BRIEFBOT_FEEDS__MAX_BACKOFF_S", "120")
    settings = load_settings(config)
    assert settings.feeds.concurrency == 4 and settings.feeds.max_backoff_s == 120
    assert settings.scheduler.digest_grace_s == 600
    assert settings.store_url() == "postgresql://briefbot:hunter2@db.internal/briefbot"
    assert settings.discord_token is not None
    assert "not-a-real-token" not in repr(settings) and "not-a-real-token" not in str(settings.model_dump())
    monkeypatch.setenv("BRIEFBOT_FEEDS__CONCURRENCY", "9")
    assert load_settings(config).feeds.concurrency == 9  # the environment wins over the file


def test_default_store_is_sqlite_under_the_data_dir(tmp_path: Path) -> None:
    settings = BotSettings(data_dir=tmp_path / "data")
    assert settings.store_url() == f"sqlite:///{(tmp_path / 'data' / 'briefbot.db').as_posix()}"


def test_db_upgrade_from_the_installed_command_then_doctor(tmp_path: Path) -> None:
    env = {"BRIEFBOT_DATA_DIR": str(tmp_path / "data")}
    first = run_cli("db", "upgrade", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "migrated: empty" in first.stdout
    again = run_cli("db", "upgrade", env=env, cwd=tmp_path)
    assert again.returncode == 0 and "up to date" in again.stdout
    with sqlite3.connect(tmp_path / "data" / "briefbot.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"channels", "feeds", "articles", "deliveries", "audit_log", "alembic_version"} <= tables
    doctor = run_cli("doctor", env=env, cwd=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "tables at revision" in doctor.stdout


def test_doctor_and_upgrade_explain_an_unreachable_database(tmp_path: Path) -> None:
    env = {"BRIEFBOT_DATABASE_URL": "postgresql://briefbot:s3cret@127.0.0.1:9/briefbot"}
    upgrade = run_cli("db", "upgrade", env=env, cwd=tmp_path)
    assert upgrade.returncode == 1
    assert "cannot be reached" in upgrade.stderr and "Traceback" not in upgrade.stderr
    assert "s3cret" not in upgrade.stderr + upgrade.stdout
    doctor = run_cli("doctor", env=env, cwd=tmp_path)
    assert doctor.returncode == 1 and "FIX" in doctor.stderr and "s3cret" not in doctor.stdout + doctor.stderr


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://briefbot:s3cret@db.example:notaport/briefbot", "has a port that is not a number"),
        ("nonsense", "'nonsense' cannot be read"),
    ],
)
def test_an_unreadable_database_url_is_one_line_naming_it(tmp_path: Path, url: str, says: str) -> None:
    env = {"BRIEFBOT_DATABASE_URL": url, "BRIEFBOT_DATA_DIR": str(tmp_path / "data")}
    doctor = run_cli("doctor", env=env, cwd=tmp_path)
    assert doctor.returncode == 1
    fix = [line for line in doctor.stderr.splitlines() if line.startswith("FIX")]
    assert len(fix) == 1 and "BRIEFBOT_DATABASE_URL" in fix[0] and says in fix[0], doctor.stderr
    assert "postgresql://user@host:5432/dbname" in fix[0]  # what to write instead
    for command in (["run"], ["db", "upgrade"]):
        run = run_cli(*command, env=env, cwd=tmp_path)
        assert run.returncode != 0
        assert run.stderr.strip().startswith("briefbot: ") and says in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    for output in (doctor, run):
        assert "Traceback" not in output.stderr + output.stdout
        assert "s3cret" not in output.stderr + output.stdout


async def test_the_service_refuses_to_start_on_an_unmigrated_or_unreachable_store(tmp_path: Path) -> None:
    with pytest.raises(StoreNotReady) as not_ready:
        await open_store(BotSettings(data_dir=tmp_path))
    assert "briefbot db upgrade" in str(not_ready.value)
    with pytest.raises(StoreUnavailable):
        await open_store(BotSettings(database_url="postgresql://postgres@127.0.0.1:9/none"))


async def test_the_service_starts_leads_and_stops(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    from bot.feeds.extraction import ThreadExtractor
    from bot.store.migrate import upgrade_store

    settings = BotSettings(data_dir=tmp_path)
    store = await open_store(settings, require_current=False)
    await upgrade_store(store)
    await store.close()
    from datetime import UTC, datetime

    service = await build_service(
        settings, clock=FixedClock(datetime(2026, 1, 15, tzinfo=UTC)), extractor=ThreadExtractor(nlp)
    )
    await service.start()
    for _ in range(100):  # bounded wait for the leader loop's first turn
        if service.scheduler.active:
            break
        await asyncio.sleep(0.05)
    assert service.scheduler.active
    second = await build_service(settings, extractor=ThreadExtractor(nlp))
    assert not await second.scheduler.lock.try_acquire()  # one active scheduler per SQLite file
    await second.stop()
    await service.stop()
    assert not service.scheduler.active


def test_settings_that_cannot_be_used_are_named_without_their_values(tmp_path: Path) -> None:
    """A token written as a number, or a port that is not one: each setting is named, its value never shown."""
    config = tmp_path / "briefbot.toml"
    config.write_text("discord_token = 98765432123456789\n")
    env = {"BRIEFBOT_CONFIG": str(config), "BRIEFBOT_HEALTH_PORT": "hunter2-secret"}
    result = run_cli("doctor", env=env, cwd=tmp_path)
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert "BRIEFBOT_DISCORD_TOKEN" in said and "BRIEFBOT_HEALTH_PORT" in said, said
    assert "98765432123456789" not in said and "hunter2-secret" not in said, said
    assert "Traceback" not in said
