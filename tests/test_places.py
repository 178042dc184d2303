"""Places: kinds, merged spellings, country names, and names the model took for people."""

from __future__ import annotations

from spacy.language import Language

from briefings.extract.places import extract_places
from briefings.extract.sentences import extract_sentences
from briefings.models import Place
from tests.test_actors import parse


def places_of(nlp: Language, text: str, ents: list[tuple[str, str]] | None = None) -> list[Place]:
    doc = parse(nlp, text, ents)
    return extract_places(doc, extract_sentences(doc))


def test_transliterated_spellings_of_one_city_are_one_place(nlp: Language) -> None:
    text = "Shells fell near Tarbil on Monday. Aid reached Terbil a day later, officials said."
    places = places_of(nlp, text, [("Tarbil", "GPE"), ("Terbil", "GPE")])
    (place,) = places
    assert place.name == "Tarbil" and place.aliases == ["Terbil"]
    assert place.kind == "city_or_region" and len(place.mentions) == 2


def test_different_places_with_like_names_stay_apart(nlp: Language) -> None:
    text = "Flights from Niger to Nigeria resumed. Buses ran from Tarbil to Tarbila again."
    places = places_of(
        nlp, text, [("Niger", "GPE"), ("Nigeria", "GPE"), ("Tarbil", "GPE"), ("Tarbila", "GPE")]
    )
    assert sorted(p.name for p in places) == ["Niger", "Nigeria", "Tarbil", "Tarbila"]


def test_country_names_are_one_place_of_kind_country(nlp: Language) -> None:
    text = "Troops left the US in May. America said the United States would send more."
    places = places_of(nlp, text, [("US", "GPE"), ("America", "GPE"), ("United States", "GPE")])
    (us,) = places
    assert us.name == "United States" and us.kind == "country"
    assert set(us.aliases) == {"US", "America"}


def test_demonym_is_no_place(nlp: Language) -> None:
    text = "Norwegian divers searched the fjord near Bergen."
    places = places_of(nlp, text, [("Norwegian", "NORP"), ("Bergen", "GPE")])
    assert [p.name for p in places] == ["Bergen"]


def test_name_taken_for_a_person_in_a_list_of_places_is_a_place(nlp: Language) -> None:
    text = "Missiles targeted two bases hosting troops at Al-Kelvara and Tobruz, the ministry said."
    places = places_of(nlp, text, [("Al-Kelvara", "ORG"), ("Tobruz", "PERSON")])
    assert sorted(p.name for p in places) == ["Al-Kelvara", "Tobruz"]


def test_name_after_in_is_a_place(nlp: Language) -> None:
    text = "The minister updated him on the attacks on air bases, including in Terbil."
    places = places_of(nlp, text, [("Terbil", "ORG")])
    assert [(p.name, p.kind) for p in places] == [("Terbil", "city_or_region")]


def test_facility_named_by_its_last_word_is_a_place(nlp: Language) -> None:
    text = "The convoy was leaving the Port Avel International Airport on Friday."
    places = places_of(nlp, text, [("the Port Avel International Airport", "EVENT")])
    assert [(p.name, p.kind) for p in places] == [("Port Avel International Airport", "facility")]


def test_hyphenated_place_name_is_whole(nlp: Language) -> None:
    text = "Gunmen attacked the consulate in Dar-e-Kalam overnight."
    doc = nlp(text)
    start = text.index("Dar")
    doc.ents = [doc.char_span(start, start + 3, label="GPE", alignment_mode="expand")]
    places = extract_places(doc, extract_sentences(doc))
    assert [p.name for p in places] == ["Dar-e-Kalam"]


def test_texts_without_places_give_none(nlp: Language) -> None:
    assert places_of(nlp, "") == []
    assert places_of(nlp, "nothing happened anywhere.") == []


def test_dateline_city_glued_to_a_byline_is_a_place(nlp: Language) -> None:
    text = "Budget passes By Nora Vell PORT AVEL, May 6 (Wire) - The senate passed the budget."
    places = places_of(nlp, text, [("Nora Vell PORT AVEL", "PERSON")])
    assert [(p.name, p.kind) for p in places] == [("PORT AVEL", "city_or_region")]


def test_capitals_in_a_name_without_a_dateline_after_them_are_no_place(nlp: Language) -> None:
    text = "The coach Nora Vell PORT said nothing."
    places = places_of(nlp, text, [("Nora Vell PORT", "PERSON")])
    assert places == []


