"""The event structure of the news, as pydantic models: what the engine reads and what it produces.

Character offsets (`start`, `end`) in extraction results are offsets into `Article.text`, the cleaned
text the pipeline reads; `Article.offsets` maps them back to the source text as it was read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from briefings.offsets import OffsetMap

ActorKind = Literal["person", "organization", "country", "group"]
PlaceKind = Literal["country", "city_or_region", "location", "facility"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]


class Model(BaseModel):
    """Base of every engine model: strict about unknown fields, cheap to copy."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class Article(Model):
    """One news article as read from a source, with its cleaned text."""

    id: str
    source: str
    text: str
    title: str | None = None
    published: datetime | None = None
    url: str | None = None
    outlet: str | None = None
    offsets: OffsetMap = Field(default_factory=OffsetMap.identity, exclude=True, repr=False)


class Sentence(Model):
    """A sentence of an article, by offsets into its text."""

    index: int
    start: int
    end: int
    text: str


class TimeExpression(Model):
    """A temporal expression with its TIMEX3 type and value, normalised against the publication time."""

    text: str
    start: int
    end: int
    type: TimeType
    value: str
    mod: str | None = None
    sentence: int = 0


class Mention(Model):
    """One place in the text where an actor or a place is named (or referred to)."""

    text: str
    start: int
    end: int
    sentence: int


class Actor(Model):
    """A person, organisation, country or group, with its canonical name, aliases and roles."""

    name: str
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    affiliation: str | None = None
    mentions: list[Mention] = Field(default_factory=list)


class Place(Model):
    """A location named in the text, with the spellings that name the same place."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    # A country is also an actor; a city, region, location or facility is only a place.
    kind: PlaceKind | None = None


class Quote(Model):
    """Words attributed to a speaker: direct (in quotation marks) or indirect (reported speech)."""

    text: str
    speaker: str | None
    start: int
    end: int
    sentence: int
    direct: bool = True
    cue: str | None = None


class Claim(Model):
    """A number the text claims, what it counts and who claims it."""

    text: str
    quantity: str
    what: str | None = None
    attributed_to: str | None = None
    sentence: int = 0
    start: int = 0
    end: int = 0
    # The number itself ("at least 80" → 80.0, "no victims" → 0.0), for comparing sources' figures.
    value: float | None = None
    # What kind of figure: killed, injured, arrested, missing, displaced, casualties, money, percent, count.
    category: str | None = None


class Event(Model):
    """Who did what to whom, where and when, with the sentence that says so."""

    type: str
    trigger: str
    who: list[str] = Field(default_factory=list)
    whom: list[str] = Field(default_factory=list)
    where: str | None = None
    when: str | None = None
    when_text: str | None = None
    sentence: int = 0
    evidence: str = ""
    # The grammatical subject: the agent, or in the passive the one it happened to ("Seven people were killed").
    subject: str | None = None
    # What was done, where, why and how, as short phrases in the text's own words.
    action: str | None = None
    where_text: str | None = None
    why: str | None = None
    how: str | None = None
    # Every sentence that mentions this event (its mentions joined), first one first.
    mentions: list[int] = Field(default_factory=list)
    # How central the event is to the article: earlier, more often mentioned and fuller scores higher.
    salience: float = 0.0


class FiveW(Model):
    """The main event of an article or story, as answers to who, what, when, where, why and how."""

    who: str | None = None
    what: str | None = None
    when: str | None = None
    where: str | None = None
    why: str | None = None
    how: str | None = None


class ArticleAnalysis(Model):
    """Everything the engine extracted from one article."""

    article: Article
    sentences: list[Sentence] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    w: FiveW = Field(default_factory=FiveW)
    language: str = "en"
    # The sentences (indexes) that report something that happened; None when they were not looked for
    # (an analysis stored before they were). A page with none carries no news.
    report_sentences: list[int] | None = None


class TimelineEntry(Model):
    """One dated event of a story, with the articles that report it."""

    when: str
    what: str
    articles: list[str] = Field(default_factory=list)
    event_type: str | None = None


class SourcedClaim(Model):
    """A claim as it appears in a story, with the article it came from."""

    claim: Claim
    article: str


class Disagreement(Model):
    """Sources that give different figures for the same thing."""

    about: str
    claims: list[SourcedClaim]


class StoryQuote(Model):
    """A quote as it appears in a story, with the article it came from."""

    quote: Quote
    article: str
    # Every article that carries this quote (the same words in several reports are one quote).
    articles: list[str] = Field(default_factory=list)


class ArticleRef(Model):
    """Where one of a story's articles came from: enough to cite it."""

    id: str
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    # The article this one reprints (a wire story carried by several outlets counts as one source).
    duplicate_of: str | None = None


class Story(Model):
    """Articles about one event, merged: its name, digest, actors, places, timeline, quotes and claims."""

    id: str
    name: str
    headline: str
    articles: list[str]
    sources: list[ArticleRef] = Field(default_factory=list)
    digest: list[str] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    quotes: list[StoryQuote] = Field(default_factory=list)
    claims: list[SourcedClaim] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    w: FiveW = Field(default_factory=FiveW)
    first_published: datetime | None = None
    last_published: datetime | None = None
    # Independent reports: the articles less the reprints of another article of the story.
    source_count: int = 0
