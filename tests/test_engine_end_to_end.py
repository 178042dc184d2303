"""The engine end to end, as a reader of /who, /timeline and /brief judges it.

One `briefbot analyze --separate --json` run over the original articles in tests/articles (a dateline
story, a wire report, a court story with several speakers, a disaster with disputed tolls, a business
story with money and percentages); each test reads one story of that run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ARTICLES = Path(__file__).parent / "articles"
# Each article with the day it was published: the anchor of its relative dates.
PUBLISHED = {
    "harbour_strike": "2024-03-13",
    "lisbon_dockers": "2024-05-08",
    "ohio_map_ruling": "2024-02-07",
    "nepal_landslide": "2023-08-15",
    "nordvik_results": "2024-10-25",
}
_RELATIVE_WORDS = ("which ", "who ", "whom ", "whose ")

Story = dict[str, Any]


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Story]:
    """Every article's story, by article name, from one run of the command line."""
    folder = tmp_path_factory.mktemp("engine")
    sources = []
    for name, published in PUBLISHED.items():
        text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
        sources.append({"title": text.splitlines()[0], "text": text, "published": published, "source": name})
    batch = folder / "articles.json"
    batch.write_text(json.dumps(sources), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "analyze", str(batch), "--separate", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    ids = {article["id"]: PUBLISHED_ORDER[i] for i, article in enumerate(data["articles"])}
    return {ids[story["articles"][0]]: story for story in data["stories"]}


PUBLISHED_ORDER = list(PUBLISHED)


def people(story: Story) -> dict[str, list[str]]:
    return {a["name"]: a["roles"] for a in story["actors"] if a["kind"] == "person"}


def place_names(story: Story) -> set[str]:
    return {name.casefold() for p in story["places"] for name in [p["name"], *p["aliases"]]}


def claim(story: Story, words: str) -> dict[str, Any]:
    return next(c for c in story["claims"] if words in c["text"])


def assert_readable_timeline(story: Story) -> None:
    """Lines in time order, none opening with a dateline or a relative word."""
    whens = [entry["when"][:10] for entry in story["timeline"]]
    assert whens == sorted(whens)
    for entry in story["timeline"]:
        what = entry["what"]
        assert not what.lower().startswith(_RELATIVE_WORDS), what
        first = what.split()[0].rstrip(",:")
        assert not (len(first) > 2 and first.isupper()), what  # "LISBON, May 7 (AFP) -", "OSLO,"


def assert_no_place_is_a_person(story: Story) -> None:
    places = place_names(story)
    assert not [name for name in people(story) if name.casefold() in places]


# ---------------------------------------------------------------- a dateline before a paragraph


def test_harbour_strike_people_have_their_titles_and_the_dateline_is_a_place(
    stories: dict[str, Story],
) -> None:
    story = stories["harbour_strike"]
    found = people(story)
    assert "Port Lira" not in found
    assert "coast guard spokesperson" in found["Elena Marsh"]
    assert "Prime Minister" in found["Anna Kovac"]
    assert "Defence Minister" in found["Tomas Brenner"]
    assert any("President" in role for role in found["Viktor Hale"])
    assert "port lira" in place_names(story)
    assert_no_place_is_a_person(story)


def test_harbour_strike_timeline_starts_with_the_sinking_the_strike_answered(
    stories: dict[str, Story],
) -> None:
    story = stories["harbour_strike"]
    timeline = story["timeline"]
    assert (
        timeline[0]["when"] == "2024-03-09" and "sinking of the patrol ship Meridian" in timeline[0]["what"]
    )
    fired = next(e for e in timeline if "fired more than twenty rockets" in e["what"])
    assert fired["when"] == "2024-03-12"
    assert fired["what"].startswith("Norland fired")
    assert_readable_timeline(story)


def test_harbour_strike_no_one_hurt_disputes_the_claimed_deaths(stories: dict[str, Story]) -> None:
    story = stories["harbour_strike"]
    nobody = claim(story, "no one was hurt")
    assert nobody["attributed_to"] == "The coast guard"
    assert claim(story, "at least 40")["attributed_to"] == "Norland's state radio"
    (dispute,) = [d for d in story["disagreements"] if d["about"] == "casualties"]
    assert {c["attributed_to"] for c in dispute["claims"]} == {"The coast guard", "Norland's state radio"}


def test_harbour_strike_quotes_have_their_speakers(stories: dict[str, Story]) -> None:
    quotes = stories["harbour_strike"]["quotes"]
    assert sum(q["speaker"] == "Elena Marsh" for q in quotes) == 3
    assert any(q["speaker"] == "Viktor Hale" and q["text"].startswith("Last night") for q in quotes)


# ---------------------------------------------------------------- a wire report


def test_wire_dateline_city_is_a_place_not_an_actor(stories: dict[str, Story]) -> None:
    story = stories["lisbon_dockers"]
    assert {"lisbon", "sines", "valencia"} <= place_names(story)
    assert "union leader" in people(story)["Rui Ferreira"]
    assert "Labour Minister" in people(story)["Ana Sousa"]
    assert not [a for a in story["actors"] if a["name"].isupper()]
    assert_no_place_is_a_person(story)


def test_wire_timeline_has_the_dated_walkout_before_the_blockade(stories: dict[str, Story]) -> None:
    story = stories["lisbon_dockers"]
    lines = [(e["when"], e["what"]) for e in story["timeline"]]
    walkout = next(i for i, (when, what) in enumerate(lines) if "walkout began" in what)
    blockade = next(i for i, (when, what) in enumerate(lines) if "blocked the gates" in what)
    assert lines[walkout][0] == "2024-05-02" and lines[blockade][0] == "2024-05-07"
    assert walkout < blockade
    assert lines[blockade][1].startswith("Hundreds of dock workers")
    assert_readable_timeline(story)


def test_an_offer_and_a_demand_are_no_disagreement(stories: dict[str, Story]) -> None:
    story = stories["lisbon_dockers"]
    offer = claim(story, "4%")
    assert offer["attributed_to"] == "The operator" and "offered" in offer["text"]
    assert story["disagreements"] == []
    assert [q["speaker"] for q in story["quotes"]] == ["Rui Ferreira"]


# ---------------------------------------------------------------- a court story with several speakers


def test_court_story_names_each_official_with_their_office(stories: dict[str, Story]) -> None:
    story = stories["ohio_map_ruling"]
    found = people(story)
    assert any("District Judge" in role for role in found["Margaret Hollis"])
    assert any("Attorney General" in role for role in found["David Crane"])
    assert "State Senator" in found["Lisa Monroe"]
    assert any("spokesman" in role for role in found["Tom Avery"])
    assert {"columbus", "ohio", "cleveland", "cincinnati"} <= place_names(story)
    assert_no_place_is_a_person(story)


def test_court_timeline_runs_from_the_map_to_the_ruling(stories: dict[str, Story]) -> None:
    story = stories["ohio_map_ruling"]
    whens = {e["when"]: e["what"] for e in story["timeline"]}
    assert "approved the current map" in whens["2023-10"]
    assert "hearing last month" in whens["2024-01"]
    assert whens["2024-02-06"].startswith("A federal judge on Tuesday struck down")
    assert_readable_timeline(story)
    assert [q["speaker"] for q in story["quotes"]] == ["David Crane"]


# ---------------------------------------------------------------- a disaster with two tolls


def test_disaster_tolls_from_two_sources_disagree(stories: dict[str, Story]) -> None:
    story = stories["nepal_landslide"]
    assert claim(story, "At least 23")["attributed_to"] == "Ramesh Thapa"
    put = claim(story, "at 17")
    assert put["attributed_to"] == "national disaster authority"
    (dispute,) = [d for d in story["disagreements"] if d["about"] == "killed"]
    assert {c["quantity"] for c in dispute["claims"]} == {"At least 23", "17"}
    assert claim(story, "40 were missing")["attributed_to"] == "Ramesh Thapa"
    assert claim(story, "12 people injured")["attributed_to"] == "national disaster authority"


def test_disaster_people_places_and_days(stories: dict[str, Story]) -> None:
    story = stories["nepal_landslide"]
    found = people(story)
    assert "district police chief" in found["Ramesh Thapa"]
    assert "teacher" in found["Maya Gurung"]
    assert "Home Minister" in found["Bikash Shrestha"]
    assert "Home" not in {a["name"] for a in story["actors"]}
    assert {"nepal", "pokhara", "kathmandu"} <= place_names(story)
    whens = [e["when"] for e in story["timeline"]]
    assert whens[:2] == ["2023-08-13", "2023-08-14"]
    # "warned that more rain was expected through Thursday": the warning did not happen on Thursday.
    assert "2023-08-17" not in whens
    assert_readable_timeline(story)
    assert [q["speaker"] for q in story["quotes"]] == ["Maya Gurung"]


# ---------------------------------------------------------------- a business story


def test_business_dateline_date_is_no_figure_and_percentages_say_what_they_measure(
    stories: dict[str, Story],
) -> None:
    story = stories["nordvik_results"]
    assert not [c for c in story["claims"] if "OSLO" in c["text"] or c["quantity"] == "24"]
    assert claim(story, "Revenue rose 4.5%")["what"] == "revenue"
    assert claim(story, "fell 12%")["what"] == "shares"
    assert claim(story, "cut about 250 jobs")["attributed_to"] == "Kari Lund"
    assert "chief executive" in people(story)["Kari Lund"]
    assert "oslo" in place_names(story)
    assert not [a for a in story["actors"] if a["name"] == "OSLO"]
    (line,) = story["timeline"]
    assert line["when"] == "2024-10-24" and line["what"].startswith("Shares in Norwegian salmon farmer")
