"""The digest: extractive, within 120 words, nothing invented, disputed figures said with their sources."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.digest.disagreements import describe_disagreement
from briefings.digest.summary import summarize
from briefings.digest.trimming import is_compression_of, trim_sentence
from briefings.digest.writer import (
    MAX_DIGEST_WORDS,
    DigestDraft,
    DigestSentence,
    ExtractiveWriter,
    unsupported_sentences,
)
from briefings.models import ArticleAnalysis, ArticleRef, Claim, Disagreement, SourcedClaim, Story

FLOOD = (
    "Marenport: Floodwater swept through the river town of Marenport on Tuesday, forcing 3,000 residents "
    "from their homes after the Ostra dam overflowed. "
    "The regional governor, Ilse Varga, declared an emergency and sent army engineers to shore up the dam. "
    "Rescue crews in boats pulled families from rooftops in the old quarter of Marenport, officials said. "
    '"We have never seen the river rise this fast," said Tomas Reyl, the town\'s fire chief. '
    "Weather forecasters expect more rain over the Ostra valley on Thursday. "
    "But the dam operator said the structure itself was not damaged. "
    "Schools in Marenport will stay closed for the rest of the week. "
    "The last great flood in the valley, in 1987, destroyed the old bridge."
)


def _story(*analyses: ArticleAnalysis, **extra: object) -> Story:
    return Story(
        id="s1",
        name="",
        headline="",
        articles=[a.article.id for a in analyses],
        sources=[ArticleRef(id=a.article.id, source=a.article.source) for a in analyses],
        **extra,  # type: ignore[arg-type]
    )


def _words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _assert_nothing_invented(digest: list[str], analyses: list[ArticleAnalysis]) -> None:
    sources = [s.text for a in analyses for s in a.sentences]
    for sentence in digest:
        if sentence.startswith("Sources disagree:"):
            continue
        assert any(is_compression_of(sentence, source) for source in sources), sentence


def test_digest_takes_the_main_facts_within_the_word_limit(analyze) -> None:
    analysis = analyze(FLOOD)
    headline, digest = summarize(_story(analysis), [analysis])
    assert 1 <= len(digest) <= 3
    assert _words(digest) <= MAX_DIGEST_WORDS
    assert digest[0].startswith("Floodwater swept through the river town of Marenport")
    _assert_nothing_invented(digest, [analysis])
    # No title: the headline is the opening of the lead, the dateline dropped.
    assert headline.startswith("Floodwater swept through the river town of Marenport on Tuesday")
    assert is_compression_of(headline.rstrip("…"), FLOOD)


def test_a_long_article_still_gets_at_most_120_words(analyze) -> None:
    long_sentences = [
        f"The council of Brenholt voted on measure {n} after a debate that ran for hours and drew a crowd "
        f"of farmers, traders, teachers, nurses and students from every district of the valley."
        for n in range(1, 40)
    ]
    analysis = analyze(" ".join(long_sentences))
    _, digest = summarize(_story(analysis), [analysis])
    assert digest
    assert _words(digest) <= MAX_DIGEST_WORDS
    _assert_nothing_invented(digest, [analysis])


def test_the_title_is_the_headline_when_there_is_one(analyze) -> None:
    analysis = analyze(FLOOD, title="Floods force 3,000 from Marenport")
    headline, _ = summarize(_story(analysis), [analysis])
    assert headline == "Floods force 3,000 from Marenport"


def test_a_repeated_standfirst_gives_way_to_the_facts(analyze) -> None:
    standfirst = "Officials said the governor has been told and is following events."
    analysis = analyze(f"{standfirst} {FLOOD} {standfirst}")
    _, digest = summarize(_story(analysis), [analysis])
    assert standfirst not in digest
    assert any("Floodwater swept" in s for s in digest)


def test_voices_give_way_to_report_lines(analyze) -> None:
    voices = (
        "Floodwater swept through the river town of Marenport on Tuesday after the Ostra dam overflowed. "
        '"We lost everything in one night. I have lived here all my life and never saw the river like this. '
        'My children are sleeping at the school now," said Mara Lind, a baker in the old quarter. '
        "Why did the warning come so late? "
        "Army engineers worked through the night to shore up the dam above the town. "
        "The regional governor declared an emergency and asked the capital for funds."
    )
    analysis = analyze(voices)
    _, digest = summarize(_story(analysis), [analysis])
    assert digest == [
        "Floodwater swept through the river town of Marenport on Tuesday after the Ostra dam overflowed.",
        "Army engineers worked through the night to shore up the dam above the town.",
        "The regional governor declared an emergency and asked the capital for funds.",
    ]


def test_disputed_figures_are_said_with_who_gives_them(analyze) -> None:
    analysis = analyze(FLOOD)
    ministry = SourcedClaim(
        claim=Claim(text="at least 40 people died", quantity="at least 40", attributed_to="the ministry"),
        article="a1",
    )
    police = SourcedClaim(claim=Claim(text="12 dead", quantity="12", attributed_to="police"), article="a1")
    story = _story(analysis, disagreements=[Disagreement(about="deaths", claims=[ministry, police])])
    _, digest = summarize(story, [analysis])
    assert digest[-1] == "Sources disagree: deaths — “at least 40” (the ministry) vs. “12 dead” (police)."
    assert _words(digest) <= MAX_DIGEST_WORDS
    _assert_nothing_invented(digest, [analysis])


def _counted(text: str, quantity: str, what: str | None, by: str, article: str = "a1") -> SourcedClaim:
    """A figure a source gives: the claim's words, its amount, what it counts (noun and verb) and who."""
    return SourcedClaim(
        claim=Claim(text=text, quantity=quantity, what=what, attributed_to=by), article=article
    )


