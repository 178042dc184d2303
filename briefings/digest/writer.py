"""Digest writers behind one interface: the extractive writer now, an LLM writer possibly later.

A writer turns a merged story and its articles into a `DigestDraft`: a headline and sentences that each
say where they come from. `unsupported_sentences` checks a draft against the sources, so any writer's
output can be verified before it is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from briefings.digest.disagreements import dispute_lines, repeats_a_figure
from briefings.digest.headline import make_headline
from briefings.digest.references import shorten_second_references
from briefings.digest.scoring import latest_articles, score_candidates
from briefings.digest.selection import select_sentences
from briefings.digest.text import word_count
from briefings.digest.trimming import is_compression_of
from briefings.models import ArticleAnalysis, Story

MAX_DIGEST_WORDS = 120
# The disputed figures come first in the budget, but never crowd out the story itself.
MAX_DISAGREEMENT_WORDS = 50

SentenceKind = Literal["extract", "disagreement"]


@dataclass(frozen=True)
class DigestSentence:
    """One sentence of a digest, with the articles and the source sentence it comes from."""

    text: str
    articles: tuple[str, ...]
    kind: SentenceKind = "extract"
    source: str | None = None  # for an extract: the article sentence it was trimmed from


@dataclass(frozen=True)
class DigestDraft:
    """A headline and digest sentences, as a writer proposes them."""

    headline: str
    sentences: list[DigestSentence] = field(default_factory=list)

    def texts(self) -> list[str]:
        """The digest's sentences as plain text."""
        return [s.text for s in self.sentences]

    def words(self) -> int:
        """How many words the digest sentences hold in all."""
        return sum(word_count(s.text) for s in self.sentences)


class DigestWriter(Protocol):
    """Anything that writes a digest draft for a story from its articles."""

    def write(self, story: Story, analyses: list[ArticleAnalysis]) -> DigestDraft:
        """A headline and at most `MAX_DIGEST_WORDS` words of digest for the story."""
        ...


@dataclass(frozen=True)
class ExtractiveWriter:
    """Digest from the story's own sentences, trimmed, plus one line per disputed figure: offline, exact."""

    max_words: int = MAX_DIGEST_WORDS

    def write(self, story: Story, analyses: list[ArticleAnalysis]) -> DigestDraft:
        """The best source sentences that fit the budget, then where sources disagree."""
        disputes: list[DigestSentence] = []
        shown = []
        dispute_words = 0
        for line in dispute_lines(story):
            n = word_count(line.text)
            if dispute_words + n > min(MAX_DISAGREEMENT_WORDS, self.max_words // 2):
                break
            shown.append(line)
            disputes.append(DigestSentence(text=line.text, articles=line.articles(), kind="disagreement"))
            dispute_words += n
        # Newest report first: the digest leads with the latest development of a story told over time.
        latest = latest_articles(analyses)
        newest_first = sorted(analyses, key=lambda a: a.article.id not in latest)
        # A figure the disagreement lines give, with its source, is not said again beside them.
        candidates = [
            c
            for c in score_candidates(story, newest_first)
            if not repeats_a_figure(shown, c.article, c.sentence, c.source)
        ]
        chosen = select_sentences(candidates, self.max_words - dispute_words, lead_from=latest)
        texts = shorten_second_references([c.text for c in chosen], story.actors)
        extracts = [
            DigestSentence(text=text, articles=(c.article,), source=c.source)
            for c, text in zip(chosen, texts, strict=True)
        ]
        return DigestDraft(headline=make_headline(analyses, chosen), sentences=extracts + disputes)


def unsupported_sentences(draft: DigestDraft, analyses: list[ArticleAnalysis]) -> list[DigestSentence]:
    """The extract sentences of a draft that are not a word-for-word compression of a sentence of theirs."""
    sentences = {a.article.id: [s.text for s in a.sentences] for a in analyses}
    unsupported = []
    for sentence in draft.sentences:
        if sentence.kind != "extract":
            continue
        sources = [s for article in sentence.articles for s in sentences.get(article, [])]
        if not any(is_compression_of(sentence.text, source) for source in sources):
            unsupported.append(sentence)
    return unsupported
