"""Join the mentions of one real event into one `Event`: its participants, place, time, reason and means.

News names its main event several times ("Iran launched missiles", "the attacks", "the missile attacks on
Iraqi air bases"); each mention adds a detail. Mentions are joined when they are of one family and their
participants and dates do not contradict; a bare mention ("the attacks") joins the latest event of its
family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from briefings.extract.events.index import TokenIndex
from briefings.extract.events.mentions import EventMention
from briefings.extract.events.triggers import DATED, SAY
from briefings.extract.lexicons import word_list
from briefings.models import Event, TimeExpression

_CONCRETE = re.compile(r"^\d{4}")
# Two time expressions this close (in characters) are one ("6.10am on Wednesday" read as two).
_ADJACENT_CHARS = 5
# A description ("the tram", "the attacks") refers back at most this many sentences; a name reaches further.
_DESCRIPTION_REACH = 5
# How many of the latest groups of a family a mention is compared with (bounds the work on long articles).
_CANDIDATES = 40
# The title and the lead sentences.
_LEAD = 3


@dataclass
class EventGroup:
    """The mentions taken to be one event, in document order."""

    mentions: list[EventMention] = field(default_factory=list)
    families: set[str] = field(default_factory=set)
    own_families: set[str] = field(default_factory=set)
    time: TimeExpression | None = None
    when_text: str | None = None
    time_source: EventMention | None = None

    @property
    def first(self) -> EventMention:
        """The earliest mention."""
        return self.mentions[0]

    @property
    def last_sentence(self) -> int:
        """The sentence of the latest mention."""
        return self.mentions[-1].sentence

    @property
    def only_statements(self) -> bool:
        """Whether every mention is a reporting verb: a "said", not an event."""
        return all(m.sense is SAY for m in self.mentions)

    def actors(self, role: str) -> set[str]:
        """The names in one role ("agents" or "patients") over all mentions."""
        return {name for m in self.mentions for name in getattr(m, role)}


def _day(value: str | None) -> str | None:
    return value[:10] if value and _CONCRETE.match(value) else None


def choose_time(index: TokenIndex, doc: Doc, numbers: list[int]) -> tuple[TimeExpression, str]:
    """The most precise of the times on one event, with the words of the whole expression."""
    expressions = sorted((index.times[n] for n in numbers), key=lambda t: t.start)
    best = max(expressions, key=lambda t: (bool(_CONCRETE.match(t.value)), t.type == "TIME", len(t.value)))
    start, end = best.start, best.end
    for other in expressions:
        if 0 <= other.start - end <= _ADJACENT_CHARS or 0 <= start - other.end <= _ADJACENT_CHARS:
            start, end = min(start, other.start), max(end, other.end)
    if (start, end) == (best.start, best.end):
        return best, best.text
    span = doc.char_span(start, end, alignment_mode="expand")
    return best, span.text if span is not None else best.text


def _compatible(group: EventGroup, mention: EventMention) -> bool:
    """Whether a mention may be of the group's event: same family, no clash of dates or named participants."""
    if not mention.families & group.families or group.only_statements:
        return False
    near = mention.sentence - group.last_sentence <= _DESCRIPTION_REACH
    if mention.sense is SAY and not near:
        return False
    if not mention.has_participants:
        return near and mention.sense is not SAY
    mention_day = _day(mention.time_value)
    group_day = _day(group.time.value if group.time else None)
    if mention_day and group_day and mention_day != group_day:
        return False
    agents, patients = group.actors("agents"), group.actors("patients")
    named_patients = set(mention.patient_actors)
    group_named_patients = {n for m in group.mentions for n in m.patient_actors}
    if (
        mention.sense is not SAY
        and named_patients
        and group_named_patients
        and not named_patients & group_named_patients
    ):
        return False
    if mention.agent_is_actor and agents:
        if any(_same_actor(a, b) for a in mention.agents for b in agents):
            return True
        # The title's "F1 legend crashes", then the lead's "Felipe Massa crashed": the lead names the person
        # the title only described. A name never joins another name's event.
        return (
            near
            and group.first.sentence < _LEAD
            and mention.sense.type != "other"
            and any(m.sense.type == mention.sense.type for m in group.mentions)
            and _agent_is_person(mention)
            and not any(m.agent_is_actor for m in group.mentions)
        )
    if mention.sense is SAY:
        return False
    if mention.agents and not agents:
        # The title's "Fatal attack on the consulate", then the lead's "A suicide bomber rammed ...": the lead
        # says who did what the title named.
        return near and group.first.sentence < _LEAD
    if mention.agents and not mention.agent_is_actor:
        # Unnamed agents ("a tram", "the tram"): the same words, close by.
        return near and bool(_content_words(mention.agents) & _content_words(agents))
    if not mention.agents:
        if named_patients:
            return bool(named_patients & patients)
        # Only unnamed victims or targets ("two military bases"): an event with the same kind of them.
        return near and bool(_content_words(mention.patients) & _content_words(patients))
    return False


