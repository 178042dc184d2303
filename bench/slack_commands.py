"""Slash commands on Slack: latency from the signed request to the answer, beside Discord's in the same run.

    python -m bench.slack_commands [--requests 1000] [--in-flight 50] [--no-discord]

The bot is the real `briefbot slack run` in its own process (HTTP mode on loopback), its Web API pointed
at a fake Slack (tests/fakes/slack_api.py) through BRIEFBOT_SLACK_API_URL. Its SQLite store is prepared
the way the service fills it (`bench.discord_commands.prepare_store`, for a Slack channel here): set up
through the admin API, following the demo feeds, polled and analysed by the engine. The bench then posts
`/who` and `/timeline` about a stored story, signed as Slack signs them, `--in-flight` at a time, and
times each from sending the request to having the answer (in the acknowledgement, or posted to the
response_url when the bot acknowledged first). Then `bench.discord_commands` runs with the same counts, so
both platforms' figures come from the same machine in the same run. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.slack_api import FakeSlack, command_body, sign

from bench import discord_commands
from bench.discord_commands import apply_load, latency_figures, stop_process

TEAM = "T0BENCH"
CHANNEL = "C0BENCH"
TOKEN = "xoxb-bench"
SECRET = "bench-signing-secret"
TYPED_STORY = "harbour fire"
WARM_UP = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_bot(fake: FakeSlack, data_dir: Path, port: int) -> asyncio.subprocess.Process:
    """`briefbot slack run` on the prepared store, its Web API pointed at the fake Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(
        BRIEFBOT_DATA_DIR=str(data_dir),
        BRIEFBOT_SLACK_BOT_TOKEN=TOKEN,
        BRIEFBOT_SLACK_SIGNING_SECRET=SECRET,
        BRIEFBOT_SLACK_API_URL=fake.api_url,
        BRIEFBOT_SLACK_PORT=str(port),
    )
    briefbot = str(Path(sys.executable).with_name("briefbot"))
    return await asyncio.create_subprocess_exec(
        briefbot, "slack", "run", env=env, cwd=data_dir, stdin=asyncio.subprocess.DEVNULL
    )


class Asker:
    def __init__(self, fake: FakeSlack, http: aiohttp.ClientSession, url: str) -> None:
        self.fake = fake
        self.http = http
        self.url = url
        self.seq = 0

    async def one(self, command: str, story: str) -> tuple[float, bool]:
        """One signed command; the seconds until its answer, and whether it was the expected answer."""
        self.seq += 1
        rid = f"b{self.seq}"
        body = command_body(
            f"/{command}",
            story,
            team=TEAM,
            channel=CHANNEL,
            user="U0BENCH",
            response_url=self.fake.response_url(rid),
        )
        started = time.perf_counter()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
        async with self.http.post(self.url, data=body.encode(), headers=headers) as response:
            text = await response.text()
        answer: dict[str, Any] = json.loads(text) if text.startswith("{") else {}
        if not answer.get("blocks"):
            answer = (await self.fake.wait_for(lambda: self.fake.responses.get(rid), timeout=30))[0]
        seconds = time.perf_counter() - started
        title = ((answer.get("blocks") or [{}])[0].get("text") or {}).get("text", "")
        return seconds, title.startswith(("Who — ", "Timeline — "))


async def run_slack(requests: int, in_flight: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-slack-") as tmp:
        data_dir = Path(tmp)
        await discord_commands.prepare_store(data_dir, platform="slack", workspace=TEAM, channel=CHANNEL)
        fake = FakeSlack()
        await fake.start()
        fake.add_workspace(TEAM, TOKEN)
        fake.add_channel(CHANNEL, "news")
        port = free_port()
        bot = await start_bot(fake, data_dir, port)
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=in_flight)) as http:
                asker = Asker(fake, http, f"http://127.0.0.1:{port}/slack/events")
                for _ in range(600):  # the bot is up once it answers
                    try:
                        await asker.one("who", TYPED_STORY)
                        break
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.5)
                # Warm-up, `in_flight` at a time: the stories built once, and the client's connections open
                # (Slack's edge keeps its connections to an app alive, as the Discord gateway is one).
                for _ in range(WARM_UP // 2):
                    await asyncio.gather(
                        *(asker.one(("who", "timeline")[i % 2], TYPED_STORY) for i in range(in_flight))
                    )

                async def ask(i: int) -> tuple[float, bool]:
                    return await asker.one(("who", "timeline")[i % 2], TYPED_STORY)

                load = await apply_load(bot.pid, requests, in_flight, ask)
        finally:
            await stop_process(bot)
            await fake.stop()
    figures: dict[str, Any] = {"requests": requests, "in_flight": in_flight, **latency_figures(load.times)}
    figures["requests_per_s"] = round(requests / load.wall_s, 1)
    figures["bot_cpu_ms_per_request"] = round(load.bot_cpu_s * 1000 / requests, 2)
    figures["client_cpu_ms_per_request"] = round(load.own_cpu_s * 1000 / requests, 2)
    figures["wrong_answers"] = load.failed
    return figures


def main() -> None:
    """Run the benchmark (Slack, then Discord) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--no-discord", action="store_true", help="leave out Discord's figures")
    args = parser.parse_args()
    slack = asyncio.run(run_slack(args.requests, args.in_flight))
    discord = None if args.no_discord else asyncio.run(discord_commands.run(args.requests, args.in_flight))
    print(
        f"Slack: {slack['requests']} signed requests, {slack['in_flight']} in flight, {slack['requests_per_s']} per "
        f"second; wrong answers: {slack['wrong_answers']}; bot CPU {slack['bot_cpu_ms_per_request']:.2f} ms each"
    )
    for command in ("who", "timeline"):
        line = (
            f"/{command:<9} Slack request → answer: median {slack[f'{command}_median_ms']:.1f} ms, "
            f"p99 {slack[f'{command}_p99_ms']:.1f} ms"
        )
        if discord is not None:
            line += (
                f" | Discord INTERACTION_CREATE → callback: median {discord[f'{command}_median_ms']:.1f} ms, "
                f"p99 {discord[f'{command}_p99_ms']:.1f} ms"
            )
        print(line)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(json.dumps({"slack": slack, "discord": discord}))


if __name__ == "__main__":
    main()
