"""`briefbot slack manifest|run` and `briefbot doctor` with Slack settings: one clear line, never a secret."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from test_bootstrap import run_cli


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack served from a thread of its own, for the briefbot processes these tests start."""
    loop = asyncio.new_event_loop()
    fake = FakeSlack()
    loop.run_until_complete(fake.start())
    fake.add_workspace("T0CLI", "xoxb-accepted")
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield fake
    asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_the_manifest_comes_from_the_command_table(tmp_path: Path) -> None:
    env = {"BRIEFBOT_DATA_DIR": str(tmp_path)}
    shown = run_cli("slack", "manifest", "--request-url", "https://bot.example.org", env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    manifest = json.loads(shown.stdout)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {
        "/brief",
        "/who",
        "/timeline",
        "/where",
        "/quotes",
        "/sources",
        "/stories",
        "/briefing",
    }
    assert commands["/who"]["url"] == "https://bot.example.org/slack/events"
    assert all(len(c["description"]) <= 100 for c in commands.values())
    assert manifest["settings"]["interactivity"]["request_url"] == "https://bot.example.org/slack/events"
    shortcuts = manifest["features"]["shortcuts"]  # the table's message actions, as message shortcuts
    assert [(s["name"], s["type"], s["callback_id"]) for s in shortcuts] == [
        ("Brief this link", "message", "brief_link")
    ]
    assert "chat:write" in manifest["oauth_config"]["scopes"]["bot"]
    assert manifest["oauth_config"]["redirect_urls"] == ["https://bot.example.org/slack/oauth_redirect"]
    socket = json.loads(
        run_cli(
            "slack",
            "manifest",
            "--socket-mode",
            env={**env, "BRIEFBOT_SLACK_COMMAND_PREFIX": "news-"},
            cwd=tmp_path,
        ).stdout
    )
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "/news-who" in {c["command"] for c in socket["features"]["slash_commands"]}
    assert "url" not in socket["features"]["slash_commands"][0]
    neither = run_cli("slack", "manifest", env=env, cwd=tmp_path)
    assert neither.returncode == 2 and "--request-url" in neither.stderr


def test_missing_secret_and_refused_token_are_one_clear_line(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = {
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "BRIEFBOT_SLACK_BOT_TOKEN": "xoxb-not-a-real-token",
        "BRIEFBOT_SLACK_API_URL": fake_slack.api_url,
    }
    assert run_cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    no_secret = run_cli("slack", "run", env=env, cwd=tmp_path)
    assert no_secret.returncode == 2 and "BRIEFBOT_SLACK_SIGNING_SECRET" in no_secret.stderr
    assert "Traceback" not in no_secret.stderr and len(no_secret.stderr.strip().splitlines()) == 1
    env["BRIEFBOT_SLACK_SIGNING_SECRET"] = "s3cret-signing"
    refused = run_cli("run", "--no-console", env={**env, "BRIEFBOT_SLACK_PORT": "0"}, cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    assert "Slack refused BRIEFBOT_SLACK_BOT_TOKEN (auth.test: invalid_auth)" in refused.stderr
    assert "Traceback" not in refused.stderr
    doctor = run_cli("doctor", env=env, cwd=tmp_path)
    assert "FIX   Slack refused BRIEFBOT_SLACK_BOT_TOKEN" in doctor.stderr
    accepted = run_cli("doctor", env={**env, "BRIEFBOT_SLACK_BOT_TOKEN": "xoxb-accepted"}, cwd=tmp_path)
    assert "ok    Slack accepts the bot token (auth.test: Team T0CLI)" in accepted.stdout
    for shown in (no_secret, refused, doctor, accepted):
        text = shown.stdout + shown.stderr
        assert (
            "xoxb-not-a-real-token" not in text
            and "s3cret-signing" not in text
            and "xoxb-accepted" not in text
        )
