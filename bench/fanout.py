"""Fan-out through the platforms' rate limits: 10,000 digests due in one minute, half Discord, half Slack.

    python -m bench.fanout [--channels 10000] [--bots 2] [--workers 2] [--poll-feeds 1000]
                           [--commands-per-s 10]

What runs: PostgreSQL (the test server on loopback, a schema of its own); `--bots` real `briefbot run`
processes (Discord shards split between them, Slack in HTTP mode on a port each, one of them the active
scheduler through the advisory lock, the other a standby that answers commands); `--workers` real
`briefbot worker` processes on the procrastinate queue; a fake Discord and a fake Slack on 127.0.0.1 in this
process (tests/fakes/), and a feed server on 127.0.0.1 in a child process. Nothing leaves loopback.

What the fakes enforce (the platforms' published limits):
- Discord: a global limit of 50 requests a second per bot (interaction callbacks and follow-ups exempt, as
  Discord documents), and the per-route bucket of `POST /channels/{id}/messages`, 5 requests per 5 seconds
  per channel. Every answer of that route carries `X-RateLimit-Limit`, `-Remaining`, `-Reset-After`,
  `-Bucket`; past a limit the answer is a 429 with `{"retry_after": s, "global": bool}`. discord.py honours
  these itself.
- Slack: `chat.postMessage` about one message a second per channel, short bursts (3) tolerated, a 429 with
  `Retry-After` past it; slack_sdk's AsyncRateLimitErrorRetryHandler waits it out. Slack's workspace-wide
  Web API tiers are not modelled: a tenant's workspace has a handful of channels, not 5,000 (here all Slack
  channels share one bot token only because one workspace is simpler to fake).

The store: `--channels` channels (even ones on Discord in servers of 100 channels, odd ones in one Slack
workspace), each following 3 of 200 feeds that carry the repository's original articles (bench.channels'
set-up), all due at the same minute. The bots start, then the minute comes. Figures: the time from the due
minute until the last part of the last digest reached the fakes; the 429s the fakes answered; digests lost
(a channel whose digest did not fully arrive) and doubled (a part posted twice); `/who` latency on both
platforms (from sending the interaction or signed request to its answer), asked `--commands-per-s` times a
second throughout delivery, and then throughout a feed round in which the workers fetch, extract and
store `--poll-feeds` new articles. The lower bound is what the limits allow: Discord's messages / 50 per
second (its per-channel buckets do not bind at a digest of one or two messages), Slack's per-channel pace
runs in parallel across channels so it binds only at (parts - burst) seconds; the bound is the larger.
The last line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.discord_server import DiscordLimits, FakeDiscord
from fakes.slack_api import FakeSlack, SlackLimits, command_body, sign

import bench.channels as bench_channels
from bench.discord_commands import cpu_seconds, percentile
from bot.store.db import Store
from bot.store.models import Channel, ChannelFeed, Feed

PG = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEAM, TOKEN, SECRET = "T0FANOUT", "xoxb-fanout", "fanout-signing-secret"
CHANNELS_PER_GUILD = 100
DISCORD_CHANNEL_BASE = 930_000_000_000_000_000
FEEDS = 200
COMMANDS_MEASURED = 200
_MARK = re.compile(r"briefbot ref (\w+)(?: · (\d+)/(\d+))?")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def guild_id(number: int) -> int:
    """A server's snowflake: consecutive numbers land on alternating shards ((id >> 22) % shards)."""
    return ((number + 1) << 22) + 7


def with_schema(schema: str) -> str:
    return f"{PG}?options=-csearch_path%3D{schema}"


# ------------------------------------------------------------------------------------------ the store


