"""Temporal expressions normalised to TIMEX3 values against the publication time."""

from __future__ import annotations

from datetime import datetime

from spacy.tokens import Doc

from briefings.models import Sentence, TimeExpression


def extract_times(doc: Doc, sentences: list[Sentence], published: datetime | None) -> list[TimeExpression]:
    """Every temporal expression of the document with its TIMEX3 type and value."""
    return []
