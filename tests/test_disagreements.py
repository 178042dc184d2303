"""Sources that give figures for the same thing that cannot both be true, whatever verbs they use."""

from __future__ import annotations

from briefings.models import Claim, SourcedClaim
from briefings.stories.disagreements import claim_range, find_disagreements


def _sourced(analysis, article: str) -> list[SourcedClaim]:
    return [SourcedClaim(claim=claim, article=article) for claim in analysis.claims]


def test_one_count_told_with_two_verbs_by_two_sources_is_a_disagreement(analyze):
    service = analyze(
        "Fire guts mill at Dunmore quay\n\n"
        "More than 60 firefighters were needed to put out a fire at a mill on Dunmore quay late on Tuesday, "
        "the county fire service said."
    )
    chief = analyze(
        "Dunmore mill fire under control\n\n"
        "Fire chief Anna Berg said about 40 firefighters fought the blaze through the night."
    )
    (dispute,) = find_disagreements(_sourced(service, "a") + _sourced(chief, "b"))
    assert dispute.about == "firefighters"
    assert sorted(c.claim.quantity for c in dispute.claims) == ["More than 60", "about 40"]


def _claim(
    what: str, quantity: str, value: float | None, article: str, category: str = "count"
) -> SourcedClaim:
    return SourcedClaim(
        claim=Claim(text=f"{quantity} {what}", quantity=quantity, what=what, value=value, category=category),
        article=article,
    )


def test_an_article_that_counts_a_thing_twice_shows_the_verbs_tell_two_counts_apart():
    claims = [
        _claim("homes flooded", "500", 500, "a"),
        _claim("homes evacuated", "200", 200, "a"),
        _claim("homes damaged", "350", 350, "b"),
    ]
    assert find_disagreements(claims) == []


def test_an_offer_and_a_demand_are_two_figures_not_one():
    claims = [
        _claim("rise offered", "4%", 4, "a", category="percent"),
        _claim("rise demanded", "9%", 9, "b", category="percent"),
    ]
    assert find_disagreements(claims) == []


def test_figures_that_can_both_be_true_are_no_disagreement():
    claims = [
        _claim("firefighters needed", "more than 30", 30, "a"),
        _claim("firefighters fought", "40", 40, "b"),
    ]
    assert find_disagreements(claims) == []


def _attributed(claim: SourcedClaim, by: str) -> SourcedClaim:
    return claim.model_copy(update={"claim": claim.claim.model_copy(update={"attributed_to": by})})


def test_bare_units_say_too_little_to_contradict_each_other():
    claims = [
        _claim("money", "$66,000", 66_000, "a", category="money"),
        _claim("money", "$3,100", 3_100, "b", category="money"),
        _claim("children", "five", 5, "a"),
        _claim("children", "six", 6, "b"),
    ]
    assert find_disagreements(claims) == []


def test_an_article_s_own_figure_beside_one_it_quotes_is_no_disagreement():
    own = _claim("homes flooded", "200", 200, "a")
    quoted = _attributed(_claim("homes flooded", "900", 900, "a"), "the council")
    assert find_disagreements([own, quoted]) == []


def test_two_named_sources_in_one_article_can_disagree():
    police = _attributed(_claim("homes flooded", "200", 200, "a"), "police")
    council = _attributed(_claim("homes flooded", "900", 900, "a"), "the council")
    (dispute,) = find_disagreements([police, council])
    assert dispute.about == "homes flooded"


def test_the_demo_feeds_firefighter_counts_are_reported_as_a_disagreement(nlp):
    from pathlib import Path

    from briefings.analysis import analyze_sources

    demo = Path(__file__).parent.parent / "bot" / "demo"
    result = analyze_sources(nlp, [str(demo / "coastal.xml"), str(demo / "gazette.xml")])
    about = {d.about: d for story in result.stories for d in story.disagreements}
    assert "firefighters" in about
    assert {c.claim.quantity for c in about["firefighters"].claims} == {"More than 60", "about 40"}


def test_round_plurals_allow_the_figures_such_words_are_used_for():
    # "thousands" of marchers and an organisers' 30,000 can both be true; "tens of thousands" is not 2,000.
    assert claim_range(Claim(text="thousands", quantity="thousands")).high >= 30_000
    tens = claim_range(Claim(text="tens of thousands", quantity="tens of thousands"))
    assert (tens.low, tens.high) == (20_000, 99_999)
    hundreds = claim_range(Claim(text="hundreds of thousands", quantity="hundreds of thousands"))
    assert hundreds.low == 200_000 and hundreds.high < 1_000_000
    assert claim_range(Claim(text="millions", quantity="millions")).low == 2_000_000


def test_thousands_of_marchers_and_a_count_of_thirty_thousand_are_no_disagreement():
    claims = [
        _claim("people marched", "thousands", None, "a"),
        _claim("people marched", "30,000", 30_000, "b"),
    ]
    assert find_disagreements(claims) == []


def test_tens_of_thousands_against_a_few_thousand_is_a_disagreement():
    claims = [
        _claim("people marched", "tens of thousands", None, "a"),
        _claim("people marched", "3,000", 3_000, "b"),
    ]
    (dispute,) = find_disagreements(claims)
    assert len(dispute.claims) == 2
