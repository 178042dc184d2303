"""Trim a source sentence for a digest without changing what it says: only whole pieces are dropped.

Dropped: a page's share bar glued to the sentence by text extraction ("Share this withEmailFacebook…Copy
this linkResearchers found" → "Researchers found"), a dateline or a caption label at the start
("Washington:", "(CNN) --", "LONDON (Reuters) -", "Kathmandu, Nepal (CNN)" with the sentence glued on),
a leading connective that points at a sentence the reader will not see ("But", "However,"), and short
asides in brackets that carry no figure ("(pictured)"). Everything left is the source's own words, in
order, so a trimmed sentence is always a word-subsequence of its source (`is_compression_of`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_AGENCY = r"\((?:[A-Z][\w.&]*\s?){1,3}\)"
_PLACE = r"[A-Z][\w.'’&-]*(?:\s[A-Z][\w.'’&-]*){0,2}"
_DATELINE = re.compile(
    # "(CNN)", "(CNN) --"
    rf"^{_AGENCY}\s*(?:--|—|–|-|:)?\s*"
    # "LONDON -", "BEIRUT, Lebanon (AP) —", "NEW YORK, Jan 7 (Reuters) -": a city in capitals
    rf"|^[A-Z][A-Z.'’&-]+(?:\s[A-Z][A-Z.'’&-]+){{0,2}}(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?"
    rf"(?:,?\s[A-Z][a-z]{{2,8}}\.?\s\d{{1,2}})?\s*(?:{_AGENCY})?\s*(?:--|—|–|-|:)\s+"
    # "Washington:", "Abuja (Reuters) -": a capitalised name before a colon, or before an agency and a dash
    rf"|^(?:[A-Z][\w.'’&-]*\s){{0,2}}[A-Z][\w.'’&-]*(?:\s*{_AGENCY}\s*(?:--|—|–|-)|:)\s+"
    # "New Delhi, India (CNN)As the earth shook": a place and an agency, the sentence glued on
    rf"|^{_PLACE}(?:,\s{_PLACE})?\s*{_AGENCY}\s*(?:--|—|–|-)?\s*(?=[A-Z\"“‘])"
)
_CONNECTIVE = re.compile(r"^(?:But|And|So|Yet|However,|Meanwhile,|Also,|Still,|Now,)\s+(?=\S)")
# A short aside in brackets, no digits inside: (pictured), (left), (CNN).
_ASIDE = re.compile(r"\s*\((?:[^()\d]{1,30})\)(?=[\s,.;:!?]|$)")
_WORDS = re.compile(r"[^\W_]+")
# Where two words were glued together when a page's text was extracted: "linkResearchers".
_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A run of glued words (three joins or more in one token) is a widget's labels, never prose.
_MIN_GLUED_JOINS = 3
_GLUE_REACH = 4  # words after the glued run in which the sentence proper may start, glued to the last label
_MIN_WORDS_LEFT = 4
_NEGATIONS = frozenset(["not", "no", "never", "nor", "neither", "without", "t", "none", "nobody", "nothing"])


# Where text extraction glued two sentences together: a full stop, question or exclamation mark (and a
# closing quote) with no space before the next sentence's capitalised word ("in 2011.Mr Smith said").
_GLUED_SENTENCES = re.compile(r"(?<=[a-z0-9%)])[.!?](?:[’”]|\"(?=[A-Z]))?(?=[“‘]?[A-Z][a-z])")


def glued_sentences(sentence: str) -> list[str]:
    """The sentences text extraction glued into one, each with its own closing punctuation.

    A straight quote after the stop closes the sentence before when that sentence opened one, else it
    opens the next."""
    pieces = []
    start = 0
    for match in _GLUED_SENTENCES.finditer(sentence):
        end = match.end()
        if sentence[end - 1] == '"' and sentence.count('"', start, end - 1) % 2 == 0:
            end -= 1
        pieces.append(sentence[start:end].strip())
        start = end
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _drop_prefix(text: str, pattern: re.Pattern[str]) -> str:
    match = pattern.match(text)
    if match is None or match.end() == 0:
        return text
    rest = text[match.end() :]
    # A "prefix" that leaves almost nothing was the sentence itself ("Update: yes.").
    if len(rest.split()) < _MIN_WORDS_LEFT:
        return text
    return _capitalised(rest)


def _drop_glued_labels(text: str) -> str:
    """The sentence from where its prose starts, when it opens with a widget's glued labels."""
    words = text.split(" ")
    glued = next(
        (i for i, w in enumerate(words[:_GLUE_REACH]) if len(_JOIN.findall(w)) >= _MIN_GLUED_JOINS), None
    )
    if glued is None:
        return text
    # The prose starts at the first join after the labels, else at the labels' last join.
    at = glued
    for i in range(glued + 1, min(len(words), glued + 1 + _GLUE_REACH)):
        if _JOIN.search(words[i]):
            at = i
            break
    joins = list(_JOIN.finditer(words[at]))
    rest = " ".join([words[at][joins[-1].start() :], *words[at + 1 :]])
    return rest if len(rest.split()) >= _MIN_WORDS_LEFT else text


@lru_cache(maxsize=16384)  # pure, and asked again for each view of a story that is merged
def trim_sentence(sentence: str) -> str:
    """The sentence without glued share-bar labels, its dateline, a leading connective and figure-free
    bracketed asides."""
    text = _drop_glued_labels(" ".join(sentence.split()))
    text = _drop_prefix(text, _DATELINE)
    text = _drop_prefix(text, _CONNECTIVE)
    trimmed = _ASIDE.sub("", text)
    if len(trimmed.split()) >= _MIN_WORDS_LEFT:
        text = trimmed
    return text.strip()


def is_compression_of(trimmed: str, source: str) -> bool:
    """True when every word of `trimmed` appears in `source` in the same order (case aside), and no
    negation of the source was left out on the way ("was not damaged" never becomes "was damaged")."""
    wanted = [w.lower() for w in _WORDS.findall(_JOIN.sub(" ", trimmed))]
    have = [w.lower() for w in _WORDS.findall(_JOIN.sub(" ", source))]
    at = 0
    for word in wanted:
        while at < len(have) and have[at] != word:
            if have[at] in _NEGATIONS:
                return False
            at += 1
        if at == len(have):
            return False
        at += 1
    return True
