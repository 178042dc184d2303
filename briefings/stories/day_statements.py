"""What one article tells of each day: its dated events, the earlier days it recalls, and its lead.

A timeline is built from the days the articles refer to, not only from the days they were published: a
report published on Thursday that says "on Monday the court heard ..." tells of Monday, and a report weeks
later that recalls "the singer died on 25 June" tells of 25 June again. A sentence that names an earlier
day recalls it even when it holds no dated event; a lead that names no time at all tells the news of the
day the article was published. Only days that had come when the article was published count: what a
report says will happen later is a plan, and a timeline tells what happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import islice

from briefings.extract.events.dating import stretch
from briefings.extract.events.triggers import BOUND_PREPOSITIONS
from briefings.models import ArticleAnalysis, Event, Sentence, TimeExpression
from briefings.per_article import once_per_analysis

# A value that names a day on the calendar, or a time on one ("2020-01-07", "2020-01-07T17:30").
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DATED_TYPES = frozenset({"DATE", "TIME"})
# A statement shorter than this is a fragment, not a report of what happened.
MIN_WORDS = 5
# The opening of an article, title included, in full sentences: where it says what its news is and when.
LEAD_SENTENCES = 2
# A sentence that is little more than its date is a heading ("24 October 2011"): the next one tells the day.
_HEADING_EXTRA_WORDS = 2
# A report tells the news of its own day and the day before through its events and lead; a sentence that
# names a day at least this long before publication looks back to it.
RECALL_DAYS = 2
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Statement:
    """One thing an article says happened on one day (or at one time of it)."""

    when: str
    text: str
    article: str
    event: Event | None = None


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _sentence(sentences: list[Sentence], index: int) -> Sentence | None:
    if 0 <= index < len(sentences) and sentences[index].index == index:
        return sentences[index]
    return next((s for s in sentences if s.index == index), None)


def _telling(analysis: ArticleAnalysis, index: int, time_words: int) -> Sentence | None:
    """The sentence that tells what happened at a time named in sentence `index`: that one, or the next
    when it is only a heading of the date."""
    sentence = _sentence(analysis.sentences, index)
    if sentence is None:
        return None
    if _words(sentence.text) - time_words <= _HEADING_EXTRA_WORDS:
        after = _sentence(analysis.sentences, index + 1)
        dated_after = any(t.sentence == index + 1 and t.type in _DATED_TYPES for t in analysis.times)
        return after if after is not None and not dated_after else None
    return sentence


def _bounds(analysis: ArticleAnalysis, time: TimeExpression) -> bool:
    """Whether the time only bounds a stretch ("since Friday", "through Thursday"): nothing happened on it."""
    before = _WORD.findall(analysis.article.text[max(0, time.start - 20) : time.start])
    return bool(before) and before[-1].lower() in BOUND_PREPOSITIONS


def _recalls(analysis: ArticleAnalysis, value: str) -> bool:
    """Whether the article looks back to the day of `value`: it was published at least `RECALL_DAYS` after it
    (an undated article recalls every day it names)."""
    published = analysis.article.published
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return False
    return published is None or (published.date() - day).days >= RECALL_DAYS


@once_per_analysis  # one article in many merges of its story: worked out once
def day_statements(analysis: ArticleAnalysis) -> list[Statement]:
    """Every day the article tells of, with the sentence that tells it: dated events first."""
    article = analysis.article.id
    statements: list[Statement] = []
    told: set[tuple[int, str]] = set()
    for event in analysis.events:
        if not event.when or not event.evidence:
            continue
        statements.append(Statement(when=event.when, text=event.evidence, article=article, event=event))
        for index in {event.sentence, *event.mentions}:
            told.add((index, event.when[:10]))
    for time in analysis.times:
        if time.type not in _DATED_TYPES or not _DAY.match(time.value) or _bounds(analysis, time):
            continue
        sentence = _telling(analysis, time.sentence, _words(time.text))
        if sentence is None or (sentence.index, time.value[:10]) in told:
            continue
        told.add((sentence.index, time.value[:10]))
        if not _recalls(analysis, time.value) or _words(sentence.text) < MIN_WORDS:
            continue
        statements.append(Statement(when=time.value, text=sentence.text.strip(), article=article))
    lead = _lead(analysis)
    if lead is not None:
        statements.append(lead)
    return [statement for statement in statements if _happened(analysis, statement.when)]


def _happened(analysis: ArticleAnalysis, value: str) -> bool:
    """Whether the time had come when the article was published: what a report says will happen later is a
    plan ("the trial will open on 27 September"); the reports of that day tell what happened."""
    published = analysis.article.published
    days = stretch(value)
    return published is None or days is None or days[0] <= published.date()


def _lead(analysis: ArticleAnalysis) -> Statement | None:
    """The article's first full sentence, as the news of its publication day, when the opening of the article
    (the title and the first sentence of the body) names no day of its own."""
    published = analysis.article.published
    if published is None:
        return None
    full = list(islice((s for s in analysis.sentences if _words(s.text) >= MIN_WORDS), LEAD_SENTENCES))
    if not full:
        return None
    opening = {s.index for s in full}
    if any(t.sentence in opening and t.type in _DATED_TYPES and _DAY.match(t.value) for t in analysis.times):
        return None
    if any(e.when and e.sentence in opening for e in analysis.events):
        return None
    return Statement(
        when=published.date().isoformat(), text=full[0].text.strip(), article=analysis.article.id
    )
