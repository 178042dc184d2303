"""A fake Discord on loopback: the REST API and the gateway websocket, enough for the real discord.py client.

It serves what briefbot's Discord adapter uses: login (`/users/@me`, `/oauth2/applications/@me`),
`/gateway/bot`, the gateway (HELLO, IDENTIFY → READY and GUILD_CREATE, heartbeats, dispatched events),
command sync (`PUT /applications/{id}/commands`), interaction callbacks (`?with_response`), follow-ups and
edits of the original response (webhooks), and channel messages (post with nonce, history). A test
dispatches INTERACTION_CREATE events and reads what came back; `rate_limit` makes the next matching
request(s) answer 429 the way Discord does (JSON `retry_after`, `Via` header), to prove the client waits.
`limits` (off by default) enforces Discord's published limits on every request: the global limit per bot
(50 requests a second; interaction callbacks and follow-ups are exempt, as on Discord) and the per-channel
bucket of `POST /channels/{id}/messages` (5 per 5 seconds), with `X-RateLimit-*` headers on every answer
of that route and a 429 `{"retry_after", "global"}` past them. `outage` makes matching requests answer a
5xx for a while, as Discord does when it is having a bad minute.
Payloads follow Discord's API v10 documentation; only what discord.py reads is filled in.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from aiohttp import WSMsgType, web

DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 1 << 6
_CHANNEL_MESSAGES = re.compile(r"^/api/v10/channels/(\d+)/messages$")


@dataclass
class RateLimitRule:
    """Answer 429 to the next `times` requests whose "METHOD /path" matches."""

    pattern: re.Pattern[str]
    times: int
    retry_after: float
    hits: int = 0


@dataclass
class DiscordLimits:
    """Discord's published rate limits, as the fake enforces them (see the module's docstring)."""

    global_per_s: int = 50
    channel_messages: int = 5
    channel_window_s: float = 5.0


@dataclass
class _Window:
    """One channel's message bucket: how many it took since the window opened, and when the window ends."""

    used: int = 0
    resets_at: float = 0.0


@dataclass
class Outage:
    """Requests "METHOD /path" matching `pattern` answer `status` until `until` (time.monotonic())."""

    pattern: re.Pattern[str]
    status: int
    until: float
    answered: int = 0


@dataclass
class Callback:
    """One interaction callback as Discord received it."""

    interaction_id: str
    token: str
    type: int
    data: dict[str, Any]
    received_at: float

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.data.get("embeds") or [])

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & EPHEMERAL)


