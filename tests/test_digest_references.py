"""Second references in a digest: a person named in full once is named by surname after."""

from __future__ import annotations

from briefings.digest.references import shorten_second_references
from briefings.models import Actor


def _person(name: str, *roles: str) -> Actor:
    return Actor(name=name, kind="person", roles=list(roles))


def test_the_second_full_reference_with_its_title_becomes_the_surname() -> None:
    texts = [
        "Mayor Tomas Vell named a judge to lead the inquiry.",
        "Mayor Tomas Vell said the town would pay, and the judge thanked Tomas Vell.",
    ]
    assert shorten_second_references(texts, [_person("Tomas Vell", "Mayor")]) == [
        texts[0],
        "Vell said the town would pay, and the judge thanked Vell.",
    ]


def test_a_surname_two_people_share_is_not_used_alone() -> None:
    texts = ["Ana Vell and Tomas Vell opened the shop.", "Tomas Vell said it was full."]
    people = [_person("Ana Vell"), _person("Tomas Vell")]
    assert shorten_second_references(texts, people) == texts


def test_a_person_first_named_by_surname_keeps_the_full_name_later() -> None:
    texts = ["Vell spoke first.", "Tomas Vell said it was full.", "Organisations and one-word names stay."]
    actors = [_person("Tomas Vell"), Actor(name="Arlen Port Authority", kind="organization")]
    assert shorten_second_references(texts, actors) == texts


def test_a_name_s_suffix_is_no_surname() -> None:
    texts = ["Ray Dunne Jr. won the race.", "Ray Dunne Jr. said it was hard."]
    assert shorten_second_references(texts, [_person("Ray Dunne Jr.")])[1] == "Dunne said it was hard."
