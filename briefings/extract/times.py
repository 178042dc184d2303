"""Temporal expressions normalised to TIMEX3 values against the publication time.

The work is done in `briefings.extract.temporal`; this module keeps the pipeline's import stable.
"""

from __future__ import annotations

from briefings.extract.temporal import extract_times

__all__ = ["extract_times"]
