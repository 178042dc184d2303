"""Reading each kind of article file: plain text, HTML pages, JSON articles and RSS/Atom feeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from briefings.ingest.errors import SourceError
from briefings.ingest.feeds import fill_from_linked_pages, html_fragment_text, read_feed
from briefings.ingest.formats import read_bytes, read_html, read_json, read_plain_text, sniff_suffix
from briefings.ingest.raw import RawArticle

STORY = (
    "The ferry between Port Avel and Lanmore sailed again on Tuesday after a storm closed the harbour for "
    "three days, the island council said. Harbour master Ines Calloway said the pier had been inspected "
    "overnight and found safe."
)

PAGE = f"""<!doctype html><html><head><title>Ferry returns | Island Gazette</title>
<meta property="og:site_name" content="Island Gazette">
<meta property="og:title" content="Ferry returns to Lanmore after three-day storm">
<meta property="article:published_time" content="2024-05-07T09:30:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry returns to Lanmore after three-day storm</h1>
<p>{STORY}</p>
<p>Shops on Lanmore had run short of bread and fuel during the closure, according to the island's trade
association, which asked the council for a second vessel.</p>
</article>
<footer>Subscribe to our newsletter. Cookie settings. All rights reserved.</footer>
</body></html>"""

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Island Gazette</title><link>https://gazette.example/</link><description>News</description>
<item><title>Ferry returns to Lanmore</title><link>https://gazette.example/ferry</link>
<pubDate>Tue, 07 May 2024 08:30:00 GMT</pubDate>
<description>Short teaser about the ferry.</description>
<content:encoded><![CDATA[<p>The ferry sailed again on <b>Tuesday</b>.</p><p>The council said the pier is safe.</p>
<script>track()</script>]]></content:encoded></item>
<item><title>Bakery reopens</title><link>https://gazette.example/bakery</link>
<description>&lt;p&gt;The Lanmore bakery opened its doors on Wednesday.&lt;/p&gt;</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Notes</title><id>urn:x</id>
<updated>2024-05-08T10:00:00Z</updated>
<entry><title>Pier inspected</title><id>urn:x:1</id><link href="https://notes.example/pier"/>
<updated>2024-05-08T10:00:00Z</updated><summary>Engineers inspected the pier overnight.</summary></entry>
</feed>"""


def test_plain_text_title_is_its_short_first_line() -> None:
    (article,) = read_plain_text("f.txt", f"Ferry returns to Lanmore\n{STORY}\n")
    assert article.title == "Ferry returns to Lanmore"
    assert article.text == f"Ferry returns to Lanmore\n{STORY}\n"  # the text as read, title included


def test_plain_text_title_is_cleaned_of_stray_escapes() -> None:
    (article,) = read_plain_text("f.txt", f"\\'Safe\\': ferry returns\n{STORY}")
    assert article.title == "'Safe': ferry returns"


@pytest.mark.parametrize("first_line", [STORY, "Port Avel, Tuesday:"])
def test_a_sentence_or_a_dateline_is_no_title(first_line: str) -> None:
    (article,) = read_plain_text("f.txt", f"{first_line}\nMore text follows here.")
    assert article.title is None


def test_html_page_gives_its_article_with_title_date_and_site() -> None:
    (article,) = read_html("page.html", PAGE, url="https://gazette.example/ferry")
    assert "sailed again on Tuesday" in article.text and "trade" in article.text
    assert "Cookie" not in article.text and "Sport" not in article.text
    assert article.title == "Ferry returns to Lanmore after three-day storm"
    assert article.published is not None and article.published.date().isoformat() == "2024-05-07"
    assert article.outlet == "Island Gazette"
    assert article.url == "https://gazette.example/ferry"


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>",
        "<html><head><title>Sign in</title></head><body><form><input name=u><button>Go</button></form></body></html>",
        "<html><body></body></html>",
    ],
)
def test_html_without_an_article_is_refused(page: str) -> None:
    with pytest.raises(SourceError, match="no article text"):
        read_html("empty.html", page)


def test_html_in_another_encoding_is_read_from_its_meta_charset() -> None:
    page = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace("island's", "isl\u00e9's")
    (article,) = read_bytes("latin.html", page.encode("iso-8859-1"), ".html")
    assert "isl\u00e9's" in article.text


