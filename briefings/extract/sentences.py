"""Sentences of a parsed article."""

from __future__ import annotations

from spacy.tokens import Doc

from briefings.models import Sentence


def extract_sentences(doc: Doc) -> list[Sentence]:
    """The sentences of a document, with surrounding white space trimmed from their offsets."""
    sentences: list[Sentence] = []
    for sent in doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(text) - len(text.lstrip()))
        sentences.append(
            Sentence(index=len(sentences), start=start, end=start + len(stripped), text=stripped)
        )
    return sentences


def sentence_at(sentences: list[Sentence], position: int) -> int:
    """The index of the sentence that holds a character position (the last one before it, if none does)."""
    lo, hi = 0, len(sentences) - 1
    found = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if sentences[mid].start <= position:
            found = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return found
