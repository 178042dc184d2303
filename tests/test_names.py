"""Name matching, as the stories merge uses it across articles."""

from __future__ import annotations

import pytest

from briefings.extract.lexicons import countries
from briefings.extract.names import (
    actor_key,
    is_short_form,
    org_key,
    same_actor,
    same_org_name,
    same_person_name,
    same_place,
    transliteration_variants,
)
from briefings.models import Actor, ActorKind, Place
from briefings.stories.identity import merge_places


def actor(name: str, kind: ActorKind = "person", aliases: list[str] | None = None) -> Actor:
    return Actor(name=name, kind=kind, aliases=aliases or [])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mike Pompeo", "Michael Pompeo"),
        ("Michael R. Pompeo", "Mike Pompeo"),
        ("Bill Stone", "William Stone"),
        ("J. Stone", "Jane Stone"),
        ("Donald J. Trump", "Donald Trump"),
        ("Abu Mahdi al-Muhandis", "Abu Mahdi Al Muhandis"),
        ("Qassem Soleimani", "Qasem Soleimani"),
        ("Martin Luther King Jr.", "Martin Luther King"),
        ("Ayatollah Ali Khamenei", "Ali Khamenei"),
        ("Dr. Jane Roe", "Jane Roe"),
    ],
)
def test_same_person_under_nicknames_initials_particles_and_honorifics(a: str, b: str) -> None:
    assert same_person_name(a, b)
    assert same_actor(actor(a), actor(b))
    assert actor_key(actor(a)) == actor_key(actor(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [("Anna Stone", "William Stone"), ("Michael Pompeo", "Michael Pompa"), ("John Smith", "Jane Smith")],
)
def test_different_people_are_not_matched(a: str, b: str) -> None:
    assert not same_actor(actor(a), actor(b))


def test_short_forms_of_a_full_name() -> None:
    assert is_short_form("Khamenei", "Ali Khamenei")
    assert is_short_form("Tamim", "Tamim bin Hamad Al Thani")
    assert is_short_form("Al Thani", "Tamim bin Hamad Al Thani")
    assert is_short_form("Muhandis", "Abu Mahdi al-Muhandis")
    assert not is_short_form("Hamad", "Tamim bin Hamad Al Thani")


def test_organisation_names_match_across_spelling_order_and_initials() -> None:
    assert same_org_name("State Department", "Department of State")
    assert same_org_name("Department of Defence", "the Department of Defense")
    assert same_org_name("FBI", "Federal Bureau of Investigation")
    assert same_org_name("F.B.I.", "Federal Bureau of Investigation")
    assert same_org_name("Revolutionary Guards", "Iranian Revolutionary Guards")
    assert same_org_name("Labour", "Labour Party")
    assert not same_org_name("Labour", "Labour Day Committee Trust Fund Board of Works")
    assert not same_org_name("Quds Force", "Revolutionary Guards")
    assert org_key("Treasury Department") == "department of treasury"


def test_institution_and_its_metonym_are_one_actor() -> None:
    pentagon = actor("Pentagon", "organization")
    defense = actor("Department of Defense", "organization")
    assert same_actor(pentagon, defense)
    assert not same_actor(pentagon, actor("Department of Health", "organization"))


def test_countries_match_by_any_of_their_names() -> None:
    assert same_actor(actor("United States", "country"), actor("U.S.", "country"))
    assert same_actor(actor("America", "country"), actor("USA", "country"))
    assert not same_actor(actor("Niger", "country"), actor("Nigeria", "country"))
    assert not same_actor(actor("Iran", "country"), actor("Iran", "person"))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Irbil", "Erbil", True),
        ("Mazar-i-Sharif", "Mazar-e-Sharif", True),
        ("Niger", "Nigeria", False),
        ("Gaza", "Giza", False),
        ("Paris", "Perth", False),
    ],
)
def test_transliteration_variants(a: str, b: str, same: bool) -> None:
    assert transliteration_variants(a, b) is same


def _one_place(a: Place, b: Place) -> bool:
    """What a place is, told pair by pair: a country by any of its names, else spellings of one name."""
    country_a, country_b = countries().country_named(a.name), countries().country_named(b.name)
    if country_a or country_b:
        return country_a == country_b
    return any(transliteration_variants(x, y) for x in (a.name, *a.aliases) for y in (b.name, *b.aliases))


PLACES = [
    Place(name="Irbil"),
    Place(name="Erbil"),
    Place(name="Arbil", aliases=["Hawler"]),
    Place(name="Hawler"),
    Place(name="Mazar-i-Sharif"),
    Place(name="Mazar-e-Sharif"),
    Place(name="Niger"),
    Place(name="Nigeria"),
    Place(name="Gaza"),
    Place(name="Giza"),
    Place(name="United States"),
    Place(name="U.S."),
    Place(name="America", aliases=["Erbil"]),  # a country is known by its name, whatever its aliases
    Place(name="Georgia"),
    Place(name="Paris"),
    Place(name="Perth"),
]


def test_places_are_one_exactly_when_they_share_a_key() -> None:
    for a in PLACES:
        for b in PLACES:
            assert same_place(a, b) is _one_place(a, b), (a.name, b.name)


def test_a_storys_places_are_merged_through_the_spellings_they_share() -> None:
    kept = {"Irbil", "Paris", "Arbil", "Erbil", "Hawler", "U.S.", "United States"}
    merged, _ = merge_places([place for place in PLACES if place.name in kept])
    assert sorted(sorted([p.name, *p.aliases]) for p in merged) == [
        ["Arbil", "Erbil", "Hawler", "Irbil"],  # spellings of one name, and Hawler as Arbil is also called
        ["Paris"],
        ["U.S.", "United States"],
    ]


def test_actor_key_is_equal_for_every_match() -> None:
    names = [
        "Donald Trump",
        "Trump",
        "Donald J. Trump",
        "Tamim bin Hamad Al Thani",
        "Tamim",
        "Qasem Soleimani",
        "Qassem Suleimani",
        "Ben Zobrist",
        "Zobrist",
    ]
    for a in names:
        for b in names:
            if same_actor(actor(a), actor(b)):
                assert actor_key(actor(a)) == actor_key(actor(b)), (a, b)
