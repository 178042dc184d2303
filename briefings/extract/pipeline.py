"""From articles to their event structure: one spaCy pass per article, then the extractors on its parse."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from briefings.extract.actors import extract_actors
from briefings.extract.claims import extract_claims
from briefings.extract.events import extract_events, main_event
from briefings.extract.places import extract_places
from briefings.extract.quotes import extract_quotes
from briefings.extract.reports import report_sentences
from briefings.extract.sentences import extract_sentences
from briefings.extract.times import extract_times
from briefings.models import Article, ArticleAnalysis
from briefings.nlp import DEFAULT_BATCH_SIZE, parse_texts


def analyze_doc(doc: Doc, article: Article) -> ArticleAnalysis:
    """Extract the event structure of one parsed article."""
    sentences = extract_sentences(doc)
    times = extract_times(doc, sentences, article.published)
    actors = extract_actors(doc, sentences)
    places = extract_places(doc, sentences)
    quotes = extract_quotes(doc, sentences, actors)
    claims = extract_claims(doc, sentences, actors)
    events = extract_events(doc, sentences, actors, places, times)
    return ArticleAnalysis(
        article=article,
        sentences=sentences,
        times=times,
        actors=actors,
        places=places,
        quotes=quotes,
        claims=claims,
        events=events,
        w=main_event(events, actors, places, times, sentences, article.published, doc=doc),
        report_sentences=report_sentences(doc, sentences, times),
    )


def analyze_articles(
    nlp: Language, articles: Iterable[Article], batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[ArticleAnalysis]:
    """Analyse many articles with one batched pass of the pipeline, yielding results in order.

    Each parse is dropped as soon as its article is analysed, so memory does not grow with the batch.
    """
    pending: deque[Article] = deque()

    def texts() -> Iterator[str]:
        for article in articles:
            pending.append(article)
            yield article.text

    for doc in parse_texts(nlp, texts(), batch_size=batch_size):
        yield analyze_doc(doc, pending.popleft())
