"""A long text cut into sections of bounded size at paragraph boundaries, which put together are the text.

spaCy's memory grows with the tokens it parses at once: one 490,000-character article took 1.6 GB in its
tok2vec layer alone. Parsed section by section, the same article stays within a few hundred MB; the
sections are cut where the text itself breaks (a blank line, else a line end, else a sentence end, else a
space), so each parse sees whole paragraphs and the sections joined again are the text, character for
character: every offset found in a section is an offset into the text.
"""

from __future__ import annotations

import re

# A sentence end: ., ! or ? (a closing quote or bracket may follow), white space, then what opens a
# sentence. The word before must be longer than an initial or "Mr" ("Mr. Smith" is no sentence end).
_SENTENCE_END = re.compile(r"(?<=\w{3}[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def _cut(text: str, start: int, limit: int) -> int:
    """Where the section starting at `start` ends: the last good break within `limit` characters."""
    end = start + limit
    if end >= len(text):
        return len(text)
    floor = start + limit // 4  # a break too near the start would make a tiny section: look for a better one
    for separator in ("\n\n", "\n"):
        at = text.rfind(separator, floor, end)
        if at >= 0:
            return at + len(separator)
    window = text[floor:end]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends:
        return floor + ends[-1]
    at = max(text.rfind(" ", floor, end), text.rfind("\t", floor, end))
    return at + 1 if at >= 0 else end  # one "word" longer than a section: cut inside it


def text_sections(text: str, limit: int) -> list[str]:
    """The text as sections of at most `limit` characters, cut at paragraph (or sentence, or word) ends."""
    if limit <= 0:
        raise ValueError(f"a section must be allowed at least one character, not {limit}")
    sections: list[str] = []
    start = 0
    while start < len(text):
        end = _cut(text, start, limit)
        sections.append(text[start:end])
        start = end
    return sections or [text]
