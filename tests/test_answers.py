"""The answers behind each command: the right lines, each citing its source."""

from __future__ import annotations

from datetime import datetime

import pytest

from briefings.digest.answers import (
    actor_card,
    brief_answer,
    quotes_answer,
    reported_speech,
    sources_answer,
    stories_answer,
    story_brief_answer,
    timeline_answer,
    where_answer,
    who_answer,
)
from briefings.digest.lookup import find_actor, find_story, story_choices
from briefings.digest.when import describe_when
from briefings.models import (
    Actor,
    Article,
    ArticleAnalysis,
    ArticleRef,
    Claim,
    Disagreement,
    Event,
    Mention,
    Place,
    Quote,
    SourcedClaim,
    Story,
    StoryQuote,
    TimelineEntry,
)
from briefings.render import Block, BulletList, Context, Fields, Heading, Link, Paragraph, Reply


def _mentions(n: int) -> list[Mention]:
    return [Mention(text="x", start=i, end=i + 1, sentence=i) for i in range(n)]


def _quote(
    text: str, speaker: str, article: str = "a1", direct: bool = True, cue: str | None = None
) -> StoryQuote:
    return StoryQuote(
        quote=Quote(text=text, speaker=speaker, start=0, end=1, sentence=0, direct=direct, cue=cue),
        article=article,
        articles=[article],
    )


def _claim(text: str, quantity: str, by: str, article: str) -> SourcedClaim:
    return SourcedClaim(claim=Claim(text=text, quantity=quantity, attributed_to=by), article=article)


@pytest.fixture
def story() -> Story:
    deaths = [
        _claim("at least 40 people died", "at least 40", "the Ostland health ministry", "a1"),
        _claim("12 people died", "12", "Marenport police", "a2"),
    ]
    return Story(
        id="s1",
        name="Marenport flood",
        headline="Floods force 3,000 from Marenport",
        articles=["a1", "a2"],
        sources=[
            ArticleRef(
                id="a1",
                source="https://valleypost.example/flood",
                title="Marenport under water",
                outlet="Valley Post",
                url="https://valleypost.example/flood",
                published=datetime(2024, 3, 12, 9, 0),
            ),
            ArticleRef(
                id="a2",
                source="feed.xml",
                title="Dam overflows",
                outlet="Ostra Herald",
                published=datetime(2024, 3, 13, 8, 0),
            ),
        ],
        digest=[
            "Floodwater swept through Marenport on Tuesday, forcing 3,000 residents from their homes.",
            "Governor Ilse Varga declared an emergency.",
            "Sources disagree: deaths — “at least 40” (the Ostland health ministry) vs. “12” (Marenport police).",
        ],
        actors=[
            Actor(name="Ostland", kind="country", mentions=_mentions(9)),
            Actor(
                name="Ilse Varga",
                kind="person",
                aliases=["Varga", "Governor Varga"],
                roles=["regional governor"],
                mentions=_mentions(5),
            ),
            Actor(name="Tomas Reyl", kind="person", roles=["fire chief"], mentions=_mentions(2)),
            Actor(name="Ostra Dam Company", kind="organization", mentions=_mentions(2)),
            Actor(name="Tomasz Kell", kind="person", mentions=_mentions(1)),
        ],
        places=[
            Place(name="Marenport", aliases=["Marenporto"], mentions=_mentions(6)),
            Place(name="Ostra valley", mentions=_mentions(2)),
        ],
        timeline=[
            TimelineEntry(
                when="1987", what="The last great flood destroyed the old bridge.", articles=["a1"]
            ),
            TimelineEntry(
                when="2024-03-12T06:30",
                what="Floodwater swept through Marenport.",
                articles=["a1", "a2"],
            ),
            TimelineEntry(when="2024-03-13", what="Varga declared an emergency.", articles=["a2"]),
        ],
        quotes=[
            _quote("We have never seen the river rise this fast", "Tomas Reyl"),
            _quote("Help is on its way. Stay indoors.", "Ilse Varga", "a2"),
            _quote("the dam itself was not damaged", "Ostra Dam Company", "a2", direct=False, cue="said"),
            _quote("it would close the spillway", "Ostra Dam Company", "a2", direct=False, cue="denied"),
            _quote("the spillway was safe", "the operator", "a2", direct=False, cue="saying"),
            _quote("Nobody was hurt", "the police", "a2", direct=False, cue="according to"),
        ],
        claims=deaths,
        disagreements=[Disagreement(about="deaths", claims=deaths)],
        first_published=datetime(2024, 3, 12, 9, 0),
        last_published=datetime(2024, 3, 13, 8, 0),
        source_count=2,
    )


