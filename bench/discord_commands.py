"""Slash commands on Discord: latency from INTERACTION_CREATE to the interaction callback.

    python -m bench.discord_commands [--interactions 1000] [--in-flight 50]

The bot is the real `briefbot discord run` in its own process, pointed at a fake Discord on loopback
(REST and gateway, tests/fakes/discord_server.py) through BRIEFBOT_DISCORD_API_URL and
BRIEFBOT_DISCORD_GATEWAY_URL. Its SQLite store is prepared first, the way the service fills it: a Discord
channel set up through the admin API, following the demo feeds, polled and analysed by the engine. The
fake then sends `/who` and `/timeline` interactions about a stored story through the gateway, half with
the story as typed ("harbour fire") and half as chosen from autocomplete (its id), `--in-flight` at a
time, and times each from sending the event to receiving the callback. The first few interactions (the
stories being built once) are a warm-up and not counted. The last line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.discord_server import FakeDiscord

from bot.bootstrap import read_options
from bot.channels.admin import ChannelAdmin
from bot.clock import SystemClock
from bot.config import BotSettings
from bot.demo import DEMO_FEEDS, DemoFeedReader
from bot.feeds.extraction import make_extractor
from bot.feeds.fetching import EngineFeedReader
from bot.feeds.poller import FeedPoller
from bot.feeds.probe import EngineFeedProbe
from bot.identity import Caller, ChannelRef
from bot.store.db import Store
from bot.store.migrate import upgrade_store

GUILD = 91_000_000_000_000_001
CHANNEL = 91_000_000_000_000_101
TYPED_STORY = "harbour fire"
WARM_UP = 20


async def prepare_store(
    data_dir: Path, platform: str = "discord", workspace: str = str(GUILD), channel: str = str(CHANNEL)
) -> None:
    """A channel following the demo feeds, their articles polled and analysed, as the running service does."""
    # The engine runs in a worker process, so this process (the fake Discord) stays small: no language
    # model in its heap for the garbage collector to walk while it times the bot.
    settings = BotSettings(data_dir=data_dir, feeds={"extraction_workers": 1})
    store = Store.from_url(settings.store_url())
    await upgrade_store(store)
    options = read_options(settings)
    reader = DemoFeedReader(EngineFeedReader(options, 4), options)
    clock = SystemClock()
    admin = ChannelAdmin(store, EngineFeedProbe(reader), clock)
    ref = ChannelRef(platform=platform, workspace=workspace, channel=channel)
    operator = Caller(user_id="bench", is_channel_admin=True)
    await admin.setup(ref, operator)
    for url in DEMO_FEEDS:
        await admin.add_feed(ref, operator, url)
    extractor = make_extractor(settings.spacy_pipeline, settings.feeds.extraction_workers)
    outcomes = await FeedPoller(store, reader, extractor, clock, settings.feeds).poll_due()
    stored = sum(o.new_articles for o in outcomes)
    await extractor.close()
    await reader.close()
    await store.close()
    print(f"store: {stored} demo articles in {settings.store_url()}", flush=True)


async def start_bot(fake: FakeDiscord, data_dir: Path) -> asyncio.subprocess.Process:
    """`briefbot discord run` on the prepared store, pointed at the fake Discord."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(
        BRIEFBOT_DATA_DIR=str(data_dir),
        BRIEFBOT_DISCORD_TOKEN=fake.token,
        BRIEFBOT_DISCORD_API_URL=fake.api_url,
        BRIEFBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
    )
    briefbot = str(Path(sys.executable).with_name("briefbot"))
    return await asyncio.create_subprocess_exec(
        briefbot, "discord", "run", env=env, cwd=data_dir, stdin=asyncio.subprocess.DEVNULL
    )


async def one(fake: FakeDiscord, command: str, story: str) -> tuple[float, bool]:
    """Send one interaction; the seconds until its callback, and whether it carried the expected embed."""
    payload = fake.interaction(GUILD, CHANNEL, [command], {"story": story})
    arrived = fake.expect_callback(payload)
    started = time.perf_counter()
    await fake.send_interaction(payload)
    callback = await asyncio.wait_for(arrived, 30)
    title = (callback.embeds[0].get("title") or "") if callback.embeds else ""
    ok = callback.type == 4 and title.startswith(("Who — ", "Timeline — "))
    return callback.received_at - started, ok


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency_figures(times: dict[str, list[float]]) -> dict[str, float]:
    """Median, p99 and max in milliseconds of each command's times (in seconds)."""
    figures: dict[str, float] = {}
    for command, values in times.items():
        ms = [v * 1000 for v in values]
        figures[f"{command}_median_ms"] = round(statistics.median(ms), 2)
        figures[f"{command}_p99_ms"] = round(percentile(ms, 0.99), 2)
        figures[f"{command}_max_ms"] = round(max(ms), 2)
    return figures


