"""The issue's bars on the seed article, checked when the shared seed is beside the checkout.

The seed is news text from elsewhere, so it is not copied into the repository; the same behaviours are
tested on original articles in the extractor tests and tests/test_engine_end_to_end.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_efbcc2ecd6a1894b.txt"

pytestmark = pytest.mark.skipif(
    not SEED.exists(), reason="the shared seed article is not beside this checkout"
)


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "analyze", str(SEED), "--published", "2020-01-08", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(run.stdout)


def test_eleven_people_each_with_a_title_and_no_non_person(seed):
    people = {a["name"]: a["roles"] for a in seed["stories"][0]["actors"] if a["kind"] == "person"}
    expected = ["Trump", "Soleimani", "Khamenei", "Hoffman", "Grisham", "Tamim bin Hamad Al Thani", "Merkel",
                "Ortagus", "Pompeo", "Barzani", "al-Muhandis"]  # fmt: skip
    for surname in expected:
        matches = [name for name in people if surname in name]
        assert len(matches) == 1, (surname, sorted(people))
        assert people[matches[0]], f"{matches[0]} has no title"
    assert len(people) == len(expected), sorted(people)


def test_relative_dates(seed):
    values = {(t["text"].lower(), t["value"]) for t in seed["articles"][0]["times"]}
    assert ("friday", "2020-01-03") in values
    assert ("friday last week", "2020-01-03") in values
    assert ("january 7", "2020-01-07") in values
    assert any(v.startswith("2020-01-07T17:30") for _, v in values)
    assert any(text == "last night" and v.startswith("2020-01-07") for text, v in values)
    source = SEED.read_text(encoding="utf-8")
    for t in seed["articles"][0]["times"]:
        assert source[t["start"] : t["end"]] == t["text"]


def test_timeline_starts_with_the_strike_then_the_launch(seed):
    timeline = seed["stories"][0]["timeline"]
    assert timeline[0]["when"] == "2020-01-03" and "Soleimani" in timeline[0]["what"]
    launches = [e for e in timeline if e["when"].startswith("2020-01-07") and "launched" in e["what"]]
    assert launches and timeline.index(launches[0]) > 0


def test_quotes_with_their_speakers(seed):
    speakers = [q["speaker"] or "" for q in seed["stories"][0]["quotes"]]
    assert sum("Hoffman" in s for s in speakers) == 5
    for name in ("Trump", "Khamenei", "Grisham", "Pompeo"):
        assert any(name in s for s in speakers), name


def test_irbil_and_erbil_are_one_place(seed):
    places = seed["stories"][0]["places"]
    assert any({p["name"], *p["aliases"]} >= {"Irbil", "Erbil"} for p in places)


def test_digest_says_who_fired_what_at_whom_and_that_casualty_claims_disagree(seed):
    digest = " ".join(seed["stories"][0]["digest"])
    assert len(digest.split()) <= 120
    for word in ("Iran", "missiles", "bases", "Iraq", "Soleimani", "at least 80"):
        assert word in digest, word
    assert "disagree" in digest
