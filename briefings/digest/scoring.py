"""Score every sentence of a story's articles as a candidate for its digest.

A sentence scores by where it stands in its article (news puts the main facts first), by how central it
is to the story (its content words recur in the other sentences, of every article), by how much of it the
story's other sources tell too (what several reports agree on is the story; an article none of the others
echoes, a scraping remnant, loses its lead's place), by the events it
reports (the more salient the event, the more it adds; the main event's cause adds too), and by whether
it carries a figure some source disputes, and by whether it comes from the story's newest report. It loses for what reads badly out of context: a quotation, a
question or a first-person line on its own, a fragment, a run-on caption, a credit line, a sentence that
opens with a pronoun pointing back, and a standfirst or boilerplate line that its article repeats word
for word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from briefings.digest.text import content_terms, word_count
from briefings.digest.trimming import glued_sentences, trim_sentence
from briefings.models import ArticleAnalysis, Story
from briefings.per_article import once_per_analysis

# Weights of the score's parts (the centrality part is scaled to at most 1).
POSITION_WEIGHT = 1.5
POSITION_DECAY = 0.2  # per sentence: the 4th sentence keeps e^-0.6 ≈ 55 % of the lead's prior
LENGTH_DAMPING = 0.7  # centrality is divided by terms**0.7: long sentences gain, but less than linearly
EVENT_WEIGHT = 0.5
WHY_BONUS = 0.3
DISPUTED_BONUS = 0.2
# The newest report of a story told over time carries its latest development: the digest leads with it.
LATEST_BONUS = 0.5
# A story told by several sources: what the other sources tell too is the story, wherever it stands.
CROSS_WEIGHT = 8.0
QUOTE_PENALTY = 1.0
REPEAT_PENALTY = 2.0
UNFIT_PENALTY = 2.0
MIN_WORDS = 8
MAX_WORDS = 60

_OPENING_QUOTES = "\"'‘“«"
_FIRST_PERSON = re.compile(r"^(?:I|We|My|Our|Me|Us)\b")
# A sentence that opens with a third-person pronoun or a demonstrative leans on one before it: it names
# less of what it tells, and out of its place the reader cannot tell whom it means.
_LEANS_BACK = re.compile(r"^(?:He|She|It|They|His|Her|Its|Their|Them|Him|This|These|Those|That)\b(?![-'’])")
LEANS_BACK_PENALTY = 0.3
# A line that opens with a dash credits or captions something shown beside it ("— the mayor, asked…").
_CREDIT_LINE = re.compile(r"^(?:[—–]|-\s)")


@dataclass(frozen=True)
class Candidate:
    """A source sentence that could go into a digest, trimmed, with where it came from and its score."""

    article: str
    sentence: int
    position: int
    source: str
    text: str
    terms: frozenset[str]
    words: int
    score: float = 0.0


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


@once_per_analysis  # one article in many merges of its story: worked out once
def _article_candidates(analysis: ArticleAnalysis) -> list[Candidate]:
    """The sentences of one article that are not its title, trimmed, in order."""
    title = _normalised(analysis.article.title or "")
    found: list[Candidate] = []
    for sentence in analysis.sentences:
        if title and _normalised(sentence.text) == title:
            continue  # plain-text readers keep the title line in the text
        # Sentences that text extraction glued together are told apart: each is a candidate of its own.
        for piece in glued_sentences(sentence.text):
            text = trim_sentence(piece)
            if not text:
                continue
            found.append(
                Candidate(
                    article=analysis.article.id,
                    sentence=sentence.index,
                    position=len(found),
                    source=sentence.text,
                    text=text,
                    terms=content_terms(text),
                    words=word_count(text),
                )
            )
    return found


def _disputed_sentences(story: Story) -> set[tuple[str, int]]:
    """(article, sentence) of every claim that some other source contradicts."""
    return {(c.article, c.claim.sentence) for d in story.disagreements for c in d.claims}


def _event_weights(analyses: list[ArticleAnalysis]) -> dict[tuple[str, int], float]:
    """(article, sentence) → the salience of the most salient event it reports, the story's top being 1."""
    weights: dict[tuple[str, int], float] = {}
    for analysis in analyses:
        for event in analysis.events:
            for sentence in event.mentions or [event.sentence]:
                key = (analysis.article.id, sentence)
                weights[key] = max(weights.get(key, 0.0), event.salience)
    top = max(weights.values(), default=0.0)
    return {key: value / top for key, value in weights.items()} if top > 0 else {}


def _why_sentences(analyses: list[ArticleAnalysis]) -> set[tuple[str, int]]:
    """(article, sentence) of the sentences that give the cause of their article's main event."""
    found = set()
    for analysis in analyses:
        why = analysis.w.why
        if not why:
            continue
        for sentence in analysis.sentences:
            if why in sentence.text:
                found.add((analysis.article.id, sentence.index))
                break
    return found