async def prepare(
    schema: str, channels: int, due: datetime, poll_feeds: int, feed_port: int
) -> dict[str, Any]:
    """bench.channels' digests (articles found hours before `due`), moved onto Discord and Slack, due at `due`."""
    bench_channels.DUE = due  # its articles and channels are dated from this
    prepared = await bench_channels.prepare_digests(PG, schema, channels, FEEDS)
    created = due - timedelta(days=2)
    guilds = math.ceil((channels + 1) // 2 / CHANNELS_PER_GUILD) or 1
    with psycopg.connect(PG, autocommit=False) as db:
        db.execute(f'SET search_path TO "{schema}"')
        guild_rows = []
        for g in range(guilds):
            row = db.execute(
                "INSERT INTO workspaces (platform, external_id, name, created_at) VALUES ('discord', %s, %s, %s) "
                "RETURNING id",
                (str(guild_id(g)), f"Guild {g}", created),
            ).fetchone()
            assert row is not None
            guild_rows.append(row[0])
        row = db.execute(
            "INSERT INTO workspaces (platform, external_id, name, created_at) VALUES ('slack', %s, 'Fanout', %s) "
            "RETURNING id",
            (TEAM, created),
        ).fetchone()
        assert row is not None
        slack_ws = row[0]
        ids = [r[0] for r in db.execute("SELECT id FROM channels ORDER BY id").fetchall()]
        moves = []
        for i, cid in enumerate(ids):
            if i % 2 == 0:
                moves.append((guild_rows[(i // 2) // CHANNELS_PER_GUILD], str(DISCORD_CHANNEL_BASE + i), cid))
            else:
                moves.append((slack_ws, f"C{i:08d}", cid))
        with db.cursor() as cursor:
            cursor.executemany("UPDATE channels SET workspace_id = %s, external_id = %s WHERE id = %s", moves)
        # Set up minutes before their first digest: yesterday's is not theirs to skip with a notice.
        db.execute(
            "UPDATE channels SET digest_time = %s, timezone = 'UTC', name = 'news', created_at = %s",
            (f"{due:%H:%M}", due - timedelta(minutes=5)),
        )
        # The digest feeds are not polled again here (they are not on any server): only the round's feeds are.
        db.execute("UPDATE feeds SET next_poll_at = %s", (due + timedelta(days=30),))
        db.commit()
    feed_ids = await round_feeds(schema, slack_ws, due, poll_feeds, feed_port)
    return {**prepared, "guilds": guilds, "round_feed_ids": feed_ids}


async def round_feeds(
    schema: str, slack_ws: int, due: datetime, poll_feeds: int, feed_port: int
) -> list[int]:
    """The feeds of the ingestion round, followed by a channel whose digest is twelve hours away."""
    store = Store.from_url(PG, schema=schema)
    created = due - timedelta(days=2)
    try:
        async with store.transaction() as session:
            channel = Channel(
                workspace_id=slack_ws,
                external_id="CINGEST",
                name="ingest",
                digest_time=f"{due + timedelta(hours=12):%H:%M}",
                created_at=created,
                updated_at=created,
            )
            session.add(channel)
            feeds = [
                Feed(
                    url=f"http://127.0.0.1:{feed_port}/{n}.xml",
                    interval_s=900,
                    next_poll_at=due + timedelta(days=30),
                    created_at=created,
                )
                for n in range(poll_feeds)
            ]
            session.add_all(feeds)
            await session.flush()
            session.add_all(ChannelFeed(channel_id=channel.id, feed_id=f.id, added_at=created) for f in feeds)
            return [f.id for f in feeds]
    finally:
        await store.close()


def channel_refs(schema: str) -> tuple[dict[int, list[int]], list[str], dict[str, str]]:
    """Discord channels by server, Slack channels, and a story title each platform's first channel can ask about."""
    with psycopg.connect(PG) as db:
        db.execute(f'SET search_path TO "{schema}"')
        rows = db.execute(
            "SELECT w.platform, w.external_id, c.external_id, c.id FROM channels c "
            "JOIN workspaces w ON w.id = c.workspace_id WHERE c.external_id <> 'CINGEST' ORDER BY c.id"
        ).fetchall()
        guilds: dict[int, list[int]] = {}
        slack: list[str] = []
        titles: dict[str, str] = {}
        for platform, workspace, channel, cid in rows:
            if platform == "discord":
                guilds.setdefault(int(workspace), []).append(int(channel))
            else:
                slack.append(channel)
            if platform not in titles:
                title = db.execute(
                    "SELECT a.title FROM articles a JOIN feed_articles fa ON fa.article_id = a.id "
                    "JOIN channel_feeds cf ON cf.feed_id = fa.feed_id WHERE cf.channel_id = %s "
                    "ORDER BY a.id LIMIT 1",
                    (cid,),
                ).fetchone()
                titles[platform] = (title[0] if title else None) or "fire"
                titles[platform + ":channel"] = channel
                titles[platform + ":workspace"] = workspace
    return guilds, slack, titles


def story_title(schema: str, external_id: str) -> str | None:
    """The title of a story in the channel's feeds: every shard's `/who` asks about one it has."""
    with psycopg.connect(PG) as db:
        db.execute(f'SET search_path TO "{schema}"')
        row = db.execute(
            "SELECT a.title FROM articles a JOIN feed_articles fa ON fa.article_id = a.id "
            "JOIN channel_feeds cf ON cf.feed_id = fa.feed_id JOIN channels c ON c.id = cf.channel_id "
            "WHERE c.external_id = %s ORDER BY a.id LIMIT 1",
            (external_id,),
        ).fetchone()
    return row[0] if row else None


def database_activity() -> dict[str, int]:
    """The server's counters for the test database (every client of it, this bench's processes and any other)."""
    with psycopg.connect(PG) as db:
        row = db.execute(
            "SELECT xact_commit + xact_rollback, tup_returned, tup_fetched, tup_inserted + tup_updated + tup_deleted"
            " FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    assert row is not None
    return dict(
        zip(("transactions", "rows_scanned", "rows_fetched", "rows_written"), map(int, row), strict=True)
    )


def activity_since(before: dict[str, int]) -> dict[str, int]:
    after = database_activity()
    return {key: after[key] - before[key] for key in before}


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (a `briefbot run` and its scheduler child, with their helpers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                queue += [int(child) for child in task.read_text().split()]
    return found


def tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of the process and each of its descendants, by pid."""
    cpu = {}
    for member in process_tree(pid):
        with contextlib.suppress(OSError, IndexError):
            cpu[member] = cpu_seconds(member)
    return cpu


def cpu_since(before: dict[int, float], pid: int) -> tuple[float, float]:
    """CPU seconds since `before` of the process itself, and of its descendants."""
    now = tree_cpu(pid)
    own = now.get(pid, 0.0) - before.get(pid, 0.0)
    children = sum(v - before.get(k, 0.0) for k, v in now.items() if k != pid)
    return own, children


async def leader_of(http: aiohttp.ClientSession, health_ports: list[int]) -> int | None:
    """Which bot's /healthz says it (its scheduler) is the active scheduler."""
    for n, port in enumerate(health_ports):
        with contextlib.suppress(aiohttp.ClientError, TimeoutError, ValueError):
            async with http.get(
                f"http://127.0.0.1:{port}/healthz", timeout=aiohttp.ClientTimeout(5)
            ) as answer:
                if (await answer.json()).get("scheduler") == "leader":
                    return n
    return None


def count(schema: str, sql: str, *params: Any) -> int:
    with psycopg.connect(PG) as db:
        db.execute(f'SET search_path TO "{schema}"')
        row = db.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


# ------------------------------------------------------------------------------------------ processes


INLINE_SCHEDULER = False  # --inline-scheduler: the scheduler's work in the process answering commands


def bot_env(data_dir: Path, schema: str, lock_key: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(
        BRIEFBOT_DATA_DIR=str(data_dir),
        BRIEFBOT_DATABASE_URL=with_schema(schema),
        BRIEFBOT_QUEUE__BACKEND="procrastinate",
        BRIEFBOT_SCHEDULER__LEADER_LOCK_KEY=str(lock_key),
        BRIEFBOT_SCHEDULER__FEED_POLL_TICK_S="2",
        BRIEFBOT_ALLOW_PRIVATE_URLS="true",  # the round's feeds are on loopback
        BRIEFBOT_FEEDS__LINKED_PAGES="0",
        BRIEFBOT_FEEDS__EXTRACTION_WORKERS="1",
        PYTHONPATH=str(Path(__file__).resolve().parent.parent),
        BRIEFBOT_SCHEDULER__SEPARATE_PROCESS=str(not INLINE_SCHEDULER).lower(),
    )
    if os.environ.get("FANOUT_ASYNCIO_DEBUG"):  # asyncio then logs every step that held a loop > 100 ms
        env["PYTHONASYNCIODEBUG"] = "1"
    return env


async def start(args: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    handle = log.open("wb")
    profile = os.environ.get("FANOUT_PROFILE")  # a folder: each bot process runs under cProfile, kept there
    runner = ["-m", "cProfile", "-o", f"{profile}/{log.stem}.prof"] if profile and args[0] == "run" else []
    return await asyncio.create_subprocess_exec(
        sys.executable, *runner, "-m", "bot.cli", *args, env=env, cwd=log.parent,
        stdin=asyncio.subprocess.DEVNULL, stdout=handle, stderr=handle,
    )  # fmt: skip


async def stop_all(processes: list[asyncio.subprocess.Process]) -> None:
    for process in processes:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            await asyncio.wait_for(process.wait(), 40)
        except TimeoutError:
            process.kill()
            await process.wait()


# ------------------------------------------------------------------------------------------ commands


class Commands:
    """`/who` asked on both platforms at a steady pace; each answer's latency kept by phase."""

    def __init__(
        self, discord: FakeDiscord, slack: FakeSlack, http: aiohttp.ClientSession, ports: list[int],
        guilds: dict[int, list[int]], titles: dict[str, str],
    ) -> None:  # fmt: skip
        self.discord, self.slack, self.http, self.ports = discord, slack, http, ports
        # One server per shard: every bot process answers some of the commands.
        shards = len(ports)
        self.targets: list[tuple[int, int]] = []
        for shard in range(shards):
            for g, chans in sorted(guilds.items()):
                if (g >> 22) % shards == shard:
                    self.targets.append((g, chans[0]))
                    break
        self.titles = titles
        self.times: dict[str, list[float]] = {}
        self.wrong = 0
        self.failed = 0
        self.phase = "idle"
        self._seq = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def discord_who(self, guild: int, channel: int) -> tuple[float, bool]:
        title = self.titles.get(f"discord:{channel}", self.titles["discord"])
        payload = self.discord.interaction(guild, channel, ["who"], {"story": title})
        arrived = self.discord.expect_callback(payload)
        started = time.perf_counter()
        await self.discord.send_interaction(payload)
        callback = await asyncio.wait_for(arrived, 60)
        title = (callback.embeds[0].get("title") or "") if callback.embeds else ""
        return callback.received_at - started, callback.type == 4 and bool(title)

    async def slack_who(self, port: int) -> tuple[float, bool]:
        self._seq += 1
        rid = f"f{self._seq}"
        body = command_body(
            "/who", self.titles["slack"], team=TEAM, channel=self.titles["slack:channel"], user="U0FAN",
            response_url=self.slack.response_url(rid),
        )  # fmt: skip
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
        started = time.perf_counter()
        async with self.http.post(
            f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=headers
        ) as response:
            text = await response.text()
        answer: dict[str, Any] = json.loads(text) if text.startswith("{") else {}
        if not answer.get("blocks"):
            answer = (await self.slack.wait_for(lambda: self.slack.responses.get(rid), timeout=60))[0]
        return time.perf_counter() - started, bool(answer.get("blocks"))

    async def _one(self, i: int) -> None:
        phase = self.phase
        try:
            if i % 2 == 0:
                guild, channel = self.targets[(i // 2) % len(self.targets)]
                seconds, ok = await self.discord_who(guild, channel)
                platform = f"discord:bot{(guild >> 22) % len(self.ports)}"
            else:
                seconds, ok = await self.slack_who(self.ports[(i // 2) % len(self.ports)])
                platform = f"slack:bot{(i // 2) % len(self.ports)}"
        except (TimeoutError, aiohttp.ClientError, AssertionError):
            self.failed += 1
            return
        self.times.setdefault(phase, []).append(seconds)
        self.times.setdefault(f"{phase}:{platform.split(':')[0]}", []).append(seconds)
        self.times.setdefault(f"{phase}:{platform}", []).append(seconds)
        self.wrong += not ok

    async def keep_asking(self, per_s: float, stop: asyncio.Event) -> None:
        i = 0
        while not stop.is_set():
            task = asyncio.create_task(self._one(i))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            i += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1 / per_s)
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, values in self.times.items():
            name = key.replace(":", "_")
            ms = [v * 1000 for v in values]
            out[f"who_{name}_n"] = len(ms)
            out[f"who_{name}_median_ms"] = round(sorted(ms)[len(ms) // 2], 1)
            out[f"who_{name}_p99_ms"] = round(percentile(ms, 0.99), 1)
            out[f"who_{name}_max_ms"] = round(max(ms), 1)
        out["who_wrong_answers"] = self.wrong
        out["who_unanswered"] = self.failed
        return out


# ------------------------------------------------------------------------------------------ counting


def discord_parts(fake: FakeDiscord) -> dict[int, list[tuple[str, int, int]]]:
    """(ref, part, parts) of every digest message in each Discord channel."""
    found: dict[int, list[tuple[str, int, int]]] = {}
    for channel, messages in list(fake.channel_messages.items()):
        for message in list(messages):
            embeds = message.get("embeds") or []
            footer = ((embeds[0].get("footer") or {}).get("text") or "") if embeds else ""
            mark = _MARK.search(footer)
            if mark:
                part, parts = (int(mark[2]) - 1, int(mark[3])) if mark[2] else (0, 1)
                found.setdefault(channel, []).append((mark[1], part, parts))
    return found


def slack_parts(fake: FakeSlack) -> dict[str, list[tuple[str, int, int]]]:
    found: dict[str, list[tuple[str, int, int]]] = {}
    for channel, messages in list(fake.messages.items()):
        for message in list(messages):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if "key" in payload:
                found.setdefault(channel, []).append((payload["key"], payload["part"], payload["parts"]))
    return found


def tally(parts: dict[Any, list[tuple[str, int, int]]], expected: list[Any]) -> tuple[int, int, int, int]:
    """Digests complete, lost (missing or in part), doubled (a part twice); messages posted."""
    complete = lost = doubled = messages = 0
    for channel in expected:
        posted = parts.get(channel, [])
        messages += len(posted)
        if len(set(posted)) < len(posted):
            doubled += 1
        total = posted[0][2] if posted else 0
        if posted and {p for _, p, _ in posted} == set(range(total)):
            complete += 1
        else:
            lost += 1
    return complete, lost, doubled, messages


# ------------------------------------------------------------------------------------------ the run


async def run(
    channels: int,
    bots: int,
    workers: int,
    poll_feeds: int,
    per_s: float,
    logs: Path | None = None,
    lead_s: float = 120,
) -> dict[str, Any]:
    schema = bench_channels._postgres_schema("fanout")
    ports_queue: Any = multiprocessing.get_context("spawn").Queue()
    feed_server = multiprocessing.get_context("spawn").Process(
        target=bench_channels._serve_feeds, args=(ports_queue, poll_feeds), daemon=True
    )
    feed_server.start()
    feed_port = ports_queue.get(timeout=30)
    processes: list[asyncio.subprocess.Process] = []
    discord = FakeDiscord(limits=DiscordLimits(), shard_count=bots)
    slack = FakeSlack(limits=SlackLimits(), keep_calls=False)
    figures: dict[str, Any] = {"channels": channels, "bots": bots, "workers": workers}
    with tempfile.TemporaryDirectory(prefix="briefbot-fanout-") as tmp:
        try:
            # Due at a minute far enough ahead for the set-up and the processes' start; moved if it is not.
            started = time.perf_counter()
            due = (datetime.now(UTC) + timedelta(seconds=lead_s)).replace(second=0, microsecond=0)
            prepared = await prepare(schema, channels, due, poll_feeds, feed_port)
            round_feeds = prepared.pop("round_feed_ids")
            figures["prepare_s"] = round(time.perf_counter() - started, 1)
            print(
                f"store: {channels:,} channels ({prepared['guilds']} Discord servers, 1 Slack workspace), "
                f"{prepared['articles']:,} articles in stories; prepared in {figures['prepare_s']} s",
                flush=True,
            )
            guilds, slack_channels, titles = channel_refs(schema)
            await discord.start()
            await slack.start()
            for g, (gid, chans) in enumerate(sorted(guilds.items())):
                discord.add_guild(gid, f"Guild {g}", {c: "news" for c in chans})
            slack.add_workspace(TEAM, TOKEN)
            slack.add_user("U0FAN", "Fan Out", team=TEAM)
            for channel in [*slack_channels, "CINGEST"]:
                slack.add_channel(channel, "news")
            lock_key = random.randrange(1 << 30, 1 << 31)
            base = bot_env(Path(tmp), schema, lock_key)
            upgrade = await start(["db", "upgrade"], base, Path(tmp) / "upgrade.log")
            if await upgrade.wait():
                raise RuntimeError((Path(tmp) / "upgrade.log").read_text())
            ports = [free_port() for _ in range(bots)]
            health_ports = [free_port() for _ in range(bots)]
            for n in range(bots):
                env = {
                    **base,
                    "BRIEFBOT_DATA_DIR": str(Path(tmp) / f"bot{n}"),
                    "BRIEFBOT_DISCORD_TOKEN": discord.token,
                    "BRIEFBOT_DISCORD_API_URL": discord.api_url,
                    "BRIEFBOT_DISCORD_GATEWAY_URL": discord.gateway_url,
                    "BRIEFBOT_DISCORD_SHARD_COUNT": str(bots),
                    "BRIEFBOT_DISCORD_SHARD_IDS": json.dumps([n]),
                    "BRIEFBOT_SLACK_BOT_TOKEN": TOKEN,
                    "BRIEFBOT_SLACK_SIGNING_SECRET": SECRET,
                    "BRIEFBOT_SLACK_API_URL": slack.api_url,
                    "BRIEFBOT_SLACK_PORT": str(ports[n]),
                    "BRIEFBOT_HEALTH_PORT": str(health_ports[n]),
                }
                processes.append(await start(["run", "--no-console"], env, Path(tmp) / f"bot{n}.log"))
            worker_procs = []
            for n in range(workers):
                env = {**base, "BRIEFBOT_DATA_DIR": str(Path(tmp) / f"worker{n}")}
                worker_procs.append(await start(["worker"], env, Path(tmp) / f"worker{n}.log"))
            processes += worker_procs
            await discord.wait_for(lambda: len(discord.identified) >= bots and discord.synced_commands, 300)
            async with aiohttp.ClientSession() as http:
                commands = Commands(discord, slack, http, ports, guilds, titles)
                for _, target in commands.targets:
                    titles[f"discord:{target}"] = story_title(schema, str(target)) or titles["discord"]
                for port in ports:  # a Slack bot is up once it answers
                    for _ in range(600):
                        try:
                            await commands.slack_who(port)
                            break
                        except aiohttp.ClientError:
                            await asyncio.sleep(0.5)
                for i in range(20):  # warm-up: stories built once, connections open
                    await commands._one(i)
                commands.times.clear()
                commands.wrong = commands.failed = 0
                wait = (due - datetime.now(UTC)).total_seconds()
                print(
                    f"{bots} bots and {workers} workers up; digests due at {due:%H:%M:%S} UTC "
                    f"({f'in {wait:.0f} s' if wait > 0 else f'{-wait:.0f} s ago: the start sweep posts them'})",
                    flush=True,
                )
                # The database's work per command, from a stretch of commands alone (nothing else due).
                db_before = database_activity()
                for i in range(COMMANDS_MEASURED):
                    await commands._one(i)
                db_commands = activity_since(db_before)
                commands.times.clear()
                stop_asking = asyncio.Event()
                asking = asyncio.create_task(commands.keep_asking(per_s, stop_asking))
                if wait > 0:
                    await asyncio.sleep(wait)
                commands.phase = "delivery"
                due_at = time.perf_counter() - max(0.0, -wait)
                cpu_before = {p.pid: tree_cpu(p.pid) for p in processes}
                db_before = database_activity()
                own_before = time.process_time()
                requests_before = len(discord.requests)
                discord_expected = [c for chans in guilds.values() for c in chans]
                last_progress, last_total, finished_at = time.perf_counter(), -1, None
                done_at: dict[str, float] = {}
                while True:
                    await asyncio.sleep(0.5)
                    d = tally(discord_parts(discord), discord_expected)
                    s = tally(slack_parts(slack), slack_channels)
                    for name, (complete, *_), expected in (
                        ("discord", d, discord_expected), ("slack", s, slack_channels)
                    ):  # fmt: skip
                        if complete == len(expected) and name not in done_at:
                            done_at[name] = round(time.perf_counter() - due_at, 1)
                    total = d[0] + s[0]
                    if total != last_total:
                        last_total, last_progress = total, time.perf_counter()
                    if total == channels:
                        finished_at = time.perf_counter()
                        break
                    if time.perf_counter() - last_progress > 180:
                        break  # no digest arrived for 3 minutes: the rest is lost
                delivery_s = (finished_at or last_progress) - due_at
                # The last arrival, not the moment this loop noticed it.
                await asyncio.sleep(5)  # anything posted twice late would show now
                d = tally(discord_parts(discord), discord_expected)
                s = tally(slack_parts(slack), slack_channels)
                cpu = {p.pid: cpu_since(cpu_before[p.pid], p.pid) for p in processes}
                figures["leader_bot"] = await leader_of(http, health_ports)
                db_delivery = activity_since(db_before)
                own_cpu = time.process_time() - own_before
                # The feed round: the workers fetch, extract and store one new article from each feed.
                commands.phase = "ingestion"
                with psycopg.connect(PG, autocommit=True) as db:
                    db.execute(f'SET search_path TO "{schema}"')
                    db.execute(
                        "UPDATE feeds SET next_poll_at = now() - interval '1 second' WHERE id = ANY(%s)",
                        (round_feeds,),
                    )
                round_started = time.perf_counter()
                stored = 0
                while time.perf_counter() - round_started < 600:
                    await asyncio.sleep(1)
                    stored = count(
                        schema, "SELECT count(*) FROM feed_articles WHERE feed_id = ANY(%s)", round_feeds
                    )
                    if stored >= poll_feeds:
                        break
                round_s = time.perf_counter() - round_started
                stop_asking.set()
                await asking
            sent = count(schema, "SELECT count(*) FROM deliveries WHERE status = 'sent' AND kind = 'digest'")
            if logs is not None:
                logs.mkdir(parents=True, exist_ok=True)
                for log in Path(tmp).glob("*.log"):
                    shutil.copy(log, logs / log.name)
            errors = sum(
                log.read_text(errors="replace").count("Traceback") for log in Path(tmp).glob("*.log")
            )
        finally:
            await stop_all(processes)
            await discord.stop()
            await slack.stop()
            feed_server.terminate()
            with psycopg.connect(PG, autocommit=True) as db:
                db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    discord_messages, slack_messages = d[3], s[3]
    discord_bound = discord_messages / DiscordLimits().global_per_s
    slack_max_parts = max((p[0][2] for p in slack_parts(slack).values() if p), default=1)
    slack_bound = max(0, slack_max_parts - SlackLimits().burst) / SlackLimits().per_s
    bound = max(discord_bound, slack_bound, 1.0)
    figures.update(
        {
            "delivery_s": round(delivery_s, 1),
            "discord_done_s": done_at.get("discord"),
            "slack_done_s": done_at.get("slack"),
            "started_late_s": round(max(0.0, -wait), 1),
            "lower_bound_s": round(bound, 1),
            "ratio_to_bound": round(delivery_s / bound, 2),
            "digests_complete": d[0] + s[0],
            "digests_lost": d[1] + s[1],
            "digests_doubled": d[2] + s[2],
            "deliveries_recorded_sent": sent,
            "discord_messages": discord_messages,
            "slack_messages": slack_messages,
            "discord_requests": len(discord.requests),
            "discord_429_global": discord.limited_global,
            "discord_429_channel": discord.limited_channel,
            "slack_429": slack.limited_channel,
            "round_articles": stored,
            "round_s": round(round_s, 1),
            "discord_requests_by_route": routes(discord.requests[requests_before:]),
            "bot_cpu_s": [round(cpu[p.pid][0], 1) for p in processes[:bots]],
            "bot_children_cpu_s": [round(cpu[p.pid][1], 1) for p in processes[:bots]],
            "worker_cpu_s": [round(sum(cpu[p.pid]), 1) for p in processes[bots:]],
            "fakes_cpu_s": round(own_cpu, 1),
            "tracebacks_logged": errors,
            **{f"db_{k}_per_digest": round(v / channels, 2) for k, v in db_delivery.items()},
            **{f"db_{k}_per_command": round(v / COMMANDS_MEASURED, 2) for k, v in db_commands.items()},
            "load_average": round(os.getloadavg()[0], 1),
            **commands.figures(),
        }
    )
    figures.update(by_role(figures, bots))
    return figures


def by_role(figures: dict[str, Any], bots: int) -> dict[str, Any]:
    """The p99 of `/who` on the leader's process and on the standbys', by phase and platform."""
    leader = figures.get("leader_bot")
    if leader is None:
        return {}
    out: dict[str, Any] = {}
    for phase in ("delivery", "ingestion"):
        for platform in ("discord", "slack"):
            out[f"who_{phase}_{platform}_leader_p99_ms"] = figures.get(
                f"who_{phase}_{platform}_bot{leader}_p99_ms"
            )
            standby = [
                figures.get(f"who_{phase}_{platform}_bot{n}_p99_ms") for n in range(bots) if n != leader
            ]
            out[f"who_{phase}_{platform}_standby_p99_ms"] = max(
                (v for v in standby if v is not None), default=None
            )
    return out


def routes(requests: list[str]) -> dict[str, int]:
    """Requests by route (ids replaced by {id})."""
    counted: dict[str, int] = {}
    for request in requests:
        route = re.sub(r"/(itoken-)?\d+", "/{id}", request.replace("/api/v10", ""))
        counted[route] = counted.get(route, 0) + 1
    return dict(sorted(counted.items(), key=lambda kv: -kv[1]))


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--bots", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--poll-feeds", type=int, default=1000)
    parser.add_argument("--commands-per-s", type=float, default=10.0)
    parser.add_argument("--logs", type=Path, help="keep the briefbot processes' logs in this folder")
    parser.add_argument(
        "--lead-s",
        type=float,
        default=120,
        help="the digests are due this long after the start (set-up included)",
    )
    parser.add_argument(
        "--inline-scheduler",
        action="store_true",
        help="the scheduler's work in the process that answers commands (as before it had a child process)",
    )
    args = parser.parse_args()
    global INLINE_SCHEDULER
    INLINE_SCHEDULER = args.inline_scheduler
    figures_note = "inline scheduler" if INLINE_SCHEDULER else "scheduler in a child process"
    print(f"bench.fanout: {figures_note}", flush=True)
    f = asyncio.run(
        run(
            args.channels,
            args.bots,
            args.workers,
            args.poll_feeds,
            args.commands_per_s,
            args.logs,
            args.lead_s,
        )
    )
    print(
        f"{f['digests_complete']:,} of {f['channels']:,} digests posted in {f['delivery_s']} s from the due minute "
        f"({f['discord_messages']:,} Discord and {f['slack_messages']:,} Slack messages); lower bound "
        f"{f['lower_bound_s']} s (Discord's 50 requests/s), ratio {f['ratio_to_bound']}"
    )
    print(
        f"(Discord's all posted at {f['discord_done_s']} s, Slack's at {f['slack_done_s']} s; the bots were up "
        f"{f['started_late_s']} s after the due minute)"
    )
    print(
        f"lost: {f['digests_lost']}, doubled: {f['digests_doubled']}; recorded sent: {f['deliveries_recorded_sent']:,}"
    )
    print(
        f"429s: Discord global {f['discord_429_global']:,}, Discord per-channel {f['discord_429_channel']:,}, "
        f"Slack per-channel {f['slack_429']:,}; Discord requests in all: {f['discord_requests']:,}"
    )
    print(
        f"feed round: {f['round_articles']:,} new articles fetched, extracted and stored by {f['workers']} workers "
        f"in {f['round_s']} s"
    )
    for phase in ("delivery", "ingestion"):
        if f"who_{phase}_n" in f:
            print(
                f"/who during {phase}: {f[f'who_{phase}_n']} asked, median {f[f'who_{phase}_median_ms']} ms, "
                f"p99 {f[f'who_{phase}_p99_ms']} ms, max {f[f'who_{phase}_max_ms']} ms "
                f"(Discord p99 {f.get(f'who_{phase}_discord_p99_ms')} ms, Slack p99 "
                f"{f.get(f'who_{phase}_slack_p99_ms')} ms)"
            )
    if f.get("leader_bot") is not None:
        for phase in ("delivery", "ingestion"):
            print(
                f"/who p99 during {phase}: on the active scheduler's bot (bot{f['leader_bot']}) "
                f"{f[f'who_{phase}_discord_leader_p99_ms']} ms Discord / {f[f'who_{phase}_slack_leader_p99_ms']} ms "
                f"Slack; on the standby {f[f'who_{phase}_discord_standby_p99_ms']} / "
                f"{f[f'who_{phase}_slack_standby_p99_ms']} ms"
            )
    print(f"Discord requests during delivery, by route: {f['discord_requests_by_route']}")
    print(
        "PostgreSQL per digest (delivery, all processes): "
        + ", ".join(f"{k[3:-11]} {v}" for k, v in f.items() if k.endswith("_per_digest"))
        + "; per /who: "
        + ", ".join(f"{k[3:-12]} {v}" for k, v in f.items() if k.endswith("_per_command"))
        + " (the server's counters: other clients of the database count too)"
    )
    print(
        f"CPU during delivery: bots {f['bot_cpu_s']} s (their scheduler processes {f['bot_children_cpu_s']} s), workers {f['worker_cpu_s']} s, the fakes and this bench "
        f"{f['fakes_cpu_s']} s; load average {f['load_average']} on {os.cpu_count()} cores; tracebacks in the "
        f"processes' logs: {f['tracebacks_logged']}"
    )
    print(json.dumps(f))


if __name__ == "__main__":
    main()
