"""The answers behind each slash command, as platform-neutral blocks.

Pure functions from stories (and, for what actors did, their article analyses) to a `Reply`. Every line
names where it comes from: the articles' outlets, or their ids where an article has no outlet (`/sources`
lists them all).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from briefings.digest.disagreements import claim_source, disagreement_sentences, outlet_names
from briefings.digest.lookup import actor_names, find_actor
from briefings.digest.trimming import trim_sentence
from briefings.digest.when import describe_date, describe_when
from briefings.models import Actor, ArticleAnalysis, Event, Quote, Story, StoryQuote
from briefings.render import (
    Block,
    BulletList,
    Context,
    Divider,
    FieldItem,
    Fields,
    Heading,
    Link,
    Paragraph,
    Reply,
)

MAX_STORIES = 5
MAX_ACTORS = 15
MAX_DEEDS = 3
# Words that open a passive or a bare auxiliary: not what the doer did.
_AUXILIARIES = frozenset(["was", "were", "is", "are", "be", "been", "being", "has", "had", "have"])
_BARE_SPEECH = frozenset(["said", "says", "told", "added", "stated", "noted", "explained", "replied"])
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
# Who a `/who` lists: people and organisations (countries and nationalities are places and adjectives).
_WHO_KINDS = ("person", "organization", "group")


# ------------------------------------------------------------------------------------------ citing


def source_outlets(story: Story) -> dict[str, str]:
    """Each of the story's articles' outlet (its id where it has none): what `cite` names."""
    return {ref.id: ref.outlet or ref.id for ref in story.sources}


def cite(story: Story, articles: Sequence[str], outlets: Mapping[str, str] | None = None) -> str:
    """'[Reuters, BBC]' for the articles given (their ids where an article has no outlet). An answer citing
    many lines of one story passes its `source_outlets`, made once (a long story has hundreds of sources)."""
    if outlets is None:
        outlets = source_outlets(story)
    names = list(dict.fromkeys(outlets.get(a, a) for a in articles))
    return f"[{', '.join(names)}]" if names else ""


def story_title(story: Story) -> str:
    """What to call a story: its name, else its headline, else its id."""
    return story.name or story.headline or story.id


def first_sentence(text: str) -> str:
    """The first sentence of a quote, with "…" when more follows (the rest is in /quotes)."""
    parts = _SENTENCE_END.split(text.strip(), maxsplit=1)
    return parts[0] + " …" if len(parts) > 1 else parts[0]


def _independent_sources(story: Story) -> int:
    return (
        story.source_count or len([r for r in story.sources if r.duplicate_of is None]) or len(story.articles)
    )


def story_context(story: Story) -> Context:
    """'2 sources · Reuters, BBC · 7 Jan 2020' for a story."""
    count = _independent_sources(story)
    elements = [f"{count} source" + ("" if count == 1 else "s")]
    outlets = list(dict.fromkeys(r.outlet for r in story.sources if r.outlet))
    if outlets:
        elements.append(", ".join(outlets[:5]) + (f" +{len(outlets) - 5}" if len(outlets) > 5 else ""))
    when = story.last_published or story.first_published
    if when is not None:
        elements.append(describe_date(when))
    return Context(elements=elements)


# ------------------------------------------------------------------------------------------ /brief


def brief_answer(stories: Sequence[Story], limit: int = MAX_STORIES) -> Reply:
    """The top stories: each one's headline, the first line of its digest and its sources."""
    if not stories:
        return Reply(blocks=[Paragraph(text="No stories yet: nothing has been read from the feeds.")])
    blocks: list[Block] = []
    for story in stories[:limit]:
        blocks.append(Heading(text=story.headline or story.name))
        if story.digest:
            blocks.append(Paragraph(text=story.digest[0]))
        blocks.append(story_context(story))
    if len(stories) > limit:
        more = len(stories) - limit
        blocks.append(Context(elements=[f"{more} more stor{'y' if more == 1 else 'ies'}: /stories"]))
    return Reply(blocks=blocks)


def story_brief_answer(story: Story) -> Reply:
    """One story in full: headline, the whole digest (disputed figures included) and its sources."""
    text = " ".join(story.digest) if story.digest else "No digest for this story yet."
    return Reply(
        blocks=[Heading(text=story.headline or story.name), Paragraph(text=text), story_context(story)]
    )


