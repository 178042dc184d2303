"""An article as a reader found it, before cleaning and analysis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class RawArticle:
    """The text and metadata of one article exactly as its source gave them."""

    source: str
    text: str
    title: str | None = None
    published: datetime | None = None
    url: str | None = None
    outlet: str | None = None