def test_a_disputed_figure_is_its_amount_and_what_it_counts_not_the_clause_around_them(analyze) -> None:
    analysis = analyze(FLOOD)
    chief = _counted("about 40 firefighters fought", "about 40", "firefighters fought", "the fire chief")
    service = _counted(
        "leaving more than 60 firefighters on the quay",
        "more than 60",
        "firefighters left",
        "the fire service",
    )
    story = _story(analysis, disagreements=[Disagreement(about="firefighters", claims=[chief, service])])
    _, digest = summarize(story, [analysis])
    assert digest[-1] == (
        "Sources disagree: firefighters — “about 40 firefighters” (the fire chief) vs. "
        "“more than 60 firefighters” (the fire service)."
    )


def test_a_disputed_amount_is_not_read_inside_a_larger_number() -> None:
    crew = _counted(
        "joined the 140 firefighters and 40 more fought on", "40", "firefighters fought", "the union"
    )
    chief = _counted("60", "60", None, "the chief", article="a2")
    line = describe_disagreement(Disagreement(about="firefighters", claims=[crew, chief]), {})
    assert line == "Sources disagree: firefighters — “40” (the union) vs. “60” (the chief)."


def test_one_source_own_figures_are_no_dispute_and_long_lists_are_counted(analyze) -> None:
    analysis = analyze(FLOOD)

    def claim(quantity: str, by: str) -> SourcedClaim:
        return SourcedClaim(
            claim=Claim(text=f"{quantity} of damage to the town", quantity=quantity, attributed_to=by),
            article="a1",
        )

    own = Disagreement(about="money", claims=[claim("£200", "the insurer"), claim("£900", "the insurer")])
    # One article's own unattributed figures count different things: the article does not contradict itself.
    unattributed = Disagreement(
        about="homes",
        claims=[
            SourcedClaim(claim=Claim(text="200 homes", quantity="200"), article="a1"),
            SourcedClaim(claim=Claim(text="900 homes", quantity="900", attributed_to="police"), article="a1"),
        ],
    )
    many = Disagreement(
        about="damage",
        claims=[claim(q, by) for q, by in [("£1", "a"), ("£2", "b"), ("£3", "c"), ("£4", "d")]],
    )
    _, digest = summarize(_story(analysis, disagreements=[own, unattributed, many]), [analysis])
    assert not any(s.startswith(("Sources disagree: money", "Sources disagree: homes")) for s in digest)
    assert digest[-1] == "Sources disagree: damage — “£1” (a) vs. “£2” (b) vs. “£3” (c) (+1 more)."