@dataclass
class Load:
    """What a load run measured: each command's seconds, wrong answers, wall time and CPU spent."""

    times: dict[str, list[float]]
    failed: int
    wall_s: float
    bot_cpu_s: float
    own_cpu_s: float


async def apply_load(
    bot_pid: int, count: int, in_flight: int, ask: Callable[[int], Awaitable[tuple[float, bool]]]
) -> Load:
    """Ask `count` times, `in_flight` at a time, alternating /who and /timeline (`ask(i)` asks the i-th)."""
    gate = asyncio.Semaphore(in_flight)
    load = Load(times={"who": [], "timeline": []}, failed=0, wall_s=0.0, bot_cpu_s=0.0, own_cpu_s=0.0)

    async def limited(i: int) -> None:
        async with gate:
            seconds, ok = await ask(i)
        load.times[("who", "timeline")[i % 2]].append(seconds)
        load.failed += not ok

    bot_cpu, own_cpu = cpu_seconds(bot_pid), time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(limited(i) for i in range(count)))
    load.wall_s = time.perf_counter() - started
    load.bot_cpu_s, load.own_cpu_s = cpu_seconds(bot_pid) - bot_cpu, time.process_time() - own_cpu
    return load


async def stop_process(process: asyncio.subprocess.Process) -> None:
    """SIGTERM the bot and wait for it (killed after 30 s)."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()


async def run(interactions: int, in_flight: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        data_dir = Path(tmp)
        await prepare_store(data_dir)
        fake = FakeDiscord()
        await fake.start()
        fake.add_guild(GUILD, "Bench", {CHANNEL: "news"})
        bot = await start_bot(fake, data_dir)
        try:
            await fake.wait_for(lambda: fake.identified and fake.synced_commands, timeout=180)
            await asyncio.sleep(0.5)
            story_id = await story_id_of(fake)
            for i in range(WARM_UP):
                await one(fake, ("who", "timeline")[i % 2], TYPED_STORY)

            async def ask(i: int) -> tuple[float, bool]:
                story = TYPED_STORY if (i // 2) % 2 == 0 else story_id
                return await one(fake, ("who", "timeline")[i % 2], story)

            load = await apply_load(bot.pid, interactions, in_flight, ask)
        finally:
            await stop_process(bot)
            await fake.stop()
    figures: dict[str, Any] = {
        "interactions": interactions,
        "in_flight": in_flight,
        **latency_figures(load.times),
    }
    figures["interactions_per_s"] = round(interactions / load.wall_s, 1)
    figures["bot_cpu_ms_per_interaction"] = round(load.bot_cpu_s * 1000 / interactions, 2)
    figures["fake_cpu_ms_per_interaction"] = round(load.own_cpu_s * 1000 / interactions, 2)
    figures["load_average"] = round(os.getloadavg()[0], 1)
    figures["wrong_answers"] = load.failed
    return figures


async def story_id_of(fake: FakeDiscord) -> str:
    """The stored story's id, as autocomplete offers it (none while the stories are first being built)."""
    for _ in range(60):
        payload = fake.interaction(GUILD, CHANNEL, ["who"], {"story": "harbour"}, focused="story")
        arrived = fake.expect_callback(payload)
        await fake.send_interaction(payload)
        choices = (await asyncio.wait_for(arrived, 60)).data.get("choices") or []
        if choices:
            return str(choices[0]["value"])
        await asyncio.sleep(1)
    raise RuntimeError("autocomplete never offered the stored story")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=50)
    args = parser.parse_args()
    figures = asyncio.run(run(args.interactions, args.in_flight))
    print(
        f"{figures['interactions']} interactions, {figures['in_flight']} in flight, "
        f"{figures['interactions_per_s']} per second; wrong answers: {figures['wrong_answers']}"
    )
    print(
        f"CPU per interaction: the bot {figures['bot_cpu_ms_per_interaction']:.2f} ms, the fake Discord "
        f"{figures['fake_cpu_ms_per_interaction']:.2f} ms; load average {figures['load_average']} on "
        f"{os.cpu_count()} cores"
    )
    for command in ("who", "timeline"):
        print(
            f"/{command:<9} INTERACTION_CREATE → callback: median {figures[f'{command}_median_ms']:.1f} ms, "
            f"p99 {figures[f'{command}_p99_ms']:.1f} ms, max {figures[f'{command}_max_ms']:.1f} ms"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
