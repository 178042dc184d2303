"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from spacy.language import Language

from briefings.extract.pipeline import analyze_doc
from briefings.ingest.articles import to_article
from briefings.ingest.raw import RawArticle
from briefings.models import ArticleAnalysis
from briefings.nlp import load_pipeline

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="session")
def analyze(nlp: Language):
    """Analyse a short text as one article published at the given time."""

    def run(
        text: str, published: str | None = "2024-03-14T10:00:00", title: str | None = None
    ) -> ArticleAnalysis:
        raw = RawArticle(
            source="test",
            text=text,
            title=title,
            published=datetime.fromisoformat(published) if published else None,
        )
        article = to_article(raw, "a1")
        return analyze_doc(nlp(article.text), article)

    return run
