"""The story index's state saved in parts: a base, then per batch only what changed, loading as the live state.

The articles are the synthetic ones of `bench.stories` (invented names and words, no spaCy).
"""

from __future__ import annotations

import random
import zlib

import pytest
from pydantic import ValidationError

from bench.stories import article_stream
from bot.stories.index_state import (
    PackedArticle,
    ProfileEdit,
    StateDelta,
    StateTracker,
    _edited,
    _pack_signature,
    _posting_edit,
    _unpack_signature,
    apply_deltas,
    compress,
    decode_base,
    decompress,
    encode_base,
)
from briefings.stories.index import IndexedArticle, IndexSettings, StoryIndex, StoryProfile


def _run(
    articles: int, per_day: int, save_every: int, reprint_days: int | None = None
) -> tuple[StoryIndex, bytes, list[bytes]]:
    """Index the articles with a tracker saving a delta every `save_every`, as the memory does: closed and
    merged stories are recorded (cleared) before each save; now and then a new story is renamed; reprint
    signatures are forgotten after `reprint_days`."""
    index = StoryIndex(IndexSettings(forget_closed=True, window_days=2, reprint_days=reprint_days))
    tracker = StateTracker(index.state)
    base = encode_base(index.state)
    deltas: list[bytes] = []
    for n, (analysis, _) in enumerate(article_stream(articles, per_day, 11)):
        placement = index.add(analysis)
        if placement.new_story and n % 37 == 0:
            index.rename(placement.story, placement.story + "-2")
        if (n + 1) % save_every == 0:
            index.state.closed.clear()
            index.state.merged.clear()
            delta = tracker.delta()
            assert delta is not None
            deltas.append(delta)
            tracker.saved()
    return index, base, deltas


def test_the_base_and_its_deltas_load_as_exactly_the_live_state() -> None:
    index, base, deltas = _run(1200, 300, 50, reprint_days=1)
    live = index.state
    assert live.stories and any(s.id.endswith("-2") for s in live.stories.values())
    assert any(not a.signature for a in live.articles.values())  # reprint signatures forgotten on the way
    loaded = apply_deltas(decode_base(base), deltas)
    assert loaded.model_dump() == live.model_dump()
    assert list(loaded.stories) == list(live.stories)  # the same order: candidates tie the same way
    # ... and each centroid's keys in the same order (a story's strongest features tie the same way).
    assert [list(p.centroid) for p in loaded.stories.values()] == [
        list(p.centroid) for p in live.stories.values()
    ]
    # Stories closed on the way left the state, through the deltas too.
    closed_or_merged = {
        key for blob in deltas for key in StateDelta.model_validate_json(decompress(blob)).stories_gone
    }
    assert closed_or_merged and not closed_or_merged & set(loaded.stories)


