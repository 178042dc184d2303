"""The most specific place of the main event, with its larger place when the text ties them."""

from __future__ import annotations

from briefings.extract.events.specific_place import most_specific_where
from briefings.models import Mention, Place

TEXT = "Fans queue at Busch Stadium. Thousands of fans queued in St. Louis on Friday, the US club said."


def _place(name: str, kind: str) -> Place:
    start = TEXT.index(name)
    return Place(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        mentions=[Mention(text=name, start=start, end=start + len(name), sentence=0 if start < 28 else 1)],
    )


def test_a_venue_whose_name_holds_a_short_place_name_is_put_in_its_city():
    places = [_place("US", "country"), _place("St. Louis", "city_or_region")]
    located = {TEXT.index("St. Louis")}
    where = most_specific_where("Busch Stadium", places, {0}, {0, 1}, located, TEXT)
    assert where == "Busch Stadium, St. Louis"


def test_a_country_without_a_town_where_something_happened_stays():
    places = [_place("US", "country"), _place("St. Louis", "city_or_region")]
    located = {TEXT.index("St. Louis")}
    assert most_specific_where("US", places, {1}, {0, 1}, located, TEXT) == "US"
    assert most_specific_where("US", places, {1}, {0, 1}, located, TEXT, {"st. louis"}) == "St. Louis, US"
