"""Say where a story's sources disagree, in one sentence per disputed figure, each figure with its source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

from briefings.models import Disagreement, SourcedClaim, Story

SHORT_CLAIM_WORDS = 4
# More figures than this are counted, not listed: the digest has 120 words in all.
MAX_FIGURES = 3
# Reports of one figure differ by a small factor (estimates, a toll as it rises); a figure this many times
# another counts something else (a town's people and a crowd, a budget and one grant).
MAX_DISPUTED_FACTOR = 10.0


@dataclass(frozen=True)
class DisputeLine:
    """One sentence saying where sources disagree, and the claims whose figures it gives."""

    text: str
    claims: tuple[SourcedClaim, ...]

    def articles(self) -> tuple[str, ...]:
        """The articles whose figures the line gives, once each, in the order it gives them."""
        return tuple(dict.fromkeys(c.article for c in self.claims))


def claim_source(claim: SourcedClaim, outlets: dict[str, str]) -> str:
    """Who gives a figure: the source the text names, else the outlet that reported it."""
    return claim.claim.attributed_to or outlets.get(claim.article) or claim.article


def outlet_names(story: Story) -> dict[str, str]:
    """Article id → the name to cite it by: its outlet, else its title, else where it was read from (the
    site's name of its address, or its file's name: never a whole path)."""
    return {ref.id: ref.outlet or ref.title or _read_from(ref.url or ref.source) for ref in story.sources}


def _read_from(source: str) -> str:
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.hostname:
        host = parts.hostname
        return host[4:] if host.startswith("www.") else host
    return PurePath(source).name or source


def _figure(claim: SourcedClaim) -> str:
    """The figure as its source gives it: the amount and what it counts ("about 40 firefighters"), not the
    clause around them ("leaving about 5,000 commuters", "40 firefighters fought"); "no victims" says
    more than "no", and a whole clause ("at least 80 soldiers were killed") is too long."""
    text = " ".join(claim.claim.text.split())
    counted = _amount_and_noun(text, claim.claim.quantity, claim.claim.what)
    if counted is not None:
        return counted
    return text if len(text.split()) <= SHORT_CLAIM_WORDS else claim.claim.quantity


def _amount_and_noun(text: str, quantity: str, what: str | None) -> str | None:
    """The amount and the noun it counts as the text writes them, when the noun follows the amount."""
    if not what or not quantity:
        return None
    noun = what.split()[0]
    found = re.search(
        rf"(?<![\w.,]){re.escape(quantity)}\s+(?:\S+\s+){{0,2}}?{re.escape(noun)}\b", text, re.I
    )
    return found.group() if found else None


def _figures(
    disagreement: Disagreement, outlets: dict[str, str]
) -> list[tuple[str, str, list[SourcedClaim]]]:
    """(figure, source, the claims that give it) once each: one source giving one figure twice is one figure.

    Within a single article only figures it attributes to someone dispute each other: an article's own
    unattributed numbers count different things, it does not contradict itself.
    """
    claims = _disputing(disagreement.claims)
    figures: list[tuple[str, str, list[SourcedClaim]]] = []
    seen: dict[tuple[str, str], int] = {}
    for claim in claims:
        source = claim_source(claim, outlets)
        key = (claim.claim.quantity.casefold(), source.casefold())
        if key in seen:
            figures[seen[key]][2].append(claim)
        else:
            seen[key] = len(figures)
            figures.append((_figure(claim), source, [claim]))
    return figures


def _amount(claim: SourcedClaim) -> object:
    return claim.claim.value if claim.claim.value is not None else claim.claim.quantity.casefold()


def _disputing(claims: list[SourcedClaim]) -> list[SourcedClaim]:
    """The claims that can dispute each other: a report's own figures only when it gives one amount.

    A report that gives several amounts for one thing in its own voice counts different things (the
    dead of two attacks, this year's and last year's takings): it does not contradict itself, and its
    figures say nothing against another report's. Figures it attributes to someone stay.
    """
    own: dict[str, set[object]] = {}
    for claim in claims:
        if not claim.claim.attributed_to:
            own.setdefault(claim.article, set()).add(_amount(claim))
    several = {article for article, amounts in own.items() if len(amounts) > 1}
    alone = len({c.article for c in claims}) == 1
    return [c for c in claims if c.claim.attributed_to or not (alone or c.article in several)]


def describe_disagreement(disagreement: Disagreement, outlets: dict[str, str]) -> str:
    """'Sources disagree: soldiers killed — "at least 80" (State TV) vs. "none" (the ministry).'"""
    return _line(disagreement, outlets).text


def _line(disagreement: Disagreement, outlets: dict[str, str]) -> DisputeLine:
    figures = _figures(disagreement, outlets)
    shown = figures[:MAX_FIGURES]
    more = len(figures) - MAX_FIGURES
    about = disagreement.about or "figures"
    listed = " vs. ".join(f"“{figure}” ({source})" for figure, source, _ in shown)
    text = f"Sources disagree: {about} — {listed}" + (f" (+{more} more)." if more > 0 else ".")
    return DisputeLine(text=text, claims=tuple(c for _, _, claims in shown for c in claims))


def is_dispute(disagreement: Disagreement, outlets: dict[str, str]) -> bool:
    """Whether two different sources give different amounts of one order of size (else it is one
    source's own numbers, every source gives the same, or the figures count different things)."""
    given: dict[str, set[object]] = {}
    for _, source, claims in _figures(disagreement, outlets):
        given.setdefault(source.casefold(), set()).update(_amount(c) for c in claims)
    return any(
        _contradict(a, b)
        for x, xs in given.items()
        for y, ys in given.items()
        if x < y
        for a in xs
        for b in ys
    )


def _contradict(a: object, b: object) -> bool:
    """Whether two amounts can be two sources' versions of one figure that differ: none against some,
    or two of one order of size."""
    if a == b:
        return False
    if isinstance(a, float) and isinstance(b, float) and a > 0 and b > 0:
        return max(a, b) / min(a, b) <= MAX_DISPUTED_FACTOR
    return True


def dispute_lines(story: Story) -> list[DisputeLine]:
    """One line per figure the story's sources dispute, in the order the story lists them."""
    outlets = outlet_names(story)
    return [_line(d, outlets) for d in story.disagreements if is_dispute(d, outlets)]


def disagreement_sentences(story: Story) -> list[str]:
    """One sentence per figure the story's sources dispute: what the digest and `/sources` both say."""
    return [line.text for line in dispute_lines(story)]


def _squeezed(text: str) -> str:
    return " ".join(text.casefold().split())


def repeats_a_figure(lines: list[DisputeLine], article: str, sentence: int, text: str) -> bool:
    """Whether a source sentence gives a figure one of `lines` already gives with its source: the claim's
    own sentence, or another sentence with the claim's words (a reprint, a second mention)."""
    if not lines:
        return False  # most stories have no disputed figure: no text to fold
    said = _squeezed(text)
    for line in lines:
        for sourced in line.claims:
            if sourced.article == article and sourced.claim.sentence == sentence:
                return True
            claim = _squeezed(sourced.claim.text)
            if claim and claim in said:
                return True
    return False