def _quoted_sentences(analyses: list[ArticleAnalysis]) -> set[tuple[str, int]]:
    """(article, sentence) of the sentences that are mostly someone's direct words."""
    quoted = set()
    for analysis in analyses:
        for quote in analysis.quotes:
            if not quote.direct:
                continue
            for sentence in analysis.sentences[quote.sentence :]:
                if sentence.start >= quote.end:
                    break
                inside = min(sentence.end, quote.end) - max(sentence.start, quote.start)
                if inside * 2 >= sentence.end - sentence.start:
                    quoted.add((analysis.article.id, sentence.index))
    return quoted


def _reads_badly(candidate: Candidate, quoted: bool) -> float:
    text = candidate.text
    penalty = 0.0
    # Someone's own words, a question, or a sentence in the first person: a voice, not a report.
    if (
        quoted
        or text[:1] in _OPENING_QUOTES
        or text.rstrip("\"'’”»").endswith("?")
        or _FIRST_PERSON.match(text)
    ):
        penalty += QUOTE_PENALTY
    # The first sentence of an article has nothing before it to lean on.
    if candidate.position > 0 and _LEANS_BACK.match(text):
        penalty += LEANS_BACK_PENALTY
    if _CREDIT_LINE.match(text) or candidate.words < MIN_WORDS or candidate.words > MAX_WORDS:
        penalty += UNFIT_PENALTY
    return penalty


def latest_articles(analyses: list[ArticleAnalysis]) -> set[str]:
    """The ids of the newest reports of a story told over time (none when the reports are undated or
    all of one moment)."""
    dated = [a.article.published for a in analyses]
    if len(analyses) < 2 or any(d is None for d in dated):
        return set()
    moments = [d.timestamp() for d in dated if d is not None]
    newest = max(moments)
    if newest == min(moments):
        return set()
    return {a.article.id for a, m in zip(analyses, moments, strict=True) if m == newest}


def _cross_source(
    per_article: list[list[Candidate]],
) -> tuple[dict[tuple[str, int], float], dict[str, float]]:
    """How much of each sentence the story's other sources also tell, the best being 1, and how much of
    each article's words the other sources use (an article no other source echoes is off the story)."""
    articles = [found for found in per_article if found]
    if len(articles) < 2:
        return {}, {}
    vocab = [frozenset().union(*(c.terms for c in found)) for found in articles]
    spread = Counter(t for terms in vocab for t in terms)
    others = len(articles) - 1
    cross: dict[tuple[str, int], float] = {}
    fit: dict[str, float] = {}
    for found, terms in zip(articles, vocab, strict=True):
        shared = [t for t in terms if spread[t] > 1]
        fit[found[0].article] = len(shared) / len(terms) if terms else 0.0
        for c in found:
            if c.terms:
                told = sum(spread[t] - 1 for t in c.terms) / others
                cross[(c.article, c.sentence)] = told / (len(c.terms) ** LENGTH_DAMPING)
    top = max(cross.values(), default=0.0)
    best_fit = max(fit.values(), default=0.0)
    return (
        {k: v / top for k, v in cross.items()} if top > 0 else {},
        {k: v / best_fit for k, v in fit.items()} if best_fit > 0 else {},
    )


def score_candidates(story: Story, analyses: list[ArticleAnalysis]) -> list[Candidate]:
    """Every usable sentence of the story's articles with its score, in article and sentence order."""
    per_article = [_article_candidates(a) for a in analyses]
    candidates = [c for found in per_article for c in found]
    if not candidates:
        return []
    # In how many sentences of the story each term occurs: a term used once says nothing of the whole.
    frequency = Counter(term for c in candidates for term in c.terms)
    centrality = [
        sum(frequency[t] - 1 for t in c.terms) / (len(c.terms) ** LENGTH_DAMPING) if c.terms else 0.0
        for c in candidates
    ]
    top = max(centrality) or 1.0
    cross, fit = _cross_source(per_article)
    repeated = {
        (found[0].article, text)
        for found in per_article
        if found
        for text, n in Counter(_normalised(c.text) for c in found).items()
        if n > 1
    }
    disputed = _disputed_sentences(story)
    events = _event_weights(analyses)
    why = _why_sentences(analyses)
    quoted = _quoted_sentences(analyses)
    latest = latest_articles(analyses)
    scored = []
    for candidate, central in zip(candidates, centrality, strict=True):
        prior = POSITION_WEIGHT * math.exp(-POSITION_DECAY * candidate.position)
        prior *= fit.get(candidate.article, 1.0)
        score = central / top + prior + CROSS_WEIGHT * cross.get((candidate.article, candidate.sentence), 0.0)
        score -= _reads_badly(candidate, (candidate.article, candidate.sentence) in quoted)
        if (candidate.article, _normalised(candidate.text)) in repeated:
            score -= REPEAT_PENALTY
        where = (candidate.article, candidate.sentence)
        score += EVENT_WEIGHT * events.get(where, 0.0)
        if where in why:
            score += WHY_BONUS
        if where in disputed:
            score += DISPUTED_BONUS
        if candidate.article in latest:
            score += LATEST_BONUS
        scored.append(replace(candidate, score=score))
    return scored
