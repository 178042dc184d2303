"""The story index: articles join stories one at a time, at a cost that does not grow with the collection.

An article is compared only with the open stories that share one of its most salient features (an
inverted index whose lists are capped), never with every story. Stories close when nothing has been added
to them for `window_days`, which keeps the open set small. The whole state is plain data
(`StoryIndexState`), so a caller can persist it and carry on later.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TypeVar

from pydantic import BaseModel, Field

from briefings.models import ArticleAnalysis
from briefings.stories.features import ArticleFeatures, extract_features, person_term, sublinear
from briefings.stories.near_duplicates import (
    REPRINT_JACCARD,
    band_keys,
    estimated_jaccard,
    minhash_signature,
)

_log = logging.getLogger(__name__)

STATE_VERSION = 1
_K = TypeVar("_K", int, str)
# The weight of a (key, weight) pair: what `heapq.nlargest` ranks features and stories by.
_weight = itemgetter(1)
FAR_SCALE_DAYS = 30.0
# The event days a story keeps (bounded memory, pruned when `_LATEST_DAYS_KEPT` more have come): its busiest
# days and, among them, its latest ones, where the news of a story still unfolding goes on.
_DAYS_KEPT = 30
_LATEST_DAYS_KEPT = 10


@dataclass(frozen=True)
class IndexSettings:
    """The knobs of the story index (the defaults are what the evaluations were measured with)."""

    join_similarity: float = 0.15
    merge_similarity: float = 0.15
    entity_weight: float = 2.0
    passing_entity_weight: float = 1.0
    person_weight: float = 1.5
    prior_documents: int = 20
    window_days: int = 14
    same_days: int = 2
    day_decay: float = 5.0
    event_day_decay: float = 3.0
    event_day_support: float = 0.6
    event_day_floor: float = 0.3
    # Text dates this many days apart (decades) tell of another era: of another event, or, in two undated
    # texts about the same people, of one's background.
    far_days: int = 10_000
    article_features: int = 80
    query_features: int = 30
    posted_features: int = 25
    posting_cap: int = 40
    candidates: int = 25
    candidate_share: float = 0.4
    centroid_features: int = 250
    band_cap: int = 12
    # The named people an article is mostly about: its person names weighing at least this share of its
    # strongest one. A story's are those of its members, kept when held by this share of its best-held one.
    participant_share: float = 0.5
    participant_support: float = 0.5
    # Each side's main people unknown to the other (another victim, suspect, opponent, host): the
    # similarity is multiplied by this, for two events of one kind share their setting and topic words.
    participant_conflict: float = 0.5
    # ... and this when the person the article is most about is unknown to the story and the person the
    # story is most about goes unnamed in the article: not another side of one event but another event.
    main_participant_conflict: float = 0.45
    story_participants: int = 40
    # A person the story knows: one of its main participants, or named by this share of its reports.
    named_share: float = 0.3
    dated_share: float = 0.3
    # The days an article says it is from (its publication, else its address's or header's date) against
    # those of the story's reports: reports this many days apart may still tell of one event; further
    # apart, the similarity falls off with this scale (months, years apart: another event of its kind).
    stated_days: int = 730
    stated_decay: float = 365.0
    # Once a batch is placed, an article moves to another story that it fits better than its own (without
    # it) by this much: the first articles placed shaped their stories before the others were seen.
    refine_margin: float = 0.03
    refine_rounds: int = 5
    # A long-lived index (one persisted for weeks) forgets what it keeps of a closed story's articles
    # (signatures, reprint bands, fingerprints) and its postings: nothing matches a closed story, so only
    # memory and the time spent skipping it are saved.
    forget_closed: bool = False
    # ... and (None: never) forgets an article's reprint signature and bands this many days after it was
    # published, its story open or not: reprints come within days, and the signatures and bands of a
    # fortnight of open stories are most of what such an index keeps (and loads at start).
    reprint_days: int | None = None
    # ... and (None: never) halves its document frequencies, and its count of documents, each time it has
    # counted twice this many: the weights follow the news of the latest such stretch, and the features
    # counted once that long ago (names and words of forgotten stories: most of the distinct ones) are
    # forgotten, so what the index keeps does not grow with its history.
    frequency_documents: int | None = None


class StoryProfile(BaseModel):
    """What the index remembers of an open story: its members, feature centroid and days."""

    id: str
    articles: list[str] = Field(default_factory=list)
    centroid: dict[str, float] = Field(default_factory=dict)
    norm: float = 0.0
    first_day: int | None = None
    last_day: int | None = None
    days: dict[int, int] = Field(default_factory=dict)
    last_seen: int = 0
    # How many of its articles each person is a main participant of (see `IndexSettings.participant_share`).
    participants: dict[str, int] = Field(default_factory=dict)
    # How many of its articles name each person at all (the most often named only).
    names: dict[str, int] = Field(default_factory=dict)
    # The first and last of the days its reports say they are from (see `ArticleFeatures.stated`).
    stated_first: int | None = None
    stated_last: int | None = None
    # How many of its reports say which days they are from.
    stated_count: int = 0


@dataclass(slots=True)
class IndexedArticle:
    """An article the index has placed: its story, and what recognises a reprint of it.

    A plain slotted dataclass, not a model: an index holds tens of thousands of them (every article of its
    open stories), and one is a quarter of a model's memory and several times faster to make when a state is
    read (`StoryIndexState` still validates and writes them)."""

    story: str
    duplicate_of: str | None = None
    signature: list[int] = field(default_factory=list)
    fingerprint: str | None = None
    # The day it was published (when its signature is forgotten: `IndexSettings.reprint_days`).
    day: int | None = None


class StoryIndexState(BaseModel):
    """The index as plain data: enough to persist it and rebuild the same index later."""

    version: int = STATE_VERSION
    stories: dict[str, StoryProfile] = Field(default_factory=dict)
    closed: list[str] = Field(default_factory=list)
    merged: dict[str, str] = Field(default_factory=dict)
    articles: dict[str, IndexedArticle] = Field(default_factory=dict)
    fingerprints: dict[str, str] = Field(default_factory=dict)
    postings: dict[str, list[str]] = Field(default_factory=dict)
    bands: dict[str, list[str]] = Field(default_factory=dict)
    df: dict[str, int] = Field(default_factory=dict)
    documents: int = 0
    clock: int | None = None
    sequence: int = 0


class Placement(BaseModel):
    """Where one article went: its story, whether that story is new, and what it repeats."""

    article: str
    story: str
    new_story: bool
    duplicate_of: str | None = None
    similarity: float = 0.0


def _decay(gap: int, tolerance: int, scale: float, floor: float = 0.0, far: int = 10_000) -> float:
    """1 up to `tolerance` days apart, then falling off to `floor`; past `far` days, falling off to 0."""
    if gap <= tolerance:
        return 1.0
    if gap <= far:
        return max(floor, math.exp(-(gap - tolerance) / scale))
    return floor * math.exp(-(gap - far) / FAR_SCALE_DAYS)


def _decrement(counts: dict[_K, int], keys: Iterable[_K]) -> None:
    """Count each key once less (and forget those no longer counted)."""
    for key in keys:
        if key in counts:
            counts[key] -= 1
            if counts[key] <= 0:
                del counts[key]


def story_id_for(analysis: ArticleAnalysis) -> str:
    """A stable story id derived from the article that starts the story (its URL, title and text)."""
    article = analysis.article
    basis = "\n".join([article.url or "", article.title or "", article.text[:2000]])
    return "st-" + hashlib.blake2b(basis.encode("utf-8", "replace"), digest_size=6).hexdigest()


def text_fingerprint(analysis: ArticleAnalysis) -> str:
    """A hash of the article's words: the same text delivered twice has the same fingerprint."""
    words = " ".join(analysis.article.text.split()).lower()
    return hashlib.blake2b(words.encode("utf-8", "replace"), digest_size=10).hexdigest()


