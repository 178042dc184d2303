"""Temporal expressions: a rule grammar over the text, checked against the parse and normalised to TIMEX3."""

from __future__ import annotations

from briefings.extract.temporal.extract import extract_times

__all__ = ["extract_times"]
