"""Events: who did what to whom, where and when."""

from __future__ import annotations

from spacy.tokens import Doc

from briefings.models import Actor, Event, FiveW, Place, Sentence, TimeExpression


def extract_events(
    doc: Doc, sentences: list[Sentence], actors: list[Actor], places: list[Place], times: list[TimeExpression]
) -> list[Event]:
    """Events with their participants, place and time, and the sentence that states them."""
    return []


def main_event(
    events: list[Event],
    actors: list[Actor],
    places: list[Place],
    times: list[TimeExpression],
    sentences: list[Sentence],
) -> FiveW:
    """The article's main event as who / what / when / where / why / how."""
    return FiveW(
        who=actors[0].name if actors else None,
        where=places[0].name if places else None,
        when=times[0].text if times else None,
        what=sentences[0].text if sentences else None,
    )