# ------------------------------------------------------------------------------------------- /who


def _mentions(actor: Actor, text: str) -> bool:
    lowered = text.casefold()
    return any(name.casefold() in lowered for name in actor_names(actor) if len(name) > 2)


def _action(event: Event) -> str | None:
    """The event's action as something its doer did: a passive ("was ordered") would say the opposite."""
    action = " ".join((event.action or "").split())
    if not action or action.split()[0].casefold() in _AUXILIARIES:
        return None
    if action.casefold() in _BARE_SPEECH:
        return None  # what they said is in their quotes
    return action


def _deeds(actor: Actor, analyses: Sequence[ArticleAnalysis]) -> list[tuple[str, str]]:
    """What an actor did, as (action, article id), most salient first, from the events they are the doer of."""
    names = {n.casefold() for n in actor_names(actor)}
    deeds: list[tuple[str, str]] = []
    for analysis in analyses:
        for event in sorted(analysis.events, key=lambda e: -e.salience):
            if any(w.casefold() in names for w in event.who):
                text = _action(event)
                if text and text not in (d for d, _ in deeds):
                    deeds.append((text, analysis.article.id))
    return deeds


def _timeline_mentions(actor: Actor, story: Story) -> list[tuple[str, str]]:
    """The story's timeline entries that name the actor, as (text, article id)."""
    return [
        (entry.what, entry.articles[0] if entry.articles else "")
        for entry in story.timeline
        if _mentions(actor, entry.what)
    ]


def _quotes_of(actor: Actor, story: Story) -> list[StoryQuote]:
    names = {n.casefold() for n in actor_names(actor)}
    return [q for q in story.quotes if q.quote.speaker and q.quote.speaker.casefold() in names]


def _quote_articles(quote: StoryQuote) -> list[str]:
    return quote.articles or [quote.article]


def _title_line(actor: Actor) -> str:
    titles = ", ".join(actor.roles[:2])
    return f"{actor.name} — {titles}" if titles else actor.name


def _who_value(actor: Actor, story: Story, analyses: Sequence[ArticleAnalysis]) -> str:
    parts: list[str] = []
    deeds = _deeds(actor, analyses) or _timeline_mentions(actor, story)
    if deeds:
        text, article = deeds[0]
        parts.append(f"{text} {cite(story, [article])}")
    quotes = _quotes_of(actor, story)
    direct = [q for q in quotes if q.quote.direct]
    if direct:
        q = direct[0]
        parts.append(f"“{first_sentence(q.quote.text)}” {cite(story, _quote_articles(q))}")
    elif quotes and not deeds:
        # One said in their own words is what they are in the story for ("said the quay would stay shut").
        q = quotes[0]
        parts.append(f"{reported_speech(q.quote, speaker=False)} {cite(story, _quote_articles(q))}")
    if len(quotes) > 1:
        parts.append(f"{len(quotes)} statements")
    if not parts:
        parts.append(f"named {len(actor.mentions)} time" + ("" if len(actor.mentions) == 1 else "s"))
    return " · ".join(parts)


def who_answer(story: Story, analyses: Sequence[ArticleAnalysis] = (), limit: int = MAX_ACTORS) -> Reply:
    """The people and organisations of a story, with their titles, what each did and said."""
    actors = [a for a in story.actors if a.kind in _WHO_KINDS]
    # People first, then organisations; within each, the most mentioned first.
    actors.sort(key=lambda a: (a.kind != "person", -len(a.mentions)))
    blocks: list[Block] = [Heading(text=f"Who — {story_title(story)}")]
    if not actors:
        blocks.append(Paragraph(text="No people or organisations are named in this story."))
        return Reply(blocks=blocks)
    fields = [FieldItem(name=_title_line(a), value=_who_value(a, story, analyses)) for a in actors[:limit]]
    blocks.append(Fields(fields=fields))
    if len(actors) > limit:
        blocks.append(Context(elements=[f"{len(actors) - limit} more: /who name:…"]))
    return Reply(blocks=blocks)


