"""What the story index compares: an article's salient terms, named actors and places, event types and days."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from spacy.lang.en.stop_words import STOP_WORDS

from briefings.extract.lexicons import countries
from briefings.extract.names import normalise_name, org_key, person_core
from briefings.models import ArticleAnalysis, Mention

# Words read from the text: letters (with inner apostrophes or hyphens) and four-digit years; other
# numbers (counts, times of day) differ between reports of one event, so they say nothing of identity.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))+|\b(?:1[89]|20)\d\d\b")
_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
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

# A text copied from a web page may open with the page's address, often with spaces around its
# punctuation ("http: / / www. example. com / 2013 / 08 / 02 / quake - hits - island / index. html").
_LEADING_URL = re.compile(r"\s*https?\s*:\s*/\s*/", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")
_URL_JOINERS = frozenset("/.-_?=&#:%+~")
MAX_URL_CHARS = 400
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
# Dates in an address's path: 2013/08/02, 2010-05-05, 20100505, 2005/nov/28; months and years alone.
_URL_FULL = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)([/_-])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)(?!\d)"),
)
_URL_NAMED_DAY = re.compile(rf"(?<![a-z\d])((?:19|20)\d\d)[/_-]({_MONTH})[/_-](\d{{1,2}})(?!\d)")
_URL_MONTH = re.compile(rf"(?<!\d)((?:19|20)\d\d)[/_-](\d{{1,2}}|{_MONTH})(?![\da-z])")
_URL_NAMED_MONTH = re.compile(rf"(?<![a-z])({_MONTH})[/_-]?((?:19|20)\d\d)(?!\d)")
_URL_YEAR = re.compile(r"/((?:19|20)\d\d)/")
# A posting line's numeric date: 11 / 27 / 2005 (month first), 08. 07. 2012 (day first), 2012. 08. 08.
_NUMERIC_DATE = re.compile(r"(?<![\d.,:])(\d{1,2})\s*([/.])\s*(\d{1,2})\s*\2\s*((?:19|20)\d\d|\d\d)(?![\d])")
_NAMED_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m>{_MONTH})\.?\s*(?(d1)|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
    r"\s*[,-]?\s*(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_NUMERIC_YEAR_FIRST = re.compile(
    r"(?<![\d.,:])((?:19|20)\d\d)\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d])"
)
_LAST_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")
_DATE_PREPOSITIONS = frozenset(
    [
        "on",
        "in",
        "at",
        "since",
        "from",
        "until",
        "till",
        "by",
        "before",
        "after",
        "of",
        "between",
        "and",
        "to",
    ]
)
# How far into its text (past an opening address) an article says when it was written.
HEADER_CHARS = 350


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


def to_day(value: datetime | date) -> int:
    """A calendar day as an ordinal number, for arithmetic on gaps between days."""
    return value.toordinal()


def _day_of_value(value: str) -> int | None:
    match = _DAY_VALUE.match(value)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).toordinal()
    except ValueError:
        return None


def url_header_end(text: str) -> int:
    """Where an address the text opens with ends (0 when it opens with none)."""
    match = _LEADING_URL.match(text)
    if match is None:
        return 0
    end = match.end()
    previous = "/"
    for token in _TOKEN.finditer(text, end):
        word = token.group()
        if token.end() > MAX_URL_CHARS or not (previous[-1] in _URL_JOINERS or word[0] in _URL_JOINERS):
            break
        end, previous = token.end(), word
    return end


def _interval(year: int, month: int, day: int | None = None) -> tuple[int, int] | None:
    try:
        if day is not None:
            ordinal = date(year, month, day).toordinal()
            return ordinal, ordinal
        first = date(year, month, 1).toordinal()
        following = date(year + month // 12, month % 12 + 1, 1).toordinal()
    except ValueError:
        return None
    return first, following - 1


def _month_number(value: str) -> int:
    value = value[:3].lower()
    return _MONTH_NAMES.index(value) + 1 if value in _MONTH_NAMES else int(value)


def url_days(url: str) -> tuple[int, int] | None:
    """The days an address's path dates its page to: a day, else a month, else a year."""
    url = re.sub(r"\s+", "", url).lower()
    path = url.split("//", 1)[-1]
    for pattern in _URL_FULL:
        for match in pattern.finditer(path):
            found = _interval(int(match["y"]), int(match["m"]), int(match["d"]))
            if found:
                return found
    for match in _URL_NAMED_DAY.finditer(path):
        found = _interval(int(match[1]), _month_number(match[2]), int(match[3]))
        if found:
            return found
    for match in _URL_MONTH.finditer(path):
        found = _interval(int(match[1]), _month_number(match[2]))
        if found:
            return found
    for match in _URL_NAMED_MONTH.finditer(path):
        found = _interval(int(match[2]), _month_number(match[1]))
        if found:
            return found
    year = _URL_YEAR.search(path)
    if year is not None:
        first = date(int(year[1]), 1, 1).toordinal()
        return first, date(int(year[1]), 12, 31).toordinal()
    return None


