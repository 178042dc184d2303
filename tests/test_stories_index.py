"""The incremental story index: same event together, different events apart, bad input handled."""

from __future__ import annotations

from datetime import datetime

import pytest
from stories_builders import analysis

from bench.stories import article_stream
from briefings.models import ArticleAnalysis
from briefings.stories.index import IndexSettings, StoryIndex, StoryIndexState, story_id_for

KESSA = (
    "Norland warplanes struck a fuel depot on the edge of Kessa late on Monday, setting off fires that "
    "burned through the night, Eastmark officials said. Eastmark's health ministry said at least 12 people "
    "were killed. Norland's defence minister Tomas Brandt said the depot supplied rebel convoys."
)
KESSA_FOLLOW_UP = (
    "Mourners in Kessa buried victims of Monday's Norland air strike on the city's fuel depot on Thursday. "
    "The health ministry said the toll from the depot strike had risen to 15. Tomas Brandt, Norland's defence "
    "minister, again denied that civilians were hurt at the depot."
)
DOVRIN = (
    "Norland aircraft destroyed the road bridge over the Sava river near Dovrin early on Monday, Eastmark's "
    "transport ministry said. Two spans of the bridge collapsed into the river and a truck driver is missing. "
    "Norland's defence minister Tomas Brandt said the bridge carried weapons to rebel units."
)
DOVRIN_FOLLOW_UP = (
    "Army engineers opened a pontoon bridge across the Sava at Dovrin on Wednesday, two days after Norland "
    "jets brought down the road bridge. Divers found the missing driver's truck under a collapsed span. "
    "Tomas Brandt said Norland would strike every route that brings weapons to the border."
)
FERRY = (
    "At least four people died when the passenger ferry Sea Lark capsized in heavy swell off Lanmore island "
    "on Tuesday morning, the coast guard said. Rescue boats pulled 70 people from the water."
)


@pytest.fixture(scope="module")
def strikes(analyze) -> dict[str, ArticleAnalysis]:
    """Two Norland strikes in Eastmark a week apart, each with a follow-up, and an unrelated ferry disaster."""
    texts = {
        "kessa": (KESSA, "2024-03-05T06:00:00", "Norland jets strike fuel depot in Kessa"),
        "kessa-later": (KESSA_FOLLOW_UP, "2024-03-07T10:00:00", "Kessa buries its dead"),
        "dovrin": (DOVRIN, "2024-03-11T07:00:00", "Norland bombs bridge near Dovrin"),
        "dovrin-later": (DOVRIN_FOLLOW_UP, "2024-03-13T11:00:00", "Pontoon bridge opens at Dovrin"),
        "ferry": (FERRY, "2024-03-05T11:00:00", "Four dead as ferry capsizes off Lanmore"),
    }
    out = {}
    for key, (text, published, title) in texts.items():
        result = analyze(text, published=published, title=title)
        result.article.id = key
        out[key] = result
    return out


def test_two_strikes_by_the_same_actors_a_week_apart_are_two_stories(strikes):
    index = StoryIndex()
    placed = {key: index.add(a).story for key, a in strikes.items()}
    assert placed["kessa-later"] == placed["kessa"]
    assert placed["dovrin-later"] == placed["dovrin"]
    assert placed["dovrin"] != placed["kessa"]
    assert placed["ferry"] not in (placed["kessa"], placed["dovrin"])


def test_an_article_without_a_date_still_finds_its_story(strikes, analyze):
    index = StoryIndex()
    for key in ("kessa", "dovrin", "ferry"):
        index.add(strikes[key])
    undated = analyze(KESSA_FOLLOW_UP, published=None, title="Kessa buries its dead")
    undated.article.id = "undated"
    placement = index.add(undated)
    assert placement.story == index.story_of("kessa")
    assert index.story_of("dovrin") != placement.story


def test_an_article_without_named_actors_is_placed(analyze):
    index = StoryIndex()
    bare = analyze("it rained. then it stopped. nobody minded much.", published="2024-03-05T10:00:00")
    placement = index.add(bare)
    assert placement.new_story and index.story_of(bare.article.id) == placement.story