def test_a_disputed_figure_without_a_named_source_cites_the_outlet(analyze) -> None:
    first, second = analyze(FLOOD), analyze(FLOOD)
    second = second.model_copy(update={"article": second.article.model_copy(update={"id": "a2"})})
    claims = [
        SourcedClaim(claim=Claim(text="200 homes", quantity="200"), article="a1"),
        SourcedClaim(claim=Claim(text="900 homes", quantity="900"), article="a2"),
    ]
    story = _story(first, second, disagreements=[Disagreement(about="homes flooded", claims=claims)])
    story = story.model_copy(
        update={
            "sources": [
                ArticleRef(id="a1", source="x", outlet="Valley Post"),
                ArticleRef(id="a2", source="y", outlet="Ostra Herald"),
            ]
        }
    )
    _, digest = summarize(story, [first, second])
    assert digest[-1] == (
        "Sources disagree: homes flooded — “200 homes” (Valley Post) vs. “900 homes” (Ostra Herald)."
    )


def test_a_disputed_figure_without_outlet_or_title_cites_the_site_or_file_not_a_path(analyze) -> None:
    first, second = analyze(FLOOD), analyze(FLOOD)
    second = second.model_copy(update={"article": second.article.model_copy(update={"id": "a2"})})
    claims = [
        SourcedClaim(claim=Claim(text="200 homes", quantity="200"), article="a1"),
        SourcedClaim(claim=Claim(text="900 homes", quantity="900"), article="a2"),
    ]
    story = _story(first, second, disagreements=[Disagreement(about="homes flooded", claims=claims)])
    sources = [
        ArticleRef(id="a1", source="https://www.valley-post.example/news/floods?id=4"),
        ArticleRef(id="a2", source="/home/ana/clippings/ostra-herald-floods.txt"),
    ]
    _, digest = summarize(story.model_copy(update={"sources": sources}), [first, second])
    assert digest[-1] == (
        "Sources disagree: homes flooded — “200 homes” (valley-post.example) vs. "
        "“900 homes” (ostra-herald-floods.txt)."
    )


def test_two_reports_of_one_story_do_not_repeat_each_other(analyze) -> None:
    first = analyze(FLOOD)
    other = analyze(
        "Floodwater swept through the river town of Marenport on Tuesday, forcing 3,000 residents from "
        "their homes after the Ostra dam overflowed. Army engineers worked through the night on the dam. "
        "The governor asked the capital for emergency funds to rebuild the old quarter."
    )
    other = other.model_copy(update={"article": other.article.model_copy(update={"id": "a2"})})
    _, digest = summarize(_story(first, other), [first, other])
    assert sum("Floodwater swept" in s for s in digest) == 1
    _assert_nothing_invented(digest, [first, other])


def test_empty_and_odd_articles_do_not_raise(analyze) -> None:
    for text in ("", "   ", "\u200b\u00a0", "Ünïcödé — “quotes” and emoji 🌊 only.", "No."):
        analysis = analyze(text)
        headline, digest = summarize(_story(analysis), [analysis])
        assert isinstance(headline, str)
        assert _words(digest) <= MAX_DIGEST_WORDS
    assert summarize(Story(id="s", name="n", headline="h", articles=[]), []) == ("h", [])