def actor_card(story: Story, name: str, analyses: Sequence[ArticleAnalysis] = ()) -> Reply:
    """One actor's card (titles, other names, what they did and said, figures they gave), or suggestions."""
    found = find_actor(story.actors, name)
    actor = found.found
    if actor is None:
        blocks: list[Block] = [Paragraph(text=f"No one called “{name}” in “{story_title(story)}”.")]
        if found.suggestions:
            blocks.append(Paragraph(text="Did you mean:"))
            blocks.append(BulletList(items=found.suggestions))
        return Reply(blocks=blocks)
    card: list[Block] = [Heading(text=_title_line(actor))]
    about: list[str] = [actor.kind]
    if actor.affiliation:
        about.append(actor.affiliation)
    if actor.aliases:
        about.append("also " + ", ".join(f"“{a}”" for a in actor.aliases[:4]))
    about.append(f"named {len(actor.mentions)} time" + ("" if len(actor.mentions) == 1 else "s"))
    card.append(Paragraph(text=" · ".join(about)))
    for label, found_lines in (
        ("Did:", _deeds(actor, analyses)),
        ("On the timeline:", _timeline_mentions(actor, story)),
    ):
        if found_lines:
            card.append(Paragraph(text=label))
            lines = found_lines[:MAX_DEEDS]
            card.append(BulletList(items=[f"{text} {cite(story, [article])}" for text, article in lines]))
    quotes = _quotes_of(actor, story)
    if quotes:
        card.append(Paragraph(text="Said:"))
        card.append(BulletList(items=[_quote_line(q, story, speaker=False) for q in quotes]))
    figures = [c for c in story.claims if c.claim.attributed_to and _mentions(actor, c.claim.attributed_to)]
    if figures:
        card.append(Paragraph(text="Figures given:"))
        card.append(BulletList(items=[f"{c.claim.text} {cite(story, [c.article])}" for c in figures]))
    return Reply(blocks=card)


# --------------------------------------------------------------------------------------- /timeline


def timeline_answer(story: Story) -> Reply:
    """The story's dated events in order, relative dates already resolved, each with its sources."""
    heading = Heading(text=f"Timeline — {story_title(story)}")
    if not story.timeline:
        return Reply(blocks=[heading, Paragraph(text="No dated events in this story yet.")])
    outlets = source_outlets(story)
    items = [
        f"{describe_when(e.when)} — {e.what} {cite(story, e.articles, outlets)}".rstrip()
        for e in story.timeline
    ]
    return Reply(blocks=[heading, BulletList(items=items)])


# ------------------------------------------------------------------------------------------ /where


def where_answer(story: Story, analyses: Sequence[ArticleAnalysis] = ()) -> Reply:
    """The places of a story, their other spellings, and what happened at each."""
    heading = Heading(text=f"Where — {story_title(story)}")
    if not story.places:
        return Reply(blocks=[heading, Paragraph(text="No places are named in this story.")])
    fields = []
    for place in story.places:
        names = {n.casefold() for n in [place.name, *place.aliases]}
        happened = [
            (event.action or trim_sentence(event.evidence), analysis.article.id)
            for analysis in analyses
            for event in analysis.events
            if event.where and event.where.casefold() in names
        ]
        parts = []
        if place.aliases:
            parts.append("also " + ", ".join(place.aliases))
        if happened:
            text, article = happened[0]
            parts.append(f"{text} {cite(story, [article])}")
        parts.append(f"named {len(place.mentions)} time" + ("" if len(place.mentions) == 1 else "s"))
        fields.append(FieldItem(name=place.name, value=" · ".join(parts)))
    return Reply(blocks=[heading, Fields(fields=fields)])


# ----------------------------------------------------------------------------------------- /quotes


# Cues that do not read as a finite verb after the speaker: "told" wants an object ("told reporters that"),
# "saying" a clause around it ("…, saying the talks had failed"). Other -ing forms fall back to "said".
_PLAIN_REPORTING = {
    "told": "said",
    "tells": "says",
    "saying": "said",
    "telling": "said",
    "denying": "denied",
    "adding": "added",
    "claiming": "claimed",
    "warning": "warned",
    "insisting": "insisted",
    "arguing": "argued",
    "reporting": "reported",
    "stating": "stated",
}


