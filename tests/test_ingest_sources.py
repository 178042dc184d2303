"""Sources as a user names them: files, folders, URLs and standard input, with one error per bad one."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ingest_support import GERMAN, STORY, Answer, LocalServer

from briefings.ingest.errors import SourceError
from briefings.ingest.raw import RawArticle
from briefings.ingest.sources import ReadOptions, list_source_files, read_sources


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def read_all(
    specs: list[str], options: ReadOptions | None = None, stdin: bytes = b""
) -> tuple[list[RawArticle], list[SourceError]]:
    articles: list[RawArticle] = []
    errors: list[SourceError] = []
    for item in read_sources(specs, options, stdin=lambda: stdin):
        (errors if isinstance(item, SourceError) else articles).append(item)  # type: ignore[arg-type]
    return articles, errors


def test_a_folder_gives_its_article_files_in_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.json").write_text(json.dumps({"text": STORY}), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article kind", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text(STORY, encoding="utf-8")
    assert list_source_files(str(tmp_path)) == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.json")]
    articles, errors = read_all([str(tmp_path)])
    assert [a.source for a in articles] == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.json")]
    assert errors == []


def test_a_folder_with_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("no article kind here", encoding="utf-8")
    _, (error,) = read_all([str(tmp_path)])
    assert error.source == str(tmp_path) and "no .txt, .html, .json or feed file" in error.reason


def test_a_missing_file(tmp_path: Path) -> None:
    _, (error,) = read_all([str(tmp_path / "gone.txt")])
    assert error.reason == "no such file or folder"


def test_an_unreadable_file_is_named_and_the_others_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked, fine = tmp_path / "locked.txt", tmp_path / "fine.txt"
    locked.write_text(STORY, encoding="utf-8")
    fine.write_text(STORY, encoding="utf-8")
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        # Tests may run as root, for whom file permissions do not stop a read: refuse as the OS would.
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    articles, (error,) = read_all([str(locked), str(fine)])
    assert error.source == str(locked) and error.reason == "cannot be read: permission denied"
    assert [a.source for a in articles] == [str(fine)]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_by_its_mode(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(STORY, encoding="utf-8")
    locked.chmod(0)
    _, (error,) = read_all([str(locked)])
    assert "permission denied" in error.reason


def test_standard_input_is_read_and_sniffed() -> None:
    (article,), _ = read_all(["-"], stdin=STORY.encode())
    assert article.source == "-" and article.title == "Ferry returns to Lanmore"
    (from_json,), _ = read_all(["-"], stdin=json.dumps({"text": STORY, "title": "T"}).encode())
    assert from_json.title == "T"
    _, (empty,) = read_all(["-"], stdin=b"  \n")
    assert empty.source == "-" and "empty" in empty.reason


def test_a_five_megabyte_text_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("The harbour closed. " * 262_144, encoding="utf-8")  # 5 MiB
    _, (error,) = read_all([str(big)])
    assert error.source == str(big) and "more than the 500,000" in error.reason


def test_a_file_over_the_byte_limit_is_not_even_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    _, (error,) = read_all([str(big)], ReadOptions(max_file_bytes=1024))
    assert "MB a file may have" in error.reason


def test_a_non_english_article_is_refused_naming_its_language(tmp_path: Path) -> None:
    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "en.txt").write_text(STORY, encoding="utf-8")
    articles, (error,) = read_all([str(tmp_path / "de.txt"), str(tmp_path / "en.txt")])
    assert error.source == str(tmp_path / "de.txt") and error.reason.startswith("not English (German)")
    assert len(articles) == 1


def test_each_item_of_a_json_list_is_checked_on_its_own(tmp_path: Path) -> None:
    items = [{"text": STORY}, {"text": ""}, {"text": GERMAN}]
    (tmp_path / "list.json").write_text(json.dumps(items), encoding="utf-8")
    articles, errors = read_all([str(tmp_path / "list.json")])
    assert [a.source for a in articles] == [f"{tmp_path}/list.json#0"]
    assert [(e.source.rsplit("#", 1)[1], e.reason.split(":")[0]) for e in errors] == [
        ("1", "empty"),
        ("2", "not English (German)"),
    ]


def test_progress_is_told_of_each_source_read(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.json"):
        (tmp_path / name).write_text(STORY if name.endswith(".txt") else "{", encoding="utf-8")
    seen: list[str] = []
    read_all([str(tmp_path), str(tmp_path / "gone.txt")], ReadOptions(on_source_read=seen.append))
    assert [Path(s).name for s in seen] == ["a.txt", "b.txt", "c.json", "gone.txt"]


def test_a_page_by_url(local_server: LocalServer) -> None:
    page = f"<html><head><title>Ferry</title></head><body><article><p>{STORY}</p></article></body></html>"
    local_server.routes["/ferry"] = Answer(body=page.encode(), headers={"Content-Type": "text/html"})
    (article,), errors = read_all([local_server.url("/ferry")], ReadOptions(fetch=local_server.policy_for()))
    assert errors == [] and "sailed again on Tuesday" in article.text
    assert article.source == local_server.url("/ferry") and article.url == local_server.url("/ferry")


def test_a_url_is_refused_when_private_addresses_are_not_allowed(local_server: LocalServer) -> None:
    local_server.routes["/ferry"] = Answer(body=STORY.encode(), headers={"Content-Type": "text/plain"})
    _, (error,) = read_all([local_server.url("/ferry")])
    assert error.source == local_server.url("/ferry") and error.reason.startswith("refused:")
    assert local_server.seen == []


def test_a_feed_by_url_reads_the_linked_pages_of_its_teasers(local_server: LocalServer) -> None:
    page = f"<html><body><article><p>{STORY}</p><p>{STORY}</p></article></body></html>"
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>
    <item><title>Ferry returns</title><link>{local_server.url("/ferry")}</link>
    <description>Teaser only.</description></item>
    <item><title>Bakery</title><link>{local_server.url("/missing")}</link>
    <description>The bakery opened on Wednesday.</description></item>
    </channel></rss>"""
    local_server.routes["/feed"] = Answer(body=feed.encode(), headers={"Content-Type": "application/rss+xml"})
    local_server.routes["/ferry"] = Answer(body=page.encode(), headers={"Content-Type": "text/html"})
    options = ReadOptions(fetch=local_server.policy_for())
    (ferry, bakery), errors = read_all([local_server.url("/feed")], options)
    assert errors == []
    assert "sailed again on Tuesday" in ferry.text and ferry.title == "Ferry returns"
    assert ferry.source == local_server.url("/feed") + "#0"
    assert bakery.text == "Bakery\nThe bakery opened on Wednesday."  # its page is a 404: teaser kept
    no_pages, _ = read_all([local_server.url("/feed")], ReadOptions(fetch=options.fetch, max_linked_pages=0))
    assert no_pages[0].text == "Ferry returns\nTeaser only."


