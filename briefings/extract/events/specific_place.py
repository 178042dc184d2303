"""The most specific place of the main event, with its larger place when the report gives it.

A country is rarely the whole answer when the report names the town where it happened ("a village of Hebei
Province" rather than "China"); a venue is placed by its city when the top of the report names one
("Interlagos, Sao Paulo"); a town is given with the region or country the text writes beside it
("Sterling Heights, Michigan"). Only places the text uses as the place of something are taken, and a larger
place only when the text itself ties it to the smaller one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from briefings.extract.lexicons import word_list
from briefings.models import Mention, Place, PlaceKind

# The title and its first sentence: where a report names the city of a venue it reports from.
_TOP_SENTENCES = 2
# A larger place written right after a smaller one: "Sterling Heights, Michigan", "Lixian County in Hebei".
_JOIN = re.compile(r"(?:,\s*|\s+(?:in|of)\s+)(?:the\s+)?")
_TOWN_KINDS: frozenset[PlaceKind] = frozenset({"city_or_region"})
_VENUE_KINDS: frozenset[PlaceKind] = frozenset({"facility", "location"})


def _key(text: str) -> str:
    text = text.strip()
    return text[4:].lower() if text.lower().startswith("the ") else text.lower()


def _kind_of(answer: str, places: list[Place]) -> str | None:
    """The kind of place an answer names; "venue" for a name the tagger did not know as a place."""
    key = _key(answer)
    for place in places:
        spellings = {
            _key(place.name),
            *(_key(a) for a in place.aliases),
            *(_key(m.text) for m in place.mentions),
        }
        if key in spellings:
            return place.kind
    if any(re.search(rf"\b{re.escape(_key(m.text))}\b", key) for p in places for m in p.mentions):
        return "phrase"  # a phrase that holds a place already: "downtown Seattle", "consulate in Kabul"
    return "venue" if any(w[:1].isupper() for w in answer.split()) else None


def _mentions(places: list[Place], kinds: frozenset[PlaceKind]) -> list[tuple[Mention, Place]]:
    found = [(m, p) for p in places if p.kind in kinds for m in p.mentions]
    return sorted(found, key=lambda mp: mp[0].start)


def _first_located(
    places: list[Place], kinds: frozenset[PlaceKind], sentences: Iterable[int], located: set[int]
) -> tuple[Mention, Place] | None:
    wanted = set(sentences)
    return next(
        ((m, p) for m, p in _mentions(places, kinds) if m.sentence in wanted and m.start in located), None
    )


def _larger_place(mention: Mention, place: Place, places: list[Place], text: str) -> str | None:
    """The place the text writes right after this one as its larger place ("X, Michigan", "X in Hebei")."""
    join = _JOIN.match(text, mention.end)
    if join is None:
        return None
    for other in places:
        if other is place or other.kind not in ("city_or_region", "country"):
            continue
        if any(m.start == join.end() for m in other.mentions):
            return next(m.text for m in other.mentions if m.start == join.end())
    return None


def _with_larger(mention: Mention, place: Place, places: list[Place], text: str) -> str:
    larger = _larger_place(mention, place, places, text)
    return f"{mention.text}, {larger}" if larger else mention.text


def most_specific_where(
    where: str,
    places: list[Place],
    event_sentences: set[int],
    lead: set[int],
    located: set[int],
    text: str,
    happened_at: Collection[str] = (),
    naming: Collection[int] = (),
) -> str:
    """Narrow a country to the town the report places the event in, put a venue in its city, and give a
    town its larger place when the text writes it beside the town, or put it in the town the top of the
    report names the main event after. `happened_at` holds the places (lower case) where events of the
    lead happened; `naming`, the start offsets of the place mentions that name an event of the main
    event's kind ("the Croydon tram crash")."""
    kind = _kind_of(where, places)
    if kind == "country":
        # Only a town where something of the lead happened: the tagger's "places" inside a country are as
        # often events, teams or sports ("Grand Prix", "in Formula One").
        towns = [p for p in places if p.kind in _TOWN_KINDS and _key(p.name) in happened_at]
        found = _first_located(towns, _TOWN_KINDS, sorted(event_sentences), located)
        found = found or _first_located(towns, _TOWN_KINDS, sorted(lead), located)
        if found is None:
            return where
        mention, place = found
        answer = _with_larger(mention, place, places, text)
        if answer == mention.text and _country_in_sentence(where, places, mention.sentence):
            answer = f"{mention.text}, {where}"
        return answer
    if kind in _VENUE_KINDS or kind == "venue":
        top = set(range(_TOP_SENTENCES)) | event_sentences
        city = _first_located(places, _TOWN_KINDS, sorted(top), located)
        if city is not None and _key(city[0].text) not in _key(where):
            return f"{where}, {city[0].text}"
        return where
    if kind in _TOWN_KINDS:
        found = next(
            (
                (mention, place)
                for place in places
                for mention in place.mentions
                if _key(mention.text) == _key(where) and mention.start in located
            ),
            None,
        )
        if found is None:
            return where
        mention, place = found
        answer = _with_larger(mention, place, places, text)
        # The top of the report names the main event after a town ("the Croydon tram crash", a happening of
        # its kind) and the text places it in an area ("in south London", "in West Yorkshire"): the town it
        # is named after, in that area. (An event of another kind named at the top, "after the Paris
        # attacks", is background; and a place written plainly, "in Whitechapel", may be the smaller one.)
        named = _first_located(places, _TOWN_KINDS, range(_TOP_SENTENCES), set(naming))
        if named is not None and _key(named[0].text) not in _key(answer) and _written_as_area(mention, text):
            return f"{named[0].text}, {answer}"
        return answer
    return where


def _written_as_area(mention: Mention, text: str) -> bool:
    """Whether the text writes a place as an area holding smaller ones: a part of it ("south London",
    "northern Kabul"), or a region by its name ("West Yorkshire", "Hebei Province", "Orange County")."""
    words = mention.text.split()
    before = text[max(0, mention.start - 20) : mention.start].split()
    compass = word_list("compass_words")
    return bool(before and before[-1].lower() in compass) or (
        len(words) > 1 and (words[0].lower() in compass or words[-1].lower() in word_list("region_words"))
    )


def _country_in_sentence(answer: str, places: list[Place], sentence: int) -> bool:
    key = _key(answer)
    return any(
        p.kind == "country" and m.sentence == sentence and _key(m.text) == key
        for p in places
        for m in p.mentions
    )
