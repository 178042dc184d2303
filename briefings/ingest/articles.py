"""Make engine articles from what the readers found."""

from __future__ import annotations

from datetime import datetime

from briefings.ingest.cleaning import clean_text
from briefings.ingest.raw import RawArticle
from briefings.models import Article


def to_article(raw: RawArticle, article_id: str, default_published: datetime | None = None) -> Article:
    """Clean a raw article's text (keeping the map to its offsets) and give it an id."""
    cleaned = clean_text(raw.text)
    return Article(
        id=article_id,
        source=raw.source,
        text=cleaned.text,
        title=raw.title,
        published=raw.published or default_published,
        url=raw.url,
        outlet=raw.outlet,
        offsets=cleaned.offsets,
    )
