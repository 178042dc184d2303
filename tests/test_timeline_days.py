"""A story's timeline is dated by the days its articles tell of, and a day later reports recall weighs most."""

from __future__ import annotations

from collections import Counter

from briefings.models import ArticleAnalysis, Story, TimelineEntry
from briefings.stories.merge import merge_story


def _article(analyze, article_id: str, text: str, published: str) -> ArticleAnalysis:
    analysis: ArticleAnalysis = analyze(text, published=published)
    return analysis.model_copy(update={"article": analysis.article.model_copy(update={"id": article_id})})


def _support(story: Story) -> Counter[str]:
    """How many reports tell of each day: the articles of its entries, added up."""
    days: Counter[str] = Counter()
    for entry in story.timeline:
        days[entry.when[:10]] += len(entry.articles)
    return days


def _on(story: Story, day: str) -> list[TimelineEntry]:
    return [e for e in story.timeline if e.when.startswith(day)]


def test_entries_are_dated_by_the_days_the_reports_tell_of(analyze):
    closing = _article(
        analyze,
        "a1",
        "Engineers closed the Alder Street bridge in Marlow on Monday after divers found cracks in two "
        "of its piers. The city council said repairs would take at least six weeks.",
        "2025-03-13T09:00:00",
    )
    reopening = _article(
        analyze,
        "a2",
        "The Alder Street bridge in Marlow reopened to buses on Tuesday, a week earlier than planned. "
        "The council said new steel collars now hold the cracked piers, which were found on 10 March.",
        "2025-04-16T09:00:00",
    )
    story = merge_story("s", [closing, reopening])
    assert any("closed the Alder Street bridge" in e.what for e in _on(story, "2025-03-10"))
    assert any("reopened" in e.what for e in _on(story, "2025-04-15"))
    # Neither report's publication day is a day anything happened on.
    assert not _on(story, "2025-03-13") and not _on(story, "2025-04-16")
    # The later report recalls the day of the closing: that day is told by both.
    assert _support(story)["2025-03-10"] == 2


def test_a_day_many_later_reports_recall_outweighs_a_busy_day(analyze):
    articles = [
        _article(
            analyze,
            "a1",
            "The river Tane burst its banks in Holloway on Wednesday, flooding more than 300 homes.",
            "2025-04-03T08:00:00",
        )
    ]
    # A busy day: three reports of what volunteers and officials did on one Sunday.
    for n, deed in enumerate(
        [
            "Volunteers cleared mud from the primary school in Holloway on Sunday.",
            "The council opened a second shelter for families in Holloway on Sunday.",
            "Soldiers handed out drinking water in Holloway on Sunday.",
        ],
        start=2,
    ):
        articles.append(_article(analyze, f"a{n}", deed, "2025-04-21T08:00:00"))
    # Weeks later, four reports about other things each recall the day of the flood.
    for n, (published, lead) in enumerate(
        [
            ("2025-05-02T08:00:00", "Insurers have paid 4 million pounds to families in Holloway."),
            ("2025-05-16T08:00:00", "The primary school in Holloway has reopened to its pupils."),
            ("2025-06-04T08:00:00", "A public inquiry into the defences of the river Tane has begun."),
            ("2025-06-20T08:00:00", "Holloway residents have planted trees along the river Tane."),
        ],
        start=5,
    ):
        # The day is named in passing, in a clause about something else: no dated event of its own.
        recall = "Insurers have paid 4 million pounds to families whose homes the flood of 2 April ruined."
        articles.append(_article(analyze, f"a{n}", f"{lead} {recall}", published))
    support = _support(merge_story("s", articles))
    assert support["2025-04-02"] > support["2025-04-20"] >= 3
    assert support.most_common(1)[0][0] == "2025-04-02"


def test_an_undated_lead_tells_the_news_of_its_publication_day(analyze):
    report = _article(
        analyze,
        "a1",
        "The mayor of Dunmore has resigned after a row over the cost of the new harbour wall. "
        "Her deputy will lead the council until an election is held.",
        "2025-02-07T12:00:00",
    )
    story = merge_story("s", [report])
    (entry,) = _on(story, "2025-02-07")
    assert entry.what.startswith("The mayor of Dunmore has resigned")


def test_a_date_heading_dates_the_sentence_under_it(analyze):
    chronology = _article(
        analyze,
        "a1",
        "How the harbour dispute unfolded.\n\n4 March 2025\n\n"
        "Fishermen blockaded the harbour mouth at Dunmore with forty boats.\n\n"
        "Harbour officials have since reopened the channel to ferries.",
        "2025-05-20T12:00:00",
    )
    story = merge_story("s", [chronology])
    assert any(e.what.startswith("Fishermen blockaded the harbour") for e in _on(story, "2025-03-04"))
    assert not any(e.what.strip().startswith("4 March") for e in story.timeline)


def test_a_day_that_only_bounds_a_stretch_is_no_entry(analyze):
    report = _article(
        analyze,
        "a1",
        "Heavy rain has fallen on the hills above Marlow since Friday, and the ferry to Dunmore stopped "
        "running on Sunday as the river rose.",
        "2025-03-11T12:00:00",
    )
    story = merge_story("s", [report])
    assert not _on(story, "2025-03-07")


def test_a_day_counts_its_sources_not_one_source_s_sentences(analyze):
    listing = _article(
        analyze,
        "a1",
        "The lifeboat crew at Dunmore rescued two kayakers on Saturday. Volunteers repainted the harbour "
        "railings on Saturday. The ferry added an extra crossing to Marlow on Saturday. A brass band played "
        "on the pier on Saturday.",
        "2025-06-09T09:00:00",
    )
    first = _article(
        analyze,
        "a2",
        "Part of the harbour wall at Dunmore collapsed on Tuesday after a week of storms.",
        "2025-06-04T09:00:00",
    )
    second = _article(
        analyze,
        "a3",
        "Engineers are inspecting the harbour wall at Dunmore, part of which collapsed on Tuesday.",
        "2025-06-05T09:00:00",
    )
    story = merge_story("s", [listing, first, second])
    support = _support(story)
    assert support["2025-06-03"] == 2 and support["2025-06-07"] == 1
    # What the one source told of its day is still there, in one line.
    (saturday,) = _on(story, "2025-06-07")
    assert saturday.what.startswith("The lifeboat crew at Dunmore rescued two kayakers")
    assert "repainted the harbour railings" in saturday.what


def test_a_day_still_ahead_of_the_report_is_a_plan_not_an_entry(analyze):
    announcement = _article(
        analyze,
        "a1",
        "The council of Marlow approved a new ferry terminal on Monday. A public hearing on the design has "
        "been set for 14 July. The harbour board has announced a second hearing in Dunmore on 21 July.",
        "2025-05-14T09:00:00",
    )
    story = merge_story("s", [announcement])
    assert any("approved a new ferry terminal" in e.what for e in _on(story, "2025-05-12"))
    assert not _on(story, "2025-07-14") and not _on(story, "2025-07-21")
    assert all(e.when[:10] <= "2025-05-14" for e in story.timeline)
