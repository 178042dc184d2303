"""Group articles about the same event into stories."""

from __future__ import annotations

from briefings.models import ArticleAnalysis


def cluster_analyses(analyses: list[ArticleAnalysis]) -> list[list[int]]:
    """Groups of indexes into `analyses`, one group per story."""
    return [[i] for i in range(len(analyses))]