def test_json_object_and_list() -> None:
    one = {"title": "Ferry returns", "text": STORY, "published": "2024-05-07", "url": "https://g.example/f"}
    (article,) = read_json("one.json", json.dumps(one))
    assert article.source == "one.json" and article.text == STORY and article.title == "Ferry returns"
    assert article.published == datetime(2024, 5, 7) and article.url == "https://g.example/f"
    many = read_json("many.json", json.dumps([one, {"text": "Second story.", "source": "Gazette"}]))
    assert [a.source for a in many] == ["many.json#0", "many.json#1"]
    assert many[1].outlet == "Gazette" and many[1].published is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "empty JSON list"),
        ('{"title": "no text"}', "'text' field"),
        ('"just a string"', "must be an object"),
    ],
)
def test_bad_json_is_refused_with_its_reason(content: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        read_json("bad.json", content)


def test_json_with_an_unreadable_date_keeps_the_article() -> None:
    (article,) = read_json("d.json", json.dumps({"text": STORY, "published": "soon"}))
    assert article.published is None


def test_rss_items_with_content_preferred_over_the_teaser() -> None:
    first, second = read_feed("feed.xml", RSS)
    assert first.source == "feed.xml#0" and first.outlet == "Island Gazette"
    assert first.title == "Ferry returns to Lanmore"
    assert (
        first.text
        == "Ferry returns to Lanmore\nThe ferry sailed again on Tuesday.\nThe council said the pier is safe."
    )
    assert first.published == datetime(2024, 5, 7, 8, 30, tzinfo=UTC)
    assert first.url == "https://gazette.example/ferry"
    assert second.text == "Bakery reopens\nThe Lanmore bakery opened its doors on Wednesday."


def test_atom_entries() -> None:
    (entry,) = read_feed("notes.atom", ATOM)
    assert entry.text == "Pier inspected\nEngineers inspected the pier overnight."
    assert entry.outlet == "Harbour Notes" and entry.url == "https://notes.example/pier"
    assert entry.published == datetime(2024, 5, 8, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"this is not xml at all", "not an RSS or Atom feed"),
        (b"<rss><channel><title>x</title>", "not a well-formed RSS or Atom feed"),
        (b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>', "a feed with no items"),
    ],
)
def test_a_broken_or_empty_feed_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        read_feed("feed.xml", data)


def test_html_fragments_keep_their_paragraphs() -> None:
    fragment = "<p>One&nbsp;line.</p><ul><li>two</li><li>three</li></ul>four<br>five<style>p{}</style>"
    assert html_fragment_text(fragment) == "One line.\ntwo\nthree\nfour\nfive"
    assert html_fragment_text("plain words") == "plain words"


def test_teasers_are_filled_from_linked_pages_within_the_budget() -> None:
    teaser = RawArticle(
        source="f#0", text="Ferry returns\nShort teaser.", title="Ferry returns", url="https://g/1"
    )
    other = RawArticle(source="f#1", text="Bakery\nAnother teaser.", title="Bakery", url="https://g/2")
    full = RawArticle(source="f#2", text=" ".join(["word"] * 200), title="Long", url="https://g/3")
    asked: list[str] = []

    def read_page(url: str) -> RawArticle:
        asked.append(url)
        return RawArticle(source=url, text=STORY, title="Page title", outlet="Gazette")

    filled = fill_from_linked_pages([teaser, other, full], read_page, max_pages=1)
    assert asked == ["https://g/1"]  # one page allowed; the long item needs none
    assert filled[0].text == STORY and filled[0].title == "Ferry returns" and filled[0].source == "f#0"
    assert filled[1] is other and filled[2] is full


def test_a_linked_page_that_fails_keeps_the_teaser() -> None:
    teaser = RawArticle(source="f#0", text="Short teaser.", url="https://g/1")

    def broken(url: str) -> RawArticle:
        raise SourceError(url, "timed out")

    assert fill_from_linked_pages([teaser], broken, max_pages=5) == [teaser]


@pytest.mark.parametrize(
    ("data", "suffix"),
    [
        (RSS, ".xml"),
        (ATOM, ".xml"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", ".html"),
        (b'  {"text": "x"}', ".json"),
        (b"Plain words.", ".txt"),
    ],
)
def test_sniffing_the_kind_of_a_file(data: bytes, suffix: str) -> None:
    assert sniff_suffix(data, ".txt") == suffix


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive"),
        (b"\x00\x01\x02\x03binary", "binary data"),
    ],
)
def test_binary_files_are_refused_and_named(data: bytes, what: str) -> None:
    with pytest.raises(SourceError, match=what):
        read_bytes("blob.txt", data, ".txt")


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(SourceError, match="not UTF-8"):
        read_bytes("latin.txt", "Caf\u00e9 on the pier.".encode("latin-1"), ".txt")


def test_a_byte_order_mark_is_kept_so_offsets_count_it() -> None:
    (article,) = read_bytes("bom.txt", "\ufeffFerry returns\nText.".encode(), ".txt")
    assert article.text.startswith("\ufeff") and article.title == "Ferry returns"
