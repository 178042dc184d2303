"""Map character offsets in cleaned text back to the text as it was read."""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class OffsetMap:
    """Piecewise-linear map from positions in a cleaned text to positions in its source text.

    Cleaning changes only a few places of a text (an escape removed, an entity decoded), so the map keeps
    one breakpoint per change instead of one number per character.
    """

    __slots__ = ("_clean", "_source")

    def __init__(self, breakpoints: list[tuple[int, int]] | None = None) -> None:
        points = sorted(breakpoints or [(0, 0)])
        if points[0][0] != 0:
            points.insert(0, (0, 0))
        self._clean = [c for c, _ in points]
        self._source = [s for _, s in points]

    @classmethod
    def identity(cls) -> OffsetMap:
        """The map of a text that cleaning left as it was."""
        return cls()

    def to_source(self, position: int) -> int:
        """The source position of a position in the cleaned text."""
        i = bisect_right(self._clean, position) - 1
        return self._source[i] + (position - self._clean[i])

    def to_source_end(self, position: int) -> int:
        """The source position of a cleaned position that ends a span: before what cleaning removed there."""
        i = bisect_left(self._clean, position)
        if i < len(self._clean) and self._clean[i] == position:
            return self._source[i]
        return self._source[i - 1] + (position - self._clean[i - 1])

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """The source span of a span in the cleaned text."""
        return self.to_source(start), self.to_source_end(end)

    @property
    def is_identity(self) -> bool:
        """True when cleaned and source positions are the same everywhere."""
        return all(c == s for c, s in zip(self._clean, self._source, strict=True))

    def __repr__(self) -> str:
        return f"OffsetMap({list(zip(self._clean, self._source, strict=True))!r})"
