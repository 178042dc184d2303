"""Events: who did what to whom, where and when, with the sentence that says so; and the article's main event.

`extract_events` reads events off the parse the pipeline already made (no second spaCy pass), using the
times, actors and places the other extractors found; `main_event` answers who / what / when / where / why /
how for the article's most central event.
"""

from __future__ import annotations

from spacy.tokens import Doc

from briefings.extract.entities import dateline_end
from briefings.extract.events.coreference import group_mentions, to_event
from briefings.extract.events.index import build_index
from briefings.extract.events.lexicon import EventSense
from briefings.extract.events.main import main_event
from briefings.extract.events.mentions import EventMention, build_mention
from briefings.extract.events.participants import Namer
from briefings.extract.events.syntax import RELATIVE_TAGS
from briefings.extract.events.timing import TimeAnchor, parent_trigger, time_anchors
from briefings.extract.events.triggers import (
    dated_clause_triggers,
    find_triggers,
    lead_clause_triggers,
    means_child,
)
from briefings.models import Actor, Event, Place, Sentence, TimeExpression

# Sentences at the top of an article (its title and lead) where any main clause may be the main event.
LEAD_SENTENCES = 3

# How many of the parser's sentences are looked at for a dateline cut into pieces.
_LEAD_SCAN = 12

__all__ = ["extract_events", "main_event"]


def _lead_end(doc: Doc, sentences: list[Sentence]) -> int:
    """Where the title and lead end: after LEAD_SENTENCES sentences, not counting the fragments a dateline
    is cut into by the parser ("LISBON", ",", "May 7 (AFP) -")."""
    dateline_ends: list[int] = []
    for number, sent in enumerate(doc.sents):
        if number >= _LEAD_SCAN:
            break
        end = dateline_end(doc, sent.start)
        if end is not None:
            dateline_ends.append(doc[end].idx + 1)
    counted = 0
    for sentence in sentences:
        in_dateline = any(sentence.end <= end and sentence.start < end for end in dateline_ends)
        if not in_dateline:
            counted += 1
            if counted == LEAD_SENTENCES:
                return sentence.index + 1
    return len(sentences)


def _relative_clause(mention: EventMention) -> bool:
    """Whether a mention is told in a relative clause ("..., which the navy blamed on X"): it says nothing of
    when it happened, and the clause it hangs on does not either."""
    subject = mention.subject_token
    return mention.trigger.dep_ == "relcl" or (
        subject is not None and any(c.tag_ in RELATIVE_TAGS for c in subject.children if c.i < subject.i)
    )


def _inherit_times(
    doc: Doc, mentions: list[EventMention], triggers: dict[int, EventSense], anchors: dict[int, TimeAnchor]
) -> None:
    """An untimed event takes the time of the clause it hangs on ("rammed ... late on Thursday, killing four")."""
    for mention in mentions:
        if mention.times or _relative_clause(mention):
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
    lead = _lead_end(doc, sentences)
    triggers = find_triggers(doc)
    triggers.update(lead_clause_triggers(doc, index, triggers, lead))
    dating = {
        n for anchor in time_anchors(index, doc, triggers).values() for n in anchor.own + anchor.borrowed
    }
    triggers.update(dated_clause_triggers(doc, index, triggers, dating))
    means: dict[int, int] = {}
    for i in triggers:
        child = means_child(doc[i], triggers)
        if child is not None:
            means[i] = child.i
    anchors = time_anchors(index, doc, triggers)
    namer = Namer(index)
    mentions: list[EventMention] = []
    for i in sorted(triggers):
        if i in index.stamp_tokens:
            continue  # "Last updated at 11:11 GMT": the page's stamp, not a happening
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
            group.first.sentence < lead
            or group.time is not None
            or any(m.has_participants or m.place for m in group.mentions)
        )
    ]
