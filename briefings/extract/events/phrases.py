"""Short phrases cut from the parse: a token's subtree, without side clauses, within a word limit.

Every phrase is made of the sentence's own words in their order; pruning only leaves words out.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from briefings.extract.page_dates import MAX_URL_CHARS, url_header_end

# Side clauses that never belong in a short phrase.
SIDE_CLAUSES = frozenset({"relcl", "parataxis", "advcl", "ccomp", "csubj", "punct_edge"})
# Attachments that may go when a phrase is too long, the rightmost first.
OPTIONAL = frozenset({"prep", "appos", "acl", "relcl", "conj", "cc", "advmod", "npadvmod", "dative", "agent"})
_EDGE_PUNCT = frozenset("\"'“”‘’`,;:-–—()[]")


def _collect(
    root: Token, skip: set[int], drop: frozenset[str], keep: frozenset[int] = frozenset()
) -> list[Token]:
    """The subtree of `root` without the subtrees of dependents listed in `skip` or (unless listed in `keep`)
    whose relation is in `drop`."""
    kept: list[Token] = []
    stack = [root]
    while stack:
        token = stack.pop()
        kept.append(token)
        for child in token.children:
            if child.i in skip or (child.dep_ in drop and child.i not in keep):
                continue
            stack.append(child)
    kept.sort(key=lambda t: t.i)
    return kept


def _is_edge(token: Token) -> bool:
    return token.is_space or token.text in _EDGE_PUNCT or token.pos_ == "CCONJ"


def _trim(tokens: list[Token]) -> list[Token]:
    """Without conjunctions, quote marks and commas at either end."""
    start, end = 0, len(tokens)
    while start < end and _is_edge(tokens[start]):
        start += 1
    while end > start and (_is_edge(tokens[end - 1]) or tokens[end - 1].pos_ in ("SCONJ", "ADP", "DET")):
        end -= 1
    return tokens[start:end]


def _shrink(root: Token, tokens: list[Token], limit: int) -> list[Token]:
    """Leave out optional attachments, the rightmost first, until at most `limit` words remain."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if len(words) <= limit:
        return tokens
    present = {t.i for t in tokens}
    candidates = [t for t in tokens if t.i != root.i and t.dep_ in OPTIONAL and t.head.i in present]
    removed: set[int] = set()
    for candidate in sorted(candidates, key=lambda t: -t.i):
        if candidate.i in removed:
            continue
        sub = {t.i for t in candidate.subtree} & present
        if root.i in sub:
            continue
        removed |= sub
        remaining = [t for t in tokens if t.i not in removed]
        if sum(1 for t in remaining if not t.is_punct and not t.is_space) <= limit:
            return remaining
    remaining = [t for t in tokens if t.i not in removed]
    # Still too long: keep the words around the root, up to the limit.
    cut: list[Token] = []
    count = 0
    for token in remaining:
        if not token.is_punct and not token.is_space:
            count += 1
        if count > limit and token.i > root.i:
            break
        cut.append(token)
    return cut


_CLOSING_PUNCT = frozenset(",.;:!?")


def render(tokens: Iterable[Token]) -> str:
    """The words of `tokens` as they read in the text, one space where words were left out.

    A comma next to a gap goes with the words left out ("Soleimani, who ..., was killed").
    """
    kept = list(tokens)
    parts: list[str] = []
    previous: Token | None = None
    for n, token in enumerate(kept):
        if token.text == ",":
            next_token = kept[n + 1] if n + 1 < len(kept) else None
            if (
                previous is None
                or previous.i != token.i - 1
                or next_token is None
                or next_token.i != token.i + 1
            ):
                continue
        if previous is not None:
            if token.i == previous.i + 1:
                parts.append(previous.whitespace_)
            elif token.text not in _CLOSING_PUNCT:
                parts.append(" ")
        parts.append(token.text)
        previous = token
    return " ".join("".join(parts).split())


_ADDRESS_END_KEY = "briefbot.address_end"


def address_end(doc: Doc) -> int:
    """The first token after a web address the text opens with ("http: / / site. com / a - b Title …"),
    0 when it opens with none: a spaced-out address is parsed as words of the title that follows it."""
    found = doc.user_data.get(_ADDRESS_END_KEY)
    if isinstance(found, int):
        return found
    first = next((t for t in doc[:3] if not t.is_space), None)
    end = (
        url_header_end(doc[: min(len(doc), MAX_URL_CHARS)].text)
        if first and first.lower_.startswith("http")
        else 0
    )
    token = next((t.i for t in doc if t.idx >= end), len(doc)) if end else 0
    doc.user_data[_ADDRESS_END_KEY] = token
    return token


def phrase_tokens(
    root: Token,
    limit: int = 12,
    drop: frozenset[str] = SIDE_CLAUSES,
    skip: Iterable[int] = (),
    keep: frozenset[int] = frozenset(),
) -> list[Token]:
    """The tokens of a short phrase headed by `root` (see `phrase`); never words of the web address the
    text opens with (none at all when the root is one)."""
    tokens = _collect(root, set(skip), drop, keep)
    start = address_end(root.doc)
    if start and root.i < start:
        return []  # a word of the address ("com / celebrities") names no one and nothing that happened
    if start:
        tokens = [t for t in tokens if t.i >= start]
    tokens = _trim(tokens)
    tokens = _shrink(root, tokens, limit)
    return _trim(tokens)


def phrase(
    root: Token, limit: int = 12, drop: frozenset[str] = SIDE_CLAUSES, skip: Iterable[int] = ()
) -> str:
    """A short phrase headed by `root`: its subtree without side clauses, shrunk to about `limit` words."""
    return render(phrase_tokens(root, limit, drop, skip))


def word_count(tokens: Iterable[Token]) -> int:
    """How many words (not punctuation or space) `tokens` hold."""
    return sum(1 for t in tokens if not t.is_punct and not t.is_space)
