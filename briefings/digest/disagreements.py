"""Say where a story's sources disagree, in one sentence per disputed figure, each figure with its source."""

from __future__ import annotations

from briefings.models import Disagreement, SourcedClaim, Story

SHORT_CLAIM_WORDS = 4


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


def describe_disagreement(disagreement: Disagreement, outlets: dict[str, str]) -> str:
    """'Sources disagree: soldiers killed — "at least 80" (State TV) vs. "none" (the ministry).'"""
    figures = []
    seen: set[tuple[str, str]] = set()
    for claim in disagreement.claims:
        source = claim_source(claim, outlets)
        key = (claim.claim.quantity.casefold(), source.casefold())
        if key in seen:
            continue
        seen.add(key)
        figures.append(f"“{_figure(claim)}” ({source})")
    about = disagreement.about or "figures"
    return f"Sources disagree: {about} — {' vs. '.join(figures)}."


def disagreement_sentences(story: Story) -> list[str]:
    """One sentence per disputed figure of the story, in the order the story lists them."""
    outlets = outlet_names(story)
    return [describe_disagreement(d, outlets) for d in story.disagreements if len(d.claims) >= 2]