def test_trimming_drops_only_whole_pieces() -> None:
    cases = {
        "Washington: Iran launched missiles at two bases overnight.": "Iran launched missiles at two bases overnight.",
        "(CNN) -- The storm reached the coast on Monday night.": "The storm reached the coast on Monday night.",
        "BRENHOLT, Ostland (Wire) - The council voted to close the mine.": "The council voted to close the mine.",
        # A dateline that text extraction glued to the sentence, no space between.
        "Brenholt, Ostland (Wire)The council voted to close the mine.": "The council voted to close the mine.",
        "Brenholt (Wire)The council voted to close the mine.": "The council voted to close the mine.",
        "But the operator said the dam itself was not damaged.": "The operator said the dam itself was not damaged.",
        "The girl (pictured) was found safe in Leeds (aged 4) on Monday.": "The girl was found safe in Leeds (aged 4) on Monday.",
        # Not datelines: a name before a dash inside a sentence, and a colon before too little.
        "Manchester City - who lost on Sunday - are out.": "Manchester City - who lost on Sunday - are out.",
        "Update: yes.": "Update: yes.",
    }
    for source, trimmed in cases.items():
        assert trim_sentence(source) == trimmed
        assert is_compression_of(trim_sentence(source), source)
    assert not is_compression_of("The dam was damaged.", "The dam was not damaged at all.")
    assert not is_compression_of("The dam was damaged.", "The dam wasn't damaged.")
    assert is_compression_of("The dam was not damaged.", "But the dam was not damaged, he said.")
    assert not is_compression_of("Iran denied the attack.", "Iran launched the attack.")


def test_a_glued_share_bar_is_cut_from_the_sentence_it_was_extracted_with() -> None:
    source = (
        "Share this withEmailChatterPostboardLinkboxCopy this linkVolunteers rebuilt the footbridge "
        "over the Ostra in two days."
    )
    trimmed = trim_sentence(source)
    assert trimmed == "Volunteers rebuilt the footbridge over the Ostra in two days."
    assert is_compression_of(trimmed, source)
    # Names written with inner capitals are prose, not a share bar.
    for prose in (
        "McAllister said the iPhone app sold well in Marenport.",
        "YouTube and PlayStation fans met.",
    ):
        assert trim_sentence(prose) == prose


@dataclass
class _InventingWriter:
    def write(self, story: Story, analyses: list[ArticleAnalysis]) -> DigestDraft:
        return DigestDraft(
            headline="Dam bursts",
            sentences=[DigestSentence(text="The dam burst and killed hundreds.", articles=("a1",))],
        )


@dataclass
class _FaithfulWriter:
    def write(self, story: Story, analyses: list[ArticleAnalysis]) -> DigestDraft:
        return DigestDraft(
            headline="Marenport flooded",
            sentences=[
                DigestSentence(text="Floodwater swept through Marenport on Tuesday.", articles=("a1",))
            ],
        )


def test_another_writer_is_used_only_when_its_draft_checks_out(analyze) -> None:
    analysis = analyze(FLOOD)
    story = _story(analysis)
    invented = _InventingWriter().write(story, [analysis])
    assert unsupported_sentences(invented, [analysis]) == invented.sentences
    headline, digest = summarize(story, [analysis], writer=_InventingWriter())
    assert headline != "Dam bursts"
    assert digest == ExtractiveWriter().write(story, [analysis]).texts()
    assert summarize(story, [analysis], writer=_FaithfulWriter()) == (
        "Marenport flooded",
        ["Floodwater swept through Marenport on Tuesday."],
    )


STRIKE = (
    "Officials in Lorvik said the president has been told and is following events.\n"
    "Lorvik: Ostland fired more than twenty rockets at two airfields in Velmar where Lorvik troops are "
    "based, which Ostland's defence council called a warning.\n"
    "According to Ostland state radio, the rockets were revenge for the killing of General Anto Sar in a "
    "Lorvik drone strike on Friday.\n"
    "While the state radio claimed that at least 60 soldiers were killed, the Lorvik defence ministry "
    "said it was still assessing the damage.\n"
    "The Velmar army said in a statement that 18 rockets landed, but no Velmar soldiers were hurt.\n"
    "Lorvik's president wrote on social media that all was well.\n"
    "Officials in Lorvik said the president has been told and is following events.\n"
    "Ostland's leader, Marta Ivel, said the strike was a slap in the face.\n"
    "General Sar had led Ostland's border guard for ten years."
)


