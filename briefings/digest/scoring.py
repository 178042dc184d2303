"""Score every sentence of a story's articles as a candidate for its digest.

A sentence scores by where it stands in its article (news puts the main facts first), by how central it
is to the story (its content words recur in the other sentences, of every article), by how much of it the
story's other sources tell too (what several reports agree on is the story; an article none of the others
echoes, a scraping remnant, loses its lead's place), by the events it
reports (the more salient the event, the more it adds; the main event's cause adds too), and by whether
it carries a figure some source disputes, and by whether it comes from the story's newest report. It loses for what reads badly out of context: a quotation, a
question or a first-person line on its own, a fragment, a run-on (an overlong sentence, or two run
together with no stop, as a picture's caption glued to the text beside it is), a credit line, a sentence
that opens with a pronoun pointing back, and a standfirst or boilerplate line that its article repeats
word for word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from briefings.digest.text import content_terms, word_count
from briefings.digest.trimming import glued_sentences, trim_sentence
from briefings.models import ArticleAnalysis, Story
from briefings.per_article import kept_per_analysis, once_per_analysis

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
# Two sentences run together without a stop, as a picture's caption glued to the text beside it is: a
# word in lower case, then a word that opens a sentence ("…ahead of the debate tonight When asked, she…").
_RUN_ON = re.compile(
    r"(?<![\w'’-])([a-z][\w'’-]*[a-z0-9])\s"
    r"(?:He|She|They|It|We|His|Her|Their|When|While|After|But|However|Meanwhile|The|A)\s"
)
# Words after which a capitalised word goes on the sentence (a title, a name): "told The Times".
_GOES_ON = re.compile(
    r"of|to|in|on|at|by|for|from|with|and|or|the|a|an|as|is|was|like|into|about|than|told|said|says|read"
    r"|called|named|titled|dubbed|sang|sings|watch|watched",
    re.IGNORECASE,
)


def _runs_on(text: str) -> bool:
    """Whether the text runs two sentences together with no stop between them."""
    return any(_GOES_ON.fullmatch(m.group(1)) is None for m in _RUN_ON.finditer(text))


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


def _event_weights(analysis: ArticleAnalysis) -> dict[int, float]:
    """Sentence → the salience of the most salient event it reports (at least 0)."""
    weights: dict[int, float] = {}
    for event in analysis.events:
        for sentence in event.mentions or [event.sentence]:
            weights[sentence] = max(weights.get(sentence, 0.0), event.salience)
    return weights


def _why_sentence(analysis: ArticleAnalysis) -> int | None:
    """The sentence that gives the cause of the article's main event."""
    why = analysis.w.why
    if not why:
        return None
    return next((s.index for s in analysis.sentences if why in s.text), None)


def _quoted_sentences(analysis: ArticleAnalysis) -> frozenset[int]:
    """The sentences that are mostly someone's direct words."""
    quoted = set()
    for quote in analysis.quotes:
        if not quote.direct:
            continue
        for sentence in analysis.sentences[quote.sentence :]:
            if sentence.start >= quote.end:
                break
            inside = min(sentence.end, quote.end) - max(sentence.start, quote.start)
            if inside * 2 >= sentence.end - sentence.start:
                quoted.add(sentence.index)
    return frozenset(quoted)


@dataclass(frozen=True)
class _Looks:
    """How a candidate reads out of context, from its own text and place."""

    voice: bool  # a quotation, a question or a first-person line
    leans_back: bool  # opens with a pronoun pointing back, and is not its article's first
    unfit: bool  # a credit line, a fragment, an overlong sentence or two run together


def _looks(candidate: Candidate) -> _Looks:
    text = candidate.text
    return _Looks(
        voice=text[:1] in _OPENING_QUOTES
        or text.rstrip("\"'’”»").endswith("?")
        or _FIRST_PERSON.match(text) is not None,
        leans_back=candidate.position > 0 and _LEANS_BACK.match(text) is not None,
        unfit=_CREDIT_LINE.match(text) is not None
        or _runs_on(text)
        or candidate.words < MIN_WORDS
        or candidate.words > MAX_WORDS,
    )


def _reads_badly(looks: _Looks, quoted: bool) -> float:
    penalty = 0.0
    # Someone's own words, a question, or a sentence in the first person: a voice, not a report.
    if quoted or looks.voice:
        penalty += QUOTE_PENALTY
    # The first sentence of an article has nothing before it to lean on.
    if looks.leans_back:
        penalty += LEANS_BACK_PENALTY
    if looks.unfit:
        penalty += UNFIT_PENALTY
    return penalty


@dataclass(frozen=True)
class _ArticleFacts:
    """What scoring takes from one article alone, worked out once per analysis."""

    candidates: tuple[Candidate, ...]
    looks: tuple[_Looks, ...]
    priors: tuple[float, ...]  # the part of the position prior that the article's fit does not change
    normalised: tuple[str, ...]
    vocabulary: frozenset[str]
    terms: tuple[str, ...]  # each candidate's terms, one after another
    repeated: frozenset[str]  # normalised texts the article gives more than once
    events: dict[int, float]  # read only
    why: int | None
    quoted: frozenset[int]


