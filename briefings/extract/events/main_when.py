"""When the main event of an article happened, as the text says it.

The main event's own day first; else the day of an event told beside it or behind it (the crash behind the
deaths); else a day in the lead; else the day of any event the text dates; vague words ("now", "recently")
and the publication date last. Dates far from the publication date are background ("first proposed in
2009") and do not answer while the text names a day of the news.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime

import numpy
from spacy.attrs import IDX, POS
from spacy.symbols import AUX as AUX_TAG
from spacy.symbols import VERB as VERB_TAG
from spacy.tokens import Doc

from briefings.extract.events.dating import in_news_window
from briefings.extract.events.lexicon import FAMILY_OF_TYPE, related_families
from briefings.extract.events.timing import in_dateline, modifies_a_noun
from briefings.extract.temporal.fragments import AMPM, ZONE
from briefings.models import Event, Sentence, TimeExpression

# The title and the first sentences of the body: where a missing "when" is looked for last.
LEAD_SENTENCES = 4
_DATED_TYPES = frozenset({"DATE", "TIME"})
# How many days before publication a related event still counts as news rather than background.
_RECENT_DAYS = 31
# A value that names a day, or a part of one ("2016-11-09", "2016-11-09TMO"); one with a clock time.
_DAY_OR_PART = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(MO|AF|EV|NI))?$")
_CLOCK = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):\d{2}")
# Words that point at a day without naming it, capitalised at the start of a sentence ("Today", "Tonight").
_POINTING_WORDS = frozenset(
    [
        "today",
        "tonight",
        "yesterday",
        "tomorrow",
        "now",
        "this",
        "that",
        "the",
        "last",
        "next",
        "earlier",
        "later",
    ]
)
# A value that names a day on the calendar, not "PRESENT_REF" or "XXXX-WXX-1".
_CONCRETE = re.compile(r"^\d{4}")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _is_day(value: str | None) -> bool:
    """Whether a TIMEX3 value names one day ("2016-11-09", "2016-11-09TNI", "2016-11-09T06:10")."""
    return bool(value and _DAY.match(value))


def _concrete_time_in(times: list[TimeExpression], sentences: set[int] | None) -> TimeExpression | None:
    """The first date in these sentences (or anywhere) that names a day, else the first time that does (a
    clock time on a day: "06:00 BST" beside "on Sunday" is that Sunday's, and the day is said by its
    name), else the first on the calendar."""
    concrete = [
        t
        for t in times
        if (sentences is None or t.sentence in sentences)
        and t.type in _DATED_TYPES
        and _CONCRETE.match(t.value)
    ]
    days = [t for t in concrete if _is_day(t.value)]
    return next((t for t in days if t.type == "DATE"), days[0] if days else concrete[0] if concrete else None)


def _dated_event_in(events: Iterable[Event], sentences: set[int] | None) -> Event | None:
    """The most salient event (in these sentences, or anywhere) that says when it happened."""
    dated = [
        e
        for e in events
        if e.when
        and e.when_text
        and (sentences is None or sentences.intersection(e.mentions or [e.sentence]))
    ]
    # A day before a week, a month or a year: a report's main event happens on a day, and "last week" or
    # "last month" beside it more often tells of something else (the complaints before a crash).
    return max(dated, key=lambda e: (_is_day(e.when), e.salience), default=None)


def _recent(event: Event, published: datetime | None) -> bool:
    """Whether an event's date is near the publication date (not the background: "a similar crash in 1959")."""
    if published is None or not event.when:
        return published is None
    try:
        day = date.fromisoformat(event.when[:10])
    except ValueError:
        return False
    return -_RECENT_DAYS <= (day - published.date()).days <= 1


def _hour_fits(part: str | None, hour: int) -> bool:
    """Whether a clock hour lies in a part of the day ("MO" morning, "AF", "EV", "NI"), or any when none."""
    spans = {"MO": (0, 12), "AF": (12, 18), "EV": (17, 22), "NI": (19, 29)}
    if part is None or part not in spans:
        return True
    low, high = spans[part]
    return low <= hour < high or low <= hour + 24 < high


def with_clock_time(when: str | None, times: list[TimeExpression]) -> str | None:
    """A day or part of a day with the clock time the text gives for it: "Wednesday, 6.10am"."""
    if when is None:
        return None
    said = next((t for t in times if t.text == when), None)
    day = _DAY_OR_PART.match(said.value) if said is not None else None
    if day is None:
        return when
    for clock in times:
        hour = _CLOCK.match(clock.value) if clock.type == "TIME" else None
        if hour is None or hour.group(1) != day.group(1) or not _hour_fits(day.group(2), int(hour.group(2))):
            continue
        return clock.text if when.lower() in clock.text.lower() else f"{when}, {clock.text}"
    return when


def whole_time_phrase(when: str | None, times: list[TimeExpression], text: str | None) -> str | None:
    """A day with the part of it the text puts before it: "the early hours of Wednesday", not "Wednesday"."""
    said = next((t for t in times if t.text == when), None)
    if said is None or text is None:
        return when
    part = next(
        (t for t in times if t.end < said.start and text[t.end : said.start].lower() == " of "),
        None,
    )
    return text[part.start : said.end] if part is not None and part.type in ("TIME", "DURATION") else when


