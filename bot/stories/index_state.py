"""The story index's state saved in parts: a base now and then, and after each batch only what it changed.

The engine's `StoryIndexState` is plain data: open stories' profiles, their articles' reprint signatures,
the postings and reprint bands that find them, document frequencies. Written whole, a save costs the whole
state (tens of MB at 2,000 articles a day) however little changed. Here a `StateTracker` watches the state
of a live index and writes, per batch, a `StateDelta`: the entries the batch set or removed. A process
loads the last base and applies the deltas written after it, in order. When the deltas add up to a share
of the base, the whole state is written as the new base and the deltas are dropped (`should_compact`), so
a load reads at most (1 + share) × the base, and a save's cost follows what changed.

How changes are seen, without touching the engine's decisions:
- stories: each open story's marks (last turn it was joined, its size, norm and days) against those saved:
  any story the index joins, absorbs into, renames or closes changes them. Scoring only reads a profile.
  The container notes the stories read or written, and only those are compared: a save's cost follows
  the batch, not the open stories (a whole pass over them compares them all).
- articles, fingerprints, postings, bands, document frequencies: the containers are swapped for dicts
  that note every key written (`[]=`, `setdefault`, `del`, `pop`, `update`). The entries whose values the
  index changes in place after reading them (an article's story on a merge, a band's list when a story
  closes) also note their reads (`get`, `[]`); a whole-container pass (`values`, `items`, iteration)
  marks every key. Postings and frequencies are only read in place, so their reads are not noted.
- postings (feature -> the open stories it leads to, most recent last, at most `posting_cap`) are written as
  an edit when that is shorter: the stories taken out of the list and those put at its end since the save.
  A batch posts each article's strongest features and takes each closed story out of the lists of its 250,
  so it changes a list by an id or two, and writing the lists whole was most of a delta. The list as it
  was is copied when the batch first writes it (`_Postings`), and an edit is kept only when applying it to
  that copy gives exactly the list as it is.
- profiles: a story an article joined changes the weights of that article's features and keeps the rest of
  its 250, so a changed profile's centroid is written as an edit of the centroid as saved (which the
  tracker keeps for each open story) when that is shorter and gives it exactly (`ProfileEdit`).
"""

from __future__ import annotations

import array
import base64
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import zstandard
from pydantic import BaseModel, ConfigDict, Field

from bot.collector import collector_held_off
from briefings.stories.index import IndexedArticle, StoryIndexState, StoryProfile

# Deltas are folded into a new base once they add up to this share of the base's size. A restart loads the
# base and the deltas: the share bounds that load. A delta's byte costs about 2.4 times a base's to apply
# (its edits are applied one by one), so at this share the deltas cost up to about 0.7 of the base's load.
# Measured at day 20 of 2,000 articles a day (a 14 MB base, 3 MB of deltas a day; fresh processes, median
# of 3): the base alone 1.09 s; with deltas of 0.3 of it 1.83 s, of 0.5 of it 2.29 s. A base costs about
# 1.5 s (encoding 1.1 s), written every 1.4 days here instead of every 2.4 at 0.5: about 4% more placing.
# (An earlier 90-day run saw no faster loads at 0.3: it timed one load a day, right after the day's writes,
# where the noise of a busy database was larger than the difference.)
COMPACT_SHARE = 0.3
# ... but not before this many bytes of deltas (a small state is cheap to write whole anyway).
COMPACT_MIN_BYTES = 256 * 1024