def test_a_strike_story_says_who_fired_what_where_why_and_the_disputed_toll(analyze) -> None:
    from briefings.stories.merge import merge_story

    analysis = analyze(STRIKE, published="2024-03-14T10:00:00")
    story = merge_story("s1", [analysis])
    words = " ".join(story.digest)
    assert _words(story.digest) <= MAX_DIGEST_WORDS
    assert "Ostland fired more than twenty rockets at two airfields in Velmar" in words  # who, what, where
    assert "revenge for the killing of General Anto Sar" in words  # why
    assert "at least 60 soldiers" in words  # the disputed toll
    assert "Officials in Lorvik said the president has been told" not in words  # the repeated standfirst
    _assert_nothing_invented(story.digest, [analysis])


def _as(analysis: ArticleAnalysis, article_id: str) -> ArticleAnalysis:
    return analysis.model_copy(update={"article": analysis.article.model_copy(update={"id": article_id})})


LATER = (
    "Engineers finished repairs to the Ostra dam on Thursday, and the 3,000 residents of Marenport began "
    "to return to their homes. The governor, Ilse Varga, lifted the emergency in the afternoon. "
    "Schools in Marenport will reopen on Monday, the town council said."
)


def test_a_story_told_over_time_leads_with_its_latest_development(analyze) -> None:
    first = analyze(FLOOD, published="2024-03-12T10:00:00")
    later = _as(analyze(LATER, published="2024-03-14T18:00:00"), "a2")
    _, digest = summarize(_story(first, later), [first, later])
    assert digest[0].startswith("Engineers finished repairs to the Ostra dam")
    _assert_nothing_invented(digest, [first, later])


def test_undated_reports_keep_the_order_they_came_in(analyze) -> None:
    first = analyze(FLOOD, published=None)
    later = _as(analyze(LATER, published=None), "a2")
    _, digest = summarize(_story(first, later), [first, later])
    assert digest[0].startswith("Floodwater swept through the river town of Marenport")


MILL_SERVICE = (
    "More than 60 firefighters were needed to put out a fire at a timber mill on Dunmore quay late on "
    "Tuesday, the county fire service said. Boats bound for the quay were sent to Carrow while the mill "
    "burned. The harbour master said the quay would stay shut until engineers had checked it."
)
MILL_CHIEF = (
    "A fire destroyed a timber mill on Dunmore quay on Tuesday night, and the quay stayed closed to boats "
    "on Wednesday. Fire chief Anna Berg said about 40 firefighters fought the blaze through the night. "
    "Nobody was hurt, the harbour authority said. The mill's owner said it held 2,000 tonnes of oak."
)


def _mill_story(analyze):
    from briefings.stories.merge import merge_story

    service = _as(analyze(MILL_SERVICE, published="2024-03-13T09:00:00"), "a1")
    chief = _as(analyze(MILL_CHIEF, published="2024-03-13T08:00:00"), "a2")
    return merge_story("s1", [service, chief]), [service, chief]


def test_a_figure_the_disagreement_line_gives_is_not_said_again(analyze) -> None:
    story, analyses = _mill_story(analyze)
    lines = [s for s in story.digest if s.startswith("Sources disagree:")]
    assert len(lines) == 1 and "60" in lines[0] and "40" in lines[0]
    extracts = [s for s in story.digest if not s.startswith("Sources disagree:")]
    assert extracts
    # Each figure is said once, with who gives it: in the line, never again in an extract beside it.
    assert not any("60 firefighters" in s or "40 firefighters" in s for s in extracts)
    _assert_nothing_invented(story.digest, analyses)


