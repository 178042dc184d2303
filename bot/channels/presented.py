"""Stored articles as a channel's own feeds present them, for its digests and its commands.

An article is stored once however many feeds carry it, and its analysis remembers the item it was first
read from: that feed's link, outlet and address. A channel sees each article with the link, outlet and
source of the first of *its* feeds that found it, so another workspace's feed carrying the same words
never shows through (its name, its private address).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from bot.channels.digest import StoredArticle
from bot.store.articles import FoundArticle
from briefings.models import ArticleAnalysis

_log = logging.getLogger(__name__)

_Presentation = tuple[int, str | None, str | None, str]


class PresentedArticles:
    """The articles some feeds found, each analysis parsed once per presentation, picked per set of feeds."""

    def __init__(self, found: Iterable[FoundArticle]) -> None:
        self._by_feed: dict[int, list[FoundArticle]] = defaultdict(list)
        for finding in found:
            self._by_feed[finding.feed_id].append(finding)
        self._parsed: dict[_Presentation, ArticleAnalysis] = {}

    def analysis(self, finding: FoundArticle) -> ArticleAnalysis:
        """The article's analysis as this finding's feed presents it (parsed once, then shared)."""
        key = (finding.row.id, finding.url, finding.outlet, finding.source)
        analysis = self._parsed.get(key)
        if analysis is None:
            analysis = ArticleAnalysis.model_validate_json(finding.row.analysis)
            article = analysis.article
            article.id = f"a{finding.row.id}"  # the ids digests and commands share
            article.url, article.outlet, article.source = finding.url, finding.outlet, finding.source
            self._parsed[key] = analysis
        return analysis

    def with_articles(self, feed_ids: Iterable[int]) -> frozenset[int]:
        """Those of the feeds that found any of the articles."""
        return frozenset(feed for feed in feed_ids if feed in self._by_feed)

    def findings(self, feed_ids: Collection[int]) -> list[FoundArticle]:
        """What these feeds found (and nothing another feed found), oldest finding first."""
        chosen = [f for feed in set(feed_ids) for f in self._by_feed.get(feed, ())]
        return sorted(chosen, key=lambda f: (f.found_at, f.row.id, f.feed_id))

    def stored(self, feed_ids: Collection[int]) -> list[StoredArticle]:
        """A digest pool's articles for these feeds: one per feed that found each, presented alike."""
        findings = self.findings(feed_ids)
        first = first_findings(findings)
        return [
            StoredArticle(f.row.id, f.feed_id, f.found_at, self.analysis(first[f.row.id])) for f in findings
        ]

    def analyses(self, feed_ids: Collection[int]) -> list[ArticleAnalysis]:
        """The analyses of the articles these feeds found, once each, oldest finding first."""
        return [self.analysis(f) for f in first_findings(self.findings(feed_ids)).values()]


def first_findings(findings: Sequence[FoundArticle]) -> dict[int, FoundArticle]:
    """Of each article, its earliest finding among these (its presentation is the one shown)."""
    first: dict[int, FoundArticle] = {}
    for finding in sorted(findings, key=lambda f: (f.found_at, f.feed_id)):
        first.setdefault(finding.row.id, finding)
    return first
