"""What one article alone gives is worked out once per analysis object, and anew when the analysis changes.

The article is invented for these tests (Halvik and its people do not exist).
"""

from __future__ import annotations

from briefings.models import ArticleAnalysis
from briefings.per_article import once_per_analysis
from briefings.stories.merge import merge_story

SLIDE = (
    "Landslide buries road near Halvik\n"
    "A landslide buried the coast road near Halvik on Monday, the regional council said. At least 4 people "
    "were killed, the council said. Council leader Petra Sandvoll said rescuers were searching the site."
)


def test_the_work_is_done_once_per_analysis_and_again_when_it_changed(analyze) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    @once_per_analysis
    def texts(analysis: ArticleAnalysis) -> list[str]:
        calls.append(analysis.article.id)
        return [s.text for s in analysis.sentences]

    slide = analyze(SLIDE, published="2026-01-13T09:00:00", title="Landslide buries road near Halvik")
    first = texts(slide)
    first.clear()  # each caller gets a list of its own
    assert texts(slide) == [s.text for s in slide.sentences] and calls == ["a1"]
    slide.article.id = "a7"  # changed in place: worked out anew
    assert texts(slide) and calls == ["a1", "a7"]
    copy = slide.model_copy(update={"sentences": slide.sentences[:1]})
    assert texts(copy) == [slide.sentences[0].text] and calls == ["a1", "a7", "a7"]


def test_a_story_merged_again_from_the_same_analyses_is_the_same(analyze) -> None:  # type: ignore[no-untyped-def]
    slide = analyze(SLIDE, published="2026-01-13T09:00:00", title="Landslide buries road near Halvik")
    fresh = ArticleAnalysis.model_validate_json(slide.model_dump_json())
    once = merge_story("st-1", [slide]).model_dump_json()
    assert merge_story("st-1", [slide]).model_dump_json() == once
    assert merge_story("st-1", [fresh]).model_dump_json() == once
