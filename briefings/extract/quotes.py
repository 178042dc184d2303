"""Quotes: direct and reported speech with their speakers."""

from __future__ import annotations

from spacy.tokens import Doc

from briefings.models import Actor, Quote, Sentence


def extract_quotes(doc: Doc, sentences: list[Sentence], actors: list[Actor]) -> list[Quote]:
    """Quotes with their speakers, named by the canonical names of the actors."""
    return []