@kept_per_analysis
def _article_facts(analysis: ArticleAnalysis) -> _ArticleFacts:
    candidates = tuple(_article_candidates(analysis))
    normalised = tuple(_normalised(c.text) for c in candidates)
    return _ArticleFacts(
        candidates=candidates,
        looks=tuple(_looks(c) for c in candidates),
        priors=tuple(POSITION_WEIGHT * math.exp(-POSITION_DECAY * c.position) for c in candidates),
        normalised=normalised,
        vocabulary=frozenset().union(*(c.terms for c in candidates)),
        terms=tuple(term for c in candidates for term in c.terms),
        repeated=frozenset(text for text, n in Counter(normalised).items() if n > 1),
        events=_event_weights(analysis),
        why=_why_sentence(analysis),
        quoted=_quoted_sentences(analysis),
    )


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
    per_article: list[_ArticleFacts],
) -> tuple[dict[tuple[str, int], float], dict[str, float]]:
    """How much of each sentence the story's other sources also tell, the best being 1, and how much of
    each article's words the other sources use (an article no other source echoes is off the story)."""
    told_by = [facts for facts in per_article if facts.candidates]
    if len(told_by) < 2:
        return {}, {}
    articles = [facts.candidates for facts in told_by]
    vocab = [facts.vocabulary for facts in told_by]
    spread = Counter(chain.from_iterable(vocab))
    others = len(articles) - 1
    cross: dict[tuple[str, int], float] = {}
    fit: dict[str, float] = {}
    for found, terms in zip(articles, vocab, strict=True):
        shared = [t for t in terms if spread[t] > 1]
        fit[found[0].article] = len(shared) / len(terms) if terms else 0.0
        for c in found:
            if c.terms:
                told = (sum(map(spread.__getitem__, c.terms)) - len(c.terms)) / others
                cross[(c.article, c.sentence)] = told / (len(c.terms) ** LENGTH_DAMPING)
    top = max(cross.values(), default=0.0)
    best_fit = max(fit.values(), default=0.0)
    return (
        {k: v / top for k, v in cross.items()} if top > 0 else {},
        {k: v / best_fit for k, v in fit.items()} if best_fit > 0 else {},
    )


def score_candidates(story: Story, analyses: list[ArticleAnalysis]) -> list[Candidate]:
    """Every usable sentence of the story's articles with its score, in article and sentence order."""
    per_article = [_article_facts(a) for a in analyses]
    if not any(facts.candidates for facts in per_article):
        return []
    # In how many sentences of the story each term occurs: a term used once says nothing of the whole.
    frequency = Counter(chain.from_iterable(facts.terms for facts in per_article))
    centrality = [
        [
            (sum(map(frequency.__getitem__, c.terms)) - len(c.terms)) / (len(c.terms) ** LENGTH_DAMPING)
            if c.terms
            else 0.0
            for c in facts.candidates
        ]
        for facts in per_article
    ]
    top = max(value for values in centrality for value in values) or 1.0
    cross, fit = _cross_source(per_article)
    # What is keyed by article is gathered over the story (two analyses may share an article's id).
    repeated = {
        (a.article.id, text)
        for a, facts in zip(analyses, per_article, strict=True)
        for text in facts.repeated
    }
    events: dict[tuple[str, int], float] = {}
    for analysis, facts in zip(analyses, per_article, strict=True):
        for sentence, weight in facts.events.items():
            key = (analysis.article.id, sentence)
            events[key] = max(events.get(key, 0.0), weight)
    top_event = max(events.values(), default=0.0)
    why = {
        (a.article.id, facts.why)
        for a, facts in zip(analyses, per_article, strict=True)
        if facts.why is not None
    }
    quoted = {(a.article.id, s) for a, facts in zip(analyses, per_article, strict=True) for s in facts.quoted}
    disputed = _disputed_sentences(story)
    latest = latest_articles(analyses)
    scored = []
    for facts, centralities in zip(per_article, centrality, strict=True):
        for candidate, central, looks, base, text in zip(
            facts.candidates, centralities, facts.looks, facts.priors, facts.normalised, strict=True
        ):
            where = (candidate.article, candidate.sentence)
            prior = base * fit.get(candidate.article, 1.0)
            score = central / top + prior + CROSS_WEIGHT * cross.get(where, 0.0)
            score -= _reads_badly(looks, where in quoted)
            if (candidate.article, text) in repeated:
                score -= REPEAT_PENALTY
            score += EVENT_WEIGHT * (events[where] / top_event if top_event > 0 and where in events else 0.0)
            if where in why:
                score += WHY_BONUS
            if where in disputed:
                score += DISPUTED_BONUS
            if candidate.article in latest:
                score += LATEST_BONUS
            scored.append(
                Candidate(
                    candidate.article,
                    candidate.sentence,
                    candidate.position,
                    candidate.source,
                    candidate.text,
                    candidate.terms,
                    candidate.words,
                    score,
                )
            )
    return scored
