"""What the story index compares: an article's salient terms, named actors and places, event types and days."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from briefings.extract.lexicons import countries
from briefings.extract.names import normalise_name, org_key, person_core
from briefings.extract.page_dates import day_of_value, stated_days, to_day, url_header_end
from briefings.models import ArticleAnalysis, Mention

# Words read from the text: letters (with inner apostrophes or hyphens) and four-digit years; other
# numbers (counts, times of day) differ between reports of one event, so they say nothing of identity.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))+|\b(?:1[89]|20)\d\d\b")
# Words that every news report uses whatever it is about: they only blur the comparison.
_REPORTING_WORDS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tell",
        "telling",
        "according",
        "reported",
        "reports",
        "report",
        "reporting",
        "added",
        "statement",
        "news",
        "people",
        "year",
        "years",
        "day",
        "days",
        "time",
        "week",
        "weeks",
        "month",
        "months",
        "today",
        "yesterday",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mr",
        "mrs",
        "ms",
        "dr",
        "also",
        "like",
    ]
)
# Read at most this many characters of an article: what identifies a story is said near the top.
MAX_TEXT_CHARS = 20_000
# The lead of a news report (its first sentences) says when its news happened; later dates are background.
LEAD_SENTENCES = 3
LEAD_WEIGHT = 1
MAX_EVENT_DAYS = 6


@dataclass
class ArticleFeatures:
    """The features of one article the index needs: weighted salient features, days, and its shingles."""

    article_id: str
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    # Entities the article is about (named in its lead or more than once), not merely mentions in passing.
    salient: set[str] = field(default_factory=set)
    published_day: int | None = None
    event_days: list[int] = field(default_factory=list)
    # Whether its days say when its news happened (not so for a story whose reports mostly give none).
    days_vouch: bool = True
    event_types: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    # The people the article is mostly about (person keys), chosen by the index from their weights.
    participants: set[str] = field(default_factory=set)
    # The people it names only after its lead (not in its title either): an expert it quotes, a witness, a
    # name from the background. Not whom its news is about, so never among its `participants`.
    background_people: set[str] = field(default_factory=set)
    # The people it names, when not read from its entities and words (a story seen as one article).
    named: set[str] | None = None
    # The days the article says it is from (first, last): its publication day, else a date in its address
    # or header line (a month or a year when that is all the address gives); None when it says none.
    stated: tuple[int, int] | None = None

    def feature_keys(self) -> set[str]:
        """Every feature key the article carries (for document frequencies)."""
        return set(self.terms) | set(self.entities)


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude English stem, so that "strikes", "striking" and "strike" count as one term."""
    if len(word) <= 4:
        return word
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if word.endswith("ing") and len(word) > 6:
        return word[:-3]
    if word.endswith("ed") and len(word) > 5:
        return word[:-2]
    return word


def _is_content(word: str) -> bool:
    return len(word) > 2 and word not in STOP_WORDS and word not in _REPORTING_WORDS


def _event_days(analysis: ArticleAnalysis, header_end: int) -> list[int]:
    """The days the article's news happened: dates in its lead, else any date it gives, else its publication.

    The lead is the first sentences after the address the text may open with (a date in the address is
    the page's, not its news's).
    """
    first_lead = _first_lead_sentence(analysis, header_end)
    lead: set[int] = set()
    anywhere: list[int] = []
    for time in analysis.times:
        if time.type not in ("DATE", "TIME") or time.start < header_end:
            continue
        day = day_of_value(time.value)
        if day is None:
            continue
        if first_lead <= time.sentence < first_lead + LEAD_SENTENCES:
            lead.add(day)
        elif len(anywhere) < MAX_EVENT_DAYS:
            anywhere.append(day)
    if lead:
        return sorted(lead)[:MAX_EVENT_DAYS]
    if anywhere:
        return sorted(set(anywhere))
    published = analysis.article.published
    return [to_day(published)] if published else []


def _first_lead_sentence(analysis: ArticleAnalysis, header_end: int) -> int:
    """The index of the lead's first sentence: the first after the address the text may open with."""
    return next((s.index for s in analysis.sentences if s.end > header_end), 0) if header_end else 0


