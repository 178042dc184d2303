"""The checks every article passes before analysis: not empty, not too long, in English."""

from __future__ import annotations

from briefings.ingest.errors import SourceError
from briefings.ingest.language import detect_language
from briefings.ingest.options import ReadOptions
from briefings.ingest.raw import RawArticle


def check_article(article: RawArticle, options: ReadOptions) -> RawArticle:
    """Refuse an article that is empty, too long for the pipeline, or not in English."""
    if not article.text.strip():
        raise SourceError(article.source, "empty: there is no text in it")
    if len(article.text) > options.max_article_chars:
        raise SourceError(
            article.source,
            f"{len(article.text):,} characters is more than the {options.max_article_chars:,} one article "
            "may have (split it into articles, or raise BRIEFBOT_MAX_ARTICLE_CHARS)",
        )
    if options.english_only:
        language = detect_language(article.text)
        if not language.is_english:
            raise SourceError(
                article.source,
                f"not English ({language.name}): briefbot's language pipeline reads English only",
            )
    return article
