"""Say where a story's sources disagree, in one sentence per disputed figure, each figure with its source."""

from __future__ import annotations

from briefings.models import Disagreement, SourcedClaim, Story

SHORT_CLAIM_WORDS = 4
# More figures than this are counted, not listed: the digest has 120 words in all.
MAX_FIGURES = 3


def claim_source(claim: SourcedClaim, outlets: dict[str, str]) -> str:
    """Who gives a figure: the source the text names, else the outlet that reported it."""
    return claim.claim.attributed_to or outlets.get(claim.article) or claim.article


def outlet_names(story: Story) -> dict[str, str]:
    """Article id → the name to cite it by: its outlet, else its title, else where it was read from."""
    return {ref.id: ref.outlet or ref.title or ref.source for ref in story.sources}


def _figure(claim: SourcedClaim) -> str:
    # "no victims" says more than "no"; a whole clause ("at least 80 soldiers were killed") is too long.
    text = " ".join(claim.claim.text.split())
    return text if len(text.split()) <= SHORT_CLAIM_WORDS else claim.claim.quantity


def _figures(disagreement: Disagreement, outlets: dict[str, str]) -> list[tuple[str, str]]:
    """(figure, source) once each: one source giving one figure twice is one figure.

    Within a single article only figures it attributes to someone dispute each other: an article's own
    unattributed numbers count different things, it does not contradict itself.
    """
    claims = disagreement.claims
    if len({c.article for c in claims}) == 1:
        claims = [c for c in claims if c.claim.attributed_to]
    figures: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for claim in claims:
        source = claim_source(claim, outlets)
        key = (claim.claim.quantity.casefold(), source.casefold())
        if key not in seen:
            seen.add(key)
            figures.append((_figure(claim), source))
    return figures


def describe_disagreement(disagreement: Disagreement, outlets: dict[str, str]) -> str:
    """'Sources disagree: soldiers killed — "at least 80" (State TV) vs. "none" (the ministry).'"""
    figures = _figures(disagreement, outlets)
    shown = [f"“{figure}” ({source})" for figure, source in figures[:MAX_FIGURES]]
    more = len(figures) - MAX_FIGURES
    about = disagreement.about or "figures"
    return f"Sources disagree: {about} — {' vs. '.join(shown)}" + (f" (+{more} more)." if more > 0 else ".")


def is_dispute(disagreement: Disagreement, outlets: dict[str, str]) -> bool:
    """Whether at least two different sources give the figures (else it is one source's own numbers)."""
    return len({source.casefold() for _, source in _figures(disagreement, outlets)}) >= 2


def disagreement_sentences(story: Story) -> list[str]:
    """One sentence per figure the story's sources dispute, in the order the story lists them."""
    outlets = outlet_names(story)
    return [describe_disagreement(d, outlets) for d in story.disagreements if is_dispute(d, outlets)]