def _background_people(analysis: ArticleAnalysis, header_end: int) -> set[str]:
    """The person keys of the people that neither the article's title nor its lead names."""
    first_lead = _first_lead_sentence(analysis, header_end)
    title = set(normalise_name(analysis.article.title or "").split())
    background: set[str] = set()
    for actor in analysis.actors:
        key = _entity_key("person", actor.name) if actor.kind == "person" else None
        if key is None or key[2:] in title:
            continue
        if not any(first_lead <= m.sentence < first_lead + LEAD_SENTENCES for m in actor.mentions):
            background.add(key)
    return background


def _entity_key(kind: str, name: str) -> str | None:
    if kind == "person":
        # A person is known by the surname across articles ("Lindsay Lohan" here, "Lohan" there).
        core = person_core(name)
        return "p:" + core[-1] if core else None
    # One key for a name whatever the tagger called it: "Lanmore" is a place here, an organisation there.
    country = countries().country_named(name)
    key = normalise_name(country) if country else org_key(name)
    return "n:" + key if key else None


def _sublinear(count: int) -> float:
    return 1.0 + math.log(count) if count > 0 else 0.0


def extract_features(analysis: ArticleAnalysis) -> ArticleFeatures:
    """The comparable features of an analysed article, in one linear pass over its text and extractions."""
    article = analysis.article
    text = article.text[:MAX_TEXT_CHARS]
    header_end = url_header_end(text)
    words = [w.lower() for w in _WORD.findall(text)]
    terms: Counter[str] = Counter(stem(w) for w in words if _is_content(w))
    lead_end = (
        analysis.sentences[min(LEAD_SENTENCES, len(analysis.sentences)) - 1].end if analysis.sentences else 0
    )
    for _ in range(LEAD_WEIGHT):
        # The lead says what happened, to whom and where: its words count more than the background's.
        terms.update(stem(w.lower()) for w in _WORD.findall(text[:lead_end]) if _is_content(w.lower()))
    if article.title:
        title_words = [w.lower() for w in _WORD.findall(article.title)]
        # The title says what the article is about: count its words once more.
        terms.update(stem(w) for w in title_words if _is_content(w))
    entities: Counter[str] = Counter()
    salient: set[str] = set()
    named: list[tuple[str | None, list[Mention]]] = [
        (_entity_key(a.kind, a.name), a.mentions) for a in analysis.actors
    ]
    for place in analysis.places:
        named.append((_entity_key("place", place.name), place.mentions))
    outlet = normalise_name(f"{article.outlet or ''} {article.source}")
    for entity, mentions in named:
        # The outlet that carries the article ("NBX" in "told NBX News") says nothing of its story.
        if entity is None or (len(entity) > 4 and entity[2:] in outlet):
            continue
        if header_end:
            # A name in the opening address is the page's, not a mention in the report.
            mentions = [m for m in mentions if m.start >= header_end]
            if not mentions:
                continue
        entities[entity] += max(1, len(mentions))
        if len(mentions) > 1 or any(m.sentence < LEAD_SENTENCES for m in mentions):
            salient.add(entity)
    event_days = _event_days(analysis, header_end)
    background_people = _background_people(analysis, header_end)
    if article.published is not None:
        stated: tuple[int, int] | None = (to_day(article.published), to_day(article.published))
    else:
        stated = stated_days(analysis, header_end)
    events = sorted({e.type for e in analysis.events if e.type})
    for event_type in events:
        entities["e:" + event_type] += 1
    return ArticleFeatures(
        article_id=article.id,
        terms=terms,
        entities=entities,
        salient=salient,
        published_day=to_day(article.published) if article.published else None,
        event_days=event_days,
        stated=stated,
        event_types=events,
        words=words,
        background_people=background_people,
    )


def person_term(key: str) -> str:
    """The term a person key ("p:rahman") is counted under among an article's words."""
    return stem(key[2:])


def sublinear(count: int) -> float:
    """1 + log(count): repeated mentions count, but less and less."""
    return _sublinear(count)