class StoryIndex:
    """Incremental clustering of articles into stories, with bounded work per article."""

    def __init__(self, settings: IndexSettings | None = None, state: StoryIndexState | None = None) -> None:
        self.settings = settings or IndexSettings()
        self.state = state or StoryIndexState()
        # Stories by the time they were last touched, to close idle ones without scanning them all.
        self._idle: list[tuple[int, str]] = [
            # dict.values: a saved state's stories may be watched for changes, and this changes none.
            (s.last_day, s.id)
            for s in dict.values(self.state.stories)
            if s.last_day is not None
        ]
        heapq.heapify(self._idle)
        # Articles whose reprint signature is kept, by their day, to forget it on time (`reprint_days`).
        self._reprintable: list[tuple[int, str]] = []
        if self.settings.reprint_days is not None:
            self._reprintable = [
                (a.day, key)
                # dict.items: a saved state's articles may be watched for changes, and this changes none.
                for key, a in dict.items(self.state.articles)
                if a.signature and a.day is not None
            ]
            heapq.heapify(self._reprintable)

    # ------------------------------------------------------------------ public

    def observe(self, analysis: ArticleAnalysis) -> ArticleFeatures:
        """Count an article's features in the document frequencies, without placing it (batch priming)."""
        features = extract_features(analysis)
        self._count(features)
        return features

    def add(self, analysis: ArticleAnalysis, observed: ArticleFeatures | None = None) -> Placement:
        """Place one article in a story (an open one it belongs to, or a new one) and return where.

        `observed` is what `observe` returned for the article, when its frequencies were counted already.
        """
        article_id = analysis.article.id
        known = self.state.articles.get(article_id)
        if known is not None:
            return Placement(article=article_id, story=known.story, new_story=False, duplicate_of=article_id)
        features = observed if observed is not None else extract_features(analysis)
        if observed is None:
            self._count(features)
        fingerprint = text_fingerprint(analysis)
        self._advance_clock(features.published_day)
        same_text = self.state.fingerprints.get(fingerprint)
        if same_text is not None and same_text in self.state.articles:
            story = self.state.articles[same_text].story
            if story in self.state.stories:
                return self._join(story, analysis, features, fingerprint, [], same_text, 1.0, [])
        signature = minhash_signature(features.words)
        reprint_of = self._find_reprint(signature)
        vector = self._vector(features)
        features.participants = self._main_participants(vector, features)
        if reprint_of is not None:
            story = self.state.articles[reprint_of].story
            return self._join(story, analysis, features, fingerprint, signature, reprint_of, 1.0, vector)
        best, similarity = self._best_story(features, vector)
        if best is not None and similarity >= self.settings.join_similarity:
            return self._join(best, analysis, features, fingerprint, signature, None, similarity, vector)
        story = self._unique_story_id(story_id_for(analysis))
        self.state.stories[story] = StoryProfile(id=story)
        placement = self._join(story, analysis, features, fingerprint, signature, None, 0.0, vector)
        return placement.model_copy(update={"new_story": True})

    def story_of(self, article_id: str) -> str | None:
        """The story an article was placed in, or None when the index has not seen it."""
        known = self.state.articles.get(article_id)
        return known.story if known else None

    def open_stories(self) -> list[StoryProfile]:
        """The stories that can still take articles."""
        return list(self.state.stories.values())

    def similarity(self, analysis: ArticleAnalysis, story_id: str) -> float:
        """How well an article fits one open story (cosine of features, times the agreement of days)."""
        profile = self.state.stories.get(story_id)
        if profile is None:
            return 0.0
        features = extract_features(analysis)
        vector = self._vector(features)
        features.participants = self._main_participants(vector, features)
        return self._score(profile, features, vector)

    # ------------------------------------------------------------------ features

    def _count(self, features: ArticleFeatures) -> None:
        state = self.state
        state.documents += 1
        df = state.df
        for key in features.feature_keys():
            df[key] = df.get(key, 0) + 1
        stretch = self.settings.frequency_documents
        if stretch is not None and state.documents >= 2 * stretch:
            self._halve_frequencies()

    def _halve_frequencies(self) -> None:
        """Halve the count of documents and every document frequency, dropping the features counted once
        (`frequency_documents`). A feature's weight is about the same after (both halves of its ratio are
        halved), and one seen once is weighed as one never seen."""
        state = self.state
        state.documents //= 2
        state.df = {key: count // 2 for key, count in state.df.items() if count > 1}

    def _idf(self, key: str) -> float:
        # The prior documents (which hold none of the features) keep a small collection's weights level.
        prior = self.settings.prior_documents
        return math.log((self.state.documents + prior + 1) / (self.state.df.get(key, 0) + 1)) + 1.0

    def _vector(self, features: ArticleFeatures) -> list[tuple[str, float]]:
        """The article's strongest features as (key, weight), weights of unit length, strongest first."""
        weights: dict[str, float] = {}
        for term, count in features.terms.items():
            weights[term] = sublinear(count) * self._idf(term)
        boost = self.settings.entity_weight
        passing = self.settings.passing_entity_weight
        for key, count in features.entities.items():
            weight = boost if key in features.salient else passing
            if key.startswith("p:"):
                weight *= self.settings.person_weight
            weights[key] = weight * sublinear(count) * self._idf(key)
        top = heapq.nlargest(self.settings.article_features, weights.items(), key=_weight)
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return [(k, w / norm) for k, w in top]

    def _main_participants(self, vector: list[tuple[str, float]], features: ArticleFeatures) -> set[str]:
        """The people an article is mostly about: the strongest person keys (the vector is strongest first)
        of those its title or lead names (a report's own experts and witnesses, named further down, differ
        from one report of an event to another)."""
        people = [
            (key, weight)
            for key, weight in vector
            if key.startswith("p:") and key not in features.background_people
        ]
        if not people:
            return set()
        floor = people[0][1] * self.settings.participant_share
        return {key for key, weight in people if weight >= floor}

    # ------------------------------------------------------------------ matching

    def _find_reprint(self, signature: list[int]) -> str | None:
        if not signature:
            return None
        seen: set[str] = set()
        best: tuple[float, str] | None = None
        for key in band_keys(signature):
            for other in self.state.bands.get(key, ()):
                if other in seen:
                    continue
                seen.add(other)
                indexed = self.state.articles.get(other)
                if indexed is None or indexed.story not in self.state.stories:
                    continue
                jaccard = estimated_jaccard(signature, indexed.signature)
                if jaccard >= REPRINT_JACCARD and (best is None or jaccard > best[0]):
                    best = (jaccard, other)
        return best[1] if best else None

    def _best_story(
        self, features: ArticleFeatures, vector: list[tuple[str, float]], exclude: str | None = None
    ) -> tuple[str | None, float]:
        shared_by: dict[str, float] = {}
        postings = self.state.postings
        for key, weight in vector[: self.settings.query_features]:
            for story in postings.get(key, ()):
                shared_by[story] = shared_by.get(story, 0.0) + weight
        # (A posting may still name a story merged into another: only open ones are candidates.)
        stories = self.state.stories
        hits = [
            (story, shared) for story, shared in shared_by.items() if story in stories and story != exclude
        ]
        candidates = heapq.nlargest(self.settings.candidates, hits, key=_weight)
        best: str | None = None
        best_score = 0.0
        # A story sharing only a sliver of what the best candidate shares cannot come out on top.
        floor = candidates[0][1] * self.settings.candidate_share if candidates else 0.0
        for story, shared in candidates:
            if shared < floor:
                break
            profile = stories[story]
            cosine = self._cosine(profile, vector)
            if cosine <= best_score:
                continue  # the agreements are at most 1: this story cannot come out on top
            score = cosine * self._agreement(profile, features, vector)
            if score > best_score:
                best, best_score = story, score
        return best, best_score

    def _score(
        self, profile: StoryProfile, features: ArticleFeatures, vector: list[tuple[str, float]]
    ) -> float:
        cosine = self._cosine(profile, vector)
        return cosine * self._agreement(profile, features, vector) if cosine > 0 else 0.0

    @staticmethod
    def _cosine(profile: StoryProfile, vector: list[tuple[str, float]]) -> float:
        """The cosine of the article's features and the story's centroid (the vector is of unit length)."""
        if profile.norm <= 0:
            return 0.0
        centroid = profile.centroid
        dot = sum(w * centroid[k] for k, w in vector if k in centroid)
        return dot / profile.norm if dot > 0 else 0.0

    def _agreement(
        self, profile: StoryProfile, features: ArticleFeatures, vector: list[tuple[str, float]]
    ) -> float:
        """At most 1: how well the article's days, and without them its people, agree with the story's."""
        same_days = self._same_days(profile, features)
        agreement = self._day_agreement(profile, features, same_days)
        if not same_days:
            # Days that match vouch for the story (a follow-up brings new people); without them, people must.
            agreement *= self._participant_agreement(profile, features, vector)
        return agreement

    def _same_days(self, profile: StoryProfile, features: ArticleFeatures) -> bool:
        """Whether the article tells of the days the story's reports give for its news."""
        if not features.days_vouch:
            return False
        story_days = self._dated_days(profile)
        tolerance = self.settings.same_days
        return any(abs(d - s) <= tolerance for d in features.event_days for s in story_days)

    def _dated_days(self, profile: StoryProfile) -> list[int]:
        """The story's days when enough of its reports give them; a date that few give says little."""
        if not profile.days or max(profile.days.values()) < self.settings.dated_share * len(profile.articles):
            return []
        return self._story_days(profile)

    def _story_participants(self, profile: StoryProfile) -> set[str]:
        """The people the story is about: main participants of about as many of its articles as the best held."""
        if not profile.participants:
            return set()
        floor = max(profile.participants.values()) * self.settings.participant_support
        return {key for key, count in profile.participants.items() if count >= floor}

    def _participant_agreement(
        self, profile: StoryProfile, features: ArticleFeatures, vector: list[tuple[str, float]]
    ) -> float:
        """1, or `participant_conflict` when each side is about people the other never names.

        Two reports of one event may each quote someone the other does not; two events of one kind (two
        arrests, two title fights of one champion) differ in who else they are about: the other side
        does not name them, or only in passing in a few of its reports. Without publication days, an
        article mostly about someone the story knows that names the person the story is most about is a
        report of it, whatever side players it adds; one mostly about a stranger that leaves the story's
        main person unnamed conflicts more (`main_participant_conflict`).
        """
        ours = features.participants
        if not ours:
            return 1.0
        theirs = self._story_participants(profile)
        if not theirs:
            return 1.0
        known = self._known_names(profile)
        if all(key in theirs or key in known for key in ours):
            return 1.0
        if not any(self._unnamed(key, features) for key in theirs):
            return 1.0
        # The vector is strongest first: its first participant is the one the article is most about.
        main = next((key for key, _ in vector if key in ours), None)
        # The story's: of its participants, the one that weighs most in its reports.
        # (Sorted first: of people weighing the same, the same one whatever order the set holds them in.)
        story_main = max(sorted(theirs), key=lambda key: profile.centroid.get(key, 0.0))
        undated = features.published_day is None and profile.first_day is None
        if (
            undated
            and main is not None
            and (main in theirs or main in known)
            and not self._unnamed(story_main, features)
        ):
            # About someone the story knows, and naming whom the story is most about: a report of it that
            # brings other side players (a new witness, another official) than its earlier reports. Only
            # without publication days: with them, reports of the same days skip this check, and those days
            # apart that share the main person but none of the side players are mostly another event of his.
            return 1.0
        if (
            main is not None
            and main not in theirs
            and main not in known
            and self._unnamed(story_main, features)
        ):
            return self.settings.main_participant_conflict
        return self.settings.participant_conflict

    @staticmethod
    def _unnamed(key: str, features: ArticleFeatures) -> bool:
        """Whether the article never names a person (not among its names, nor among its words)."""
        if features.named is not None:
            return key not in features.named
        return key not in features.entities and person_term(key) not in features.terms

    def _known_names(self, profile: StoryProfile) -> set[str]:
        """The people a story's reports name often enough (a name given in passing by one of many is not)."""
        named = self.settings.named_share * len(profile.articles)
        return {key for key, count in profile.names.items() if count >= named}

    def _day_agreement(self, profile: StoryProfile, features: ArticleFeatures, same_days: bool) -> float:
        """1 when the article is from the story's days and tells of its days (`same_days`: `_same_days`);
        less the further apart."""
        settings = self.settings
        agreement = 1.0
        if (
            features.published_day is not None
            and profile.first_day is not None
            and profile.last_day is not None
            and not same_days
        ):
            # A report that tells of the day of the story's news is of its days, however much later it is
            # published (a victim who died weeks on, the charges, the funeral): only its own days count.
            first = last = features.published_day
            gap = max(0, profile.first_day - last, first - profile.last_day)
            agreement = _decay(gap, settings.same_days, settings.day_decay)
        story_days = self._story_days(profile)
        if features.event_days and story_days:
            gap = min(abs(d - s) for d in features.event_days for s in story_days)
            if gap > settings.far_days and self._undated_same_people(profile, features):
                # Decades between the dates of two undated texts about the same people: one of them is
                # background (a career's first day, the crime a retrial goes back to), not their news.
                gap = 0
            # Dates read from an undated text may be background or a source's own dateline: a gap between them
            # is weaker evidence than one between dates anchored by publication times.
            floor = settings.event_day_floor if features.published_day is None else 0.0
            event_agreement = _decay(
                gap, settings.same_days, settings.event_day_decay, floor, settings.far_days
            )
            latest = self._latest_news_day(profile)
            if latest is not None and any(abs(d - latest) <= settings.same_days for d in features.event_days):
                # A story still unfolding (a war, a trial reported day after day) has news of a new day each
                # day, few reports of each and fewer than of its busiest days: a report of the days next to
                # its latest news goes on with it, however far its busiest days are behind.
                event_agreement = 1.0
            agreement = min(agreement, event_agreement)
        if (
            features.stated is not None
            and profile.stated_first is not None
            and profile.stated_last is not None
        ):
            first, last = features.stated
            gap = max(0, profile.stated_first - last, first - profile.stated_last)
            agreement = min(agreement, _decay(gap, settings.stated_days, settings.stated_decay))
        # One side stating its days and the other not is no evidence either way: a report copied without
        # its date is no less likely to be of the same event.
        return agreement

    def _undated_same_people(self, profile: StoryProfile, features: ArticleFeatures) -> bool:
        """Whether neither side has publication days and the article is mostly about people the story is about."""
        return (
            features.published_day is None
            and profile.first_day is None
            and not features.participants.isdisjoint(self._story_participants(profile))
        )

    def _story_days(self, profile: StoryProfile) -> list[int]:
        """The days most of the story's reports give for its news (a stray background date does not count)."""
        if not profile.days:
            return []
        support = max(profile.days.values()) * self.settings.event_day_support
        return [d for d, count in profile.days.items() if count >= support]

    def _latest_news_day(self, profile: StoryProfile) -> int | None:
        """The latest day the story's reports tell of, up to its latest publication (a later date is a plan
        or a schedule, not news yet); None without publication days."""
        if profile.last_day is None:
            return None
        return max((d for d in profile.days if d <= profile.last_day), default=None)

    def _profile_as_article(self, profile: StoryProfile) -> tuple[ArticleFeatures, list[tuple[str, float]]]:
        """A story seen as one long article, to compare two stories the way an article is compared."""
        top = heapq.nlargest(self.settings.article_features, profile.centroid.items(), key=_weight)
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        features = ArticleFeatures(
            article_id=profile.id,
            published_day=profile.last_day,
            event_days=self._story_days(profile),
            days_vouch=bool(self._dated_days(profile)),
            participants=self._story_participants(profile),
            stated=(
                (profile.stated_first, profile.stated_last)
                if profile.stated_first is not None
                and profile.stated_last is not None
                and self._states_days(profile)
                else None
            ),
        )
        features.named = features.participants | self._known_names(profile)
        return features, [(k, w / norm) for k, w in top]

    # ------------------------------------------------------------------ consolidation

    def consolidate(self, rounds: int = 3) -> dict[str, str]:
        """Merge open stories that turn out to be one (found through the index); returns merged id → kept id.

        Articles placed early, before their story took shape, may have started stories of their own.
        """
        merged: dict[str, str] = {}
        for _ in range(rounds):
            changed = False
            for profile in sorted(self.state.stories.values(), key=lambda p: -len(p.articles)):
                if profile.id in self.state.stories and self._merge_into_best(profile, merged):
                    changed = True
            if not changed:
                break
        return {story: self.merged_into(story) for story in merged}

    def merged_into(self, story: str) -> str:
        """The story a merged story now lives in (the story itself when it was never merged)."""
        seen = {story}
        while story in self.state.merged and self.state.merged[story] not in seen:
            story = self.state.merged[story]
            seen.add(story)
        return story

    def _merge_into_best(self, profile: StoryProfile, merged: dict[str, str] | None = None) -> bool:
        """Merge a story with the open story it matches best, if it matches well enough."""
        features, vector = self._profile_as_article(profile)
        other, score = self._best_story(features, vector, exclude=profile.id)
        if other is None or score < self.settings.merge_similarity:
            return False
        keep, absorbed = self.state.stories[other], profile
        if len(absorbed.articles) > len(keep.articles):
            keep, absorbed = absorbed, keep
        self._absorb(keep, absorbed)
        self.state.merged[absorbed.id] = keep.id
        if merged is not None:
            merged[absorbed.id] = keep.id
        _log.debug("story %s merged into %s (similarity %.2f)", absorbed.id, keep.id, score)
        return True

    def _absorb(self, keep: StoryProfile, absorbed: StoryProfile) -> None:
        """Move every article of `absorbed` into `keep`, with its features and days."""
        del self.state.stories[absorbed.id]
        self._unpost(absorbed)
        for article in absorbed.articles:
            indexed = self.state.articles.get(article)
            if indexed is not None:
                indexed.story = keep.id
        keep.articles.extend(absorbed.articles)
        for key, weight in absorbed.centroid.items():
            keep.centroid[key] = keep.centroid.get(key, 0.0) + weight
        self._prune_centroid(keep)
        for day, count in absorbed.days.items():
            keep.days[day] = keep.days.get(day, 0) + count
        for person, count in absorbed.participants.items():
            keep.participants[person] = keep.participants.get(person, 0) + count
        for person, count in absorbed.names.items():
            keep.names[person] = keep.names.get(person, 0) + count
        self._prune_participants(keep)
        if absorbed.first_day is not None:
            keep.first_day = (
                absorbed.first_day if keep.first_day is None else min(keep.first_day, absorbed.first_day)
            )
        if absorbed.last_day is not None and (keep.last_day is None or absorbed.last_day > keep.last_day):
            keep.last_day = absorbed.last_day
            heapq.heappush(self._idle, (absorbed.last_day, keep.id))
        keep.last_seen = max(keep.last_seen, absorbed.last_seen)
        if absorbed.stated_first is not None and absorbed.stated_last is not None:
            self._extend_stated(keep, (absorbed.stated_first, absorbed.stated_last))
        keep.stated_count += absorbed.stated_count
        strongest = heapq.nlargest(self.settings.posted_features, absorbed.centroid.items(), key=_weight)
        for key, _ in strongest:
            if key in keep.centroid:
                self._post(self.state.postings, key, keep.id, self.settings.posting_cap)

    # ------------------------------------------------------------------ refinement

    def refine(self, placed: dict[str, ArticleFeatures]) -> int:
        """Move each placed article to the open story it fits best, once all are placed; returns the moves.

        Placing articles one at a time, the first ones shape their stories before the rest are seen: two
        similar events met early may share a story that the later reports pull apart. Each article (by
        `placed`: its id to its features, in the order to visit) is compared with its own story without it
        and with the best other story; it moves when the other fits better by `refine_margin`. Rounds over
        the batch go on until no article moves (at most `refine_rounds`): each move reshapes two stories.
        """
        moved = 0
        vectors: dict[str, list[tuple[str, float]]] = {}
        for article_id, features in placed.items():
            vector = self._vector(features)
            features.participants = self._main_participants(vector, features)
            vectors[article_id] = vector
        for _ in range(self.settings.refine_rounds):
            moves = 0
            for article_id, features in placed.items():
                indexed = self.state.articles.get(article_id)
                if (
                    indexed is None
                    or indexed.duplicate_of is not None
                    or indexed.story not in self.state.stories
                ):
                    continue
                own = self.state.stories[indexed.story]
                vector = vectors[article_id]
                other, score = self._best_story(features, vector, exclude=own.id)
                if other is None or score < self.settings.join_similarity:
                    continue
                rest = self._without(own, article_id, features, vector)
                if (
                    rest.articles
                    and score <= self._score(rest, features, vector) + self.settings.refine_margin
                ):
                    continue
                self._move(article_id, features, vector, own, rest, other)
                moves += 1
            moved += moves
            if not moves:
                break
        return moved

    def _without(
        self,
        profile: StoryProfile,
        article_id: str,
        features: ArticleFeatures,
        vector: list[tuple[str, float]],
    ) -> StoryProfile:
        """The story as it would be without one of its articles (a copy; its span of days is kept)."""
        rest = profile.model_copy(
            update={
                "articles": [a for a in profile.articles if a != article_id],
                "centroid": dict(profile.centroid),
                "days": dict(profile.days),
                "participants": dict(profile.participants),
                "names": dict(profile.names),
            }
        )
        for key, weight in vector:
            if key in rest.centroid:
                left = rest.centroid[key] - weight
                if left > 1e-9:
                    rest.centroid[key] = left
                else:
                    del rest.centroid[key]
        rest.norm = math.sqrt(sum(w * w for w in rest.centroid.values()))
        _decrement(rest.days, features.event_days)
        _decrement(rest.participants, features.participants)
        _decrement(rest.names, [k for k in features.entities if k.startswith("p:")])
        if features.stated is not None:
            rest.stated_count = max(0, rest.stated_count - 1)
        return rest

    def _move(
        self,
        article_id: str,
        features: ArticleFeatures,
        vector: list[tuple[str, float]],
        own: StoryProfile,
        rest: StoryProfile,
        other: str,
    ) -> None:
        """Take an article out of its story (left as `rest`, or gone when empty) and into `other`."""
        if rest.articles:
            self.state.stories[own.id] = rest
            self._unpost_keys(own.id, [key for key in own.centroid if key not in rest.centroid])
        else:
            del self.state.stories[own.id]
            self._unpost(own)
            self.state.merged[own.id] = other
        target = self.state.stories[other]
        target.articles.append(article_id)
        self._update_profile(target, features, vector)
        self.state.articles[article_id].story = other
        _log.debug("article %s moved from story %s to %s", article_id, own.id, other)

    # ------------------------------------------------------------------ updating

    def _join(
        self,
        story: str,
        analysis: ArticleAnalysis,
        features: ArticleFeatures,
        fingerprint: str,
        signature: list[int],
        duplicate_of: str | None,
        similarity: float,
        vector: list[tuple[str, float]],
    ) -> Placement:
        state = self.state
        article_id = analysis.article.id
        profile = state.stories[story]
        profile.articles.append(article_id)
        state.sequence += 1
        profile.last_seen = state.sequence
        day = features.published_day
        state.articles[article_id] = IndexedArticle(
            story=story, duplicate_of=duplicate_of, signature=signature, fingerprint=fingerprint, day=day
        )
        if self.settings.reprint_days is not None and signature and day is not None:
            heapq.heappush(self._reprintable, (day, article_id))
        state.fingerprints.setdefault(fingerprint, article_id)
        # A reprint adds days to the story but no new wording: the centroid stays as it was.
        self._update_profile(profile, features, vector if duplicate_of is None else [])
        for key in band_keys(signature):
            self._post(state.bands, key, article_id, self.settings.band_cap)
        return Placement(
            article=article_id, story=story, new_story=False, duplicate_of=duplicate_of, similarity=similarity
        )

    def _update_profile(
        self, profile: StoryProfile, features: ArticleFeatures, vector: list[tuple[str, float]]
    ) -> None:
        centroid = profile.centroid
        for key, weight in vector:
            centroid[key] = centroid.get(key, 0.0) + weight
        self._prune_centroid(profile)
        day = features.published_day
        if day is not None:
            profile.first_day = day if profile.first_day is None else min(profile.first_day, day)
            if profile.last_day is None or day > profile.last_day:
                profile.last_day = day
                heapq.heappush(self._idle, (day, profile.id))
        if features.stated is not None:
            self._extend_stated(profile, features.stated)
            profile.stated_count += 1
        for event_day in features.event_days:
            profile.days[event_day] = profile.days.get(event_day, 0) + 1
        if len(profile.days) > _DAYS_KEPT + _LATEST_DAYS_KEPT:
            profile.days = self._pruned_days(profile.days, profile.last_day)
        for key, _ in vector[: self.settings.posted_features]:
            if key in profile.centroid:  # posted only under what it keeps (`_unpost_keys`)
                self._post(self.state.postings, key, profile.id, self.settings.posting_cap)
        if vector:
            # A reprint (no vector) repeats its original's people: they count once.
            for person in sorted(features.participants):  # in one order: ties are kept alike every run
                profile.participants[person] = profile.participants.get(person, 0) + 1
            for key in features.entities:
                if key.startswith("p:"):
                    profile.names[key] = profile.names.get(key, 0) + 1
            self._prune_participants(profile)

    def _states_days(self, profile: StoryProfile) -> bool:
        """Whether enough of the story's reports say which days they are from (one of many says little).

        A story with publication days states them (so does one kept from before stated days were counted).
        """
        if profile.first_day is not None:
            return True
        return profile.stated_first is not None and profile.stated_count >= self.settings.dated_share * len(
            profile.articles
        )

    @staticmethod
    def _extend_stated(profile: StoryProfile, stated: tuple[int, int]) -> None:
        first, last = stated
        profile.stated_first = first if profile.stated_first is None else min(profile.stated_first, first)
        profile.stated_last = last if profile.stated_last is None else max(profile.stated_last, last)

    @staticmethod
    def _pruned_days(days: dict[int, int], last_day: int | None) -> dict[int, int]:
        """A long story's days, bounded: its latest up to its latest publication (where its news goes on;
        `_latest_news_day`) and its busiest of the rest."""
        latest = set(sorted(d for d in days if last_day is None or d <= last_day)[-_LATEST_DAYS_KEPT:])
        rest = [(d, c) for d, c in days.items() if d not in latest]
        busiest = heapq.nlargest(_DAYS_KEPT - len(latest), rest, key=lambda kv: (kv[1], kv[0]))
        return dict(sorted([*busiest, *((d, days[d]) for d in latest)]))

    def _prune_participants(self, profile: StoryProfile) -> None:
        """Keep the story's most often main participants only (bounded memory)."""
        limit = self.settings.story_participants
        if len(profile.participants) > limit:
            kept = heapq.nlargest(limit, profile.participants.items(), key=_weight)
            profile.participants = dict(kept)
        if len(profile.names) > 2 * limit:
            profile.names = dict(heapq.nlargest(2 * limit, profile.names.items(), key=_weight))

    def _prune_centroid(self, profile: StoryProfile) -> None:
        """Keep the story's strongest features only (bounded memory and comparison cost), and its norm."""
        if len(profile.centroid) > self.settings.centroid_features:
            kept = dict(
                heapq.nlargest(self.settings.centroid_features, profile.centroid.items(), key=_weight)
            )
            self._unpost_keys(profile.id, [key for key in profile.centroid if key not in kept])
            profile.centroid = kept
        profile.norm = math.sqrt(sum(w * w for w in profile.centroid.values()))

    @staticmethod
    def _post(postings: dict[str, list[str]], key: str, value: str, cap: int) -> None:
        listed = postings.setdefault(key, [])
        if listed and listed[-1] == value:
            return
        if value in listed:
            # Most recent last: a story that is still growing stays in reach.
            listed.remove(value)
        listed.append(value)
        if len(listed) > cap:
            del listed[0]

    def _advance_clock(self, day: int | None) -> None:
        if day is None or (self.state.clock is not None and day <= self.state.clock):
            return
        self.state.clock = day
        self._forget_signatures(day)
        cutoff = day - self.settings.window_days
        while self._idle and self._idle[0][0] < cutoff:
            last_day, story = heapq.heappop(self._idle)
            profile = self.state.stories.get(story)
            if profile is None or profile.last_day != last_day:
                continue
            # Before a story closes, it may turn out to be part of a story that is still open.
            self._merge_into_best(profile)
            profile = self.state.stories.get(story)
            if profile is not None and profile.last_day is not None and profile.last_day < cutoff:
                self._close(profile)

    def _close(self, profile: StoryProfile) -> None:
        del self.state.stories[profile.id]
        self.state.closed.append(profile.id)
        for article in profile.articles:
            indexed = self.state.articles.get(article)
            if indexed is None:
                continue
            if self.settings.forget_closed:
                self._forget(article, indexed)
            else:
                indexed.signature = []
        if self.settings.forget_closed:
            self._unpost(profile)
        _log.debug("story %s closed after %d articles", profile.id, len(profile.articles))

    def _unpost(self, profile: StoryProfile) -> None:
        """Take a story that leaves the open set (closed, or absorbed by another) out of the postings of its
        features: they lead to open stories only, so the work per article, and what the index keeps, follow
        the open stories, not every story ever closed or merged (its id is skipped anyway)."""
        self._unpost_keys(profile.id, profile.centroid)

    def _unpost_keys(self, story: str, keys: Iterable[str]) -> None:
        """Take a story out of the postings of these features. A story is posted only under features its
        centroid keeps (`_prune_centroid` takes it out of those it drops), so its centroid finds them all."""
        postings = self.state.postings
        for key in keys:
            listed = postings.get(key)
            if listed is None or story not in listed:
                continue
            self._keep_posted(key, [other for other in listed if other != story])

    def tidy_postings(self) -> int:
        """Take out of the postings every story that is not open, and every open story under a feature its
        centroid no longer keeps; returns how many entries went. An index keeps its postings so as it goes
        (`_unpost_keys`): this is for a state kept by one that did not (a stray entry is skipped when met,
        but the postings it holds would never be emptied, and would grow with every story ever merged).
        (dict.items, dict.get: a saved state's containers may be watched for changes; this reads, and writes
        only the lists it changes.)"""
        stories = self.state.stories
        postings = self.state.postings
        removed = 0
        for key, listed in list(dict.items(postings)):
            profiles = [(story, dict.get(stories, story)) for story in listed]
            kept = [story for story, profile in profiles if profile is not None and key in profile.centroid]
            if len(kept) == len(listed):
                continue
            removed += len(listed) - len(kept)
            self._keep_posted(key, kept)
        return removed

    def _keep_posted(self, key: str, stories: list[str]) -> None:
        """Make these the stories a feature leads to (none: the feature leaves the postings)."""
        if stories:
            self.state.postings[key] = stories
        else:
            del self.state.postings[key]

    def _forget_signatures(self, today: int) -> None:
        """Forget the reprint signatures (and bands) of the articles published over `reprint_days` ago."""
        if self.settings.reprint_days is None:
            return
        cutoff = today - self.settings.reprint_days
        while self._reprintable and self._reprintable[0][0] < cutoff:
            _, article = heapq.heappop(self._reprintable)
            indexed = self.state.articles.get(article)
            if indexed is not None and indexed.signature:
                self._unband(article, indexed)
                indexed.signature = []

    def _unband(self, article: str, indexed: IndexedArticle) -> None:
        """Take an article out of the reprint bands of its signature."""
        state = self.state
        for key in band_keys(indexed.signature):
            listed = state.bands.get(key)
            if listed is not None and article in listed:
                listed.remove(article)
                if not listed:
                    del state.bands[key]

    def _forget(self, article: str, indexed: IndexedArticle) -> None:
        """Drop what the index keeps of an article of a closed story (its bands, fingerprint and entry)."""
        state = self.state
        self._unband(article, indexed)
        if indexed.fingerprint is not None and state.fingerprints.get(indexed.fingerprint) == article:
            del state.fingerprints[indexed.fingerprint]
        del state.articles[article]

    def rename(self, story: str, new_id: str) -> None:
        """Give an open story another id (its id is taken by a story the caller keeps elsewhere)."""
        state = self.state
        profile = state.stories.pop(story)
        profile.id = new_id
        state.stories[new_id] = profile
        for article in profile.articles:
            indexed = state.articles.get(article)
            if indexed is not None:
                indexed.story = new_id
        for listed in state.postings.values():
            if story in listed:
                listed[listed.index(story)] = new_id
        if profile.last_day is not None:
            heapq.heappush(self._idle, (profile.last_day, new_id))

    def _unique_story_id(self, story: str) -> str:
        if story not in self.state.stories:
            return story
        n = 2
        while f"{story}-{n}" in self.state.stories:
            n += 1
        return f"{story}-{n}"