def test_the_same_article_twice_is_placed_once(strikes):
    index = StoryIndex()
    first = index.add(strikes["kessa"])
    again = index.add(strikes["kessa"])
    assert again.story == first.story and again.duplicate_of == "kessa"
    (story,) = index.open_stories()
    assert story.articles == ["kessa"]


def test_the_same_text_under_another_id_is_a_duplicate(strikes):
    index = StoryIndex()
    index.add(strikes["kessa"])
    copy = strikes["kessa"].model_copy(deep=True)
    copy.article.id = "kessa-copy"
    placement = index.add(copy)
    assert placement.story == index.story_of("kessa") and placement.duplicate_of == "kessa"


def test_a_reprint_with_a_new_headline_and_a_line_more_is_a_duplicate(strikes):
    index = StoryIndex()
    index.add(strikes["kessa"])
    reprint = strikes["kessa"].model_copy(deep=True)
    reprint.article.id = "reprint"
    reprint.article.title = "Fuel depot hit in Kessa"
    reprint.article.text += " Harbour Daily will update this report."
    assert index.add(reprint).duplicate_of == "kessa"


def test_a_long_lived_index_forgets_reprint_signatures_after_reprint_days(strikes):
    def reprint(line: str, published: str) -> ArticleAnalysis:
        copy = strikes["kessa"].model_copy(deep=True)
        copy.article.id = line[:12]
        copy.article.text += " " + line
        copy.article.published = datetime.fromisoformat(published)
        return copy

    for days, kept in ((2, False), (None, True)):
        index = StoryIndex(IndexSettings(reprint_days=days))
        index.add(strikes["kessa"])
        assert (
            index.add(reprint("Harbour Daily will update this.", "2024-03-05T09:00:00")).duplicate_of
            == "kessa"
        )
        index.add(strikes["dovrin"])  # six days later
        entry = index.state.articles["kessa"]
        assert bool(entry.signature) is kept and index.story_of("kessa") is not None  # its place is kept
        banded = {a for listed in index.state.bands.values() for a in listed}
        assert ("kessa" in banded) is kept
        late = index.add(reprint("Coast Herald reprinted this.", "2024-03-11T12:00:00"))
        assert (late.duplicate_of is not None) is kept


def _letters(n: int) -> str:
    """A number spelled in consonants (no ending the stemmer would cut)."""
    return "".join("bcdfghklmn"[int(digit)] for digit in str(n))


@pytest.mark.parametrize("stretch", [None, 100])
def test_a_long_lived_index_keeps_the_frequencies_of_its_latest_articles_not_of_its_history(stretch):
    index = StoryIndex(IndexSettings(forget_closed=True, frequency_documents=stretch))
    for n, (article, _) in enumerate(article_stream(1_050, 100, 5)):
        # Every article names Quillenport, and one name no other article gives (news brings new ones daily).
        article.article.text += f" Quillenport heard Zorblat{_letters(n)}."
        index.add(article)
    state = index.state
    once = [key for key in state.df if key.startswith("zorblat")]
    if stretch is None:
        assert state.documents == 1_050 and len(once) == 1_050
        return
    # Halved whenever 200 articles were counted (nine times): what is kept follows the last hundred or two.
    assert state.documents == 150
    assert len(once) == 50  # the names given once since the last halving, no earlier one
    # A word every article gives keeps its weight: counted in every document still counted.
    assert state.df["quillenport"] == state.documents


def test_story_ids_come_from_the_first_article():
    first = analysis("a1", "Ferry capsizes off Lanmore island; four dead.", title="Ferry capsizes")
    assert StoryIndex().add(first).story == story_id_for(first) == StoryIndex().add(first).story
    other = analysis("b1", "Wildfire near Brenmoor forces thousands to flee.", title="Wildfire")
    assert story_id_for(other) != story_id_for(first)


def test_idle_stories_close_and_a_later_article_starts_a_new_story():
    text = "Ferry Sea Lark capsized off Lanmore island. The coast guard searched for the missing passengers."
    index = StoryIndex(IndexSettings(window_days=14))
    first = index.add(analysis("a1", text, "2024-03-05T10:00:00"))
    later = index.add(analysis("a2", text + " An inquiry opened.", "2024-04-20T10:00:00"))
    assert later.story != first.story
    assert [s.id for s in index.open_stories()] == [later.story]


