"""The article's main event as who / what / when / where / why / how, in short phrases from its text.

News states its main event in the title and lead, so the most salient event (early, often mentioned, with
named participants) is taken; what it does not say itself is filled from the sentences that mention it,
then from the lead, and "when" last from the publication date.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from spacy.tokens import Doc, Token

from briefings.extract.events.lexicon import (
    PLACE_HEAD_NOUNS,
    WEAPON_LEMMAS,
    happening_words,
    related_families,
)
from briefings.extract.events.main_when import (
    main_when,
    offsets_from_events,
    told_times,
    whole_time_phrase,
    with_clock_time,
)
from briefings.extract.events.placing import placing_mentions
from briefings.extract.events.specific_place import most_specific_where
from briefings.extract.events.syntax import child_of
from briefings.extract.page_dates import page_stamps, stamped_publication
from briefings.models import Actor, Event, FiveW, Place, Sentence, TimeExpression

# The title and the first sentences of the body: where a missing "when" or "where" is looked for last.
_LEAD_SENTENCES = 4
# A dateline's city is written in capitals, words of at least three letters ("WASHINGTON", "NEW YORK";
# not the abbreviation "U.S.").
_DATELINE = re.compile(r"[A-Z][A-Z'-]{2,}(?: [A-Z][A-Z'-]+)*")


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


def _who(event: Event, actors: list[Actor], places: list[Place], mentioned: set[int]) -> str | None:
    """Who did it: a named agent ("in a Taliban raid"), else the subject ("Seven people were killed"). A
    happening or a weapon is no one ("Quake kills five", "A bomb wounded an officer"): those it happened
    to are (not the places it struck: "Quake hits island"), else the people or bodies its sentences name;
    with none named, the happening is still what acted ("Explosion outside the town hall")."""
    # A person named among the agents says who a described one is ("F1 legend" ... "Felipe Massa").
    people = {a.name for a in actors if a.kind == "person"}
    agent = next((n for n in event.who if n in people), None) or next(iter(event.who), None)
    actor = next((a for a in actors if a.name == agent), None) if agent else None
    if actor is not None:
        names = {actor.name, *actor.aliases, *(m.text for m in actor.mentions)}
        return event.subject if event.subject in names else _as_written(actor)
    doer = event.subject or agent
    if doer is None or not _head_in(doer, happening_words() | WEAPON_LEMMAS):
        return doer
    spellings = {m.text for p in places for m in p.mentions} | {p.name for p in places}
    struck = (n for n in event.whom if n not in spellings and not _head_in(n, PLACE_HEAD_NOUNS))
    # (Not a country: "the German consulate" names a country, not someone who was there.)
    someone = [a for a in actors if a.kind != "country"]
    return next(struck, None) or _actor_in(someone, mentioned) or doer


# Verbs that say who a description is: "The three victims have been named as A, B and C".
_IDENTIFYING_LEMMAS = frozenset(["name", "identify"])


def _named_as(doc: Doc, actors: list[Actor], who: str) -> str | None:
    """The people a description is named as, when the text says so ("The other three people killed have
    been named as Donald Collett, Philip Logan and Robert Huxley"): who they are, by name."""
    for token in doc:
        if token.lemma_.lower() not in _IDENTIFYING_LEMMAS or token.pos_ != "VERB":
            continue
        subject = child_of(token, "nsubjpass", "dobj")
        as_prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        named = child_of(as_prep, "pobj") if as_prep is not None else None
        if subject is None or named is None or _person_at(actors, named) is None:
            continue
        described = _bare(doc[subject.left_edge.i : subject.i + 1].text)
        if _bare(who) not in (described, _bare(doc[subject.left_edge.i : subject.right_edge.i + 1].text)):
            continue
        names = [n for t in (named, *named.conjuncts) if (n := _person_at(actors, t)) is not None]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return None


def _bare(phrase: str) -> str:
    """A phrase without its article and case, to tell it in another sentence ("Two fishermen")."""
    return re.sub(r"^(?:the|a|an)\s+", "", phrase.lower())


def _person_at(actors: list[Actor], token: Token) -> str | None:
    """The person a token names, by the actors' mentions."""
    for actor in actors:
        if actor.kind == "person" and any(m.start <= token.idx < m.end for m in actor.mentions):
            return actor.name
    return None


_HUNG_ON = re.compile(r"\s(?:of|in|at|on|for|from|with|by|near|after|during|over|around)\s", re.IGNORECASE)


def _head_in(phrase: str, words: frozenset[str]) -> bool:
    """Whether a phrase's head word is one of these: its last word before what is hung on it ("the suspect
    in the death" is a suspect, "the Croydon tram crash" a crash); a plural is read by its singular."""
    found = re.findall(r"[A-Za-z]+", _HUNG_ON.split(phrase, maxsplit=1)[0])
    if not found:
        return False
    head = found[-1].lower()
    return head in words or (head.endswith("s") and head[:-1] in words)


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
    if doc is not None:
        stamps = page_stamps(times, doc.text)
        if published is None:
            # A page that carries no publication time may still state it ("PUBLISHED: 7 July 2012"): the
            # news is that day's, and dates far from it are its background.
            published = stamped_publication(stamps)
        times = told_times(times, doc, sentences, events, stamps)
    if not events:
        return FiveW(
            who=_actor_in(actors, lead),
            where=_place_in(places, lead),
            when=main_when(None, events, times, published),
        )
    event = max(events, key=lambda e: (e.salience, -min(e.mentions or [e.sentence])))
    mentioned = set(event.mentions or [event.sentence])
    who = _who(event, actors, places, mentioned) or _actor_in(actors, mentioned) or _actor_in(actors, lead)
    if who is not None and doc is not None:
        who = _named_as(doc, actors, who) or who
    located, naming = placing_mentions(doc, places) if doc is not None else (None, {})
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
        # The places the top of the report names an event of the main event's kind after.
        related = related_families(event.type)
        named_after = {start for start, family in naming.items() if family in related}
        where = most_specific_where(
            where, places, mentioned, lead, located, doc.text, happened_at, named_after
        )
    return FiveW(
        who=who,
        what=event.action,
        when=with_clock_time(
            whole_time_phrase(
                main_when(event, events, times, published, offsets_from_events(times, doc) if doc else None),
                times,
                doc.text if doc else None,
            ),
            times,
        ),
        where=where,
        why=event.why,
        how=event.how,
    )