def test_sources_and_the_digest_say_the_same_disagreement(analyze) -> None:
    from briefings.digest.answers import sources_answer

    story, _ = _mill_story(analyze)
    listed = [
        item
        for block in sources_answer(story).blocks
        for item in getattr(block, "items", [])
        if item.startswith("Sources disagree:")
    ]
    assert listed
    assert [s for s in story.digest if s.startswith("Sources disagree:")] == listed


BRIDGE_ONE = (
    "Readers can sign up for our morning newsletter at the bottom of this page. "
    "The old stone bridge over the Ostra at Marenport collapsed on Monday night after days of heavy rain. "
    "Nobody was on the bridge when it fell, the town council said."
)
BRIDGE_TWO = (
    "Heavy rain brought down the old stone bridge over the Ostra at Marenport on Monday night. "
    "Engineers said the river had washed away the bridge's eastern pier. "
    "Drivers face a detour of 20 kilometres through Lorn."
)
BRIDGE_THREE = (
    "Marenport's old stone bridge collapsed into the Ostra on Monday night, after days of rain swelled the "
    "river. The council said a ferry would carry people across until a temporary bridge is built."
)


def test_what_the_other_sources_also_tell_comes_before_one_report_s_own_opening(analyze) -> None:
    reports = [
        _as(analyze(text, published=None), f"a{n}")
        for n, text in enumerate((BRIDGE_ONE, BRIDGE_TWO, BRIDGE_THREE), 1)
    ]
    _, digest = summarize(_story(*reports), reports)
    # The first report opens with a line no other source tells: the bridge, which all three tell, is said.
    assert not any("newsletter" in s for s in digest)
    assert any("bridge" in s and ("collapsed" in s or "brought down" in s) for s in digest)
    _assert_nothing_invented(digest, reports)


BRIDGE_LATER = (
    "A temporary steel bridge over the Ostra opened at Marenport on Friday, four days after the old stone "
    "bridge collapsed. Army engineers built it in three days."
)


def test_the_latest_report_leads_even_when_older_reports_agree_on_more(analyze) -> None:
    older = [
        _as(analyze(text, published="2024-03-11T08:00:00"), f"a{n}")
        for n, text in enumerate((BRIDGE_ONE, BRIDGE_TWO, BRIDGE_THREE), 1)
    ]
    later = _as(analyze(BRIDGE_LATER, published="2024-03-15T18:00:00"), "a4")
    reports = [*older, later]
    _, digest = summarize(_story(*reports), reports)
    assert digest[0].startswith("A temporary steel bridge over the Ostra opened at Marenport on Friday")
    _assert_nothing_invented(digest, reports)


def _two_outlets(story: Story) -> Story:
    sources = [
        ArticleRef(id="a1", source="x", outlet="Valley Post"),
        ArticleRef(id="a2", source="y", outlet="Ostra Herald"),
    ]
    return story.model_copy(update={"sources": sources})


def test_a_report_giving_several_amounts_of_its_own_does_not_dispute_another(analyze) -> None:
    first, second = analyze(FLOOD), _as(analyze(FLOOD), "a2")

    def own(quantity: str, value: float, article: str) -> SourcedClaim:
        return SourcedClaim(
            claim=Claim(text=f"{quantity} homes", quantity=quantity, value=value), article=article
        )

    # The first report counts this year's and last year's flooded homes; the second gives this year's.
    counts = [own("200", 200, "a1"), own("900", 900, "a1"), own("200", 200, "a2")]
    story = _two_outlets(_story(first, second, disagreements=[Disagreement(about="homes", claims=counts)]))
    _, digest = summarize(story, [first, second])
    assert not any(s.startswith("Sources disagree:") for s in digest)
    # Two reports that each give one amount, and differ, do disagree.
    differ = [own("200", 200, "a1"), own("900", 900, "a2")]
    story = _two_outlets(_story(first, second, disagreements=[Disagreement(about="homes", claims=differ)]))
    _, digest = summarize(story, [first, second])
    assert digest[-1] == "Sources disagree: homes — “200 homes” (Valley Post) vs. “900 homes” (Ostra Herald)."


