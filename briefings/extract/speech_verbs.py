"""Words that attribute speech: the verbs of saying and the phrases that name a source ("according to")."""

from __future__ import annotations

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]  # compiled, not in the stubs
from spacy.tokens import Doc, Token

# Lemmas of verbs that introduce what someone said, wrote or posted. General English, not any one outlet's.
SPEECH_VERB_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "add",
        "continue",
        "note",
        "explain",
        "state",
        "declare",
        "announce",
        "write",
        "tweet",
        "post",
        "ask",
        "reply",
        "respond",
        "answer",
        "argue",
        "claim",
        "insist",
        "warn",
        "acknowledge",
        "admit",
        "concede",
        "recall",
        "complain",
        "predict",
        "suggest",
        "joke",
        "quip",
        "shout",
        "yell",
        "scream",
        "exclaim",
        "whisper",
        "mutter",
        "urge",
        "vow",
        "pledge",
        "promise",
        "boast",
        "brag",
        "confirm",
        "deny",
        "report",
        "testify",
        "emphasize",
        "emphasise",
        "stress",
        "observe",
        "remark",
        "comment",
        "conclude",
        "recount",
        "lament",
        "caution",
        "contend",
        "maintain",
        "assert",
        "allege",
        "charge",
        "counter",
        "retort",
        "agree",
        "disagree",
        "reiterate",
        "repeat",
        "read",
        "chant",
        "sing",
        "proclaim",
        "mention",
        "describe",
        "tout",
        "predict",
        "wonder",
        "muse",
        "quote",
        "cite",
        "concur",
        "reflect",
        "surmise",
        "figure",
        "grumble",
        "gush",
        "thunder",
        "fume",
        "rage",
        "sneer",
        "scoff",
        "marvel",
        "plead",
        "beg",
        "demand",
        "order",
        "instruct",
        "advise",
        "inform",
        "assure",
        "reassure",
        "brief",
        "testify",
        "concede",
        "estimate",
        "calculate",
        "forecast",
        "project",
        "signal",
        "indicate",
        "point",
    ]
)

# Forms that are verbs of saying whatever the tagger made of them ("Said Jane Roe: …" opens a sentence).
_UNAMBIGUOUS_FORMS = frozenset(["said", "says", "told", "tweeted", "asked", "added"])

# Verbs that only attribute when something quoted follows them, never as bare reported speech.
_WEAK_SPEECH_LEMMAS = frozenset(
    ["continue", "read", "point", "figure", "project", "signal", "indicate", "describe", "quote", "cite"]
)

# Verbs that take reported speech as their complement without naming an utterance ("X believes that …").
BELIEF_VERB_LEMMAS = frozenset(["believe", "think", "feel", "reckon", "suspect", "fear", "hope", "expect"])


def is_speech_verb(token: Token) -> bool:
    """Whether a token is a verb of saying (its lemma is in the lexicon and it is tagged a verb)."""
    if token.lower_ in _UNAMBIGUOUS_FORMS:
        return True
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in SPEECH_VERB_LEMMAS


def is_reporting_verb(token: Token) -> bool:
    """Whether a verb can introduce unquoted reported speech ("X said that …")."""
    lemma = token.lemma_.lower()
    return token.pos_ == "VERB" and lemma in SPEECH_VERB_LEMMAS and lemma not in _WEAK_SPEECH_LEMMAS


def is_according_to(token: Token) -> bool:
    """Whether a token is the "to" of "according to" (its object is a source)."""
    return token.lower_ == "to" and token.i > 0 and token.doc[token.i - 1].lower_ == "according"


_SPEECH_HASHES = np.array(
    sorted(hash_string(word) for word in SPEECH_VERB_LEMMAS | _UNAMBIGUOUS_FORMS | {"to"}), dtype=np.uint64
)


def speech_candidates(doc: Doc) -> list[int]:
    """Indexes of the tokens that may be verbs of saying or the "to" of "according to" (one array pass)."""
    if len(doc) == 0:
        return []
    table = doc.to_array(["LEMMA", "LOWER"])
    hits = np.isin(table[:, 0], _SPEECH_HASHES) | np.isin(table[:, 1], _SPEECH_HASHES)
    return [int(i) for i in np.flatnonzero(hits)]
