"""The article's main event as who / what / when / where / why / how, in short phrases from its text.

News states its main event in the title and lead, so the most salient event (early, often mentioned, with
named participants) is taken; what it does not say itself is filled from the sentences that mention it,
then from the lead, and "when" last from the publication date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from briefings.models import Actor, Event, FiveW, Place, Sentence, TimeExpression

# The title and the first sentences of the body: where a missing "when" or "where" is looked for last.
_LEAD_SENTENCES = 4
_DATED_TYPES = frozenset({"DATE", "TIME"})
# A value that names a day on the calendar, not "PRESENT_REF" or "XXXX-WXX-1".
_CONCRETE = re.compile(r"^\d{4}")


def _concrete_time_in(times: list[TimeExpression], sentences: set[int]) -> TimeExpression | None:
    return next(
        (t for t in times if t.sentence in sentences and t.type in _DATED_TYPES and _CONCRETE.match(t.value)),
        None,
    )


def _dated_event_in(events: Iterable[Event], sentences: set[int]) -> Event | None:
    """The most salient other event mentioned in these sentences that says when it happened."""
    dated = [
        e for e in events if e.when and e.when_text and sentences.intersection(e.mentions or [e.sentence])
    ]
    return max(dated, key=lambda e: e.salience, default=None)


def _place_in(places: list[Place], sentences: set[int]) -> str | None:
    found: tuple[int, str] | None = None
    for place in places:
        for mention in place.mentions:
            if mention.sentence in sentences and (found is None or mention.start < found[0]):
                found = (mention.start, mention.text)
    if found is None:
        return None
    text = found[1]
    return text[4:] if text.lower().startswith("the ") else text


def _actor_in(actors: list[Actor], sentences: set[int]) -> str | None:
    found: tuple[int, str] | None = None
    for actor in actors:
        for mention in actor.mentions:
            if mention.sentence in sentences and (found is None or mention.start < found[0]):
                found = (mention.start, actor.name)
    return found[1] if found else None


def _publication_day(published: datetime | None) -> str | None:
    return f"{published.day} {published:%B %Y}" if published else None


def _when(
    event: Event | None, events: list[Event], times: list[TimeExpression], published: datetime | None
) -> str | None:
    """When the main event happened: its own time, a dated event beside it, the lead, the publication date."""
    if event is not None and event.when_text:
        return event.when_text
    lead = set(range(_LEAD_SENTENCES))
    others = [e for e in events if e is not event]
    for sentences in ([set(event.mentions or [event.sentence])] if event else []) + [lead]:
        dated = _dated_event_in(others, sentences)
        if dated is not None:
            return dated.when_text
        time = _concrete_time_in(times, sentences)
        if time is not None:
            return time.text
    return _publication_day(published)


def main_event(
    events: list[Event],
    actors: list[Actor],
    places: list[Place],
    times: list[TimeExpression],
    sentences: list[Sentence],
    published: datetime | None = None,
) -> FiveW:
    """The article's main event as who / what / when / where / why / how."""
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
    who = (
        event.subject
        or next(iter(event.who), None)
        or _actor_in(actors, mentioned)
        or _actor_in(actors, lead)
    )
    where = event.where_text or event.where or _place_in(places, mentioned) or _place_in(places, lead)
    return FiveW(
        who=who,
        what=event.action,
        when=_when(event, events, times, published),
        where=where,
        why=event.why,
        how=event.how,
    )
