"""The article's main event as who / what / when / where / why / how, in short phrases from its text.

News states its main event in the title and lead, so the most salient event (early, often mentioned, with
named participants) is taken; what it does not say itself is filled from the sentences that mention it,
then from the lead, and "when" last from the publication date.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from spacy.tokens import Doc

from briefings.extract.events.dating import in_news_window
from briefings.extract.events.lexicon import FAMILY_OF_TYPE, related_families
from briefings.extract.events.placing import located_mentions
from briefings.extract.events.specific_place import most_specific_where
from briefings.models import Actor, Event, FiveW, Place, Sentence, TimeExpression

# The title and the first sentences of the body: where a missing "when" or "where" is looked for last.
_LEAD_SENTENCES = 4
_DATED_TYPES = frozenset({"DATE", "TIME"})
# How many days before publication a related event still counts as news rather than background.
_RECENT_DAYS = 31
# A dateline's city is written in capitals, words of at least three letters ("WASHINGTON", "NEW YORK";
# not the abbreviation "U.S.").
_DATELINE = re.compile(r"[A-Z][A-Z'-]{2,}(?: [A-Z][A-Z'-]+)*")
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


def _concrete_time_in(times: list[TimeExpression], sentences: set[int]) -> TimeExpression | None:
    return next(
        (t for t in times if t.sentence in sentences and t.type in _DATED_TYPES and _CONCRETE.match(t.value)),
        None,
    )


def _dated_event_in(events: Iterable[Event], sentences: set[int] | None) -> Event | None:
    """The most salient event (in these sentences, or anywhere) that says when it happened."""
    dated = [
        e
        for e in events
        if e.when
        and e.when_text
        and (sentences is None or sentences.intersection(e.mentions or [e.sentence]))
    ]
    return max(dated, key=lambda e: e.salience, default=None)


def _recent(event: Event, published: datetime | None) -> bool:
    """Whether an event's date is near the publication date (not the background: "a similar crash in 1959")."""
    if published is None or not event.when:
        return published is None
    try:
        day = date.fromisoformat(event.when[:10])
    except ValueError:
        return False
    return -_RECENT_DAYS <= (day - published.date()).days <= 1


def _place_in(places: list[Place], sentences: set[int], located: set[int] | None = None) -> str | None:
    """The first place named in these sentences (only where it places something, when `located` says so)."""
    found: tuple[int, str] | None = None
    for place in places:
        for mention in place.mentions:
            if (
                mention.sentence in sentences
                and (located is None or mention.start in located)
                and (found is None or mention.start < found[0])
            ):
                found = (mention.start, mention.text)
    return _without_article(found[1]) if found else None


def _main_place(places: list[Place], at_least: int = 2, located: set[int] | None = None) -> str | None:
    """The place the article names most often (if at least so often), in its most frequent spelling;
    with `located`, only a place the text once names as the place of something."""
    candidates = [p for p in places if located is None or any(m.start in located for m in p.mentions)]
    top = max(candidates, key=lambda p: len(p.mentions), default=None)
    if top is None or len(top.mentions) < at_least:
        return None
    spellings = Counter(_without_article(m.text) for m in top.mentions)
    return spellings.most_common(1)[0][0]