def test_a_campaign_the_model_calls_a_person_and_a_place_is_no_place(nlp: Language) -> None:
    text = (
        "Prices rose in the wake of Lexit. Lexit is taking everything away, one shopper wrote. "
        "The firm denied the rise was related to Lexit."
    )
    places = places_of(nlp, text, [("Lexit", "GPE"), ("Lexit", "PERSON"), ("Lexit", "PERSON")])
    assert "Lexit" not in [p.name for p in places]


def test_a_place_the_model_calls_a_person_but_used_after_in_stays_a_place(nlp: Language) -> None:
    text = "Shops shut in Tarbil on Monday. Tarbil is quiet now, one shopper said."
    places = places_of(nlp, text, [("Tarbil", "GPE"), ("Tarbil", "PERSON")])
    assert [p.name for p in places] == ["Tarbil"]


def test_a_town_the_model_takes_for_an_organisation_before_a_noun_is_a_place(nlp: Language) -> None:
    text = (
        "Victims of the Brantley tram crash were named. Jo Ames, 62, from Brantley, was among them. "
        "Flowers were left at the Brantley tram stop."
    )
    places = places_of(
        nlp, text, [("Brantley", "ORG"), ("Jo Ames", "PERSON"), ("Brantley", "GPE"), ("Brantley", "ORG")]
    )
    (town,) = [p for p in places if p.name == "Brantley"]
    assert town.kind == "city_or_region" and len(town.mentions) == 3


def test_a_name_ending_in_a_word_for_a_happening_is_no_place(nlp: Language) -> None:
    # The tagger's label and the "in" before it would make each a place; their last word says they name
    # what happened (a shooting, accidents), and the place is the one named beside them.
    text = (
        "Worker held in Orvale Mill Shooting. Two staff were shot at the mill in Lower Orvale on Friday. "
        "City lists rise in Pedestrian Accidents after a driver hit a cyclist near Tarbil."
    )
    places = places_of(
        nlp,
        text,
        [
            ("Orvale Mill Shooting", "ORG"),
            ("Lower Orvale", "GPE"),
            ("Pedestrian Accidents", "ORG"),
            ("Tarbil", "GPE"),
        ],
    )
    assert sorted(p.name for p in places) == ["Lower Orvale", "Tarbil"]


def test_a_title_in_quotation_marks_is_no_place(nlp: Language) -> None:
    text = "Dana Vell starred in \u201cMarrow Lane\u201d and in \u201cCold Harbour,\u201d before moving to Tarbil."
    places = places_of(nlp, text, [("Marrow Lane", "GPE"), ("Cold Harbour", "LOC"), ("Tarbil", "GPE")])
    assert [p.name for p in places] == ["Tarbil"]


def test_a_generational_suffix_after_a_name_is_no_dateline(nlp: Language) -> None:
    text = "Police said Anthony Brell III, 38, said nothing after officers surrounded him near Tarbil."
    places = places_of(nlp, text, [("Anthony Brell III", "PERSON"), ("Tarbil", "GPE")])
    assert [p.name for p in places] == ["Tarbil"]


def test_a_person_s_surname_taken_for_a_building_is_that_person(nlp: Language) -> None:
    text = (
        "Raj K. Brannoch was walking home when a car struck her. Brannoch had visited a friend, and "
        "neighbours said they saw Brannoch fall. The driver later called Brannoch's family."
    )
    places = places_of(nlp, text, [("Raj K. Brannoch", "PERSON"), ("Brannoch", "FAC")])
    assert places == []


def test_a_name_given_an_age_is_a_person_not_a_place(nlp: Language) -> None:
    text = (
        "Crowds marched through Tarbil on Sunday. \u201cWe are tired,\u201d said 40-year-old Tsamira Olvek, "
        "a nurse. Beside her, Dovan Hesk, 52, a teacher, said the same."
    )
    places = places_of(nlp, text, [("Tarbil", "GPE"), ("Tsamira Olvek", "FAC"), ("Dovan Hesk", "GPE")])
    assert [p.name for p in places] == ["Tarbil"]


def test_a_name_that_puts_the_kind_of_place_first_is_a_facility(nlp: Language) -> None:
    text = "The champion stopped the challenger at Stade de Varo in Lunmor on Saturday."
    places = places_of(nlp, text, [("Stade de Varo", "ORG"), ("Lunmor", "GPE")])
    assert ("Stade de Varo", "facility") in [(p.name, p.kind) for p in places]
