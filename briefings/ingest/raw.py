"""An article as a reader found it, before cleaning and analysis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from briefings.ingest.controls import clean_controls, clean_field, clean_url


@dataclass
class RawArticle:
    """The text and metadata of one article as its source gave them, less its control characters.

    Every reader (files, pages, feeds, linked pages) builds one, so this is where NUL and the other control
    characters are taken out, whatever the path: nothing read from outside reaches a store or a channel with
    them. The text keeps its length (one character for one), so offsets into it are offsets into the source.
    """

    source: str
    text: str
    title: str | None = None
    published: datetime | None = None
    url: str | None = None
    outlet: str | None = None

    def __post_init__(self) -> None:
        self.text = clean_controls(self.text)
        self.title = clean_field(self.title)
        self.url = clean_url(self.url)
        self.outlet = clean_field(self.outlet)