def test_sentences_glued_by_text_extraction_are_told_apart(analyze) -> None:
    from briefings.digest.trimming import glued_sentences

    assert glued_sentences('The bridge fell in 1987.Engineers said "it was old."Nobody was hurt.') == [
        "The bridge fell in 1987.",
        'Engineers said "it was old."',
        "Nobody was hurt.",
    ]
    assert glued_sentences("It closed on 1 May.“We are sad,” she said.") == [
        "It closed on 1 May.",
        "“We are sad,” she said.",
    ]
    # Abbreviations and decimals are no joins.
    assert glued_sentences("The U.S. Army paid 3.5m to Mr. Reyl.") == ["The U.S. Army paid 3.5m to Mr. Reyl."]
    glued = (
        "Floodwater swept through the river town of Marenport on Tuesday, the worst flood since 1987."
        "The regional governor, Ilse Varga, declared an emergency and sent army engineers to the dam. "
        "Rescue crews in boats pulled families from rooftops in the old quarter, officials said."
    )
    analysis = analyze(glued)
    _, digest = summarize(_story(analysis), [analysis])
    assert (
        digest[0]
        == "Floodwater swept through the river town of Marenport on Tuesday, the worst flood since 1987."
    )
    _assert_nothing_invented(digest, [analysis])


def test_a_sentence_that_retells_a_chosen_one_with_more_words_is_not_taken(analyze) -> None:
    text = (
        "Floodwater swept through Marenport on Tuesday after the Ostra dam overflowed. "
        "Floodwater swept through Marenport, seen here from the air on Tuesday, after the Ostra dam "
        "overflowed and the river burst its banks across the valley farms and roads. "
        "The regional governor, Ilse Varga, declared an emergency and sent army engineers to the dam. "
        "Schools in Marenport will stay closed for the rest of the week, the council said."
    )
    analysis = analyze(text)
    _, digest = summarize(_story(analysis), [analysis])
    assert sum(s.startswith("Floodwater swept through Marenport") for s in digest) == 1
    assert any("Ilse Varga" in s for s in digest)
    _assert_nothing_invented(digest, [analysis])


def test_a_sentence_that_names_its_subject_comes_before_one_that_points_back(analyze) -> None:
    text = (
        "A fire destroyed the old grain mill at Harrowby on Sunday night, the county fire service said. "
        "Crews from three towns fought the flames at the grain mill until dawn. "
        "It was built by a local family in 1880 and was once the largest in the county. "
        "A local family built the mill in 1880 and it was once the largest in the county. "
        "Police said the cause of the fire was not yet known."
    )
    analysis = analyze(text)
    _, digest = summarize(_story(analysis), [analysis])
    assert digest[-1] == "A local family built the mill in 1880 and it was once the largest in the county."
    assert not any(s.startswith("It was built") for s in digest)
    _assert_nothing_invented(digest, [analysis])


def test_a_credit_line_is_not_taken_as_a_sentence_of_the_story(analyze) -> None:
    text = (
        "A fire destroyed the old grain mill at Harrowby on Sunday night, the county fire service said.\n\n"
        "Crews from three towns fought the flames at the grain mill until dawn on Monday.\n\n"
        '"The mill was the heart of Harrowby for a century and we will miss it," the mayor said.\n\n'
        "— Anna Pell, the mayor of Harrowby, speaking to reporters at the mill on Monday morning\n\n"
        "Police said the cause of the fire at the mill was not yet known to investigators."
    )
    analysis = analyze(text)
    _, digest = summarize(_story(analysis), [analysis])
    assert not any("Anna Pell" in s for s in digest)
    assert any(s.startswith("Police said the cause") for s in digest)
    _assert_nothing_invented(digest, [analysis])