def _agent_is_person(mention: EventMention) -> bool:
    """Whether the mention's agent is a named person (not a country: "Dane" may be read as Denmark's)."""
    return mention.index is not None and any(name in mention.index.people for name in mention.agents)


def _content_words(phrases: list[str] | set[str]) -> set[str]:
    return {w for p in phrases for w in p.lower().split() if w not in STOP_WORDS and not w[:1].isdigit()}


def _same_actor(one: str, other: str) -> bool:
    """The same actor, or a country and its people ("Iran", "Iranian")."""
    if one == other:
        return True
    short, long = sorted((one, other), key=len)
    return len(short) >= 4 and long.startswith(short) and " " not in long


def _absorb(into: EventMention, child: EventMention) -> None:
    """Fold a mention that says how another happened ("in a drone strike on Friday") into it."""
    if not into.times and child.times:
        into.times, into.time_reported = child.times, child.time_reported
    if not into.agents and child.agents:
        into.agents, into.agent_is_actor = child.agents, child.agent_is_actor
    if into.place_text is None and child.place_text is not None:
        into.place, into.place_text = child.place, child.place_text
    if into.how is None:
        into.how = child.means_phrase
    into.families |= child.families
    child.absorbed = True


def group_mentions(
    index: TokenIndex, doc: Doc, mentions: list[EventMention], means: dict[int, int]
) -> list[EventGroup]:
    """Join the mentions of each real event, in document order of their first mention."""
    by_trigger = {m.trigger.i: m for m in mentions}
    for parent_i, child_i in means.items():
        parent, child = by_trigger.get(parent_i), by_trigger.get(child_i)
        if parent is not None and child is not None and not child.absorbed:
            _absorb(parent, child)
    groups: list[EventGroup] = []
    group_of: dict[int, EventGroup] = {}
    by_family: dict[str, list[EventGroup]] = {}
    dated_sayings: list[EventMention] = []
    for mention in mentions:
        if mention.absorbed:
            continue
        if mention.times:
            mention.time_value = choose_time(index, doc, mention.times)[0].value
        target = None
        # The group mentioned most recently first ("the strike" means the latest strike); within one sentence,
        # the group whose own trigger is of the mention's family.
        recent = {id(g): g for family in mention.families for g in by_family.get(family, [])[-_CANDIDATES:]}
        compatible = [g for g in recent.values() if _compatible(g, mention)]
        if compatible:
            target = max(
                compatible,
                key=lambda g: (
                    g.last_sentence,
                    mention.sense.family in g.own_families,
                    g.mentions[-1].trigger.i,
                ),
            )
        if target is None:
            if mention.sense is SAY:
                if mention.times and mention.agent_is_actor:
                    dated_sayings.append(mention)
                continue  # a "said" only dates a statement it joins; alone it is no event
            target = EventGroup()
            groups.append(target)
        target.mentions.append(mention)
        for family in mention.families - target.families:
            by_family.setdefault(family, []).append(target)
        target.families |= mention.families
        target.own_families.add(mention.sense.family)
        group_of[mention.trigger.i] = target
        if mention.times and (
            target.time is None
            or (
                target.time_source is not None
                and target.time_source.time_reported
                and not mention.time_reported
            )
        ):
            target.time, target.when_text = choose_time(index, doc, mention.times)
            target.time_source = mention
    # "Clinton blames Comey ..." and, further down, "Clinton told donors on Saturday": the statement's date.
    for group in groups:
        if group.time is not None or "statement" not in group.own_families:
            continue
        speakers = {n for m in group.mentions if m.agent_is_actor for n in m.agents}
        saying = next((m for m in dated_sayings if speakers.intersection(m.agents)), None)
        if saying is not None:
            group.time, group.when_text = choose_time(index, doc, saying.times)
    # "The strike also killed ...": an event whose agent is an earlier event takes that event's date.
    for group in groups:
        if group.time is not None:
            continue
        for mention in group.mentions:
            agent = mention.agent_token
            source = group_of.get(agent.i) if agent is not None else None
            if source is not None and source is not group and source.time is not None:
                group.time, group.when_text, group.time_source = source.time, source.when_text, None
                break
    return groups