class _Tracked(dict[str, Any]):
    """A dict that notes the keys written (and, `reads`, read) in `touched`; a whole pass sets `everything`."""

    reads = False

    def __init__(self, data: dict[str, Any] | Iterable[tuple[str, Any]]) -> None:
        super().__init__(data)
        self.touched: set[str] = set()
        self.everything = False

    def _writing(self, key: str) -> None:
        """Note that `key` is about to be written (set or removed)."""
        self.touched.add(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._writing(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._writing(key)
        super().__delitem__(key)

    def __getitem__(self, key: str) -> Any:
        if self.reads:
            self.touched.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        if self.reads:
            self.touched.add(key)
        return super().get(key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._writing(key)
        return super().setdefault(key, default)

    def pop(self, key: str, *default: Any) -> Any:
        self._writing(key)
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        if self:
            self._writing(next(reversed(dict.keys(self))))
        return super().popitem()

    def update(self, *args: Any, **kwargs: Any) -> None:
        added = dict(*args, **kwargs)
        for key in added:
            self._writing(key)
        super().update(added)

    def clear(self) -> None:
        for key in dict.keys(self):
            self._writing(key)
        super().clear()

    def values(self) -> Any:
        self.everything = True
        return super().values()

    def items(self) -> Any:
        self.everything = True
        return super().items()

    def __iter__(self) -> Iterator[str]:
        self.everything = True
        return super().__iter__()

    def forget_changes(self) -> None:
        """What is noted so far is saved: note from here."""
        self.touched.clear()
        self.everything = False


class _ReadTracked(_Tracked):
    """A `_Tracked` whose values the index may change in place after reading them."""

    reads = True


class _Postings(_Tracked):
    """A `_Tracked` that also keeps, in `before`, a copy of each list as it was when first written since
    the save (None: the key was not there), so a delta can write what changed in it (`_posting_edit`)."""

    def __init__(self, data: dict[str, Any] | Iterable[tuple[str, Any]]) -> None:
        super().__init__(data)
        self.before: dict[str, list[str] | None] = {}

    def _writing(self, key: str) -> None:
        if key not in self.before:
            listed = dict.get(self, key)
            self.before[key] = None if listed is None else list(listed)
        super()._writing(key)

    def forget_changes(self) -> None:
        super().forget_changes()
        self.before.clear()


def _posting_edit(before: list[str], after: list[str]) -> tuple[list[str], list[str]] | None:
    """`after` as an edit of `before`: the ids taken out of it and those then put at its end; None when
    writing `after` whole is as short or the lists are not related so (`_edited` would not give `after`)."""
    kept = 0
    for story in before:
        if kept < len(after) and after[kept] == story:
            kept += 1
    staying = set(after[:kept])
    edit = ([story for story in before if story not in staying], after[kept:])
    if len(edit[0]) + len(edit[1]) >= len(after) or _edited(before, edit) != after:
        return None
    return edit


def _edited(listed: list[str], edit: tuple[list[str], list[str]]) -> list[str]:
    """A copy of the list with the edit made (`_edit`)."""
    copy = list(listed)
    _edit(copy, edit)
    return copy


def _edit(listed: list[str], edit: tuple[list[str], list[str]]) -> None:
    """Make the edit in the list itself: take out each id removed, then put the ids appended at its end. A
    posting list names a story once, so taking out its first mention takes it out."""
    removed, appended = edit
    for story in removed:
        if story in listed:
            listed.remove(story)
    listed.extend(appended)


# The containers tracked by key, and whether their reads count as changes.
# (The stories are watched apart, by their marks: `StateTracker`.)
_CONTAINERS: dict[str, type[_Tracked]] = {
    "articles": _ReadTracked,
    "fingerprints": _Tracked,
    "postings": _Postings,
    "bands": _ReadTracked,
    "df": _Tracked,
}

_StoryMark = tuple[int, int, float, int | None, int | None, int | None, int | None, int]


def _mark(profile: StoryProfile) -> _StoryMark:
    return (
        profile.last_seen,
        len(profile.articles),
        profile.norm,
        profile.first_day,
        profile.last_day,
        profile.stated_first,
        profile.stated_last,
        profile.stated_count,
    )


class PackedArticle(BaseModel):
    """An article's entry as versions before `ArticleRow` wrote it (still read): the entry, its reprint
    signature packed apart (`signature` and `wide`, as `_pack_signature` writes them)."""

    entry: IndexedArticle
    signature: str = ""
    # Packed as 64-bit integers (the values did not fit 32 bits).
    wide: bool = False

    def unpacked(self) -> IndexedArticle:
        """The entry as the index keeps it."""
        if self.signature:
            self.entry.signature = _from_base64("q" if self.wide else "I", self.signature)
        return self.entry


# An article's entry as a delta writes it: its story, the article it repeats, its fingerprint, the day it
# was published and its reprint signature packed (`_pack_signature`). A JSON array read as a tuple: a
# model per entry took most of a load's time for the articles, which are most of a state's entries.
ArticleRow = tuple[str, str | None, str | None, int | None, str]


def _article_row(entry: IndexedArticle) -> ArticleRow:
    return (entry.story, entry.duplicate_of, entry.fingerprint, entry.day, _pack_signature(entry.signature))


def _article_of(row: ArticleRow) -> IndexedArticle:
    story, duplicate_of, fingerprint, day, signature = row
    return IndexedArticle(
        story, duplicate_of, _unpack_signature(signature) if signature else [], fingerprint, day
    )


def _pack_signature(values: list[int]) -> str:
    """A reprint signature (64 integers) as one string: "I" or, when a value does not fit 32 bits, "q",
    then the integers packed (`_to_base64`); "" for none (most entries: a signature is forgotten after
    `reprint_days`). Most of a state's numbers are signatures, and reading them one by one was slow."""
    if not values:
        return ""
    kind = "q" if max(values) >= 1 << 32 or min(values) < 0 else "I"
    return kind + _to_base64(kind, values)


def _unpack_signature(packed: str) -> list[int]:
    return _from_base64(packed[0], packed[1:]) if packed else []


def _to_base64(kind: str, values: Iterable[Any]) -> str:
    """Numbers as one base64 string of their bytes as `array` type `kind`, little-endian (exactly them):
    a JSON number is read several times slower than its bytes."""
    packed = array.array(kind, values)
    if sys.byteorder != "little":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _from_base64(kind: str, packed: str) -> list[Any]:
    """The numbers `_to_base64` packed as `array` type `kind`."""
    values = array.array(kind)
    values.frombytes(base64.b64decode(packed))
    if sys.byteorder != "little":
        values.byteswap()
    return values.tolist()


class PackedProfile(BaseModel):
    """An open story's profile with its centroid packed: the feature keys in order, and their weights as
    one base64 string of 64-bit floats (exactly the weights). The weights are most of the state's
    numbers, and a JSON float is read several times slower than its eight bytes."""

    profile: StoryProfile
    keys: list[str] = Field(default_factory=list)
    weights: str = ""

    @classmethod
    def of(cls, profile: StoryProfile) -> PackedProfile:
        """The profile, packed."""
        return cls(
            profile=profile.model_copy(update={"centroid": {}}),
            keys=list(profile.centroid),
            weights=_to_base64("d", profile.centroid.values()),
        )

    def unpacked(self) -> StoryProfile:
        """The profile as the index keeps it."""
        self.profile.centroid = dict(zip(self.keys, _from_base64("d", self.weights), strict=True))
        return self.profile


# A story's centroid as last saved: its keys in order and their weights.
_Centroid = tuple[list[str], "array.array[float]"]


def _centroid_of(profile: StoryProfile) -> _Centroid:
    return list(profile.centroid), array.array("d", profile.centroid.values())


class ProfileEdit(BaseModel):
    """An open story's profile with its centroid written as what changed in it since the save: the keys
    taken out, the keys set (new or with a new weight, in the centroid's order) and their weights packed,
    and whether the centroid was then ranked by weight (the index keeps a story's strongest features,
    strongest first). A story joined by an article changes the weights of that article's features and
    keeps the rest: writing the centroid whole was most of a delta."""

    profile: StoryProfile
    removed: list[str] = Field(default_factory=list)
    keys: list[str] = Field(default_factory=list)
    weights: str = ""
    ranked: bool = False

    @classmethod
    def of(cls, profile: StoryProfile, saved: _Centroid) -> ProfileEdit | None:
        """The profile as an edit of its centroid as saved; None when writing it whole is as short or the
        edit would not give the centroid exactly (the same keys, weights and order)."""
        centroid = profile.centroid
        before = dict(zip(saved[0], saved[1], strict=True))
        removed = [key for key in saved[0] if key not in centroid]
        changed = [(key, weight) for key, weight in centroid.items() if before.get(key) != weight]
        if len(removed) + len(changed) >= len(centroid):
            return None
        wanted = list(centroid.items())
        for ranked in (False, True):
            if list(_edited_centroid(before, removed, changed, ranked).items()) == wanted:
                return cls(
                    profile=profile.model_copy(update={"centroid": {}}),
                    removed=removed,
                    keys=[key for key, _ in changed],
                    weights=_to_base64("d", (weight for _, weight in changed)),
                    ranked=ranked,
                )
        return None

    def applied(self, before: dict[str, float]) -> StoryProfile:
        """The profile as the index keeps it, its centroid as saved being `before`."""
        changed = zip(self.keys, _from_base64("d", self.weights), strict=True)
        self.profile.centroid = _edited_centroid(before, self.removed, changed, self.ranked)
        return self.profile


def _edited_centroid(
    before: dict[str, float], removed: Iterable[str], changed: Iterable[tuple[str, float]], ranked: bool
) -> dict[str, float]:
    """The centroid with the keys removed and the weights set (a new key at the end), then, `ranked`, ordered
    by weight, strongest first, ties in their order (as the index's `heapq.nlargest` leaves them)."""
    centroid = dict(before)
    for key in removed:
        del centroid[key]
    centroid.update(changed)
    if ranked:
        return dict(sorted(centroid.items(), key=lambda kv: kv[1], reverse=True))
    return centroid


class StateDelta(BaseModel):
    """What one batch changed in the index's state: entries set (with their values) and removed, by container,
    and the counters as they stand after it. A base is a delta from an empty state holding every entry.
    A field it does not know is an error (a newer version wrote it): the state is rebuilt, not misread."""

    model_config = ConfigDict(extra="forbid")

    documents: int = 0
    clock: int | None = None
    sequence: int = 0
    # Profiles as an earlier version wrote them (still read); written packed (`profiles`).
    stories: dict[str, StoryProfile] = Field(default_factory=dict)
    profiles: dict[str, PackedProfile] = Field(default_factory=dict)
    # Profiles of stories the state holds, written as what changed in their centroids.
    profile_edits: dict[str, ProfileEdit] = Field(default_factory=dict)
    stories_gone: list[str] = Field(default_factory=list)
    # Articles' entries as an earlier version wrote them (still read); written as rows (`article_rows`).
    articles: dict[str, PackedArticle] = Field(default_factory=dict)
    article_rows: dict[str, ArticleRow] = Field(default_factory=dict)
    articles_gone: list[str] = Field(default_factory=list)
    fingerprints: dict[str, str] = Field(default_factory=dict)
    fingerprints_gone: list[str] = Field(default_factory=list)
    postings: dict[str, list[str]] = Field(default_factory=dict)
    # Lists written as what changed in them: (ids taken out, ids then put at the end).
    postings_edits: dict[str, tuple[list[str], list[str]]] = Field(default_factory=dict)
    postings_gone: list[str] = Field(default_factory=list)
    bands: dict[str, list[str]] = Field(default_factory=dict)
    # Bands holding one article (nearly all of them), apart: read as plain strings, three times faster.
    bands_single: dict[str, str] = Field(default_factory=dict)
    bands_gone: list[str] = Field(default_factory=list)
    df: dict[str, int] = Field(default_factory=dict)
    df_gone: list[str] = Field(default_factory=list)


# A Zstandard frame opens with these bytes; a zlib stream (what earlier versions wrote) never does.
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def compress(payload: bytes) -> bytes:
    """What the store keeps of a base or a delta: the JSON, Zstandard-compressed. At its default level it
    is three times faster than zlib at its fastest, and smaller (a base at day 20 of 2,000 articles a day:
    36 MB of JSON to 13.7 MB in 0.13 s, against 16.6 MB in 0.40 s), and it reads back five times faster."""
    return zstandard.ZstdCompressor(level=3).compress(payload)


def decompress(blob: bytes) -> bytes:
    """The JSON of a stored base or delta, Zstandard- or (as earlier versions wrote) zlib-compressed;
    ValueError or zlib.error when it is neither."""
    if not blob.startswith(_ZSTD_MAGIC):
        return zlib.decompress(blob)
    try:
        return zstandard.ZstdDecompressor().decompress(blob)
    except zstandard.ZstdError as exc:
        raise ValueError(f"a damaged Zstandard frame: {exc}") from exc


def _counters(state: StoryIndexState) -> StateDelta:
    return StateDelta(documents=state.documents, clock=state.clock, sequence=state.sequence)


def encode_base(state: StoryIndexState) -> bytes:
    """The whole state, as a base: a delta from an empty state."""
    base = _counters(state)
    base.profiles = {k: PackedProfile.of(p) for k, p in dict.items(state.stories)}
    base.article_rows = {k: _article_row(a) for k, a in dict.items(state.articles)}
    for name in ("fingerprints", "postings", "df"):
        setattr(base, name, dict(dict.items(getattr(state, name))))
    for key, listed in dict.items(state.bands):
        _set_band(base, key, listed)
    return compress(base.model_dump_json().encode())


def _set_band(delta: StateDelta, key: str, listed: list[str]) -> None:
    if len(listed) == 1:
        delta.bands_single[key] = listed[0]
    else:
        delta.bands[key] = listed


def decode_base(blob: bytes) -> StoryIndexState:
    """A base as the engine's state (ValueError, ValidationError or zlib.error when unreadable)."""
    return apply_deltas(StoryIndexState(), [blob])


def decode_whole_state(blob: bytes) -> StoryIndexState:
    """A base of the earlier format: the engine's whole state as its own JSON."""
    return StoryIndexState.model_validate_json(decompress(blob))


def apply_deltas(state: StoryIndexState, blobs: Iterable[bytes]) -> StoryIndexState:
    """The state with the deltas applied in order (ValueError, ValidationError or zlib.error when unreadable).

    The cyclic garbage collector is held off meanwhile: a base is millions of new objects, none of them in
    cycles, and collecting while they are made took half the load.
    """
    with collector_held_off():
        return _apply(state, blobs)


def _apply(state: StoryIndexState, blobs: Iterable[bytes]) -> StoryIndexState:
    for blob in blobs:
        delta = StateDelta.model_validate_json(decompress(blob))
        for name in ("stories", *_CONTAINERS):
            container: dict[str, Any] = getattr(state, name)
            if isinstance(container, _Tracked):  # a live state: what is applied is saved already
                # Copied from its entries as stored: a copy of the container itself would read each entry
                # through its tracking `[]` (five times slower, at hundreds of thousands of entries).
                container = dict(dict.items(container))
                setattr(state, name, container)
            for key in getattr(delta, f"{name}_gone"):
                container.pop(key, None)
            if name == "stories":
                container.update(delta.stories)
                container.update((k, p.unpacked()) for k, p in delta.profiles.items())
                for key, profile_edit in delta.profile_edits.items():
                    saved = container.get(key)
                    if saved is None:
                        raise ValueError(f"a delta edits story {key}, which the state does not hold")
                    container[key] = profile_edit.applied(saved.centroid)
            elif name == "articles":
                container.update((k, a.unpacked()) for k, a in delta.articles.items())
                container.update((k, _article_of(row)) for k, row in delta.article_rows.items())
            elif name == "bands":
                container.update(delta.bands)
                container.update({k: [article] for k, article in delta.bands_single.items()})
            elif name == "postings":
                container.update(delta.postings)
                for key, edit in delta.postings_edits.items():
                    # In place: the lists are the state's own (a live state's containers are copied above,
                    # their lists shared with nothing else).
                    listed = container.get(key)
                    if listed is None:
                        container[key] = listed = []
                    _edit(listed, edit)
            else:
                container.update(getattr(delta, name))
        state.documents, state.clock, state.sequence = delta.documents, delta.clock, delta.sequence
    return state


def _in_state_order(container: dict[str, Any], keys: set[str]) -> list[str]:
    """Keys added to the container since the last save, in its order: they are its last keys, so it is read
    from the end until all are found."""
    if len(keys) < 2:
        return list(keys)
    left = set(keys)
    ordered: list[str] = []
    for key in reversed(dict.keys(container)):
        if key in left:
            ordered.append(key)
            left.discard(key)
            if not left:
                break
    ordered.reverse()
    return ordered


class StateTracker:
    """Watches one live index state and writes what changed in it since the last save."""

    def __init__(self, state: StoryIndexState, base_bytes: int = 0, delta_bytes: int = 0) -> None:
        self.state = state
        # The sizes of the stored base and of the deltas written after it (when to compact).
        self.base_bytes = base_bytes
        self.delta_bytes = delta_bytes
        self._marks: dict[str, _StoryMark] = {}
        # Each open story's centroid as the store holds it (a changed one is written as an edit of it).
        self._centroids: dict[str, _Centroid] = {}
        self.saved()

    def saved(self) -> None:
        """The state as it stands is what the store holds: watch for changes from here."""
        state = self.state
        for name, kind in _CONTAINERS.items():
            current = getattr(state, name)
            if isinstance(current, _Tracked) and type(current) is kind:
                current.forget_changes()
            else:
                # One copy (a load's containers are plain dicts of hundreds of thousands of entries).
                setattr(state, name, kind(current if type(current) is dict else dict.items(current)))
        stories = state.stories
        if isinstance(stories, _ReadTracked) and not stories.everything:
            # Only the stories the batch read or wrote may have changed: the others' marks stand.
            marks, centroids = self._marks, self._centroids
            for story_id in stories.touched:
                profile = dict.get(stories, story_id)
                if profile is None:
                    marks.pop(story_id, None)
                    centroids.pop(story_id, None)
                    continue
                mark = _mark(profile)
                if marks.get(story_id) != mark:
                    marks[story_id] = mark
                    centroids[story_id] = _centroid_of(profile)
            stories.touched.clear()
        else:
            self._marks = {story_id: _mark(profile) for story_id, profile in dict.items(stories)}
            self._centroids = {story_id: _centroid_of(profile) for story_id, profile in dict.items(stories)}
            if not isinstance(stories, _ReadTracked):
                state.stories = stories = _ReadTracked(stories)
            stories.touched.clear()
            stories.everything = False

    def delta(self) -> bytes | None:
        """What changed since the last save, compressed (the caller stores it, then calls `saved`); None when
        a container was replaced whole (what it lost is not known: the caller writes a base).

        The collector is held off meanwhile (as for a load): the delta is many new objects, in no cycle,
        and each full pass the collector made over the whole state while they were made found nothing."""
        with collector_held_off():
            return self._delta()

    def _delta(self) -> bytes | None:
        state = self.state
        if any(not isinstance(getattr(state, name), _Tracked) for name in _CONTAINERS):
            return None
        delta = _counters(state)
        changed_stories, delta.stories_gone = self._changed_stories()
        for key, profile in changed_stories:
            saved = self._centroids.get(key)
            profile_edit = None if saved is None else ProfileEdit.of(profile, saved)
            if profile_edit is None:
                delta.profiles[key] = PackedProfile.of(profile)
            else:
                delta.profile_edits[key] = profile_edit
        for name in _CONTAINERS:
            container: _Tracked = getattr(state, name)
            keys = (
                container.touched | set(dict.keys(container)) if container.everything else container.touched
            )
            changed: dict[str, Any] = getattr(delta, name)
            gone: list[str] = getattr(delta, f"{name}_gone")
            for key in sorted(keys):
                if not dict.__contains__(container, key):
                    gone.append(key)
                    continue
                value = dict.__getitem__(container, key)
                if name == "articles":
                    delta.article_rows[key] = _article_row(value)
                elif name == "bands":
                    _set_band(delta, key, value)
                elif name == "postings":
                    before = container.before.get(key) if isinstance(container, _Postings) else None
                    edit = None if before is None else _posting_edit(before, value)
                    if edit is None:
                        changed[key] = value
                    elif edit != ([], []):
                        delta.postings_edits[key] = edit
                else:
                    changed[key] = value
        return compress(delta.model_dump_json().encode())

    def _changed_stories(self) -> tuple[list[tuple[str, StoryProfile]], list[str]]:
        """The open stories whose marks changed since the last save (those new to the state last, in the
        state's order: the order candidates tie in), and the stories gone since. Only the stories the batch
        read or wrote are looked at, unless it went through all of them."""
        marks = self._marks
        stories = self.state.stories
        if not isinstance(stories, _ReadTracked) or stories.everything:
            changed = [(k, p) for k, p in dict.items(stories) if marks.get(k) != _mark(p)]
            return changed, sorted(k for k in marks if not dict.__contains__(stories, k))
        kept: list[tuple[str, StoryProfile]] = []
        new: set[str] = set()
        gone: list[str] = []
        for key in sorted(stories.touched):
            profile = dict.get(stories, key)
            if profile is None:
                if key in marks:
                    gone.append(key)
            elif key not in marks:
                new.add(key)
            elif marks[key] != _mark(profile):
                kept.append((key, profile))
        return kept + [(k, dict.__getitem__(stories, k)) for k in _in_state_order(stories, new)], gone

    def base(self) -> bytes:
        """The whole state, to be stored as the new base (the caller then calls `saved` and `based`); the
        collector held off meanwhile (see `delta`)."""
        with collector_held_off():
            return encode_base(self.state)

    def based(self, size: int) -> None:
        """A base of `size` bytes was stored: the deltas before it are gone."""
        self.base_bytes = size
        self.delta_bytes = 0

    def should_compact(self) -> bool:
        """Whether the deltas written since the base add up to enough to write the base again."""
        return self.delta_bytes > max(COMPACT_MIN_BYTES, COMPACT_SHARE * self.base_bytes)
