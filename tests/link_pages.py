"""Web pages for "Brief this link" tests, served on loopback (the articles are fiction written for these tests).

One page follows the Marlow Heights dam story of `test_commands_support`; the other is about nothing the
test channel follows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

DAM_PAGE_TITLE = "Marlow Heights dam inspection finds second crack"
DAM_PAGE = f"""<!doctype html>
<html lang="en"><head><title>{DAM_PAGE_TITLE}</title>
<meta property="article:published_time" content="2026-03-12T08:00:00Z">
<meta property="og:site_name" content="Valley Courier"></head>
<body><nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article><h1>{DAM_PAGE_TITLE}</h1>
<p>Inspectors found a second crack in the spillway of the Marlow Heights dam on Thursday, chief engineer
Ruth Ambani said. The crack is smaller than the one found after the storm on Tuesday, and the dam is
holding, she told reporters at the water board in Marlow Heights.</p>
<p>"We will repair both cracks before the spring rains," Ambani said. Mayor Colin Dray said the 200
evacuated families should still stay with relatives until the water board finishes its inspection of the
Marlow Heights dam.</p>
<p>The water board said the repairs to the spillway would take about a month and that the town's water
supply was not at risk.</p>
</article><footer>Valley Courier</footer></body></html>"""

FAIR_PAGE_TITLE = "Pellham bakers win the county bread fair"
FAIR_PAGE = f"""<!doctype html>
<html lang="en"><head><title>{FAIR_PAGE_TITLE}</title>
<meta property="article:published_time" content="2026-03-12T07:00:00Z"></head>
<body><article><h1>{FAIR_PAGE_TITLE}</h1>
<p>A team of four bakers from Pellham won the county bread fair on Saturday with a rye loaf baked in a
wood oven, the fair's organisers said. Head baker Tomas Krell said the recipe came from his grandmother.</p>
<p>"We baked through the night and it was worth it," Krell said. The team will bake for the regional
fair in Dunmore in June, where forty bakeries are expected to compete for the first prize.</p>
<p>The organisers said more than three thousand visitors came to the fair this year, a record.</p>
</article></body></html>"""


@dataclass
class Pages:
    """The loopback server's address."""

    base: str

    def url(self, path: str) -> str:
        return self.base + path


@asynccontextmanager
async def serve_pages() -> AsyncIterator[Pages]:
    """/dam and /fair as HTML pages, /feed.xml as an RSS feed, on 127.0.0.1."""

    def page(body: str, content_type: str = "text/html") -> Callable[[web.Request], Awaitable[web.Response]]:
        async def answer(request: web.Request) -> web.Response:
            return web.Response(text=body, content_type=content_type, charset="utf-8")

        return answer

    app = web.Application()
    app.router.add_get("/dam", page(DAM_PAGE))
    app.router.add_get("/fair", page(FAIR_PAGE))
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>'
        "<item><title>One</title><link>https://x.example/1</link><description>Short.</description></item>"
        "</channel></rss>"
    )
    app.router.add_get("/feed.xml", page(feed, "application/rss+xml"))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield Pages(f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()
