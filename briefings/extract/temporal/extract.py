"""Temporal expressions of a parsed article: recognise (grammar), check against the parse, anchor (resolve)."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from spacy.tokens import Doc, Token

from briefings.extract.sentences import sentence_at
from briefings.extract.temporal.meaning import (
    Ago,
    CalendarDate,
    Candidate,
    ClockTime,
    DatedTime,
    Duration,
    GeneralReference,
    Holiday,
    Meaning,
    NamedPeriod,
    Recurrence,
    RelativeUnit,
    Unit,
    Weekday,
    WeekOf,
)
from briefings.extract.temporal.recogniser import choose, find_candidates
from briefings.extract.temporal.resolve import Resolved, Resolver
from briefings.extract.temporal.tense import Tense, clause_tense
from briefings.models import Sentence, TimeExpression

_log = logging.getLogger(__name__)

# Words before "a year" / "per day" that make it a rate ("$5 million a year", "three times a day").
_RATE_WORDS = frozenset(
    {
        "million",
        "billion",
        "trillion",
        "thousand",
        "hundred",
        "percent",
        "%",
        "cents",
        "dollars",
        "times",
        "once",
        "twice",
        "each",
        "apiece",
    }
)
# Entities in which a four-digit number is a name or an amount, not a year.
_BEFORE_MONTH = frozenset(
    {
        "in",
        "by",
        "since",
        "until",
        "till",
        "before",
        "after",
        "from",
        "through",
        "during",
        "of",
        "last",
        "next",
        "this",
        "early",
        "late",
        "mid",
        "to",
        "between",
        "and",
        "or",
        "on",
        "for",
    }
)
_NOT_YEAR_ENTITIES = frozenset({"MONEY", "PERCENT", "QUANTITY", "PRODUCT", "ORG", "FAC", "LAW", "CARDINAL"})
_MOD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:early|earlier|the\s+(?:very\s+)?(?:beginning|start)\s+of)\b", re.I), "START"),
    (re.compile(r"^(?:mid|middle|the\s+middle\s+of)\b", re.I), "MID"),
    (re.compile(r"^(?:late|later|the\s+(?:very\s+)?end\s+of|the\s+close\s+of)\b|year[\s-]end", re.I), "END"),
    (re.compile(r"^(?:about|around|approximately|roughly|some|close\s+to|an\s+estimated)\b", re.I), "APPROX"),
    (re.compile(r"^(?:more\s+than|over|upwards\s+of|well\s+over|just\s+over)\b", re.I), "MORE_THAN"),
    (re.compile(r"^(?:less\s+than|under|fewer\s+than|just\s+under)\b", re.I), "LESS_THAN"),
    (re.compile(r"^(?:at\s+least|no\s+less\s+than)\b", re.I), "EQUAL_OR_MORE"),
    (re.compile(r"^(?:at\s+most|up\s+to|no\s+more\s+than)\b", re.I), "EQUAL_OR_LESS"),
    (re.compile(r"^(?:nearly|almost)\b", re.I), "LESS_THAN"),
)


def _mod(text: str) -> str | None:
    for pattern, mod in _MOD_PATTERNS:
        if pattern.search(text):
            return mod
    return None


def _tokens(doc: Doc, start: int, end: int) -> list[int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return [] if span is None else [t.i for t in span]


# Entities whose words are names, not times, even when they look like times.
_NAME_ENTITIES = frozenset({"WORK_OF_ART", "PERSON", "ORG", "PRODUCT", "FAC", "LAW"})
# Time words that English writes in lower case: capitalised inside a sentence, they are part of a name
# (the show "60 Minutes", ABC's "This Week", the film "High Noon", "VOA Today").
_COMMON_TIME_WORDS = frozenset(
    {
        "noon",
        "midnight",
        "minute",
        "minutes",
        "hour",
        "hours",
        "today",
        "tonight",
        "tomorrow",
        "yesterday",
        "now",
        "morning",
        "afternoon",
        "evening",
        "night",
        "day",
        "days",
        "week",
        "weekend",
        "month",
        "year",
    }
)
_POINTING_WORDS = frozenset({"this", "that", "the", "last", "next", "every", "each"})
_OPENING_QUOTES = frozenset({'"', "``", "`", "“", "'", "‘", "("})
# Above this share of capitalised words, a sentence is a headline in title case, not running text.
_TITLE_CASE_SHARE = 0.6


def _opens_a_quote(mark: Token) -> bool:
    """Whether a quotation mark opens quoted words, which start with a capital ('he said: "Today we
    won"'), rather than a title named after a noun ('ABC's "This Week"')."""
    if mark.text not in _OPENING_QUOTES:
        return False
    start = mark.i
    while start > 0 and (mark.doc[start - 1].text in _OPENING_QUOTES or mark.doc[start - 1].is_space):
        start -= 1  # a quote written as two marks (` `), or after the space between sentences
    if start == 0 or mark.doc[start].is_sent_start:
        return True
    before = mark.doc[start - 1]
    return before.is_punct or before.pos_ in ("VERB", "AUX")


def _capitalised_in_running_text(doc: Doc, indices: list[int]) -> bool:
    """Whether an expression is written as a name: every word capitalised, each a time word English writes
    in lower case (or "This", "The"), neither at the start of its sentence nor in a headline in title
    case."""
    words = [doc[i] for i in indices if doc[i].is_alpha]
    if not words or not all(w.text[:1].isupper() for w in words):
        return False
    if not any(w.lower_ in _COMMON_TIME_WORDS for w in words):
        return False
    if any(w.lower_ not in _COMMON_TIME_WORDS and w.lower_ not in _POINTING_WORDS for w in words):
        return False  # a name of its own beside the time word: "Christmas Day", "Easter Week", "May Day"
    first = doc[indices[0]]
    if first.is_sent_start or (first.i > 0 and _opens_a_quote(doc[first.i - 1])):
        return False
    sentence = [t for t in first.sent if t.is_alpha]
    capitalised = sum(1 for t in sentence if t.text[:1].isupper())
    return capitalised <= _TITLE_CASE_SHARE * len(sentence)


# Rules whose matches the parse must confirm; the others stand as the grammar found them.
_CHECKED_RULES = frozenset({"month", "season", "year", "set_per", "reference", "set_adverb", "part_of_day"})


def _plausible(doc: Doc, c: Candidate) -> bool:
    """Checks against the parse that a regular expression cannot make: "May" the verb, "1990" the amount."""
    indices = _tokens(doc, c.start, c.end)
    if not indices:
        return False
    first, last = doc[indices[0]], doc[indices[-1]]
    if first.ent_type_ in _NAME_ENTITIES and last.ent_type_ == first.ent_type_ and first.ent_iob_ != "O":
        # Inside a title or a name: the show "This Week", the film "High Noon", Theresa May
        return False
    if _capitalised_in_running_text(doc, indices):
        return False
    if last.lower_ == "second" and last.tag_ in ("JJ", "RB") and c.rule.startswith("duration"):
        return False  # "a second betrayal" counts, it does not last
    if c.rule not in _CHECKED_RULES:
        return True
    meaning = c.meaning
    if c.rule == "month" and len(indices) == 1:
        # A month name alone: not a verb ("March on"), not the modal "May", not part of a name.
        after_preposition = first.i > 0 and doc[first.i - 1].lower_ in _BEFORE_MONTH
        if not after_preposition and (first.tag_ == "MD" or first.pos_ in ("VERB", "AUX")):
            return False
        if first.ent_type_ in ("PERSON", "ORG") and first.ent_iob_ != "O":
            return False
    if (
        c.rule == "season"
        and isinstance(meaning, NamedPeriod)
        and meaning.shift is None
        and meaning.year is None
    ):
        season = last if last.lower_ in ("spring", "summer", "fall", "autumn", "winter") else first
        if season.pos_ not in ("NOUN", "PROPN"):
            return False
        if (
            len(indices) == 1
            and season.i > 0
            and doc[season.i - 1].lower_
            not in (
                "in",
                "this",
                "last",
                "next",
                "the",
                "since",
                "until",
                "by",
                "during",
                "through",
                "late",
                "early",
                "mid",
                "of",
                "that",
                "every",
                "each",
                "this",
                "before",
                "after",
            )
        ):
            return False
    if c.rule in ("year",) and isinstance(meaning, CalendarDate) and len(indices) == 1:
        token = first
        if token.ent_type_ in _NOT_YEAR_ENTITIES:
            return False
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in (
            "%",
            "percent",
            "cents",
            "points",
            "people",
            "troops",
            "feet",
            "meters",
            "miles",
            "votes",
            "yards",
            "units",
            "shares",
        ):
            return False
        if token.i > 0 and doc[token.i - 1].lower_ in (
            "no.",
            "number",
            "flight",
            "route",
            "room",
            "page",
            "paragraph",
            "article",
            "section",
            "rule",
            "resolution",
            "$",
            "us$",
        ):
            return False
    if c.rule == "set_per":
        before = doc[indices[0] - 1] if indices[0] > 0 else None
        if before is None or not (
            before.like_num
            or before.lower_ in _RATE_WORDS
            or before.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
        ):
            return False
    if c.rule == "reference" and isinstance(meaning, GeneralReference):
        word = first.lower_
        if word == "then":
            word, first = last.lower_, last  # "the then-current price": the adjective is "current"
        if word == "current" and first.pos_ not in ("ADJ",):
            return False
        if word == "soon" and indices[0] > 0 and doc[indices[0] - 1].lower_ == "as":
            return False
        if word == "soon" and _soon_after_a_told_time(doc, indices[-1], c):
            return False
    if c.rule == "set_adverb" and isinstance(meaning, Recurrence) and first.pos_ in ("NOUN", "PROPN"):
        return False
    # A bare "night" or "morning" is a time of day, not a date ("at night", "in the morning").
    return not (
        c.rule == "part_of_day"
        and len(indices) == 1
        and first.lower_ in ("night", "morning", "evening", "afternoon")
    )


def _soon_after_a_told_time(doc: Doc, index: int, c: Candidate) -> bool:
    """Whether "soon" counts from a time the text tells rather than from now: "soon after the flood",
    "the ferry was soon back in service" (a past clause). Only a "soon" ahead of now is the future."""
    after = doc[index + 1] if index + 1 < len(doc) else None
    if after is not None and after.lower_ in ("after", "before", "afterwards", "afterward", "thereafter"):
        return True
    return clause_tense(doc, c.start, c.end) == "past"


def _needs_tense(meaning: Meaning | DatedTime) -> bool:
    """Whether the clause's tense can change the value: which Friday, which March, which quarter."""
    if isinstance(meaning, DatedTime):
        return meaning.date is not None and _needs_tense(meaning.date)
    if isinstance(meaning, CalendarDate):
        return meaning.year is None and meaning.year_offset is None
    if isinstance(meaning, RelativeUnit):
        return meaning.unit == "weekend"
    return isinstance(meaning, Weekday | NamedPeriod | Holiday | WeekOf)


def _gap(doc: Doc, width: int, next_start: int) -> str:
    """The white space before a sentence as spaces, ending in a line break when the original broke a line."""
    if width <= 0:
        return ""
    span = doc.char_span(next_start, next_start + 1, alignment_mode="expand")
    if span is not None and span.start > 0:
        before = doc[span.start - 1]
        if "\n" in before.whitespace_ or "\n" in before.text:
            return " " * (width - 1) + "\n"
    return " " * width


def _document_text(doc: Doc, sentences: list[Sentence]) -> str:
    """The document's text, rebuilt from its sentences (`Doc.text` joins every token again, which is slow).

    Sentences hold every character but the white space between them; that white space is written as
    spaces (with one line break where it held one, since no expression runs across lines), so offsets
    stay those of the document. Without sentences that fit the document, `Doc.text`.
    """
    if not len(doc):
        return ""
    last = doc[-1]
    length = last.idx + len(last.text_with_ws)
    pieces: list[str] = []
    position = 0
    for sentence in sentences:
        if (
            sentence.start < position
            or sentence.end > length
            or sentence.end - sentence.start != len(sentence.text)
        ):
            return str(doc.text)
        pieces.append(_gap(doc, sentence.start - position, sentence.start))
        pieces.append(sentence.text)
        position = sentence.end
    if not pieces:
        return str(doc.text)
    pieces.append(" " * (length - position))
    return "".join(pieces)


# How far (in characters) a clock time looks for the date it belongs to: "5:30 pm on January 7".
_CLOCK_REACH = 48


def _date_beside(days: list[tuple[int, date]], clock: Candidate, text: str) -> date | None:
    """The date written closest to a clock time in its sentence, if close and in the same clause."""
    best: tuple[int, date] | None = None
    for position, day in days:
        distance = clock.start - position if position < clock.start else position - clock.end
        between = text[min(position, clock.end) : max(position, clock.start)]
        if distance > _CLOCK_REACH or ";" in between:
            continue
        if best is None or distance < best[0]:
            best = (distance, day)
    return best[1] if best else None


def _some_day(doc: Doc, c: Candidate, text: str) -> GeneralReference | None:
    """ "One day" standing before its verb ("Islam will one day be the second religion", "One day he left")
    is an unnamed time ahead or behind, as its clause's tense says, not a length of one day ("for one
    day", "followed by one day")."""
    if text[c.start : c.end].lower() != "one day":
        return None
    indices = _tokens(doc, c.start, c.end)
    after = indices[-1] + 1 if indices else len(doc)
    while after < len(doc) and doc[after].is_punct:
        after += 1
    if after >= len(doc) or doc[after].pos_ not in ("VERB", "AUX", "PRON", "PROPN", "NOUN"):
        return None
    if indices[0] > 0 and doc[indices[0] - 1].pos_ == "ADP":
        return None
    if doc[after].pos_ not in ("VERB", "AUX") and not doc[indices[0]].is_sent_start:
        return None  # "had only been in the job one day."; a clause opened by "One day, he ..." is told
    tense = clause_tense(doc, c.start, c.end, text)
    return GeneralReference("PAST_REF" if tense == "past" else "FUTURE_REF")


_LENGTH = re.compile(r"P(\d+)([YMWD])")
_LENGTH_UNITS: dict[str, Unit] = {"Y": "year", "M": "month", "W": "week", "D": "day"}
_OR_ANOTHER = re.compile(r"\s+or\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|so|more)\b", re.I)
_DETERMINED = re.compile(r"(?:the|this|that|its|their)\s", re.I)
_IN_BEFORE = re.compile(r"(?<![\w-])in\s+$", re.I)


def _time_from_now(doc: Doc, c: Candidate, text: str) -> Ago | None:
    """ "In five years" in a clause looking ahead ("will be redeemed in five years") is the time five years
    on, a date, not a length ("in a year or two" is some time ahead); "the smallest gain in a year" stays a
    length."""
    meaning = c.meaning
    if not isinstance(meaning, Duration) or not _IN_BEFORE.search(text[max(0, c.start - 8) : c.start]):
        return None
    if _DETERMINED.match(text, c.start):
        return None  # "in the year ending June 30": a period named, not a count from now
    length = _LENGTH.fullmatch(meaning.value)
    if length is None or clause_tense(doc, c.start, c.end, text) != "future":
        return None
    unit = _LENGTH_UNITS[length.group(2)]
    if _OR_ANOTHER.match(text, c.end) or re.search(r"\bor\b", text[c.start : c.end], re.I):
        return Ago(unit, None, 1)  # "in a year or two": some time ahead, not a date
    return Ago(unit, float(length.group(1)), 1)


_DAY_BESIDE = re.compile(r"(?<![\w-])(?:the\s+)?(?P<span>day\s+(?P<side>before|after))\s+$", re.I)


def _day_beside_a_date(c: Candidate, value: Resolved, text: str) -> tuple[Candidate, Resolved]:
    """ "The day before last Tuesday('s hearing)", "the day after Jan. 3": the day next to the date, one
    expression with it."""
    beside = _DAY_BESIDE.search(text, max(0, c.start - 20), c.start)
    if beside is None or value.day is None:
        return c, value
    day = value.day + timedelta(days=-1 if beside.group("side").lower() == "before" else 1)
    return replace(c, start=beside.start("span")), Resolved("DATE", day.isoformat(), day)


def _part_of_a_told_day(meaning: Meaning | DatedTime) -> bool:
    """Whether a meaning is a part of a day the text points at without naming it ("the morning", "that
    night"): its day is the one its sentence names, written before or after it ("during the morning rush
    hour on Wednesday"), else the last day the text told."""
    if not isinstance(meaning, DatedTime) or meaning.time.part is None:
        return False
    day = meaning.date
    return isinstance(day, RelativeUnit) and day.unit == "day" and day.offset == 0 and day.anaphoric


# A paragraph that opens on another matter: "Separately, ...", "In a separate statement, ...".
_ANOTHER_MATTER = re.compile(r"\s*(?:Separately|In\s+a\s+separate\s+\w+)\b", re.I)


def _sentence_of(sentences: list[Sentence], position: int) -> int:
    return sentence_at(sentences, position) if sentences else 0


def extract_times(doc: Doc, sentences: list[Sentence], published: datetime | None) -> list[TimeExpression]:
    """Every temporal expression of the document with its TIMEX3 type and value."""
    text = _document_text(doc, sentences)
    if not text.strip():
        return []
    candidates = choose([c for c in find_candidates(text) if _plausible(doc, c)])
    resolver = Resolver(published)
    resolved: list[tuple[Candidate, Resolved | None, int]] = []
    pending_clocks: list[tuple[int, Candidate, Tense | None, date | None]] = []
    pending_parts: list[tuple[int, Candidate]] = []
    days_by_sentence: dict[int, list[tuple[int, date]]] = {}
    last_sentence = -1
    for c in candidates:
        sentence = _sentence_of(sentences, c.start)
        if any(_ANOTHER_MATTER.match(s.text) for s in sentences[last_sentence + 1 : sentence + 1]):
            resolver.another_report()
        last_sentence = max(last_sentence, sentence)
        meaning = _some_day(doc, c, text) or _time_from_now(doc, c, text) or c.meaning
        tense = clause_tense(doc, c.start, c.end, text) if _needs_tense(meaning) else None
        if isinstance(meaning, ClockTime) or (
            isinstance(meaning, DatedTime) and meaning.date is None and meaning.time.hour is not None
        ):
            pending_clocks.append((len(resolved), c, tense, resolver.last_day))
            resolved.append((c, None, sentence))
            continue
        try:
            value = resolver.resolve(meaning, tense)
        except (ValueError, OverflowError):
            _log.debug("could not anchor %r", c)
            value = None
        if value is not None and value.day is not None and value.type == "DATE":
            c, value = _day_beside_a_date(c, value, text)
        if _part_of_a_told_day(meaning):
            pending_parts.append((len(resolved), c))
        elif value is not None and value.day is not None:
            days_by_sentence.setdefault(sentence, []).append((c.start, value.day))
        resolved.append((c, value, sentence))
    for index, c in pending_parts:
        sentence = resolved[index][2]
        day = _date_beside(days_by_sentence.get(sentence, []), c, text)
        part = c.meaning.time.part if isinstance(c.meaning, DatedTime) else None
        if day is not None and part is not None:
            resolved[index] = (c, Resolved("TIME", f"{day.isoformat()}T{part}", day), sentence)
    for index, c, tense, last_day in pending_clocks:
        sentence = resolved[index][2]
        day = _date_beside(days_by_sentence.get(sentence, []), c, text)
        if day is None:
            day = last_day if published is None else resolver.dct
        clock = c.meaning
        assert isinstance(clock, DatedTime | ClockTime)
        resolved[index] = (c, resolver.resolve_time_on(clock, day, tense), sentence)
    times: list[TimeExpression] = []
    for c, value, sentence in resolved:
        if value is None:
            continue
        span_text = text[c.start : c.end]
        times.append(
            TimeExpression(
                text=span_text,
                start=c.start,
                end=c.end,
                type=value.type,
                value=value.value,
                mod=_mod(span_text),
                sentence=sentence,
            )
        )
    return times
