"""`briefbot` on Discord from the command line: a wrong or missing token is one clear line, never a traceback."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.discord_server import FakeDiscord
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import FEED, set_up_channel, store_articles

from bot.clock import FixedClock
from bot.identity import ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store
from briefings.models import ArticleAnalysis

BRIEFBOT = str(Path(sys.executable).with_name("briefbot"))


def clean_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(BRIEFBOT_DATA_DIR=str(tmp_path / "data"), **settings)
    return env


def briefbot(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BRIEFBOT, *args],
        cwd=tmp_path,
        env=clean_env(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_a_missing_token_is_named_before_anything_starts(tmp_path: Path) -> None:
    done = briefbot(tmp_path, "discord", "run")
    assert done.returncode == 2
    assert "no Discord token: set BRIEFBOT_DISCORD_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_malformed_token_is_named_before_anything_starts(tmp_path: Path) -> None:
    done = briefbot(tmp_path, "run", BRIEFBOT_DISCORD_TOKEN="paste the token here")
    assert done.returncode == 2
    assert "does not look like a Discord bot token" in done.stderr
    assert "paste the token here" not in done.stderr + done.stdout  # a secret is never printed
    assert "Traceback" not in done.stderr + done.stdout


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()


async def test_a_token_discord_refuses_is_one_clear_line(fake: FakeDiscord, tmp_path: Path) -> None:
    wrong = "MTIzNDU2Nzg5.wrong.secret-part"
    process = await asyncio.create_subprocess_exec(
        BRIEFBOT,
        "discord",
        "run",
        cwd=tmp_path,
        env=clean_env(
            tmp_path,
            BRIEFBOT_DISCORD_TOKEN=wrong,
            BRIEFBOT_DISCORD_API_URL=fake.api_url,
            BRIEFBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
        ),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    text = out.decode() + err.decode()
    assert process.returncode == 2, text
    assert "Discord refused the token (401 Unauthorized)" in text
    assert "GET /api/v10/users/@me" in fake.requests
    assert "Traceback" not in text and wrong not in text


def test_the_invite_url_names_exactly_what_briefbot_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bot.cli import app

    for name in [k for k in os.environ if k.startswith("BRIEFBOT_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    given = runner.invoke(app, ["discord", "invite", "--application-id", "1100000000000000001"])
    assert given.exit_code == 0
    url = given.stdout.strip()
    assert url == (
        "https://discord.com/oauth2/authorize?client_id=1100000000000000001"
        "&scope=bot+applications.commands&permissions=84992"
    )
    assert "Read Message History" in given.stderr
    monkeypatch.setenv("BRIEFBOT_DISCORD_TOKEN", "MTEwMDAwMDAwMDAwMDAwMDAwMQ.abc.def")
    assert runner.invoke(app, ["discord", "invite"]).stdout.strip() == url
    monkeypatch.delenv("BRIEFBOT_DISCORD_TOKEN")
    nothing = runner.invoke(app, ["discord", "invite"])
    assert nothing.exit_code == 2 and "--application-id" in nothing.stderr


@pytest.mark.slow
async def test_briefbot_discord_run_answers_through_the_fake_gateway(
    fake: FakeDiscord, tmp_path: Path, news_analyses: list[ArticleAnalysis]
) -> None:
    guild, channel = 81_000_000_000_000_001, 81_000_000_000_000_101
    fake.add_guild(guild, "Marlow Readers", {channel: "news"})
    store = Store.from_url(f"sqlite:///{tmp_path / 'data' / 'briefbot.db'}")
    await upgrade_store(store)
    ref = ChannelRef(platform="discord", workspace=str(guild), channel=str(channel))
    await set_up_channel(store, FixedClock(datetime.now(UTC)), ref)
    await store_articles(store, FEED, news_analyses, datetime.now(UTC) - timedelta(hours=1))
    await store.close()
    process = await asyncio.create_subprocess_exec(
        BRIEFBOT,
        "run",
        cwd=tmp_path,
        env=clean_env(
            tmp_path,
            BRIEFBOT_DISCORD_TOKEN=fake.token,
            BRIEFBOT_DISCORD_API_URL=fake.api_url,
            BRIEFBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
        ),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_for(lambda: fake.identified and fake.synced_commands, timeout=120)
        payload = fake.interaction(guild, channel, ["who"], {"story": "Marlow Heights dam"})
        await fake.send_interaction(payload)
        callback = await fake.wait_for(lambda: fake.callback_for(payload), timeout=60)
        fields = [f["name"] for e in callback.embeds for f in e.get("fields") or []]
        assert any("Ruth Ambani" in name for name in fields)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in out.decode() + err.decode()