def _named_same_day(value: str, times: list[TimeExpression]) -> str | None:
    """The first day the text names ("Wednesday", "Nov. 9") that is the day a pointing word points at
    ("today", "the night"): the same day said by its name. A night runs into the next day's early hours,
    and a pointing "the night" may be counted from either side of it, so a night takes the days beside
    it too."""
    own = _DAY_OR_PART.match(value)
    if own is None:
        return None
    reach = 1 if own.group(2) in ("NI", "EV") else 0
    day = date.fromisoformat(own.group(1))
    for t in times:
        named = _DAY_OR_PART.match(t.value)
        if named is None or not _names_a_day(t.text):
            continue
        if abs((date.fromisoformat(named.group(1)) - day).days) <= reach:
            return t.text
    return None


def _said_day(event: Event, times: list[TimeExpression]) -> str | None:
    """An event's time as the text says it, by the day's name where its own words only point at the day
    ("the morning" of a crash the text says happened "on Wednesday")."""
    if event.when and not _names_a_day(event.when_text):
        return _named_same_day(event.when, times) or event.when_text
    return event.when_text


def _publication_day(published: datetime | None) -> str | None:
    return f"{published.day} {published:%B %Y}" if published else None


_CLOCK_TEXT = re.compile(
    rf"\b\d{{1,2}}(?:[:.]\s?\d\d\s*(?:{AMPM})?|\s*(?:{AMPM}))(?:\s*(?:{ZONE}))?", re.IGNORECASE
)


def _names_a_day(text: str | None) -> bool:
    """Whether a time phrase names its day ("Saturday", "Nov. 6", "2016"), not only points at it ("today",
    "the night", "now")."""
    if not text:
        return False
    # A clock time ("06:00 BST", "8 p.m.") tells the hour, not the day.
    text = _CLOCK_TEXT.sub(" ", text)
    return any(ch.isdigit() for ch in text) or any(
        word[:1].isupper() and word.lower() not in _POINTING_WORDS for word in text.split()
    )


# A day told by pointing at it from the day of writing ("yesterday", "this morning", "last night").
_DEICTIC_DAY = re.compile(
    r"^(?:yesterday|today|tonight|tomorrow|(?:this|last|yesterday|tomorrow) (?:morning|afternoon|evening|night))$",
    re.IGNORECASE,
)


def _points_at_its_day(event: Event) -> bool:
    """Whether the event's own time points at its day from the day of writing ("yesterday")."""
    return bool(event.when_text and _DEICTIC_DAY.match(event.when_text.strip()))


def told_times(
    times: list[TimeExpression],
    doc: Doc,
    sentences: list[Sentence],
    events: Iterable[Event],
    stamps: Iterable[TimeExpression],
) -> list[TimeExpression]:
    """The times that stand in a clause or a dateline: not a caption's date, a page's "Posted: March 2,
    2024 10:42 AM" or a byline's stamp, which stand in lines without a verb or after a posting label
    (`stamps`, from `page_dates.page_stamps`) and date no happening; nor a time that only says which thing
    a noun means ("a Christmas party", "his 2005 rampage"), unless an event (`events`) has it for its own
    ("Friday night's fire")."""
    starts = [s.start for s in sentences]
    tags = doc.to_array([POS, IDX])  # one array, no token objects for the many words that are no verbs
    verbs = tags[numpy.isin(tags[:, 0], (VERB_TAG, AUX_TAG)), 1] if len(doc) else []
    with_verb = {bisect_right(starts, int(offset)) - 1 for offset in verbs}
    owned = {e.when_text for e in events if e.when_text}
    stamped = {(t.start, t.end) for t in stamps}
    kept = []
    for t in times:
        if (t.start, t.end) in stamped:
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and len(span) and t.text not in owned and modifies_a_noun(span.root):
            continue
        if bisect_right(starts, t.start) - 1 in with_verb:
            kept.append(t)
            continue
        if span is not None and len(span) and in_dateline(doc, span.start):
            kept.append(t)
    return kept


# A measured amount of time of weeks at most ("P2D", "PT3H"), not a vague one ("PXD"): "ten years after
# the war" is background, not the day of the news.
_MEASURED = re.compile(r"^P(?:\d+(?:\.\d+)?[DW]|T\d+(?:\.\d+)?[HMS])$")
_OFFSET_WORDS = frozenset({"before", "after"})