def _position_weight(sentence: int) -> float:
    """The title and the lead sentence state the main event; later sentences add to it."""
    if sentence <= 1:
        return 1.0 - 0.1 * sentence
    return 1.0 / (1.0 + 0.5 * sentence)


def _prominence(mention: EventMention) -> float:
    score = mention.sense.weight * _position_weight(mention.sentence) * 0.8**mention.depth
    # The main clause of the title, with its subject, is how the writer names the main event.
    if mention.sentence == 0 and mention.depth == 0 and mention.subject:
        score *= 1.3
    return score


def salience_of(group: EventGroup) -> float:
    """How central an event is: where and how prominently it is first named, how often, how fully, what kind."""
    score = max(_prominence(m) for m in group.mentions)
    score += 0.1 * min(4, len({m.sentence for m in group.mentions}) - 1)
    if any(m.agent_is_actor for m in group.mentions):
        score += 0.3
    elif any(m.agents for m in group.mentions):
        score += 0.15
    if any(m.patients for m in group.mentions):
        score += 0.1
    if group.time is not None:
        score += 0.1
    if any(m.place for m in group.mentions):
        score += 0.1
    if not any(m.has_participants for m in group.mentions):
        score *= 0.6
    if all(m.sense is DATED for m in group.mentions):
        score *= 0.5  # told only because it is dated: background to the news, rarely the news itself
    if all(_denied(m) for m in group.mentions):
        score *= DENIED_WEIGHT  # "No one was hurt": what did not happen is not the news
    return round(score, 4)


# How much an event counts whose clause says no one took part ("No one was hurt", "Nobody died").
DENIED_WEIGHT = 0.5


def _denied(mention: EventMention) -> bool:
    """Whether the clause's subject is no one ("No one was hurt", "no injuries were reported", "Nobody
    died"). A clause negated with "not" is no mention at all (`mentions.asserted`)."""
    if mention.is_noun:
        return False
    for child in mention.trigger.children:
        if child.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if child.lower_ in word_list("negative_subjects") or any(
            c.dep_ == "det" and c.lower_ == "no" for c in child.children
        ):
            return True
    return False


def _first(values: list[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _statement(group: EventGroup, told: list[EventMention]) -> EventMention:
    """The mention whose clause states the event on a timeline: the one that dates it when that is a clause
    with its participants ("Iran launched ... at 5:30 pm"), else the first such clause, else the dating one."""
    source = group.time_source
    if source is not None and source.sense is not SAY and source.has_participants and not source.is_noun:
        return source
    clause = next((m for m in told if m.has_participants and not m.is_noun), None)
    if clause is not None:
        return clause
    return source if source is not None and source.sense is not SAY else told[0]


def to_event(group: EventGroup) -> Event:
    """The `Event` of a group of mentions."""
    mentions = group.mentions
    told = [m for m in mentions if m.sense is not SAY] or mentions
    typed = [m for m in told if m.sense.type != "other"] or told
    headline = max(typed, key=lambda m: (m.has_participants, not m.is_noun, -m.sentence))
    statement = _statement(group, told)
    who: list[str] = []
    whom: list[str] = []
    for mention in mentions:
        who.extend(n for n in mention.agents if n not in who)
    for mention in mentions:
        whom.extend(n for n in mention.patients if n not in whom and n not in who)
    # Where comes from the mentions near the first: a later one may tell of another place.
    placed = [m for m in mentions if m.sentence - mentions[0].sentence <= _DESCRIPTION_REACH]
    why_mention = max(mentions, key=lambda m: (m.why_strength, -m.sentence))
    value = group.time.value if group.time is not None else None
    return Event(
        type=headline.sense.type,
        trigger=headline.trigger.text,
        who=who,
        whom=whom,
        where=_first([m.place for m in placed]),
        where_text=_first([m.place_text for m in placed]),
        when=value if value and _CONCRETE.match(value) else None,
        when_text=group.when_text,
        sentence=statement.sentence,
        evidence=statement.evidence,
        subject=_first([m.subject for m in mentions]),
        action=_first([m.action for m in mentions if m.has_participants]) or mentions[0].action,
        why=why_mention.why,
        how=_first([m.how for m in mentions]),
        mentions=sorted({m.sentence for m in mentions}),
        salience=salience_of(group),
    )