@pytest.fixture
def analyses() -> list[ArticleAnalysis]:
    event = Event(
        type="declare",
        trigger="declared",
        who=["Ilse Varga"],
        action="declared an emergency",
        where="Marenport",
        evidence="Governor Ilse Varga declared an emergency in Marenport.",
    )
    article = Article(
        id="a2", source="feed.xml", text="Governor Ilse Varga declared an emergency in Marenport."
    )
    return [ArticleAnalysis(article=article, events=[event])]


def _texts(reply: Reply) -> list[str]:
    out: list[str] = []
    for block in reply.blocks:
        out.extend(_block_texts(block))
    return out


def _block_texts(block: Block) -> list[str]:
    if isinstance(block, Heading | Paragraph | Link):
        return [block.text]
    if isinstance(block, BulletList):
        return list(block.items)
    if isinstance(block, Context):
        return list(block.elements)
    if isinstance(block, Fields):
        return [f"{f.name}: {f.value}" for f in block.fields]
    return []


def test_brief_lists_each_story_with_one_line_and_its_sources(story: Story) -> None:
    other = story.model_copy(update={"id": "s2", "headline": "Mine closes in Brenholt", "source_count": 1})
    reply = brief_answer([story, other], limit=1)
    texts = _texts(reply)
    assert texts[0] == "Floods force 3,000 from Marenport"
    assert texts[1] == story.digest[0]
    assert texts[2:5] == ["2 sources", "Valley Post, Ostra Herald", "13 Mar 2024"]
    assert texts[-1] == "1 more story: /stories"
    assert "Mine closes in Brenholt" not in texts
    assert _texts(brief_answer([])) == ["No stories yet: nothing has been read from the feeds."]


def test_brief_of_one_story_gives_the_whole_digest(story: Story) -> None:
    texts = _texts(story_brief_answer(story))
    assert texts[1] == " ".join(story.digest)
    assert "Sources disagree: deaths" in texts[1]


def test_who_lists_people_then_organisations_with_titles_deeds_and_words(story, analyses) -> None:
    reply = who_answer(story, analyses)
    fields = next(b for b in reply.blocks if isinstance(b, Fields)).fields
    names = [f.name for f in fields]
    assert names == [
        "Ilse Varga — regional governor",
        "Tomas Reyl — fire chief",
        "Tomasz Kell",
        "Ostra Dam Company",
    ]
    assert "Ostland" not in " ".join(names)  # countries are places, not who
    varga = fields[0].value
    assert varga.startswith("declared an emergency [Ostra Herald]")
    assert "“Help is on its way. …” [Ostra Herald]" in varga  # the first sentence; /quotes has it all
    assert "praised" not in varga
    assert fields[1].value == "“We have never seen the river rise this fast” [Valley Post]"
    assert fields[2].value == "named 1 time"
    # No deed and no words of their own: what they said, with the verb the report used.
    assert fields[3].value == "said the dam itself was not damaged [Ostra Herald] · 2 statements"


def test_who_without_analyses_finds_deeds_on_the_timeline(story: Story) -> None:
    fields = next(b for b in who_answer(story).blocks if isinstance(b, Fields)).fields
    assert fields[0].value.startswith("Varga declared an emergency. [Ostra Herald]")


def test_actor_card_by_any_of_their_names(story, analyses) -> None:
    for typed in ("Ilse Varga", "varga", "Governor Varga", "ilse  VARGA"):
        texts = _texts(actor_card(story, typed, analyses))
        assert texts[0] == "Ilse Varga — regional governor"
    texts = _texts(actor_card(story, "Varga", analyses))
    assert texts[1] == "person · also “Varga”, “Governor Varga” · named 5 times"
    assert texts[2:4] == ["Did:", "declared an emergency [Ostra Herald]"]
    assert texts[4:6] == ["On the timeline:", "Varga declared an emergency. [Ostra Herald]"]
    assert "“Help is on its way. Stay indoors.” [Ostra Herald]" in texts