def _bare(text: str, start: int) -> bool:
    """Whether a date stands alone, as a posting line gives it, not as the object of a sentence's
    preposition ("committed on March 11, 2005", "born on April 22, 1923": the news's background)."""
    before = _LAST_WORD.search(text, max(0, start - 30), start)
    return before is None or before[1].lower() not in _DATE_PREPOSITIONS


def _written_date(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first full date a header line writes: 11 / 27 / 2005, 2012. 08. 08, Sat Nov 12 2011."""
    for match in _NAMED_DATE.finditer(text, start, end):
        day = match["d1"] or match["d2"]
        found = _interval(int(match["y"]), _month_number(match["m"]), int(day)) if day else None
        if found and _bare(text, match.start()):
            return found
    for match in _NUMERIC_DATE.finditer(text, start, end):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        if year < 100:
            year += 2000 if year < 50 else 1900
        month, day = (second, first) if match[2] == "." or first > 12 else (first, second)
        found = _interval(year, month, day)
        if found and _bare(text, match.start()):
            return found
    for match in _NUMERIC_YEAR_FIRST.finditer(text, start, end):
        found = _interval(int(match[1]), int(match[3]), int(match[4]))
        if found and _bare(text, match.start()):
            return found
    return None


def stated_days(analysis: ArticleAnalysis, header_end: int) -> tuple[int, int] | None:
    """The days an undated article says it is from: its address's date, or a full date in its header."""
    article = analysis.article
    text = article.text
    from_url = url_days(article.url) if article.url else None
    if from_url is None and header_end:
        from_url = url_days(text[:header_end])
    if from_url is not None and from_url[0] == from_url[1]:
        return from_url
    limit = header_end + HEADER_CHARS
    header: tuple[int, int] | None = None
    for time in analysis.times:
        if header_end <= time.start < limit and time.type in ("DATE", "TIME") and _bare(text, time.start):
            day = _day_of_value(time.value)
            if day is not None:
                header = (day, day)
                break
    header = header or _written_date(text, header_end, limit)
    if header is not None and (from_url is None or from_url[0] <= header[0] <= from_url[1]):
        return header
    return from_url or header


def _event_days(analysis: ArticleAnalysis, header_end: int) -> list[int]:
    """The days the article's news happened: dates in its lead, else any date it gives, else its publication.

    The lead is the first sentences after the address the text may open with (a date in the address is
    the page's, not its news's).
    """
    first_lead = next((s.index for s in analysis.sentences if s.end > header_end), 0) if header_end else 0
    lead: set[int] = set()
    anywhere: list[int] = []
    for time in analysis.times:
        if time.type not in ("DATE", "TIME") or time.start < header_end:
            continue
        day = _day_of_value(time.value)
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
    )


def person_term(key: str) -> str:
    """The term a person key ("p:rahman") is counted under among an article's words."""
    return stem(key[2:])


def sublinear(count: int) -> float:
    """1 + log(count): repeated mentions count, but less and less."""
    return _sublinear(count)
