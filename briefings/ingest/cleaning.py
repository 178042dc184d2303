"""Clean article text for the language pipeline while keeping a map back to the original offsets.

What is cleaned: stray backslash escapes (`\\'`), invisible characters that split words for the tokenizer,
HTML entities left in plain text (`&amp;`, `&#8217;`), and odd spaces and control characters. What is
kept: everything else, smart quotes and line breaks included, so that offsets stay meaningful.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.entities import html5 as html5_entities

from briefings.offsets import OffsetMap

# Backslash escapes left by scrapers and double-encoded JSON: \' \" \n written out as two characters.
_ESCAPES = {"\\'": "'", '\\"': '"', "\\n": "\n", "\\t": " "}
# Zero-width characters, the soft hyphen, the byte-order mark and bidirectional controls: they are
# invisible to a reader but split or glue words for the tokenizer.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# Spaces of other widths, and control characters other than tab and line breaks: one space each.
_ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_LINE_SEPARATORS = "\u2028\u2029\x85"
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"

_PATTERN = re.compile(
    "|".join(
        [
            r"\\['\"nt]",
            _ENTITY,
            f"[{_INVISIBLE}]+",
            f"[{_ODD_SPACES}]",
            f"[{_LINE_SEPARATORS}]",
        ]
    )
)
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")
_ODD_SPACE_CHAR = re.compile(f"[{_ODD_SPACES}]")
_LINE_SEPARATOR_CHAR = re.compile(f"[{_LINE_SEPARATORS}]")


@dataclass(frozen=True)
class CleanText:
    """Cleaned text with the map from its offsets back to the source's."""

    text: str
    offsets: OffsetMap


def _normalise_chars(text: str) -> str:
    text = _INVISIBLE_CHAR.sub("", text)
    text = _ODD_SPACE_CHAR.sub(" ", text)
    return _LINE_SEPARATOR_CHAR.sub("\n", text)


def _replacement(found: str) -> str:
    if found in _ESCAPES:
        return _ESCAPES[found]
    if found.startswith("&"):
        if found[1] != "#" and found[1:] not in html5_entities:
            return found  # not an entity, though it looks like one ("&ampx;" must not become "&x;")
        decoded = html.unescape(found)
        # An entity for a control or invisible character is cleaned like the character itself.
        return _normalise_chars(decoded) if decoded != found else found
    return _normalise_chars(found)


def clean_text(source: str) -> CleanText:
    """Clean a text and map its offsets back: a span [s, e) of the result is `offsets.span_to_source(s, e)`.

    Each change is recorded by two breakpoints, where it starts and where it ends, so that a span starting
    right after a removed character starts after it in the source, and a span ending right before one ends
    before it.
    """
    pieces: list[str] = []
    breakpoints: list[tuple[int, int]] = [(0, 0)]
    last = 0
    clean_len = 0
    for match in _PATTERN.finditer(source):
        found = match.group()
        replacement = _replacement(found)
        if replacement == found:
            continue
        unchanged = source[last : match.start()]
        pieces.append(unchanged)
        clean_len += len(unchanged)
        if len(replacement) != len(found):
            breakpoints.append((clean_len, match.start()))
            breakpoints.append((clean_len + len(replacement), match.end()))
        pieces.append(replacement)
        clean_len += len(replacement)
        last = match.end()
    pieces.append(source[last:])
    return CleanText(text="".join(pieces), offsets=OffsetMap(breakpoints))
