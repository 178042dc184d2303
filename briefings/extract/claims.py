"""Claims: numbers, what they count and who claims them."""

from __future__ import annotations

from spacy.tokens import Doc

from briefings.models import Actor, Claim, Sentence


def extract_claims(doc: Doc, sentences: list[Sentence], actors: list[Actor]) -> list[Claim]:
    """Numeric claims with what they count and the source that claims them."""
    return []