def test_state_round_trips_and_the_index_carries_on(strikes):
    order = ["kessa", "ferry", "dovrin", "kessa-later", "dovrin-later"]
    straight = StoryIndex()
    expected = [straight.add(strikes[key]).story for key in order]
    first = StoryIndex()
    got = [first.add(strikes[key]).story for key in order[:3]]
    stored = first.state.model_dump_json()
    resumed = StoryIndex(state=StoryIndexState.model_validate_json(stored))
    got += [resumed.add(strikes[key]).story for key in order[3:]]
    assert got == expected


def test_posting_lists_stay_capped():
    settings = IndexSettings(posting_cap=5)
    index = StoryIndex(settings)
    for n in range(40):
        # Forty unrelated events that all name the same country.
        text = f"Eastmark officials reported event number {n} involving the town of Place{n} and the river Flow{n}."
        index.add(analysis(f"a{n}", text, f"2024-03-{1 + n % 28:02d}T10:00:00"))
    assert max(len(stories) for stories in index.state.postings.values()) <= 5


def test_empty_odd_and_foreign_articles_do_not_disturb_a_story(strikes):
    index = StoryIndex()
    kessa = index.add(strikes["kessa"]).story
    odd = [
        analysis("empty", " ", "2024-03-05T12:00:00"),
        analysis("symbols", "\u200b\u2028 ☃☃☃ \U0001f600 — … “ ” \x00", "2024-03-05T12:00:00"),
        analysis("long", "Kessa " * 50_000, "2024-03-05T12:00:00"),
    ]
    german = analysis(
        "german",
        "Die Stadtverwaltung eröffnete am Dienstag eine neue Bibliothek im Zentrum. Die Bürger feierten.",
        "2024-03-05T12:00:00",
    )
    german.language = "de"
    for article in [*odd, german]:
        index.add(article)
    assert index.story_of("german") != kessa
    assert index.add(strikes["kessa-later"]).story == kessa
    assert index.state.stories[kessa].articles[0] == "kessa"


# Two title fights of one champion, reported without dates: the champion, the sport and its words are
# shared; the challenger and the venue are not.
FIGHTS = {
    "lorca": (
        "Dario Venn kept his heavyweight title by stopping Piet Lorca in the ninth round at the Halden arena. "
        "Venn dropped Lorca twice with body shots before the referee waved the fight off."
    ),
    "sulek": (
        "Dario Venn retained his heavyweight belts with a fourth-round knockout of Marco Sulek in Brevik. A left "
        "hook floored the challenger, who could not beat the count in front of a sold-out stadium."
    ),
    "lorca-later": (
        "Piet Lorca was stopped in the ninth round by Dario Venn in Halden. Lorca, bruised by the body shots, "
        "said he had no answer to the champion and would fight on."
    ),
    "sulek-later": (
        "Marco Sulek lasted only four rounds against Dario Venn in Brevik. The challenger said the left hook "
        "that ended the bout was the hardest punch he had ever taken."
    ),
}


def _placed(index: StoryIndex, analyze, texts: dict[str, str], published: str | None) -> dict[str, str]:
    for key, text in texts.items():
        result = analyze(text, published=published)
        result.article.id = key
        index.add(result)
    index.consolidate()
    return {key: index.story_of(key) or "" for key in texts}


def test_undated_events_of_one_kind_with_other_people_are_two_stories(analyze):
    placed = _placed(StoryIndex(), analyze, FIGHTS, published=None)
    assert placed["lorca-later"] == placed["lorca"]
    assert placed["sulek-later"] == placed["sulek"]
    assert placed["sulek"] != placed["lorca"]


def test_a_follow_up_of_the_same_days_may_bring_new_people(analyze):
    index = StoryIndex()
    _placed(index, analyze, {"lorca": FIGHTS["lorca"]}, published="2024-05-12T22:00:00")
    follow_up = (
        "Venn's promoter, Anna Berg, said on Monday that the champion would defend his heavyweight title again "
        "in the autumn. Berg said talks with two challengers had begun."
    )
    placed = _placed(index, analyze, {"berg": follow_up}, published="2024-05-13T09:00:00")
    assert placed["berg"] == index.story_of("lorca")