def test_actor_card_suggests_the_closest_names_when_none_match(story: Story) -> None:
    texts = _texts(actor_card(story, "Tomas Rell"))
    assert texts[0] == "No one called “Tomas Rell” in “Marenport flood”."
    assert texts[1] == "Did you mean:"
    assert texts[2] == "Tomas Reyl"
    assert "Tomasz Kell" in texts[2:]
    assert _texts(actor_card(story, "zzzz"))[1:] == []


def test_timeline_entries_in_order_with_dates_as_people_write_them(story: Story) -> None:
    items = next(b for b in timeline_answer(story).blocks if isinstance(b, BulletList)).items
    assert items == [
        "1987 — The last great flood destroyed the old bridge. [Valley Post]",
        "12 Mar 2024 06:30 — Floodwater swept through Marenport. [Valley Post, Ostra Herald]",
        "13 Mar 2024 — Varga declared an emergency. [Ostra Herald]",
    ]
    empty = story.model_copy(update={"timeline": []})
    assert _texts(timeline_answer(empty))[-1] == "No dated events in this story yet."


def test_where_gives_places_other_spellings_and_what_happened(story, analyses) -> None:
    fields = next(b for b in where_answer(story, analyses).blocks if isinstance(b, Fields)).fields
    assert fields[0].name == "Marenport"
    assert fields[0].value == "also Marenporto · declared an emergency [Ostra Herald] · named 6 times"
    assert fields[1].value == "named 2 times"


def test_quotes_all_or_by_one_speaker(story: Story) -> None:
    items = next(b for b in quotes_answer(story).blocks if isinstance(b, BulletList)).items
    assert items[0] == "“We have never seen the river rise this fast” — Tomas Reyl [Valley Post]"
    # Reported speech reads as reported, with its verb, and never in quotation marks: a denial stays one.
    assert items[-4] == "Ostra Dam Company said the dam itself was not damaged [Ostra Herald]"
    assert items[-3] == "Ostra Dam Company denied it would close the spillway [Ostra Herald]"
    assert items[-2] == "The operator said the spillway was safe [Ostra Herald]"
    assert items[-1] == "According to the police, nobody was hurt [Ostra Herald]"
    opening = Quote(text="A second wall had cracked", speaker="the engineer", start=0, end=1, sentence=0)
    assert reported_speech(opening.model_copy(update={"direct": False, "cue": "said"})) == (
        "The engineer said a second wall had cracked"
    )
    mine = opening.model_copy(update={"text": "I saw the wall crack", "direct": False, "cue": "said"})
    assert reported_speech(mine) == "The engineer said I saw the wall crack"
    reply = quotes_answer(story, speaker="governor varga")
    assert _texts(reply) == [
        "Quotes — Ilse Varga",
        "“Help is on its way. Stay indoors.” — Ilse Varga [Ostra Herald]",
    ]
    missing = _texts(quotes_answer(story, speaker="Tomas Rell"))
    assert missing[1] == "No quotes from “Tomas Rell” in this story."
    assert "Tomas Reyl" in missing


def test_sources_list_articles_and_where_they_disagree(story: Story) -> None:
    reply = sources_answer(story)
    links = [b for b in reply.blocks if isinstance(b, Link)]
    assert [(link.text, link.url) for link in links] == [
        ("a1: Marenport under water", "https://valleypost.example/flood")
    ]
    texts = _texts(reply)
    assert "a2: Dam overflows" in texts
    assert "Ostra Herald" in texts and "13 Mar 2024" in texts
    assert "Where they disagree" in texts
    assert texts[-1] == (
        "Sources disagree: deaths — “at least 40” (the Ostland health ministry) vs. “12 people died” "
        "(Marenport police)."
    )


def test_stories_lists_the_active_stories(story: Story) -> None:
    other = story.model_copy(update={"name": "Brenholt mine", "source_count": 1, "last_published": None})
    items = next(b for b in stories_answer([story, other]).blocks if isinstance(b, BulletList)).items
    assert items == ["Marenport flood — 2 sources · 13 Mar 2024", "Brenholt mine — 1 source · 12 Mar 2024"]
    assert _texts(stories_answer([])) == ["No active stories."]