@dataclass
class FakeDiscord:
    """The fake server and what it has seen."""

    token: str = ""
    application_id: int = 0
    shard_count: int = 1
    callbacks: list[Callback] = field(default_factory=list)
    webhook_messages: list[dict[str, Any]] = field(default_factory=list)  # follow-ups and edits
    channel_messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    synced_commands: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    identified: list[list[int]] = field(default_factory=list)
    guilds: dict[int, dict[str, Any]] = field(default_factory=dict)
    rate_limits: list[RateLimitRule] = field(default_factory=list)
    rate_limited: list[str] = field(default_factory=list)
    # Discord drops a message whose nonce it saw minutes ago; False: those minutes have passed.
    remember_nonces: bool = True
    limits: DiscordLimits | None = None  # None: no limits enforced (only `rate_limit`'s rules)
    limited_global: int = 0  # 429s answered for the global limit
    limited_channel: int = 0  # 429s answered for a channel's bucket
    outages: list[Outage] = field(default_factory=list)
    outage_answers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.application_id = self.application_id or 1100000000000000001
        encoded = base64.b64encode(str(self.application_id).encode()).decode().rstrip("=")
        self.token = self.token or f"{encoded}.fake.token-for-tests"
        self.bot_user = {
            "id": str(self.application_id),
            "username": "briefbot",
            "discriminator": "0",
            "global_name": "briefbot",
            "avatar": None,
            "bot": True,
            "flags": 0,
        }
        self._ids = itertools.count(1)
        self._sockets: list[tuple[web.WebSocketResponse, int]] = []
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()
        self._awaited: dict[str, asyncio.Future[Callback]] = {}
        self._answered: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._recent: deque[float] = deque()  # times of the requests counted against the global limit
        self._windows: dict[str, _Window] = {}
        self._channels: dict[str, dict[str, Any]] = {}

    # ------------------------------------------------------------------------------------ life

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port."""
        app = web.Application(middlewares=[self._rate_limit_middleware])
        app.router.add_get("/api/v10/users/@me", self._me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self._application)
        app.router.add_get("/api/v10/gateway/bot", self._gateway_bot)
        app.router.add_get("/api/v10/gateway", self._gateway_bot)
        app.router.add_put("/api/v10/applications/{app}/commands", self._sync_commands)
        app.router.add_get("/api/v10/applications/{app}/commands", self._list_commands)
        app.router.add_post("/api/v10/interactions/{id}/{token}/callback", self._callback)
        app.router.add_post("/api/v10/webhooks/{app}/{token}", self._followup)
        app.router.add_route("*", "/api/v10/webhooks/{app}/{token}/messages/{message}", self._original)
        app.router.add_post("/api/v10/channels/{channel}/messages", self._post_message)
        app.router.add_get("/api/v10/channels/{channel}/messages", self._history)
        app.router.add_get("/api/v10/channels/{channel}", self._channel)
        app.router.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close the gateway connections and the server."""
        for socket, _ in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ------------------------------------------------------------------------------------ setting up

    def snowflake(self) -> str:
        """A new id, as Discord makes them (time in the high bits)."""
        return str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) + next(self._ids))

    def add_guild(self, guild_id: int, name: str, channels: dict[int, str]) -> None:
        """A server with text channels; the bot is a member (sent in GUILD_CREATE)."""
        now = datetime.now(UTC).isoformat()
        self.guilds[guild_id] = {
            "id": str(guild_id),
            "name": name,
            "icon": None,
            "owner_id": "1",
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(guild_id),
                    "name": "@everyone",
                    "permissions": str(1024 | 2048 | 16384 | 65536),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                {
                    "id": str(cid),
                    "type": 0,
                    "guild_id": str(guild_id),
                    "name": cname,
                    "position": i,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                }
                for i, (cid, cname) in enumerate(channels.items())
            ],
            "members": [
                {
                    "user": self.bot_user,
                    "roles": [],
                    "joined_at": now,
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "member_count": 2,
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "voice_states": [],
            "presences": [],
            "unavailable": False,
            "large": False,
            "joined_at": now,
            "preferred_locale": "en-US",
        }
        for cid in channels:
            self.channel_messages.setdefault(cid, [])
        for channel in self.guilds[guild_id]["channels"]:
            self._channels[channel["id"]] = channel

    def rate_limit(self, method: str, path: str, times: int = 1, retry_after: float = 0.3) -> None:
        """Answer 429 to the next `times` requests "METHOD path" (path a regex over the URL path)."""
        self.rate_limits.append(RateLimitRule(re.compile(f"^{method} {path}$"), times, retry_after))

    def outage(self, method: str, path: str, seconds: float, status: int = 502) -> Outage:
        """Answer `status` to every request "METHOD path" (path a regex) for the next `seconds`."""
        rule = Outage(re.compile(f"^{method} {path}$"), status, time.monotonic() + seconds)
        self.outages.append(rule)
        return rule

    # ------------------------------------------------------------------------------------ interactions

    def interaction(
        self,
        guild_id: int,
        channel_id: int,
        path: list[str],
        options: dict[str, Any] | None = None,
        *,
        permissions: int = 1024 | 2048,
        user_id: int = 4242,
        focused: str | None = None,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload for a slash command (or, with `focused`, its autocomplete)."""
        values = [
            {"name": k, "type": _option_type(v), "value": v, **({"focused": True} if k == focused else {})}
            for k, v in (options or {}).items()
        ]
        nested: list[dict[str, Any]] = values
        for name in reversed(path[1:]):
            kind = 1 if nested is values else 2
            nested = [{"name": name, "type": kind, "options": nested}]
        guild = self.guilds[guild_id]
        channel = next(c for c in guild["channels"] if c["id"] == str(channel_id))
        now = datetime.now(UTC).isoformat()
        user = {
            "id": str(user_id),
            "username": f"user{user_id}",
            "discriminator": "0",
            "global_name": f"User {user_id}",
            "avatar": None,
        }
        return {
            "id": self.snowflake(),
            "application_id": str(self.application_id),
            "type": 4 if focused else 2,
            "token": f"itoken-{next(self._ids)}",
            "version": 1,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": channel,
            "member": {
                "user": user,
                "roles": [],
                "joined_at": now,
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(permissions),
            },
            "app_permissions": str(1024 | 2048 | 16384 | 65536),
            "locale": "en-GB",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
            "data": {
                "id": self._command_id(path[0]),
                "name": path[0],
                "type": 1,
                "options": nested,
                "guild_id": None,
            },
        }

    def message_interaction(
        self,
        guild_id: int,
        channel_id: int,
        name: str,
        content: str,
        *,
        embeds: list[dict[str, Any]] | None = None,
        permissions: int = 1024 | 2048,
        user_id: int = 4242,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload for a message context-menu command used on a message with `content`."""
        payload = self.interaction(guild_id, channel_id, [name], permissions=permissions, user_id=user_id)
        author = {
            "id": "5151",
            "username": "poster",
            "discriminator": "0",
            "global_name": "Poster",
            "avatar": None,
        }
        target = self._message(str(channel_id), {"content": content, "embeds": embeds or []}, author)
        target.pop("allowed_mentions")
        payload["data"] = {
            "id": self._command_id(name),
            "name": name,
            "type": 3,  # MESSAGE
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
            "guild_id": None,
        }
        return payload

    def _command_id(self, name: str) -> str:
        for command in self.synced_commands:
            if command["name"] == name:
                return str(command["id"])
        return self.snowflake()

    async def dispatch(self, event: str, data: dict[str, Any], guild_id: int | None = None) -> None:
        """Send a gateway event to the shard that owns the guild (or to every shard)."""
        payload = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        for socket, shard in list(self._sockets):
            if guild_id is None or (guild_id >> 22) % self.shard_count == shard:
                await socket.send_str(orjson.dumps(payload).decode())  # a text frame: binary means zlib

    async def send_interaction(self, payload: dict[str, Any]) -> None:
        """An interaction arrives through the gateway."""
        await self.dispatch("INTERACTION_CREATE", payload, int(payload["guild_id"]))

    async def wait_for(self, check: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `check()` returns something truthy; return it."""
        async with self._changed:
            result = await asyncio.wait_for(self._changed.wait_for(check), timeout)
        return result

    def expect_callback(self, payload: dict[str, Any]) -> asyncio.Future[Callback]:
        """A future that gets the interaction's callback when it arrives (cheaper than `wait_for` under load)."""
        future: asyncio.Future[Callback] = asyncio.get_running_loop().create_future()
        self._awaited[payload["id"]] = future
        return future

    def callback_for(self, payload: dict[str, Any]) -> Callback | None:
        """The callback answering an interaction, if it came."""
        return next((c for c in self.callbacks if c.interaction_id == payload["id"]), None)

    def followups_for(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """Follow-ups and edits of the original response of an interaction, in order."""
        return [m for m in self.webhook_messages if m["token"] == payload["token"]]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------------------------------ REST

    @web.middleware
    async def _rate_limit_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        key = f"{request.method} {request.path}"
        self.requests.append(key)
        for rule in self.rate_limits:
            if rule.hits < rule.times and rule.pattern.match(key):
                rule.hits += 1
                self.rate_limited.append(key)
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": rule.retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": str(max(1, round(rule.retry_after))),
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset-After": str(rule.retry_after),
                        "X-RateLimit-Bucket": "fake-bucket",
                        "X-RateLimit-Scope": "user",
                    },
                )
        now = time.monotonic()
        for outage in self.outages:
            if now < outage.until and outage.pattern.match(key):
                outage.answered += 1
                self.outage_answers.append(key)
                return web.Response(status=outage.status, text=f"{outage.status}: Discord is having trouble")
        if self.limits is None:
            return await handler(request)  # type: ignore[no-any-return]
        return await self._enforce(request, handler, self.limits, now)

    async def _enforce(
        self, request: web.Request, handler: Any, limits: DiscordLimits, now: float
    ) -> web.StreamResponse:
        """Discord's global limit, then the channel's message bucket; their headers on the route's answers."""
        exempt = request.path.startswith(("/api/v10/interactions/", "/api/v10/webhooks/", "/gateway"))
        if not exempt:
            while self._recent and self._recent[0] <= now - 1.0:
                self._recent.popleft()
            if len(self._recent) >= limits.global_per_s:
                self.limited_global += 1
                retry_after = round(self._recent[0] + 1.0 - now, 3)
                self.rate_limited.append(f"{request.method} {request.path}")
                return _json(
                    {"message": "You are being rate limited.", "retry_after": retry_after, "global": True},
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": str(max(1, round(retry_after))),
                        "X-RateLimit-Global": "true",
                        "X-RateLimit-Scope": "global",
                    },
                )
            self._recent.append(now)
        match = _CHANNEL_MESSAGES.match(request.path)
        if request.method != "POST" or match is None:
            return await handler(request)  # type: ignore[no-any-return]
        window = self._windows.setdefault(match[1], _Window())
        if now >= window.resets_at:
            window.used, window.resets_at = 0, now + limits.channel_window_s
        reset_after = round(window.resets_at - now, 3)
        headers = {
            "X-RateLimit-Limit": str(limits.channel_messages),
            "X-RateLimit-Bucket": "fake-channel-messages",
            "X-RateLimit-Reset-After": str(reset_after),
            "X-RateLimit-Reset": str(round(time.time() + reset_after, 3)),
        }
        if window.used >= limits.channel_messages:
            self.limited_channel += 1
            self.rate_limited.append(f"{request.method} {request.path}")
            return _json(
                {"message": "You are being rate limited.", "retry_after": reset_after, "global": False},
                status=429,
                headers={
                    **headers,
                    "X-RateLimit-Remaining": "0",
                    "Via": "1.1 google",
                    "Retry-After": str(max(1, round(reset_after))),
                    "X-RateLimit-Scope": "user",
                },
            )
        window.used += 1
        response: web.StreamResponse = await handler(request)
        response.headers.update(
            {**headers, "X-RateLimit-Remaining": str(limits.channel_messages - window.used)}
        )
        return response

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    @staticmethod
    def _unauthorised() -> web.Response:
        return _json({"message": "401: Unauthorized", "code": 0}, status=401)

    async def _me(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        return _json(self.bot_user)

    async def _application(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        return _json(
            {
                "id": str(self.application_id),
                "name": "briefbot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": {"id": "1", "username": "owner", "discriminator": "0", "avatar": None},
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        return _json(
            {
                "url": self.gateway_url,
                "shards": self.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _sync_commands(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        body = orjson.loads(await request.read())
        self.synced_commands = [
            {
                **command,
                "id": self.snowflake(),
                "application_id": str(self.application_id),
                "version": self.snowflake(),
                "type": command.get("type", 1),
                # Context-menu commands are sent without one; Discord answers with an empty description.
                "description": command.get("description", ""),
            }
            for command in body
        ]
        await self._notify()
        return _json(self.synced_commands)

    async def _list_commands(self, request: web.Request) -> web.Response:
        return _json(self.synced_commands)

    def _message(self, channel_id: str, body: dict[str, Any], author: dict[str, Any]) -> dict[str, Any]:
        message = {
            "id": self.snowflake(),
            "channel_id": channel_id,
            "author": author,
            "content": body.get("content") or "",
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": int(body.get("flags") or 0),
            "allowed_mentions": body.get("allowed_mentions"),
        }
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        return message

    async def _callback(self, request: web.Request) -> web.Response:
        body = orjson.loads(await request.read())
        interaction_id = request.match_info["id"]
        if interaction_id in self._answered:
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060}, status=400)
        kind = int(body["type"])
        data = body.get("data") or {}
        callback = Callback(interaction_id, request.match_info["token"], kind, data, time.perf_counter())
        self.callbacks.append(callback)
        self._answered.add(interaction_id)
        waiting = self._awaited.pop(interaction_id, None)
        if waiting is not None and not waiting.done():
            waiting.set_result(callback)
        await self._notify()
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
            }
        }
        if kind in (4, 5):
            message = self._message("0", data, self.bot_user)
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return _json(answer)

    async def _followup(self, request: web.Request) -> web.Response:
        body = orjson.loads(await request.read())
        message = self._message("0", body, self.bot_user)
        self.webhook_messages.append({"token": request.match_info["token"], "kind": "followup", **message})
        await self._notify()
        return _json(message)

    async def _original(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if request.method == "DELETE":
            self.webhook_messages.append({"token": token, "kind": "delete-original"})
            await self._notify()
            return web.Response(status=204)
        body = orjson.loads(await request.read()) if request.method == "PATCH" else {}
        message = self._message("0", body, self.bot_user)
        if request.method == "PATCH":
            self.webhook_messages.append({"token": token, "kind": "edit-original", **message})
            await self._notify()
        return _json(message)

    def _known_channel(self, channel_id: str) -> dict[str, Any] | None:
        channel = self._channels.get(channel_id)  # an index: thousands of channels are looked up per second
        return dict(channel) if channel is not None else None

    async def _post_message(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        channel_id = request.match_info["channel"]
        if self._known_channel(channel_id) is None:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        body = orjson.loads(await request.read())
        posted = self.channel_messages.setdefault(int(channel_id), [])
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce") and self.remember_nonces:
            # Discord answers a repeated nonce (within minutes) with the message it already made.
            earlier = next((m for m in posted if m.get("nonce") == nonce), None)
            if earlier is not None:
                return _json(earlier)
        message = self._message(channel_id, body, self.bot_user)
        posted.append(message)
        await self._notify()
        return _json(message)

    async def _history(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        limit = int(request.query.get("limit", "50"))
        posted = self.channel_messages.get(int(request.match_info["channel"]), [])
        newest_first = [{k: v for k, v in m.items() if k != "nonce"} for m in reversed(posted)]
        return _json(newest_first[:limit])  # Discord does not return nonces in history

    async def _channel(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        channel = self._known_channel(request.match_info["channel"])
        if channel is None:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        return _json(channel)

    # ------------------------------------------------------------------------------------ gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        )
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == 1:
                # Acknowledged after a network's moment: discord.py notes the send time after sending,
                # so an instant loopback answer would read as a late one.
                asyncio.get_running_loop().call_later(0.05, self._heartbeat_ack, socket)
            elif message["op"] == 2:
                await self._identify(socket, message["d"])
        self._sockets = [(s, shard) for s, shard in self._sockets if s is not socket]
        return socket

    def _heartbeat_ack(self, socket: web.WebSocketResponse) -> None:
        if not socket.closed:
            task = asyncio.ensure_future(
                socket.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _identify(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await socket.close(code=4004, message=b"Authentication failed.")
            return
        shard_id, count = data.get("shard") or [0, 1]
        self.identified.append([shard_id, count])
        mine = {gid: g for gid, g in self.guilds.items() if (gid >> 22) % count == shard_id}
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(gid), "unavailable": True} for gid in mine],
            "session_id": f"session-{shard_id}",
            "resume_gateway_url": self.gateway_url,
            "shard": [shard_id, count],
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        await socket.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        for guild in mine.values():
            await socket.send_str(
                json.dumps({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild})
            )
        self._sockets.append((socket, shard_id))
        await self._notify()


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer typed exactly "application/json", as Discord sends it (discord.py compares it whole)."""
    return web.Response(
        body=orjson.dumps(data),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )
