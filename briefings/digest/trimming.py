"""Trim a source sentence for a digest without changing what it says: only whole pieces are dropped.

Dropped: a dateline or a caption label at the start ("Washington:", "(CNN) --", "LONDON (Reuters) -"),
a leading connective that points at a sentence the reader will not see ("But", "However,"), and short
asides in brackets that carry no figure ("(pictured)"). Everything left is the source's own words, in
order, so a trimmed sentence is always a word-subsequence of its source (`is_compression_of`).
"""

from __future__ import annotations

import re

_AGENCY = r"\((?:[A-Z][\w.&]*\s?){1,3}\)"
_DATELINE = re.compile(
    # "(CNN)", "(CNN) --"
    rf"^{_AGENCY}\s*(?:--|—|–|-|:)?\s*"
    # "LONDON -", "BEIRUT, Lebanon (AP) —", "NEW YORK, Jan 7 (Reuters) -": a city in capitals
    rf"|^[A-Z][A-Z.'’&-]+(?:\s[A-Z][A-Z.'’&-]+){{0,2}}(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?"
    rf"(?:,?\s[A-Z][a-z]{{2,8}}\.?\s\d{{1,2}})?\s*(?:{_AGENCY})?\s*(?:--|—|–|-|:)\s+"
    # "Washington:", "Abuja (Reuters) -": a capitalised name before a colon, or before an agency and a dash
    rf"|^(?:[A-Z][\w.'’&-]*\s){{0,2}}[A-Z][\w.'’&-]*(?:\s*{_AGENCY}\s*(?:--|—|–|-)|:)\s+"
)
_CONNECTIVE = re.compile(r"^(?:But|And|So|Yet|However,|Meanwhile,|Also,|Still,|Now,)\s+(?=\S)")
# A short aside in brackets, no digits inside: (pictured), (left), (CNN).
_ASIDE = re.compile(r"\s*\((?:[^()\d]{1,30})\)(?=[\s,.;:!?]|$)")
_WORDS = re.compile(r"[^\W_]+")
_MIN_WORDS_LEFT = 4
_NEGATIONS = frozenset(["not", "no", "never", "nor", "neither", "without", "t", "none", "nobody", "nothing"])


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


def trim_sentence(sentence: str) -> str:
    """The sentence without its dateline, leading connective and figure-free bracketed asides."""
    text = " ".join(sentence.split())
    text = _drop_prefix(text, _DATELINE)
    text = _drop_prefix(text, _CONNECTIVE)
    trimmed = _ASIDE.sub("", text)
    if len(trimmed.split()) >= _MIN_WORDS_LEFT:
        text = trimmed
    return text.strip()


def is_compression_of(trimmed: str, source: str) -> bool:
    """True when every word of `trimmed` appears in `source` in the same order (case aside), and no
    negation of the source was left out on the way ("was not damaged" never becomes "was damaged")."""
    wanted = [w.lower() for w in _WORDS.findall(trimmed)]
    have = [w.lower() for w in _WORDS.findall(source)]
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
