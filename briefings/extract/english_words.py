"""English common words, from the word lists the spaCy pipeline's lemmatizer ships with.

They tell a capitalised common word ("Missiles", "Follow", "Invalid") from a name. Read once from the
installed default pipeline; without it the lists are empty and the rules that use them do nothing.
The noun list also holds many proper names ("clinton", "paris", "harlow"), so a word found only there
is no evidence against a name: `is_common_word` asks the verb, adjective and adverb lists.
"""

from __future__ import annotations

import functools
import logging

_log = logging.getLogger(__name__)

_PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")


@functools.cache
def _lemma_index() -> dict[str, frozenset[str]]:
    try:
        import spacy.util
        from spacy.lookups import Lookups

        from briefings.nlp import DEFAULT_PIPELINE

        root = spacy.util.get_package_path(DEFAULT_PIPELINE)
        for folder in root.glob("**/lemmatizer/lookups"):
            lookups = Lookups().from_disk(folder)
            if lookups.has_table("lemma_index"):
                table = lookups.get_table("lemma_index")
                return {pos: frozenset(table[pos]) for pos in _PARTS_OF_SPEECH if pos in table}
    except (OSError, ImportError, ValueError, KeyError) as exc:
        _log.info("no English word lists from the spaCy pipeline (%s): name checks are weaker", exc)
    return {}


def common_nouns() -> frozenset[str]:
    """English common nouns (lowercase lemmas)."""
    return _lemma_index().get("noun", frozenset())


@functools.cache
def common_words() -> frozenset[str]:
    """English verbs, adjectives and adverbs (lowercase lemmas): words that are seldom names."""
    found: set[str] = set()
    for pos, words in _lemma_index().items():
        if pos != "noun":
            found |= words
    return frozenset(found)


def is_common_word(lower: str) -> bool:
    """Whether a lowercase word (or its plain form without a verb or plural ending) is a verb, adjective
    or adverb."""
    words = common_words()
    if lower in words:
        return True
    for ending, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", "")):
        stem = lower[: -len(ending)] + replacement
        if lower.endswith(ending) and len(stem) >= 3 and stem in words:
            return True
    return False