def reported_speech(quote: Quote, speaker: bool = True) -> str:
    """A quote as a line: direct words in quotation marks; reported speech as the report put it.

    Reported speech is never shown in quotation marks (it is the writer's paraphrase), and keeps its verb:
    "Greece denied it will miss the payment" is not "it will miss the payment — Greece".
    """
    if quote.direct:
        words = f"“{quote.text}”"
        return f"{words} — {quote.speaker or 'unattributed'}" if speaker else words
    cue = (quote.cue or "said").lower()
    words = _as_clause(quote.text)
    if cue == "according to":
        source = quote.speaker if speaker else "them"
        line = f"according to {source}, {words}"
    else:
        verb = _PLAIN_REPORTING.get(cue, "said" if cue.endswith("ing") else cue)
        line = f"{quote.speaker} {verb} {words}" if speaker else f"{verb} {words}"
    return line[:1].upper() + line[1:] if speaker else line


def _as_clause(text: str) -> str:
    """Reported words that opened their sentence, set after a verb: "said More than 60" → "said more than 60".

    Only a common word loses its capital; a name ("Greece", "Sources close to …" stays as written) keeps it.
    """
    first = text.split(" ", 1)[0]
    common = first != "I" and (len(first) == 1 or first[1:].islower())
    if first[:1].isupper() and common and first.lower() in STOP_WORDS:
        return first.lower() + text[len(first) :]
    return text


def _quote_line(quote: StoryQuote, story: Story, speaker: bool = True) -> str:
    return f"{reported_speech(quote.quote, speaker)} {cite(story, _quote_articles(quote))}"


def quotes_answer(story: Story, speaker: str | None = None) -> Reply:
    """Who said what in a story (direct quotes first), optionally only one speaker's words."""
    heading = Heading(text=f"Quotes — {story_title(story)}")
    quotes = sorted(story.quotes, key=lambda q: not q.quote.direct)
    if speaker:
        found = find_actor(story.actors, speaker)
        if found.found is not None:
            quotes = _quotes_of(found.found, story)
            heading = Heading(text=f"Quotes — {found.found.name}")
        else:
            typed = speaker.casefold()
            quotes = [q for q in quotes if q.quote.speaker and typed in q.quote.speaker.casefold()]
            if not quotes:
                blocks: list[Block] = [
                    heading,
                    Paragraph(text=f"No quotes from “{speaker}” in this story."),
                ]
                if found.suggestions:
                    blocks += [Paragraph(text="Did you mean:"), BulletList(items=found.suggestions)]
                return Reply(blocks=blocks)
    if not quotes:
        return Reply(blocks=[heading, Paragraph(text="No quotes in this story yet.")])
    return Reply(blocks=[heading, BulletList(items=[_quote_line(q, story) for q in quotes])])


# ---------------------------------------------------------------------------------------- /sources


def sources_answer(story: Story) -> Reply:
    """The articles of a story (title, outlet, date, link) and where their figures disagree."""
    blocks: list[Block] = [Heading(text=f"Sources — {story_title(story)}")]
    for ref in story.sources:
        title = ref.title or _untitled(ref.source)
        label = f"{ref.id}: {title}"
        blocks.append(Link(text=label, url=ref.url) if ref.url else Paragraph(text=label))
        small = [x for x in (ref.outlet, describe_date(ref.published)) if x]
        if ref.duplicate_of:
            small.append(f"reprints {ref.duplicate_of}")
        if small:
            blocks.append(Context(elements=small))
    disputes = disagreement_sentences(story)
    if disputes:
        blocks.append(Divider())
        blocks.append(Heading(text="Where they disagree"))
        blocks.append(BulletList(items=[*disputes]))
    elif story.claims:
        outlets = outlet_names(story)
        sources = {claim_source(c, outlets) for c in story.claims}
        blocks.append(Context(elements=[f"No conflicting figures among {len(sources)} sources of figures"]))
    return Reply(blocks=blocks)


def _untitled(source: str) -> str:
    """What to call an article without a title: its file, never its web address (a link shows that)."""
    return "untitled article" if "://" in source else source


# ---------------------------------------------------------------------------------------- /stories


def stories_answer(stories: Sequence[Story]) -> Reply:
    """The active stories, largest and latest first: name, sources, when last updated."""
    if not stories:
        return Reply(blocks=[Paragraph(text="No active stories.")])
    items = []
    for story in stories:
        count = _independent_sources(story)
        updated = describe_date(story.last_published or story.first_published)
        items.append(
            f"{story_title(story)} — {count} source{'s' if count != 1 else ''}"
            + (f" · {updated}" if updated else "")
        )
    return Reply(blocks=[Heading(text="Active stories"), BulletList(items=items)])
