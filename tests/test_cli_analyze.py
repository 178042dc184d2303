"""`briefbot analyze` as scripts call it: JSON on stdout, one line per unusable source on stderr."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ingest_support import GERMAN, Answer, LocalServer

from briefings.ingest.cleaning import clean_text

ARTICLE = (
    "Ferry service to Lanmore resumes after storm\n"
    "The ferry between Port Avel and Lanmore sailed again on Tuesday after a storm closed the harbour "
    "for three days, the island council said. Harbour master Ines Calloway said the pier was inspected "
    "overnight and found safe.\n"
)


def cli_env(**settings: str) -> dict[str, str]:
    """The environment of a CLI run: no BRIEFBOT_ setting of the developer's, only those given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update({f"BRIEFBOT_{k.upper()}": v for k, v in settings.items()})
    return env


def run_cli(
    *args: str, stdin: str | None = None, cwd: Path | None = None, **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        env=cli_env(**settings),
        cwd=cwd,
    )


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def test_analyze_json_follows_the_contract(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    run = run_cli("analyze", str(tmp_path / "ferry.txt"), "--published", "2024-05-08", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["schema"] == "briefbot.analysis/1"
    (article,) = data["articles"]
    assert article["id"] == "a1" and article["published"] == "2024-05-08"
    assert article["title"] == "Ferry service to Lanmore resumes after storm"
    (story,) = data["stories"]
    assert story["articles"] == ["a1"] and story["digest"]
    assert set(story["w"]) == {"who", "what", "when", "where", "why", "how"}


# A page a scraper kept only the furniture of: no sentence reports anything.
NOTICE = (
    "Please enable JavaScript in your browser to view this page. Sign in or create an account to keep "
    "reading. Share this page with your friends.\n"
)


def test_a_page_without_news_is_listed_as_set_aside_and_in_no_story(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    files = [str(tmp_path / "ferry.txt"), str(tmp_path / "notice.txt")]
    run = run_cli("analyze", *files, "--published", "2024-05-08", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    ids = {Path(a["source"]).name: a["id"] for a in data["articles"]}
    assert set(ids) == {"ferry.txt", "notice.txt"}
    (story,) = data["stories"]
    assert story["articles"] == [ids["ferry.txt"]]
    (kept_out,) = data["set_aside"]
    assert kept_out["article"] == ids["notice.txt"] and "reports" in kept_out["reason"]
    shown = run_cli("brief", *files, "--published", "2024-05-08")
    assert shown.returncode == 0, shown.stderr
    assert "Not in any story" in shown.stdout and "notice.txt" in shown.stdout


def test_time_offsets_index_the_json_text_field_as_read(tmp_path: Path) -> None:
    text = (
        "\\'Ferry back\\': the ferry to Lanmore sailed again on Tues\u00adday &amp; the pier re\u200bopened "
        "on Wednesday, the council said."
    )
    (tmp_path / "noisy.json").write_text(
        json.dumps({"text": text, "published": "2024-05-09"}), encoding="utf-8"
    )
    run = run_cli("analyze", str(tmp_path / "noisy.json"), "--json")
    assert run.returncode == 0, run.stderr
    (article,) = json.loads(run.stdout)["articles"]
    assert article["times"], "the time extractor found no time in the test article"
    for found in article["times"]:
        assert clean_text(text[found["start"] : found["end"]]).text == found["text"]
    assert any(text[t["start"] : t["end"]] == "Tues\u00adday" for t in article["times"])


def test_every_kind_of_bad_input_is_named_and_the_rest_still_analysed(tmp_path: Path) -> None:
    files = {
        "good.txt": ARTICLE.encode(),
        "empty.txt": b"",
        "blob.txt": b"\x00\x01\x02binary",
        "scan.pdf.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        "menu.html": b"<html><body><nav><a href='/'>Home</a> <a href='/x'>About</a></nav></body></html>",
        "big.txt": b"The harbour closed. " * 262_144,  # 5 MiB
        "broken.xml": b"this is not xml",
        "german.txt": GERMAN.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.md").write_text("no article kind", encoding="utf-8")
    run = run_cli(
        "analyze",
        *(str(tmp_path / name) for name in files),
        str(tmp_path / "nothing"),
        str(tmp_path / "missing.txt"),
        "http://127.0.0.1:9/feed.xml",
        "--json",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert [a["source"] for a in json.loads(run.stdout)["articles"]] == [str(tmp_path / "good.txt")]
    lines = run.stderr.strip().splitlines()
    expected = {
        "empty.txt": "empty",
        "blob.txt": "binary data, not text",
        "scan.pdf.txt": "a PDF document, not text",
        "menu.html": "no article text",
        "big.txt": "more than the 500,000",
        "broken.xml": "not an RSS or Atom feed",
        "german.txt": "not English (German)",
        "nothing": "no .txt, .html, .json or feed file",
        "missing.txt": "no such file or folder",
        "http://127.0.0.1:9/feed.xml": "refused: 127.0.0.1 is a private",
    }
    assert len(lines) == len(expected), run.stderr
    for name, reason in expected.items():
        assert any(name in line and reason in line for line in lines), (name, run.stderr)
    assert all(line.startswith("briefbot: ") for line in lines)


def test_a_url_that_times_out_while_another_is_read(tmp_path: Path, local_server: LocalServer) -> None:
    page = f"<html><body><article><p>{ARTICLE}</p></article></body></html>"
    local_server.routes["/ferry"] = Answer(body=page.encode(), headers={"Content-Type": "text/html"})
    local_server.routes["/slow"] = Answer(body=page.encode(), delay_s=30)
    run = run_cli(
        "analyze",
        local_server.url("/ferry"),
        local_server.url("/slow"),
        "--json",
        cwd=tmp_path,
        allow_private_urls="true",
        fetch_timeout_s="0.5",
    )
    assert run.returncode == 0, run.stderr
    assert [a["source"] for a in json.loads(run.stdout)["articles"]] == [local_server.url("/ferry")]
    assert run.stderr.strip() == f"briefbot: {local_server.url('/slow')}: timed out after 0.5 s"


def test_nothing_usable_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "german.txt").write_text(GERMAN, encoding="utf-8")
    run = run_cli("analyze", str(tmp_path / "empty.txt"), str(tmp_path / "german.txt"), "--json")
    assert run.returncode != 0 and run.stdout == ""
    assert "empty.txt" in run.stderr and "german.txt" in run.stderr


def test_published_that_is_not_a_date_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    run = run_cli("analyze", str(tmp_path / "ferry.txt"), "--published", "yesterday-ish", "--json")
    assert run.returncode == 2
    assert run.stderr.strip() == (
        "briefbot: --published 'yesterday-ish' is not a date (write it as ISO 8601, e.g. 2020-01-08)"
    )
    assert run.stdout == ""


def test_standard_input() -> None:
    run = run_cli("analyze", "-", "--published", "2024-05-08", "--json", stdin=ARTICLE)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["articles"][0]["source"] == "-"


def run_with_terminal_stderr(*args: str, cwd: Path) -> tuple[int, str]:
    """Run the CLI with standard error on a pseudo-terminal, as a person at a terminal would."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=cli_env() | {"COLUMNS": "100", "TERM": "xterm"},
        cwd=cwd,
    )
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        shown.extend(chunk)
    os.close(leader)
    return process.wait(timeout=300), shown.decode("utf-8", "replace")


def test_brief_shows_a_progress_bar_on_a_terminal_when_many_files_are_read(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"ferry{i}.txt").write_text(ARTICLE, encoding="utf-8")
    status, shown = run_with_terminal_stderr("brief", str(tmp_path), cwd=tmp_path)
    assert status == 0
    assert "reading articles" in shown and "5/5" in shown


def test_brief_shows_no_bar_for_a_single_file_or_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    status, shown = run_with_terminal_stderr("brief", str(tmp_path / "ferry.txt"), cwd=tmp_path)
    assert status == 0 and "reading articles" not in shown
    for i in range(5):
        (tmp_path / f"more{i}.txt").write_text(ARTICLE, encoding="utf-8")
    piped = run_cli("brief", str(tmp_path), cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""
