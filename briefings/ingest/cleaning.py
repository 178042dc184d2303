"""Clean article text for the language pipeline while keeping a map back to the original offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.offsets import OffsetMap

# Stray backslash escapes left by scrapers and JSON double-encoding: \' \" \n written out as two characters.
_ESCAPES = {"\\'": "'", '\\"': '"', "\\n": "\n", "\\t": " "}
# Zero-width and other invisible characters that split words for the tokenizer.
_INVISIBLE = {"\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": ""}
_PATTERN = re.compile("|".join(re.escape(k) for k in (*_ESCAPES, *_INVISIBLE)))
_REPLACEMENTS = {**_ESCAPES, **_INVISIBLE}


@dataclass(frozen=True)
class CleanText:
    """Cleaned text with the map from its offsets back to the source's."""

    text: str
    offsets: OffsetMap


def clean_text(source: str) -> CleanText:
    """Remove stray escapes and invisible characters; non-breaking spaces become spaces (same length)."""
    pieces: list[str] = []
    breakpoints: list[tuple[int, int]] = [(0, 0)]
    last = 0
    clean_len = 0
    for match in _PATTERN.finditer(source):
        chunk = source[last : match.start()]
        pieces.append(chunk)
        clean_len += len(chunk)
        replacement = _REPLACEMENTS[match.group()]
        pieces.append(replacement)
        clean_len += len(replacement)
        last = match.end()
        breakpoints.append((clean_len, last))
    pieces.append(source[last:])
    text = "".join(pieces).replace("\u00a0", " ")
    return CleanText(text=text, offsets=OffsetMap(breakpoints))