def test_a_caption_run_into_a_sentence_without_a_stop_is_not_taken(analyze) -> None:
    text = (
        "A fire destroyed the old grain mill at Harrowby on Sunday night, the county fire service said. "
        "Crews from three towns fought the flames at the grain mill until dawn on Monday. "
        "Firefighters at the burning grain mill in Harrowby late on Sunday night "
        "The mill had stood by the river in Harrowby since 1880 and the fire crews could not save it. "
        "The owners said the mill at Harrowby would be rebuilt by the river next year. "
        "Police said the cause of the fire was not yet known."
    )
    analysis = analyze(text)
    _, digest = summarize(_story(analysis), [analysis])
    assert not any("Firefighters at the burning" in s for s in digest)
    assert any(s.startswith("The owners said the mill") for s in digest)
    _assert_nothing_invented(digest, [analysis])


def test_a_capitalised_title_inside_a_sentence_is_no_run_on(analyze) -> None:
    text = (
        "A fire destroyed the old grain mill at Harrowby on Sunday night, the county fire service said. "
        "The mill's owner told The Harrowby Courier that the grain mill would be rebuilt next year. "
        "Police said the cause of the fire at the mill was not yet known to investigators. "
        "Crews from three towns fought the flames until dawn."
    )
    analysis = analyze(text)
    _, digest = summarize(_story(analysis), [analysis])
    assert any(s.startswith("The mill's owner told The Harrowby Courier") for s in digest)


def test_figures_of_different_orders_of_size_count_different_things(analyze) -> None:
    first, second = analyze(FLOOD), _as(analyze(FLOOD), "a2")

    def cost(quantity: str, value: float, by: str, article: str) -> SourcedClaim:
        return SourcedClaim(
            claim=Claim(text=f"{quantity} for repairs", quantity=quantity, value=value, attributed_to=by),
            article=article,
        )

    # The region's whole repair budget and one street's grant are not two versions of one figure.
    apart = [cost("£40 million", 40e6, "the region", "a1"), cost("£20,000", 2e4, "the council", "a2")]
    story = _two_outlets(_story(first, second, disagreements=[Disagreement(about="money", claims=apart)]))
    _, digest = summarize(story, [first, second])
    assert not any(s.startswith("Sources disagree:") for s in digest)
    # Two estimates of one bill, or none against some, do disagree.
    for low, value in (("£15 million", 15e6), ("nothing", 0.0)):
        near = [cost("£40 million", 40e6, "the region", "a1"), cost(low, value, "the council", "a2")]
        story = _two_outlets(_story(first, second, disagreements=[Disagreement(about="money", claims=near)]))
        _, digest = summarize(story, [first, second])
        assert digest[-1] == (
            f"Sources disagree: money — “£40 million for repairs” (the region) vs. “{low} for repairs” "
            "(the council)."
        )


def test_a_person_named_in_full_is_named_again_by_surname(analyze) -> None:
    first = analyze(
        "Arlen names judge to lead fire inquiry\n\nMayor Tomas Vell named a retired judge on Wednesday to "
        "lead an inquiry into the fire that destroyed the grain store.",
        published="2024-03-13T10:00:00",
    )
    other = analyze(
        "Arlen to pay for fire inquiry\n\nMayor Tomas Vell said on Thursday that the town would pay for the "
        "independent inquiry, which will report in April.",
        published="2024-03-14T10:00:00",
    )
    other = other.model_copy(update={"article": other.article.model_copy(update={"id": "a2"})})
    story = _story(first, other, actors=[*first.actors, *other.actors])
    _, digest = summarize(story, [first, other])
    text = " ".join(digest)
    assert text.count("Mayor Tomas Vell") == 1
    assert "Vell named a retired judge" in text
    _assert_nothing_invented(digest, [first, other])