def _without_article(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _subject_place(event: Event, places: list[Place]) -> str | None:
    """The subject, when it is itself a place: "UK outraged over ..." happens in the UK."""
    if not event.subject:
        return None
    spellings = {m.text for p in places for m in p.mentions} | {p.name for p in places}
    return event.subject if event.subject in spellings else None


def _has_name(text: str | None) -> bool:
    """Whether a phrase names its place ("the White House"), rather than only saying what it is ("track")."""
    return text is not None and any(word[:1].isupper() for word in text.split())


def _place_of_events(events: list[Event], sentences: set[int], named: bool = False) -> str | None:
    """Where the most salient event of these sentences that says where happened (at a named place)."""
    placed = [
        e
        for e in events
        if (e.where or _has_name(e.where_text) if named else (e.where_text or e.where))
        and sentences.intersection(e.mentions or [e.sentence])
    ]
    best = max(placed, key=lambda e: e.salience, default=None)
    return (best.where_text or best.where) if best is not None else None


def _dateline(places: list[Place], sentences: list[Sentence]) -> str | None:
    """The city of a wire report's dateline ("WASHINGTON, Nov 6 (Reuters) -"), where it was reported from."""
    lead_end = sentences[min(len(sentences), _LEAD_SENTENCES) - 1].end if sentences else 0
    found = min(
        (
            (mention.start, mention.text)
            for place in places
            for mention in place.mentions
            if mention.start < lead_end and _DATELINE.fullmatch(mention.text)
        ),
        default=None,
    )
    return found[1] if found else None


def _actor_in(actors: list[Actor], sentences: set[int]) -> str | None:
    found: tuple[int, str] | None = None
    for actor in actors:
        for mention in actor.mentions:
            if mention.sentence in sentences and (found is None or mention.start < found[0]):
                found = (mention.start, actor.name)
    return found[1] if found else None


def _as_written(actor: Actor) -> str:
    """An actor's name for the answer: a person's full name, a country as the text writes it ("US")."""
    if actor.kind != "country" or not actor.mentions:
        return actor.name
    return Counter(_without_article(m.text) for m in actor.mentions).most_common(1)[0][0]


def _who(event: Event, actors: list[Actor]) -> str | None:
    """Who did it: a named agent ("in a Taliban raid"), else the subject ("Seven people were killed")."""
    agent = next(iter(event.who), None)
    actor = next((a for a in actors if a.name == agent), None) if agent else None
    if actor is not None:
        names = {actor.name, *actor.aliases, *(m.text for m in actor.mentions)}
        return event.subject if event.subject in names else _as_written(actor)
    return event.subject or agent


def _hour_fits(part: str | None, hour: int) -> bool:
    """Whether a clock hour lies in a part of the day ("MO" morning, "AF", "EV", "NI"), or any when none."""
    spans = {"MO": (0, 12), "AF": (12, 18), "EV": (17, 22), "NI": (19, 29)}
    if part is None or part not in spans:
        return True
    low, high = spans[part]
    return low <= hour < high or low <= hour + 24 < high


def _with_clock_time(when: str | None, times: list[TimeExpression]) -> str | None:
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


def _whole_time_phrase(when: str | None, times: list[TimeExpression], text: str | None) -> str | None:
    """A day with the part of it the text puts before it: "the early hours of Wednesday", not "Wednesday"."""
    said = next((t for t in times if t.text == when), None)
    if said is None or text is None:
        return when
    part = next(
        (t for t in times if t.end < said.start and text[t.end : said.start].lower() == " of "),
        None,
    )
    return text[part.start : said.end] if part is not None and part.type in ("TIME", "DURATION") else when


def _publication_day(published: datetime | None) -> str | None:
    return f"{published.day} {published:%B %Y}" if published else None


def _names_a_day(text: str | None) -> bool:
    """Whether a time phrase names its day ("Saturday", "Nov. 6", "2016"), not only points at it ("today",
    "the night", "now")."""
    if not text:
        return False
    return any(ch.isdigit() for ch in text) or any(
        word[:1].isupper() and word.lower() not in _POINTING_WORDS for word in text.split()
    )


def _when(
    event: Event | None, events: list[Event], times: list[TimeExpression], published: datetime | None
) -> str | None:
    """When the main event happened, as the text says it.

    Its own date; else a dated event or a date beside it; else the date of a related event (the crash behind
    the deaths); else a date in the lead; else its own vague time ("recently"); else the publication date.
    An own time that only points at its day ("the night", "today") gives way to a day the text names for the
    event beside it ("shortly after midnight on Saturday").
    """
    own = event.when_text if event is not None and event.when and event.when_text else None
    if own is not None and _names_a_day(own):
        return own
    lead = set(range(_LEAD_SENTENCES))
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
        if beside is not None:
            return beside.when_text
        # The happening behind it, told nearest the top: the crash behind the deaths, the blast behind the raid.
        families = related_families(event.type) if event.type in FAMILY_OF_TYPE else frozenset()
        related = [
            e for e in others if e.when and FAMILY_OF_TYPE.get(e.type) in families and _recent(e, published)
        ]
        if related:
            return min(related, key=lambda e: min(e.mentions or [e.sentence])).when_text
        time = _concrete_time_in(times, mentioned)
        if time is not None:
            return time.text
    if own is not None:
        return own
    in_lead = _dated_event_in(others, lead) or _concrete_time_in(times, lead)
    if in_lead is not None:
        return in_lead.when_text if isinstance(in_lead, Event) else in_lead.text
    if event is not None and event.when_text:
        return event.when_text
    if published is not None:
        return _publication_day(published)
    vague = next((t for t in times if t.sentence in lead and t.type in _DATED_TYPES), None)
    return vague.text if vague is not None else None


def main_event(
    events: list[Event],
    actors: list[Actor],
    places: list[Place],
    times: list[TimeExpression],
    sentences: list[Sentence],
    published: datetime | None = None,
    doc: Doc | None = None,
) -> FiveW:
    """The article's main event as who / what / when / where / why / how.

    With the parsed `doc`, a "where" taken from the article's places prefers the mentions that place
    something ("in Croydon", "the Croydon tram crash") over origins and labels ("a man from Beckenham").
    """
    lead = set(range(_LEAD_SENTENCES))
    if not sentences:
        return FiveW()
    if not events:
        return FiveW(
            who=_actor_in(actors, lead),
            where=_place_in(places, lead),
            when=_when(None, events, times, published),
        )
    event = max(events, key=lambda e: (e.salience, -min(e.mentions or [e.sentence])))
    mentioned = set(event.mentions or [event.sentence])
    who = _who(event, actors) or _actor_in(actors, mentioned) or _actor_in(actors, lead)
    located = located_mentions(doc, places) if doc is not None else None
    where = (
        event.where_text
        or event.where
        or _subject_place(event, places)
        or _dateline(places, sentences)
        or _place_of_events(events, lead, named=True)
        or _place_in(places, mentioned, located)
        or _main_place(places, 2, located)
        or _place_in(places, lead, located)
        or _main_place(places, 1, located)
        # An unnamed place of a lead event ("on the track"), then any place the article names.
        or _place_of_events(events, lead)
        or _place_in(places, mentioned)
        or _main_place(places)
        or _place_in(places, lead)
        or _main_place(places, at_least=1)
    )
    if where is not None and doc is not None and located is not None:
        happened_at = {
            e.where.lower()
            for e in events
            if e.where and lead.union(mentioned).intersection(e.mentions or [e.sentence])
        }
        where = most_specific_where(where, places, mentioned, lead, located, doc.text, happened_at)
    return FiveW(
        who=who,
        what=event.action,
        when=_with_clock_time(
            _whole_time_phrase(_when(event, events, times, published), times, doc.text if doc else None),
            times,
        ),
        where=where,
        why=event.why,
        how=event.how,
    )