def test_a_feed_file_never_causes_a_fetch(tmp_path: Path, local_server: LocalServer) -> None:
    feed = f"""<rss version="2.0"><channel><title>G</title><item><title>Ferry</title>
    <link>{local_server.url("/ferry")}</link><description>Teaser.</description></item></channel></rss>"""
    (tmp_path / "feed.xml").write_text(feed, encoding="utf-8")
    (item,), _ = read_all([str(tmp_path / "feed.xml")], ReadOptions(fetch=local_server.policy_for()))
    assert item.text == "Ferry\nTeaser." and local_server.seen == []


def test_a_url_that_times_out(local_server: LocalServer) -> None:
    local_server.routes["/slow"] = Answer(body=STORY.encode(), delay_s=30)
    _, (error,) = read_all(
        [local_server.url("/slow")], ReadOptions(fetch=local_server.policy_for(timeout_s=0.3))
    )
    assert error.reason == "timed out after 0.3 s"


def test_a_reader_that_fails_unexpectedly_costs_only_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefings.ingest.formats as formats

    def broken(source: str, text: str) -> list[RawArticle]:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(formats, "read_plain_text", broken)
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"text": STORY}), encoding="utf-8")
    articles, (error,) = read_all([str(tmp_path)])
    assert error.source == str(tmp_path / "a.txt") and "RuntimeError: parser bug" in error.reason
    assert [a.source for a in articles] == [str(tmp_path / "b.json")]


def test_json_nested_too_deeply(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    _, (error,) = read_all([str(tmp_path / "deep.json")])
    assert "not valid JSON" in error.reason