def test_stories_are_found_by_name_with_suggestions(story: Story) -> None:
    other = story.model_copy(update={"id": "s2", "name": "Brenholt mine", "headline": "Mine closes"})
    assert find_story([story, other], "brenholt mine").found is other
    assert find_story([story, other], "Marenport").found is story
    assert find_story([story, other], "Brenholt mines").found is other
    assert find_story([story, other], "qqq").found is None


def test_two_equally_close_actors_are_suggested_not_guessed(story: Story) -> None:
    twins = [
        Actor(name="Anna Holm", kind="person"),
        Actor(name="Anne Holm", kind="person"),
    ]
    found = find_actor(twins, "Anni Holm")
    assert found.found is None
    assert set(found.suggestions) == {"Anna Holm", "Anne Holm"}


def test_timex_values_are_written_as_dates() -> None:
    assert describe_when("2020-01-03") == "3 Jan 2020"
    assert describe_when("2020-01-07T17:30") == "7 Jan 2020 17:30"
    assert describe_when("2020-01-07TNI") == "7 Jan 2020 night"
    assert describe_when("2020-01") == "Jan 2020"
    assert describe_when("2020-W02") == "week 2 of 2020"
    assert describe_when("PAST_REF") == "earlier"
    assert describe_when("XXXX-WXX-1") == "XXXX-WXX-1"


def test_story_names_autocomplete_by_prefix_then_closeness(story: Story) -> None:
    names = ["Marenport flood", "Brenholt mine", "Marenport election", "Ostra dam repairs"]
    stories = [story.model_copy(update={"id": f"s{i}", "name": n}) for i, n in enumerate(names)]
    assert story_choices(stories, "maren", 25) == ["Marenport flood", "Marenport election"]
    assert story_choices(stories, "", 25)[:2] == ["Marenport flood", "Brenholt mine"]
    assert story_choices(stories, "ostra dam", 25)[0] == "Ostra dam repairs"
    assert len(story_choices(stories * 10, "", limit=25)) <= 25


def test_every_answer_renders_on_every_platform_without_pinging(story: Story, analyses) -> None:
    from bot.console.render import CONSOLE_LIMITS, neutralise_console
    from bot.discord.limits import DISCORD_LIMITS, neutralise_discord
    from bot.slack.mrkdwn import SLACK_LIMITS, escape_mrkdwn
    from briefings.render import render_pages

    rules = {
        "discord": (DISCORD_LIMITS, neutralise_discord),
        "slack": (SLACK_LIMITS, escape_mrkdwn),
        "console": (CONSOLE_LIMITS, neutralise_console),
    }

    loud = story.model_copy(
        update={
            "quotes": [
                *story.quotes,
                _quote("@everyone look <@123456789012345678> <!channel>", "Tomas Reyl"),
            ],
            "actors": [
                *story.actors,
                *(Actor(name=f"Person {i}", kind="person", roles=["witness"]) for i in range(40)),
            ],
        }
    )
    answers = [
        brief_answer([loud]),
        story_brief_answer(loud),
        who_answer(loud, analyses, limit=50),
        actor_card(loud, "Tomas Reyl"),
        timeline_answer(loud),
        where_answer(loud, analyses),
        quotes_answer(loud),
        sources_answer(loud),
        stories_answer([loud]),
    ]
    for reply in answers:
        for platform in ("discord", "slack", "console"):
            pages = render_pages(reply, *rules[platform])
            assert pages and pages[0]
            sent = " ".join(t for page in pages for block in page for t in _block_texts(block))
            if platform == "discord":
                assert "@everyone" not in sent and "<@1" not in sent
            if platform == "slack":
                assert "<!channel>" not in sent and "<@" not in sent


def test_an_untitled_articles_address_is_not_its_link_text(story: Story) -> None:
    source = story.sources[0]
    untitled = source.model_copy(update={"title": None, "source": "https://trusted.example/page"})
    reply = sources_answer(story.model_copy(update={"sources": [untitled]}))
    links = [b for b in reply.blocks if isinstance(b, Link)]
    assert [(link.text, link.url) for link in links] == [("a1: untitled article", source.url)]
