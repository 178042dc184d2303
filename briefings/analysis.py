"""The engine end to end: sources in, analysed articles and their stories out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from spacy.language import Language

from briefings.extract.pipeline import analyze_articles
from briefings.ingest.articles import to_article
from briefings.ingest.errors import SourceError
from briefings.ingest.sources import ReadOptions, read_sources
from briefings.models import Article, ArticleAnalysis, Story
from briefings.stories.merge import build_stories
from briefings.stories.remnants import SetAside, set_aside


@dataclass
class AnalysisResult:
    """What one run of the engine produced, and the sources it could not use."""

    analyses: list[ArticleAnalysis] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    # Articles that carry no news: in no story (never with `separate`), each with the reason.
    set_aside: list[SetAside] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)


def analyze_sources(
    nlp: Language,
    specs: list[str],
    published: datetime | None = None,
    separate: bool = False,
    options: ReadOptions | None = None,
    on_error: Callable[[SourceError], None] | None = None,
    on_article: Callable[[ArticleAnalysis], None] | None = None,
) -> AnalysisResult:
    """Read every source, analyse each article, and group the articles into stories."""
    result = AnalysisResult()

    def report(error: SourceError) -> None:
        result.errors.append(error)
        if on_error is not None:
            on_error(error)

    def articles() -> Iterator[Article]:
        count = 0
        for item in read_sources(specs, options):
            if isinstance(item, SourceError):
                report(item)
                continue
            count += 1
            yield to_article(item, f"a{count}", published)

    for analysis in analyze_articles(nlp, articles()):
        result.analyses.append(analysis)
        if on_article is not None:
            on_article(analysis)
    result.stories = build_stories(result.analyses, separate=separate)
    if not separate:
        result.set_aside = set_aside(result.analyses)
    return result