def test_a_save_costs_what_the_batch_changed_not_the_whole_state() -> None:
    index, _, deltas = _run(1200, 300, 50)
    whole = len(encode_base(index.state))
    late = deltas[len(deltas) // 2 :]  # once the state has grown
    assert max(len(d) for d in late) < whole / 4


def test_a_container_the_index_replaced_whole_asks_for_a_base() -> None:
    index = StoryIndex(IndexSettings(forget_closed=True))
    tracker = StateTracker(index.state)
    for analysis, _ in article_stream(20, 20, 3):
        index.add(analysis)
    index.state.df = dict(index.state.df)  # what it lost is not known: only a base is right
    assert tracker.delta() is None


def test_frequencies_halved_ask_for_a_base_and_it_loads_as_the_live_state() -> None:
    # Halved whenever 80 articles were counted: seven times over 350, the last before the last save.
    index = StoryIndex(IndexSettings(forget_closed=True, window_days=2, frequency_documents=40))
    tracker = StateTracker(index.state)
    base, deltas, bases = tracker.base(), [], 0
    for n, (analysis, _) in enumerate(article_stream(350, 100, 3)):
        index.add(analysis)
        if (n + 1) % 25 == 0:
            index.state.closed.clear()
            index.state.merged.clear()
            delta = tracker.delta()
            if delta is None:  # the frequencies were replaced whole: what went is not known
                base, deltas, bases = tracker.base(), [], bases + 1
            else:
                deltas.append(delta)
            tracker.saved()
    assert bases >= 3 and deltas
    assert apply_deltas(decode_base(base), deltas).model_dump() == index.state.model_dump()


def test_a_closed_story_leaves_the_postings_of_a_long_lived_index() -> None:
    index, _, _ = _run(1200, 300, 50)
    open_stories = set(index.state.stories)
    entries = [story for listed in dict.values(index.state.postings) for story in listed]
    assert len(index.state.stories) < 1200 / 3  # stories were closed on the way
    stale = [story for story in entries if story not in open_stories]
    # What an article's search goes through is open stories (a merged story's id may linger until pushed out).
    assert len(stale) < 0.05 * len(entries)


def test_profiles_are_stored_packed_and_those_an_earlier_version_wrote_unpacked_still_load() -> None:
    index, base, deltas = _run(600, 300, 50)
    written = StateDelta.model_validate_json(decompress(deltas[-1]))
    assert written.profiles and not written.stories
    weights = next(iter(written.profiles.values()))
    assert not weights.profile.centroid and weights.keys and weights.weights  # no JSON float per weight
    # The same delta as the earlier version wrote it: profiles whole, as JSON.
    earlier = written.model_copy(
        update={"stories": {k: p.unpacked() for k, p in written.profiles.items()}, "profiles": {}}
    )
    old_blob = compress(earlier.model_dump_json().encode())
    before = apply_deltas(decode_base(base), deltas[:-1])
    from_old = apply_deltas(before, [old_blob])
    assert from_old.model_dump() == index.state.model_dump()


def test_articles_are_stored_as_rows_and_those_an_earlier_version_wrote_as_models_still_load() -> None:
    index, base, deltas = _run(600, 300, 50, reprint_days=1)
    written = StateDelta.model_validate_json(decompress(deltas[-1]))
    assert written.article_rows and not written.articles
    raw = decompress(deltas[-1])
    assert b'"signature"' not in raw  # no JSON object, and no integer of a signature, per entry
    # The same delta as the earlier version wrote it: a model per entry, its signature packed apart.
    earlier_entries = {}
    for key, (story, duplicate_of, fingerprint, day, signature) in written.article_rows.items():
        entry = IndexedArticle(story, duplicate_of, [], fingerprint, day)
        earlier_entries[key] = PackedArticle(entry=entry, signature=signature[1:], wide=signature[:1] == "q")
    assert any(packed.signature for packed in earlier_entries.values())
    earlier = written.model_copy(update={"articles": earlier_entries, "article_rows": {}})
    before = apply_deltas(decode_base(base), deltas[:-1])
    from_old = apply_deltas(before, [compress(earlier.model_dump_json().encode())])
    assert from_old.model_dump() == index.state.model_dump()


@pytest.mark.parametrize("values", [[], [0, 7, 2**32 - 1], [2**40, 3], [-5, 9], list(range(64))])
def test_a_reprint_signature_is_packed_exactly(values: list[int]) -> None:
    packed = _pack_signature(values)
    assert _unpack_signature(packed) == values
    if values:
        assert packed[0] in "Iq"  # 32-bit values, else 64-bit
    else:
        assert packed == ""  # forgotten: nothing written


def test_a_save_looks_at_the_stories_the_batch_touched_not_at_every_open_story(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import bot.stories.index_state as index_state

    index = StoryIndex(IndexSettings(forget_closed=True))
    stream = article_stream(1_220, 1_200, 5)
    for _ in range(1_200):
        index.add(next(stream)[0])
    tracker = StateTracker(index.state)
    base = encode_base(index.state)
    assert len(index.state.stories) > 300
    looked_at: list[str] = []
    mark = index_state._mark
    monkeypatch.setattr(index_state, "_mark", lambda profile: looked_at.append(profile.id) or mark(profile))
    touched = set()
    for analysis, _ in stream:
        touched.add(index.add(analysis).story)
    delta = tracker.delta()
    tracker.saved()
    assert delta is not None
    # The stories the 20 articles joined or were compared with (a few each), each looked at once to write
    # and once to note it saved: not the hundreds of open stories.
    assert touched <= set(looked_at) and len(looked_at) < len(index.state.stories) / 2
    assert apply_deltas(decode_base(base), [delta]).model_dump() == index.state.model_dump()


def test_a_posting_list_a_batch_changed_by_a_story_or_two_is_written_as_that_change() -> None:
    _, base, deltas = _run(1200, 300, 50)
    state = apply_deltas(decode_base(base), deltas[: len(deltas) // 2])
    edited_ids = whole_ids = edits = 0
    for blob in deltas[len(deltas) // 2 :]:  # once lists are long and stories close
        written = StateDelta.model_validate_json(decompress(blob))
        state = apply_deltas(state, [blob])
        for key, (removed, appended) in written.postings_edits.items():
            edits += 1
            edited_ids += len(removed) + len(appended)
            whole_ids += len(state.postings[key])
    # A batch moves an id or two in a list (the lists are short here: two days' stories, 300 a day).
    assert edits > 1000 and edited_ids < 3 * edits and edited_ids < whole_ids / 2


def test_a_posting_edit_is_written_only_when_it_gives_the_list_exactly() -> None:
    rng = random.Random(3)
    ids = [f"st-{n}" for n in range(12)]
    edits = 0
    for _ in range(3000):
        before = rng.sample(ids, rng.randint(0, 10)) + (rng.sample(ids, 1) if rng.random() < 0.1 else [])
        after = [story for story in before if rng.random() > 0.15]
        after = [s for s in after if s not in (moved := rng.sample(ids, rng.randint(0, 2)))] + moved
        if rng.random() < 0.1:
            after = rng.sample(ids, rng.randint(1, 6))  # unrelated
        edit = _posting_edit(before, after)
        if edit is not None:
            edits += 1
            assert _edited(before, edit) == after
            assert len(edit[0]) + len(edit[1]) < len(after)
    assert edits > 1000


def test_a_profile_an_article_joined_is_written_as_the_change_in_its_centroid() -> None:
    index, base, deltas = _run(1200, 300, 50)
    edits = whole = edited_keys = 0
    for blob in deltas[len(deltas) // 2 :]:  # once stories hold several articles
        written = StateDelta.model_validate_json(decompress(blob))
        whole += len(written.profiles)
        for edit in written.profile_edits.values():
            edits += 1
            edited_keys += len(edit.removed) + len(edit.keys)
            assert not edit.profile.centroid
    centroid = index.settings.centroid_features
    assert edits > whole and edited_keys < edits * centroid / 2
    assert any(
        edit.ranked
        for blob in deltas
        for edit in StateDelta.model_validate_json(decompress(blob)).profile_edits.values()
    )
    live = index.state
    loaded = apply_deltas(decode_base(base), deltas)
    assert [list(p.centroid.items()) for p in loaded.stories.values()] == [
        list(p.centroid.items()) for p in live.stories.values()
    ]


def test_a_centroid_edit_is_written_only_when_it_gives_the_centroid_exactly() -> None:
    rng = random.Random(5)
    keys = [f"w{n}" for n in range(40)]
    edits = ranked = 0
    for _ in range(3000):
        before = {key: float(rng.randint(1, 6)) for key in rng.sample(keys, rng.randint(1, 20))}  # ties
        after = dict(before)
        for key in rng.sample(keys, rng.randint(0, 4)):
            after[key] = after.get(key, 0.0) + rng.randint(1, 3)
        if rng.random() < 0.5:
            after = dict(
                sorted(after.items(), key=lambda kv: kv[1], reverse=True)[: rng.randint(1, len(after))]
            )
        if rng.random() < 0.1:
            after = dict(rng.sample(list(after.items()), len(after)))  # shuffled: no edit gives it
        profile = StoryProfile(id="st", centroid=after)
        edit = ProfileEdit.of(profile, (list(before), list(before.values())))  # type: ignore[arg-type]
        if edit is not None:
            edits += 1
            ranked += edit.ranked
            assert list(edit.applied(before).centroid.items()) == list(after.items())
            assert len(edit.removed) + len(edit.keys) < len(after)
            assert before  # the one it was made from is left as it was
    assert edits > 1000 and ranked > 300


def test_a_delta_that_edits_a_story_the_state_does_not_hold_is_an_error() -> None:
    _, base, deltas = _run(600, 300, 50)
    written = StateDelta.model_validate_json(decompress(deltas[-1]))
    assert written.profile_edits
    with pytest.raises(ValueError, match="does not hold"):
        apply_deltas(
            decode_base(base), [deltas[-1]]
        )  # the deltas before it, which opened its stories, skipped


def test_a_delta_with_a_field_this_version_does_not_know_is_refused_not_misread() -> None:
    _, base, deltas = _run(300, 300, 50)
    newer = decompress(deltas[-1]).replace(b'{"documents"', b'{"stories_split":{},"documents"', 1)
    with pytest.raises(ValidationError):
        apply_deltas(decode_base(base), [compress(newer)])


def test_a_base_and_deltas_an_earlier_version_compressed_with_zlib_still_load() -> None:
    index, base, deltas = _run(600, 300, 50)
    assert base.startswith(b"\x28\xb5\x2f\xfd")  # written as Zstandard frames
    as_before = [zlib.compress(decompress(blob), 1) for blob in (base, *deltas)]
    loaded = apply_deltas(decode_base(as_before[0]), as_before[1:])
    assert loaded.model_dump() == index.state.model_dump()


def test_a_damaged_frame_is_an_error_the_memory_rebuilds_on() -> None:
    _, base, _ = _run(300, 300, 50)
    with pytest.raises(ValueError, match="damaged"):
        decode_base(base[:20] + b"\x00" * 40 + base[60:])
