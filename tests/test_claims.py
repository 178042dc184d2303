"""Claims: figures with what they count and who claims them, on short texts written for each behaviour."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from briefings.extract.actors import extract_actors
from briefings.extract.claims import extract_claims
from briefings.extract.quantities import quantity_value
from briefings.extract.quotes import extract_quotes
from briefings.extract.sentences import extract_sentences
from briefings.models import Claim

Extract = Callable[[str], list[Claim]]


@pytest.fixture(scope="module")
def claims_in(nlp: Language) -> Extract:
    def run(text: str) -> list[Claim]:
        doc = nlp(text)
        sentences = extract_sentences(doc)
        actors = extract_actors(doc, sentences)
        extract_quotes(doc, sentences, actors)
        return extract_claims(doc, sentences, actors)

    return run


def test_claim_with_a_claimant(claims_in: Extract) -> None:
    claims = claims_in("At least 40 fishermen were rescued overnight, according to the coast guard.")
    assert len(claims) == 1
    claim = claims[0]
    assert claim.quantity == "At least 40"
    assert claim.what == "fishermen rescued"
    assert claim.attributed_to is not None and "coast guard" in claim.attributed_to
    assert claim.value == 40


def test_claim_reported_by_a_speaker(claims_in: Extract) -> None:
    claims = claims_in("State radio said 12 soldiers were killed in the ambush.")
    assert [(c.quantity, c.what, c.category, c.attributed_to) for c in claims] == [
        ("12", "soldiers killed", "killed", "State radio")
    ]


def test_claim_without_a_claimant(claims_in: Extract) -> None:
    claims = claims_in("The storm destroyed 120 homes in the valley.")
    assert [(c.quantity, c.what, c.attributed_to) for c in claims] == [("120", "homes destroyed", None)]


def test_claim_inside_a_quote_belongs_to_its_speaker(claims_in: Extract) -> None:
    claims = claims_in('"We counted 17 boats in the harbour," said Tomas Reyes.')
    assert [(c.quantity, c.what, c.attributed_to) for c in claims] == [("17", "boats counted", "Tomas Reyes")]


@pytest.mark.parametrize(
    ("text", "quantity", "value"),
    [
        ("More than 300 people were evacuated from the island.", "More than 300", 300),
        ("Some 2,000 protesters marched through the square.", "Some 2,000", 2000),
        ("The flood damaged nearly a dozen bridges.", "nearly a dozen", 12),
    ],
)
def test_qualifiers_stay_in_the_quantity(claims_in: Extract, text: str, quantity: str, value: float) -> None:
    claims = claims_in(text)
    assert [(c.quantity, c.value) for c in claims] == [(quantity, value)]


def test_what_is_the_same_however_the_event_is_written(claims_in: Extract) -> None:
    texts = [
        "The attack killed 12 soldiers.",
        "Twelve soldiers died in the attack.",
        "Officials said 12 soldiers were killed.",
    ]
    whats = {c.what for text in texts for c in claims_in(text)}
    assert whats == {"soldiers killed"}


def test_no_victims_is_a_figure_of_zero(claims_in: Extract) -> None:
    claims = claims_in("The army said there were no casualties among its troops.")
    assert [(c.quantity, c.value, c.category, c.attributed_to) for c in claims] == [
        ("no", 0.0, "casualties", "The army")
    ]


def test_money_and_percentages(claims_in: Extract) -> None:
    claims = claims_in("The council raised $4.5 million. Turnout fell to 38 percent.")
    assert [(c.quantity, c.category, c.value) for c in claims] == [
        ("$4.5 million", "money", 4_500_000),
        ("38 percent", "percent", 38),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "On 12 March 2023 the council met in the town hall.",
        "The ferry left at 5:30 pm on Friday.",
        "Lena Okafor, 52, opened the new library.",
        "A 45-year-old man was questioned by the council.",
        "It was the third time the river had flooded since 1998.",
        "The two leaders discussed the harbour.",
    ],
)
def test_dates_times_ages_ordinals_and_references_are_not_claims(claims_in: Extract, text: str) -> None:
    assert claims_in(text) == []


def test_quantity_values() -> None:
    assert quantity_value("at least 80") == 80
    assert quantity_value("more than a dozen") == 12
    assert quantity_value("£2.5 billion") == 2_500_000_000
    assert quantity_value("twenty-five") == 25


@pytest.mark.parametrize("text", ["", " ", "No numbers here at all."])
def test_odd_input_gives_no_claims(claims_in: Extract, text: str) -> None:
    assert claims_in(text) == []


@pytest.mark.parametrize(
    ("text", "what", "category"),
    [
        ("The blast left 12 dead in the square.", "people killed", "killed"),
        ("The death toll rose to 45 on Tuesday.", "death toll", "killed"),
        ("Seven people remain missing after the flood.", "people missing", "missing"),
        ("Turnout fell to 38 percent.", "turnout", "percent"),
    ],
)
def test_figures_without_a_counted_noun(claims_in: Extract, text: str, what: str, category: str) -> None:
    claims = claims_in(text)
    assert [(c.what, c.category) for c in claims] == [(what, category)]
