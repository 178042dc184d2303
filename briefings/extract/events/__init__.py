"""Events: who did what to whom, where and when, with the sentence that says so; and the article's main event.

`extract_events` reads events off the parse the pipeline already made (no second spaCy pass), using the
times, actors and places the other extractors found; `main_event` answers who / what / when / where / why /
how for the article's most central event.
"""

from __future__ import annotations

from spacy.tokens import Doc

from briefings.extract.events.coreference import group_mentions, to_event
from briefings.extract.events.index import build_index
from briefings.extract.events.lexicon import EventSense
from briefings.extract.events.main import main_event
from briefings.extract.events.mentions import EventMention, build_mention
from briefings.extract.events.participants import Namer
from briefings.extract.events.timing import TimeAnchor, parent_trigger, time_anchors
from briefings.extract.events.triggers import find_triggers, lead_clause_triggers, means_child
from briefings.models import Actor, Event, Place, Sentence, TimeExpression

# Sentences at the top of an article (its title and lead) where any main clause may be the main event.
LEAD_SENTENCES = 3

__all__ = ["extract_events", "main_event"]


def _inherit_times(
    doc: Doc, mentions: list[EventMention], triggers: dict[int, EventSense], anchors: dict[int, TimeAnchor]
) -> None:
    """An untimed event takes the time of the clause it hangs on ("rammed ... late on Thursday, killing four")."""
    for mention in mentions:
        if mention.times:
            continue
        parent = parent_trigger(mention.trigger, triggers)
        anchor = anchors.get(parent) if parent is not None else None
        if anchor is not None and anchor.own:
            mention.times, mention.time_reported = list(anchor.own), True


def extract_events(
    doc: Doc, sentences: list[Sentence], actors: list[Actor], places: list[Place], times: list[TimeExpression]
) -> list[Event]:
    """Events with their participants, place and time, and the sentence that states them, in text order."""
    if len(doc) == 0 or not sentences:
        return []
    index = build_index(doc, sentences, actors, places, times)
    triggers = find_triggers(doc)
    triggers.update(lead_clause_triggers(doc, index, triggers, LEAD_SENTENCES))
    means: dict[int, int] = {}
    for i in triggers:
        child = means_child(doc[i], triggers)
        if child is not None:
            means[i] = child.i
    anchors = time_anchors(index, doc, triggers)
    namer = Namer(index)
    mentions: list[EventMention] = []
    for i in sorted(triggers):
        mention = build_mention(namer, doc[i], triggers[i], {means[i]} if i in means else set(), triggers)
        if mention is None:
            continue
        anchor = anchors.get(i)
        if anchor is not None and anchor.own:
            mention.times = anchor.own
        elif anchor is not None and anchor.borrowed:
            mention.times, mention.time_reported = anchor.borrowed, True
        mentions.append(mention)
    _inherit_times(doc, mentions, triggers, anchors)
    groups = group_mentions(index, doc, mentions, means)
    return [
        to_event(group)
        for group in groups
        if not group.only_statements
        and (
            group.first.sentence < LEAD_SENTENCES
            or group.time is not None
            or any(m.has_participants or m.place for m in group.mentions)
        )
    ]
