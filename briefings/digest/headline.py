"""A story's headline: an article's own title, else the opening of its lead sentence."""

from __future__ import annotations

import re

from briefings.digest.scoring import Candidate
from briefings.digest.selection import shorten
from briefings.models import ArticleAnalysis

MAX_HEADLINE_WORDS = 14
MIN_HEADLINE_WORDS = 5
# Where a lead sentence can end early and still say something whole: before a clause or an aside.
_CLAUSE_BREAK = re.compile(r",\s|\s[-–—]\s|;\s|:\s|\s(?:which|who|after|as|while|because|following|amid)\s")


def _title(analyses: list[ArticleAnalysis]) -> str | None:
    # The newest report's title names the story as it stands now.
    for analysis in reversed(analyses):
        title = " ".join((analysis.article.title or "").split())
        if title:
            return title
    return None


def headline_from_sentence(sentence: str) -> str:
    """A headline cut from a sentence: its main clause when that is short enough, else its first words."""
    text = sentence.strip().rstrip(".!")
    if len(text.split()) <= MAX_HEADLINE_WORDS:
        return text
    for match in _CLAUSE_BREAK.finditer(text):
        head = text[: match.start()]
        n = len(head.split())
        if n > MAX_HEADLINE_WORDS:
            break
        if n >= MIN_HEADLINE_WORDS:
            return head
    return shorten(text, MAX_HEADLINE_WORDS)


def make_headline(analyses: list[ArticleAnalysis], lead: list[Candidate]) -> str:
    """The newest article title, else a headline cut from the digest's first sentence (its lead)."""
    title = _title(analyses)
    if title:
        return title
    if lead:
        return headline_from_sentence(lead[0].text)
    return analyses[-1].article.source if analyses else ""