def test_a_name_one_report_gives_in_passing_is_not_one_the_story_knows(analyze):
    passing = (
        "Dario Venn, who beat Marco Sulek last year, needed nine rounds to stop Piet Lorca in Halden. Lorca "
        "had never been stopped before, and Venn praised his courage after the body shots took their toll."
    )
    more = (
        "Piet Lorca's trainer said the challenger was beaten by Dario Venn's body shots in the ninth round in "
        "Halden and would rest before fighting again."
    )
    crowd = (
        "A crowd of nine thousand in Halden watched Dario Venn stop a brave Piet Lorca in the ninth round."
    )
    texts = {"lorca": FIGHTS["lorca"], "lorca-later": FIGHTS["lorca-later"], "more": more, "crowd": crowd}
    texts.update({"passing": passing, "sulek": FIGHTS["sulek"]})
    placed = _placed(StoryIndex(), analyze, texts, published=None)
    assert len({placed[key] for key in ("lorca", "lorca-later", "more", "crowd", "passing")}) == 1
    assert placed["sulek"] != placed["lorca"]


# One pilot's retirement told twice, without publication dates: one report opens on the day she retired, the
# other on the day, decades back, she brought in her first ship (the story's background, not its news).
RETIREMENT = {
    "farewell": (
        "Mara Linde, the harbour pilot of Oskby, retired on May 3, 2024 after guiding her last tanker into port. "
        "Linde was cheered by dock workers as the tanker Elsa berthed. The port authority said Linde had brought "
        "in more than nine thousand ships."
    ),
    "history": (
        "On June 2, 1986, a young Mara Linde guided her first tanker into Oskby harbour. Linde has retired from "
        "piloting after nearly four decades, bringing the tanker Elsa to its berth as dock workers cheered. The "
        "port authority praised Linde's nine thousand ships."
    ),
}


def test_undated_reports_about_the_same_people_are_not_kept_apart_by_their_background_dates(analyze):
    placed = _placed(StoryIndex(), analyze, RETIREMENT, published=None)
    assert placed["history"] == placed["farewell"]


def _posting_faults(index: StoryIndex) -> tuple[int, int]:
    """(ids in the postings of no open story, open stories posted under a feature their centroid dropped)."""
    stories = index.state.stories
    gone = dropped = 0
    for key, listed in index.state.postings.items():
        for story in listed:
            if story not in stories:
                gone += 1
            elif key not in stories[story].centroid:
                dropped += 1
    return gone, dropped


def test_postings_lead_only_to_open_stories_under_the_features_they_keep():
    # A short window and centroids smaller than an article's features: over six days stories merge before
    # closing, close, and drop features as they grow. What the postings keep (and what each article walks)
    # must follow the open stories only.
    settings = IndexSettings(forget_closed=True, window_days=2, centroid_features=60)
    index = StoryIndex(settings)
    for article, _ in article_stream(1_200, 200, 11):
        index.add(article)
    assert index.state.merged and index.state.closed
    assert _posting_faults(index) == (0, 0)


def test_a_state_kept_with_stray_postings_is_tidied():
    index = StoryIndex(IndexSettings(forget_closed=True, window_days=2))
    for article, _ in article_stream(400, 200, 3):
        index.add(article)
    state = index.state
    story, profile = next(iter(state.stories.items()))
    # As an index that did not keep its postings so left them: a story merged away, another closed, and a
    # feature an open story's centroid dropped.
    state.postings["only-strays"] = ["st-merged-away", "st-closed-long-ago"]
    state.postings.setdefault(next(iter(profile.centroid)), []).insert(0, "st-merged-away")
    state.postings.setdefault("a-dropped-feature", []).append(story)
    assert _posting_faults(index) == (3, 1)
    assert index.tidy_postings() == 4
    assert _posting_faults(index) == (0, 0) and "only-strays" not in state.postings
    assert "a-dropped-feature" not in state.postings and index.tidy_postings() == 0
