"""Quoted spans of a text: quotation marks paired the way news copy uses them, scraper damage included.

Works on characters alone (no parse), so that the quote extractor can map each span onto the tokens of the
one spaCy parse. Straight, curly and doubled-apostrophe (``''``) marks may be mixed and unbalanced; a quote
may run across a line break (a scraper split the paragraph) or continue in the next paragraph that opens
with a new mark (the news convention for long quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Double marks first so that '' is one mark, not two apostrophes.
_DOUBLE_MARK = re.compile(r"''|``|[\"“”„‟«»]")
_SINGLE_MARK = re.compile(r"[‘’'‚‛]")
_OPENERS = frozenset("“„‟«`")
_CLOSERS = frozenset("”»")
# Characters before an opening mark / after a closing mark that show which way a straight mark faces.
_BEFORE_OPEN = frozenset("([{—–-/:")
_AFTER_CLOSE = frozenset(".,;:!?)]}—–-…/")
# A top-level single-quoted span longer than this is an apostrophe mismatch, not a quote.
_MAX_SINGLE_SPAN = 300


@dataclass(frozen=True)
class QuotedSpan:
    """Text between quotation marks: `start`/`end` include the marks, `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True
    # The quote goes on in the next paragraph, which opens with a new mark (no closing mark here).
    continues: bool = False
    single: bool = False


@dataclass(frozen=True)
class _Mark:
    position: int
    length: int
    facing: str  # "open", "close" or "either"


def _facing(text: str, position: int, length: int) -> str:
    """Whether a straight mark opens or closes, judged by the characters around it."""
    before = text[position - 1] if position > 0 else "\n"
    after = text[position + length] if position + length < len(text) else "\n"
    opens = (before.isspace() or before in _BEFORE_OPEN or before in _OPENERS) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in _AFTER_CLOSE or after in _CLOSERS)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _double_marks(text: str) -> list[_Mark]:
    marks: list[_Mark] = []
    for match in _DOUBLE_MARK.finditer(text):
        mark = match.group()
        facing = _facing(text, match.start(), len(mark))
        # Curly marks face the way they are drawn unless the text around them plainly says otherwise
        # (scrapers and phone keyboards put “ at the end of a quote and ” at its start).
        if mark in _OPENERS or mark == "``":
            facing = "close" if facing == "close" else "open"
        elif mark in _CLOSERS:
            facing = "open" if facing == "open" else "close"
        marks.append(_Mark(match.start(), len(mark), facing))
    return marks


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _next_line_opens_quote(text: str, line_end: int, marks: list[_Mark], index: int) -> bool:
    """Whether the paragraph after `line_end` starts with an opening mark (a continued quote)."""
    rest = text[line_end:].lstrip()
    start = len(text) - len(rest)
    return index < len(marks) and marks[index].position == start and marks[index].facing != "close"


def _close_before_open_on_next_line(text: str, line_end: int, marks: list[_Mark], index: int) -> bool:
    """Whether the next line closes a quote before it opens one (the paragraph was split inside a quote)."""
    next_end = _line_end(text, line_end + 1)
    for mark in marks[index:]:
        if mark.position >= next_end:
            return False
        if mark.position <= line_end:
            continue
        return mark.facing == "close" or (
            mark.facing == "either" and _facing(text, mark.position, mark.length) != "open"
        )
    return False


def _nested_quote_end(text: str, marks: list[_Mark], index: int) -> int | None:
    """The index of the mark closing a quote nested at `index`, when two closings follow it on its line."""
    line_end = _line_end(text, marks[index].position)
    closings: list[int] = []
    for later in range(index + 1, len(marks)):
        mark = marks[later]
        if mark.position > line_end or mark.facing == "open":
            break
        closings.append(later)
    return closings[0] if len(closings) >= 2 else None


def _double_spans(text: str) -> list[QuotedSpan]:
    marks = _double_marks(text)
    spans: list[QuotedSpan] = []
    opened: _Mark | None = None
    index = 0
    while index < len(marks):
        mark = marks[index]
        index += 1
        if opened is not None:
            line_end = _line_end(text, opened.position)
            if mark.position > line_end:
                # The quote reached the end of its paragraph unclosed.
                continues = _next_line_opens_quote(text, line_end, marks, index - 1)
                if (
                    not continues
                    and mark.facing != "open"
                    and _close_before_open_on_next_line(text, line_end, marks, index - 1)
                ):
                    # Split paragraph: keep reading to the closing mark on the next line.
                    spans.append(_closed_span(opened, mark))
                    opened = None
                    continue
                inner_end = len(text[:line_end].rstrip())
                spans.append(
                    QuotedSpan(
                        opened.position,
                        inner_end,
                        opened.position + opened.length,
                        inner_end,
                        closed=False,
                        continues=continues,
                    )
                )
                opened = None
        if opened is None:
            if mark.facing != "close":
                opened = mark
            continue
        if mark.facing == "open":
            nested_end = _nested_quote_end(text, marks, index - 1)
            if nested_end is not None:
                # A quote inside the quote ("… the question: “As you know …” …"): read past it.
                index = nested_end + 1
                continue
            # Two openings in one paragraph: the first was a stray mark; the quote starts again here.
            opened = mark
            continue
        spans.append(_closed_span(opened, mark))
        opened = None
    if opened is not None:
        line_end = _line_end(text, opened.position)
        inner_end = len(text[:line_end].rstrip())
        spans.append(
            QuotedSpan(opened.position, inner_end, opened.position + opened.length, inner_end, closed=False)
        )
    return [span for span in spans if span.inner_end > span.inner_start]


def _closed_span(opened: _Mark, closing: _Mark) -> QuotedSpan:
    return QuotedSpan(
        opened.position,
        closing.position + closing.length,
        opened.position + opened.length,
        closing.position,
    )


def _single_spans(text: str, outside: list[tuple[int, int]]) -> list[QuotedSpan]:
    """Single-quoted spans outside double quotes (headlines, some house styles); apostrophes are skipped."""
    spans: list[QuotedSpan] = []
    opened: int | None = None
    blocked = iter(outside)
    block = next(blocked, None)
    for match in _SINGLE_MARK.finditer(text):
        position = match.start()
        while block is not None and block[1] <= position:
            block = next(blocked, None)
        if block is not None and block[0] <= position < block[1]:
            continue
        mark = match.group()
        before = text[position - 1] if position > 0 else "\n"
        after = text[position + 1] if position + 1 < len(text) else "\n"
        if opened is not None and (position - opened > _MAX_SINGLE_SPAN or "\n" in text[opened:position]):
            opened = None
        can_open = (mark in "‘‚‛" or before.isspace() or before in _BEFORE_OPEN or position == 0) and (
            after.isalpha() or after in '“"'
        )
        can_close = (
            mark != "‘"
            and not before.isspace()
            and (after.isspace() or after in _AFTER_CLOSE or after in '”"')
        )
        if opened is not None and can_close:
            spans.append(QuotedSpan(opened, position + 1, opened + 1, position, single=True))
            opened = None
        elif can_open and opened is None:
            opened = position
    return spans


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Every quoted span of a text, in order; quotes nested inside another quote are not listed."""
    doubles = _double_spans(text)
    singles = _single_spans(text, [(span.start, span.end) for span in doubles])
    return sorted(doubles + singles, key=lambda span: span.start)
