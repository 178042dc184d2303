"""`briefbot analyze` as scripts call it: JSON on stdout, one line per unusable source on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ARTICLE = (
    "Ferry service to Lanmore resumes after storm\n"
    "The ferry between Port Avel and Lanmore sailed again on Tuesday after a storm closed the harbour "
    "for three days, the island council said. Harbour master Ines Calloway said the pier was inspected "
    "overnight and found safe.\n"
)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, input=stdin, timeout=300
    )


def test_analyze_json_follows_the_contract(tmp_path: Path):
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


def test_bad_sources_are_named_and_the_rest_still_analysed(tmp_path: Path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    run = run_cli(
        "analyze",
        str(tmp_path / "good.txt"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "blob.txt"),
        str(tmp_path / "missing.txt"),
        "--json",
    )
    assert run.returncode == 0
    assert len(json.loads(run.stdout)["articles"]) == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 3
    assert any("empty.txt" in line and "empty" in line for line in lines)
    assert any("blob.txt" in line and "binary" in line for line in lines)
    assert any("missing.txt" in line and "no such file" in line for line in lines)


def test_nothing_usable_exits_non_zero(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    run = run_cli("analyze", str(tmp_path / "empty.txt"), "--json")
    assert run.returncode != 0
    assert "empty.txt" in run.stderr


def test_published_that_is_not_a_date_is_refused(tmp_path: Path):
    (tmp_path / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    run = run_cli("analyze", str(tmp_path / "ferry.txt"), "--published", "yesterday-ish", "--json")
    assert run.returncode == 2
    assert "not a date" in run.stderr and run.stdout == ""


def test_standard_input(tmp_path: Path):
    run = run_cli("analyze", "-", "--published", "2024-05-08", "--json", stdin=ARTICLE)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["articles"][0]["source"] == "-"