def offsets_from_events(times: list[TimeExpression], doc: Doc) -> list[TimeExpression]:
    """Times told as a measured offset from another happening: "two days before the election", "hours
    after the crash" (with its amount). A duration that stands before "before" or "after" and its noun
    places what it modifies on the calendar as firmly as a date does, though the text never gives that
    date."""
    offsets = []
    for t in times:
        if t.type != "DURATION" or not _MEASURED.match(t.value):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or span.end >= len(doc):
            continue
        word = doc[span.end]
        if word.lower_ not in _OFFSET_WORDS or word.dep_ != "prep":
            continue
        noun = next((c for c in word.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if noun is None:
            continue
        end = noun.idx + len(noun.text)
        offsets.append(t.model_copy(update={"text": doc.text[t.start : end], "end": end}))
    return offsets


def main_when(
    event: Event | None,
    events: list[Event],
    times: list[TimeExpression],
    published: datetime | None,
    offsets: list[TimeExpression] | None = None,
) -> str | None:
    """When the main event happened, as the text says it.

    Its own date; else a dated event or a date beside it; else the date of a related event (the crash behind
    the deaths); else a date in the lead, a day before a week, a month or a year; else the day of any event
    the text dates further down; else its own vague time ("recently", "now"); else the publication date.
    An own time that only points at its day ("the night", "today") gives way to a day the text names for the
    event beside it ("shortly after midnight on Saturday"), or to the name of that same day anywhere. An own
    date far from the publication date ("had been attacked before, in 2013") was joined to the event from
    its background, and answers only when nothing else does. A lead that dates its news only by an offset
    from another happening ("two days before the election") answers with that offset before any vague word
    or the publication date.
    """
    all_times = times
    own = None
    if event is not None and event.when and event.when_text and in_news_window(event.when, published):
        own = event.when_text
    elif event is not None and published is None and _names_a_day(event.when_text):
        # An undated text gives no day to read "on Friday" from: the day it names is still the event's own.
        own = event.when_text
    if own is not None and _names_a_day(own):
        return own
    # An undated text's "died yesterday": the day the event is told to have happened. Only a day named
    # beside it says it better ("today, Sunday, February 22"); the years of its background ("began
    # modelling in 1950") name theirs, not its.
    deictic = event is not None and published is None and _points_at_its_day(event)
    lead = set(range(LEAD_SENTENCES))
    # A date beside the event or in the lead answers only when it is news, not background ("first proposed
    # in 2009", "a similar strike ten years ago").
    others = [e for e in events if e is not event and in_news_window(e.when, published)]
    times = [t for t in times if in_news_window(t.value, published)]
    if own is not None:
        others = [e for e in others if _names_a_day(e.when_text)]
        times = [t for t in times if _names_a_day(t.text)]
    if event is not None:
        mentioned = set(event.mentions or [event.sentence])
        beside = _dated_event_in(others, mentioned)
        if beside is not None and (not deictic or _is_day(beside.when)):
            return _said_day(beside, all_times)
        # The happening behind it, told nearest the top: the crash behind the deaths, the blast behind the raid.
        families = related_families(event.type) if event.type in FAMILY_OF_TYPE else frozenset()
        related = [
            e for e in others if e.when and FAMILY_OF_TYPE.get(e.type) in families and _recent(e, published)
        ]
        if related:
            return _said_day(min(related, key=lambda e: min(e.mentions or [e.sentence])), all_times)
        time = _concrete_time_in(times, mentioned)
        if time is not None and (not deictic or _is_day(time.value)):
            return time.text
        if deictic:
            return event.when_text
        # A text without a date of its own still names the day its news happened ("on Thursday"), though
        # no calendar date can be read from it: the day by its name, not the hour beside it.
        named = next(
            (t for t in times if t.sentence in mentioned and t.type == "DATE" and _names_a_day(t.text)),
            None,
        )
        if named is not None and own is None:
            return named.text
    if own is not None and event is not None and event.when:
        return _named_same_day(event.when, times) or own
    in_lead = _dated_event_in(others, lead) or _concrete_time_in(times, lead)
    if in_lead is not None:
        return _said_day(in_lead, all_times) if isinstance(in_lead, Event) else in_lead.text
    # The day of an event the text tells further down ("The two men spoke for 90 minutes on Thursday")
    # before a vague word or the publication date: the report tells its main event's day somewhere.
    dated_day = _dated_event_in([e for e in others if _is_day(e.when)], None)
    if dated_day is not None:
        return _said_day(dated_day, all_times)
    offset = next((t for t in offsets or [] if t.sentence in lead), None)
    if offset is not None:
        return offset.text
    # A vague time that only looks ahead ("a future full of good things") dates nothing that happened.
    vague_own = (
        event.when_text
        if event is not None and event.when_text and not _looks_ahead(event.when_text, all_times)
        else None
    )
    if (
        vague_own is not None
        and event is not None
        and (event.when is None or in_news_window(event.when, published))
    ):
        return vague_own
    if published is not None:
        return _publication_day(published)
    if vague_own is not None:
        return vague_own
    vague = next(
        (
            t
            for t in times
            if t.sentence in lead and t.type in _DATED_TYPES and not _looks_ahead(t.text, all_times)
        ),
        None,
    )
    return vague.text if vague is not None else None


def _looks_ahead(text: str, times: list[TimeExpression]) -> bool:
    """Whether a time phrase only says "ahead" ("the future"), naming no time (its value is FUTURE_REF)."""
    return any(t.text == text and t.value == "FUTURE_REF" for t in times)
