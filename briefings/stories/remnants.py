"""Pages that carry no news: kept out of every story, and listed with the reason, so nothing is lost.

A scraper sometimes keeps only what surrounds an article (an archive's note about its crawl, share boxes,
a sign-up form, a page asking for JavaScript). Such a page reports nothing that happened (see
`briefings.extract.reports`): made a story of its own it would be shown as news, and put in the story its
words are nearest to, it would bring its furniture along. It stays out of both.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefings.models import ArticleAnalysis

NO_NEWS = "no sentence reports something that happened (a page of notices, navigation or boilerplate)"


@dataclass(frozen=True)
class SetAside:
    """An article kept out of every story, and why."""

    article: str
    reason: str


def set_aside_reason(analysis: ArticleAnalysis) -> str | None:
    """Why the article belongs to no story, or None when it is news.

    An analysis stored before report sentences were looked for is taken as news.
    """
    if analysis.report_sentences is not None and not analysis.report_sentences:
        return NO_NEWS
    return None


def set_aside(analyses: list[ArticleAnalysis]) -> list[SetAside]:
    """The articles of a batch that belong to no story, with their reasons, in the batch's order."""
    found = []
    for analysis in analyses:
        reason = set_aside_reason(analysis)
        if reason is not None:
            found.append(SetAside(analysis.article.id, reason))
    return found
