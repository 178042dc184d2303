"""Slack installs: OAuth into our database (SQLite and PostgreSQL), a second workspace served with its own
token, a workspace that never installed told so, an uninstall that removes the install and pauses digests;
and Socket Mode against a fake apps.connections.open and websocket on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from pathlib import Path
from typing import Any

import aiohttp
from conftest_store import *  # noqa: F403 - the store fixtures
from conftest_store import StoreSpec
from fakes.slack_api import FakeSlack, command_body, sign
from test_commands_support import *  # noqa: F403 - articles and helpers
from test_commands_support import NOW, AcceptingProbe, store_articles
from test_slack_commands import NEWS, OWNER, SECRET, TEAM, TOKEN, text_of

from bot.channels.admin import ChannelAdmin
from bot.clock import FixedClock
from bot.commands.catalog import COMMANDS
from bot.commands.stories import StoryLibrary
from bot.commands.table import CommandServices
from bot.config import BotSettings
from bot.identity import ChannelRef
from bot.slack.adapter import SlackAdapter
from bot.store.migrate import upgrade_store
from briefings.models import ArticleAnalysis

SECOND = "T0SECOND"
SECOND_TOKEN = "xoxb-second-workspace"


async def signed(http: aiohttp.ClientSession, url: str, body: str, content_type: str) -> tuple[int, str]:
    headers = {"Content-Type": content_type, **sign(SECRET, body)}
    async with http.post(url, data=body.encode(), headers=headers) as response:
        return response.status, await response.text()


async def test_an_oauth_install_is_stored_and_serves_its_workspace(
    store_spec: StoreSpec, tmp_path: Path
) -> None:
    fake = FakeSlack()
    await fake.start()
    fake.add_user(OWNER, "Ada Owner", admin=True, team=SECOND)
    fake.add_channel(NEWS, "news")
    fake.oauth_codes["code-2"] = {"team": SECOND, "token": SECOND_TOKEN, "user": OWNER}
    store = store_spec.open()
    await upgrade_store(store)
    settings = BotSettings(
        data_dir=tmp_path,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        slack_port=0,
    )
    clock = FixedClock(NOW)
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    services = CommandServices(stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin)
    adapter = SlackAdapter(settings, COMMANDS, services, store)
    await adapter.prepare()
    port = await adapter.listen()
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/slack/install") as page:
                assert page.status == 200
                cookie = page.headers["Set-Cookie"].split(";")[0]
                state = re.search(r"state=([^&\"]+)", await page.text())[1]  # type: ignore[index]
            redirect = f"{base}/slack/oauth_redirect?code=code-2&state={state}"
            async with http.get(redirect, headers={"Cookie": cookie}) as done:
                assert done.status == 200, await done.text()
            assert fake.calls_of("oauth.v2.access")
            assert await adapter.installs.token_for(SECOND) == SECOND_TOKEN

            # The second workspace's admin sets up a channel: Slack is asked with that workspace's token.
            rid = "setup-2"
            body = command_body(
                "/briefing",
                "setup",
                team=SECOND,
                channel=NEWS,
                user=OWNER,
                response_url=fake.response_url(rid),
            )
            status, ack = await signed(
                http, f"{base}/slack/events", body, "application/x-www-form-urlencoded"
            )
            assert status == 200
            answer = (
                json.loads(ack)
                if ack.startswith("{")
                else (await fake.wait_for(lambda: fake.responses.get(rid)))[0]
            )
            assert "Digests start" in text_of(answer) or "set up" in text_of(answer).lower(), text_of(answer)
            assert {c.token for c in fake.calls_of("users.info")} == {SECOND_TOKEN}
            ref = ChannelRef(platform="slack", workspace=SECOND, channel=NEWS)
            assert not (await admin.status(ref, services_caller())).config.paused

            # A workspace that never installed the app is told so; nothing runs for it.
            body = command_body(
                "/briefing",
                "setup",
                team="T0NEVER",
                channel=NEWS,
                user=OWNER,
                response_url=fake.response_url("never"),
            )
            status, refused = await signed(
                http, f"{base}/slack/events", body, "application/x-www-form-urlencoded"
            )
            told = refused or (await fake.wait_for(lambda: fake.responses.get("never")))[0]["text"]
            assert status == 200 and "not installed in this workspace" in told

            # The app is uninstalled: the install is gone and the channel's digests are paused.
            event = json.dumps(
                {
                    "token": "unused",
                    "team_id": SECOND,
                    "api_app_id": "ABRIEFBOT",
                    "type": "event_callback",
                    "event_id": "Ev1",
                    "event_time": int(time.time()),
                    "event": {"type": "app_uninstalled"},
                }
            )
            status, _ = await signed(http, f"{base}/slack/events", event, "application/json")
            assert status == 200
            for _ in range(200):
                if (await admin.status(ref, services_caller())).config.paused:
                    break
                await asyncio.sleep(0.02)
            assert (await admin.status(ref, services_caller())).config.paused
            assert adapter.installs.installation_store is not None
            assert (
                await adapter.installs.installation_store.async_find_bot(enterprise_id=None, team_id=SECOND)
                is None
            )
    finally:
        await adapter.stop()
        await store.close()
        await fake.stop()


def services_caller() -> Any:
    from test_commands_support import ADMIN

    return ADMIN


async def test_socket_mode_answers_a_who(tmp_path: Path, news_analyses: list[ArticleAnalysis]) -> None:
    fake = FakeSlack()
    await fake.start()
    fake.add_workspace(TEAM, TOKEN)
    fake.add_user(OWNER, "Ada Owner", admin=True, team=TEAM)
    fake.add_channel(NEWS, "news")
    settings = BotSettings(
        data_dir=tmp_path, slack_bot_token=TOKEN, slack_app_token=fake.app_token, slack_api_url=fake.api_url
    )
    from bot.store.db import Store

    store = Store.from_url(settings.store_url())
    await upgrade_store(store)
    clock = FixedClock(NOW)
    admin = ChannelAdmin(store, AcceptingProbe(), clock)
    services = CommandServices(stories=StoryLibrary(store, clock, max_age_s=0, stale_s=0), admin=admin)
    from test_commands_support import ADMIN, FEED

    ref = ChannelRef(platform="slack", workspace=TEAM, channel=NEWS)
    await admin.setup(ref, ADMIN)
    await admin.add_feed(ref, ADMIN, FEED)
    await store_articles(store, FEED, news_analyses, NOW.replace(hour=11))
    adapter = SlackAdapter(settings, COMMANDS, services, store)
    await adapter.prepare()
    serving = asyncio.create_task(adapter.start())
    try:
        payload = dict(
            token="unused",
            team_id=TEAM,
            team_domain="marlow",
            channel_id=NEWS,
            channel_name="news",
            user_id=OWNER,
            user_name="ada",
            command="/who",
            text="Marlow Heights dam",
            api_app_id="ABRIEFBOT",
            response_url=fake.response_url("socket"),
            trigger_id="1.2.3",
        )
        await fake.send_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "payload": payload,
                "accepts_response_payload": True,
            }
        )
        acked = await fake.wait_for(lambda: [a for a in fake.socket_acks if a.get("envelope_id") == "env-1"])
        answer = acked[0].get("payload") or (await fake.wait_for(lambda: fake.responses.get("socket")))[0]
        assert answer["blocks"][0]["text"]["text"].startswith("Who — ") and "Ruth Ambani" in text_of(answer)
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
        await adapter.stop()
        await store.close()
        await fake.stop()
