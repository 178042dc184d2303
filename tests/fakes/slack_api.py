"""A fake Slack on loopback: the Web API methods briefbot calls, response_url, and Socket Mode's websocket.

It records every call (method, parameters, token) and answers as Slack documents: `auth.test`,
`users.info`, `conversations.info`, `chat.postMessage` (with message metadata, a 429 with Retry-After on
demand, `not_in_channel` for channels the bot was never invited to), `conversations.history`,
`oauth.v2.access`, `apps.connections.open`. Answers sent to a `response_url` are kept by its id. Also
the other half of Slack's signed requests: `signed_post` sends a request as Slack would sign it.
`limits` (off by default) enforces chat.postMessage's published pace, about one message a second per
channel with short bursts tolerated (a token bucket per channel), answering 429 with `Retry-After` past
it; `outage` makes a method answer a 5xx for a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

BOT_USER = "UBRIEFBOT"
BOT_ID = "BBRIEFBOT"
APP_ID = "ABRIEFBOT"


@dataclass
class SlackLimits:
    """chat.postMessage's pace per channel, as the fake enforces it: `per_s` a second, bursts of `burst`."""

    per_s: float = 1.0
    burst: int = 3


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None


@dataclass
class FakeSlack:
    tokens: dict[str, str] = field(default_factory=dict)  # bot token -> team id
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    members_of: set[str] = field(default_factory=set)  # channels the bot is in
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    oauth_codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    rate_limits: dict[str, int] = field(default_factory=dict)
    rate_limited: list[str] = field(default_factory=list)
    post_delay_s: float = 0.0  # chat.postMessage takes this long: a digest in parts is caught mid-way
    limits: SlackLimits | None = None  # None: no pace enforced (only `rate_limit`'s)
    limited_channel: int = 0  # 429s answered for a channel's pace
    outages: dict[str, tuple[float, int]] = field(default_factory=dict)  # method -> (until, status)
    outage_answers: list[str] = field(default_factory=list)
    keep_calls: bool = True  # False: record no calls (a bench posting thousands of messages)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    app_token: str = "xapp-1-fake"
    _runner: web.AppRunner | None = None
    _port: int = 0
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    # -- serving -------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{rid}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self, rid: str) -> str:
        return f"http://127.0.0.1:{self._port}/response/{rid}"

    # -- set-up ---------------------------------------------------------------------------------------

    def add_workspace(self, team: str, token: str) -> None:
        self.tokens[token] = team

    def add_user(self, user: str, name: str, admin: bool = False, team: str = "T1") -> None:
        self.users[user] = {"id": user, "name": name, "real_name": name, "is_admin": admin, "team_id": team}

    def add_channel(
        self, channel: str, name: str, creator: str = "UCREATOR", member: bool = True, **extra: Any
    ) -> None:
        self.channels[channel] = {"id": channel, "name": name, "creator": creator, **extra}
        if member:
            self.members_of.add(channel)

    def rate_limit(self, method: str, times: int = 1) -> None:
        self.rate_limits[method] = times

    def outage(self, method: str, seconds: float, status: int = 503) -> None:
        """Answer `status` to every call of `method` for the next `seconds`."""
        self.outages[method] = (time.monotonic() + seconds, status)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # -- the Web API -----------------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update(dict(await request.post()))
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else params.get("token")
        if self.keep_calls:
            self.calls.append(Call(method, params, token))
        if method == "chat.postMessage" and self.post_delay_s:
            await asyncio.sleep(self.post_delay_s)
        until, status = self.outages.get(method, (0.0, 0))
        if time.monotonic() < until:
            self.outage_answers.append(method)
            return web.Response(status=status, text=f"{status}: Slack is having trouble")
        if method == "chat.postMessage" and self.limits is not None:
            wait = self._take(str(params.get("channel", "")), self.limits)
            if wait > 0:
                self.limited_channel += 1
                self.rate_limited.append(method)
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )
        if self.rate_limits.get(method, 0) > 0:
            self.rate_limits[method] -= 1
            self.rate_limited.append(method)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        handler: Callable[[dict[str, Any], str | None], dict[str, Any]] | None = getattr(
            self, "_" + method.replace(".", "_"), None
        )
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        if method not in ("oauth.v2.access", "apps.connections.open") and token not in self.tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response(handler(params, token))

    def _take(self, channel: str, limits: SlackLimits) -> float:
        """Take one message from the channel's bucket: 0 if there was one, else the seconds until there is."""
        now = time.monotonic()
        bucket = self._buckets.setdefault(channel, _Bucket(float(limits.burst), now))
        bucket.tokens = min(float(limits.burst), bucket.tokens + (now - bucket.at) * limits.per_s)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / limits.per_s

    def _auth_test(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = self.tokens[token or ""]
        return {
            "ok": True,
            "team": f"Team {team}",
            "team_id": team,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "url": "https://fake.slack/",
        }

    def _users_info(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self.users.get(params.get("user", ""))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _conversations_info(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = self.channels.get(params.get("channel", ""))
        return {"ok": True, "channel": channel} if channel else {"ok": False, "error": "channel_not_found"}

    def _chat_postMessage(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        is_dm = channel in self.users
        if not is_dm and channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        if not is_dm and channel not in self.members_of:
            return {"ok": False, "error": "not_in_channel"}
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        message = {
            "type": "message",
            "ts": ts,
            "text": params.get("text", ""),
            "blocks": params.get("blocks") or [],
            "bot_id": BOT_ID,
            "user": BOT_USER,
            "team": self.tokens.get(token or ""),
        }
        if params.get("metadata"):
            message["metadata"] = params["metadata"]
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _conversations_history(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if channel not in self.members_of:
            return {"ok": False, "error": "not_in_channel"}
        limit = int(params.get("limit") or 100)
        newest_first = list(reversed(self.messages.get(channel, [])))[:limit]
        include = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        shown = [m if include else {k: v for k, v in m.items() if k != "metadata"} for m in newest_first]
        return {"ok": True, "messages": shown, "has_more": False}

    def _oauth_v2_access(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        grant = self.oauth_codes.get(str(params.get("code", "")))
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        self.tokens[grant["token"]] = grant["team"]
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": grant.get("user", "UINSTALLER")},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": grant["token"],
            "bot_user_id": BOT_USER,
            "team": {"id": grant["team"], "name": f"Team {grant['team']}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        if token != self.app_token:
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/socket"}

    # -- response_url and Socket Mode -------------------------------------------------------------------

    async def _response(self, request: web.Request) -> web.Response:
        self.responses.setdefault(request.match_info["rid"], []).append(await request.json())
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": APP_ID}})
        self._socket_ready.set()
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return ws

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        await asyncio.wait_for(self._socket_ready.wait(), 15)
        await self._sockets[-1].send_json(envelope)

    async def wait_for(self, check: Callable[[], Any], timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError("the fake Slack did not see what was expected in time")


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack signs a request with (v0, HMAC-SHA256 of "v0:timestamp:body")."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature or ""}


def command_body(
    command: str, text: str, *, team: str, channel: str, user: str, response_url: str, **extra: str
) -> str:
    """A slash command's form body, as Slack posts it."""
    fields = {
        "token": "unused",
        "team_id": team,
        "team_domain": "marlow",
        "channel_id": channel,
        "channel_name": "news",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "response_url": response_url,
        "trigger_id": "1.2.3",
        **extra,
    }
    return urlencode(fields)


def interaction_body(payload: dict[str, Any]) -> str:
    """A block action or shortcut's form body: its JSON as `payload`."""
    return urlencode({"payload": json.dumps(payload)})
