"""Temporal expressions: spans as TimeML draws them, values anchored on the publication time."""

from __future__ import annotations

from datetime import datetime

from spacy.language import Language

from briefings.contract import article_json
from briefings.extract.sentences import extract_sentences
from briefings.extract.times import extract_times
from briefings.models import TimeExpression

# Wednesday 8 January 2020: the Friday before is the 3rd, the one after the 10th.
PUBLISHED = datetime(2020, 1, 8)


def times_of(nlp: Language, text: str, published: datetime | None = PUBLISHED) -> list[TimeExpression]:
    doc = nlp(text)
    return extract_times(doc, extract_sentences(doc), published)


def found(nlp: Language, text: str, published: datetime | None = PUBLISHED) -> dict[str, tuple[str, str]]:
    """Each expression's text with its type and value."""
    return {t.text: (t.type, t.value) for t in times_of(nlp, text, published)}


def test_weekday_in_a_past_clause_is_the_one_before(nlp: Language) -> None:
    assert found(nlp, "The mayor of Tarnby resigned on Friday.")["Friday"] == ("DATE", "2020-01-03")


def test_weekday_in_a_future_clause_is_the_one_after(nlp: Language) -> None:
    assert found(nlp, "The council of Tarnby will vote on Friday.")["Friday"] == ("DATE", "2020-01-10")


def test_weekday_of_the_publication_day_is_that_day(nlp: Language) -> None:
    assert found(nlp, "The ferry sank on Wednesday, officials said.")["Wednesday"] == ("DATE", "2020-01-08")


def test_last_night_is_the_night_before_publication(nlp: Language) -> None:
    assert found(nlp, "Last night, the dam at Ostervik broke.")["Last night"] == ("TIME", "2020-01-07TNI")


def test_weekday_of_last_week(nlp: Language) -> None:
    assert found(nlp, "The bridge was closed on Friday last week.")["Friday last week"] == (
        "DATE",
        "2020-01-03",
    )


def test_clock_time_takes_the_date_written_beside_it(nlp: Language) -> None:
    result = found(nlp, "The first quake struck around 5:30 pm on January 7, the institute said.")
    assert result["around 5:30 pm"] == ("TIME", "2020-01-07T17:30")
    assert result["January 7"] == ("DATE", "2020-01-07")


def test_a_clock_time_copied_with_a_space_after_its_colon_is_still_one(nlp: Language) -> None:
    # Text taken from a page word by word ("11: 42 GMT", "3: 33 a. m.") keeps its clock times.
    assert found(nlp, "Last updated at 11: 42 GMT")["11: 42 GMT"] == ("TIME", "2020-01-08T11:42")
    result = found(nlp, "The alarm was raised at 3: 33 a. m. on January 7.")
    assert result["3: 33 a. m."] == ("TIME", "2020-01-07T03:33")


def test_clock_time_without_a_date_is_on_the_publication_day(nlp: Language) -> None:
    assert found(nlp, "Polls close at 8 p.m. local time.")["8 p.m. local time"] == (
        "TIME",
        "2020-01-08T20:00",
    )


def test_tomorrow_morning(nlp: Language) -> None:
    assert found(nlp, "The minister will speak tomorrow morning.")["tomorrow morning"] == (
        "TIME",
        "2020-01-09TMO",
    )


def test_durations(nlp: Language) -> None:
    result = found(nlp, "The strike lasted three years, after a two-week pause and 5 1/2 hours of talks.")
    assert result["three years"] == ("DURATION", "P3Y")
    assert result["two-week"] == ("DURATION", "P2W")
    assert result["5 1/2 hours"] == ("DURATION", "PT5H30M")


def test_ages_are_not_durations(nlp: Language) -> None:
    assert found(nlp, "A 44-year-old fisherman from Lindholm was rescued.") == {}


def test_recurring_times_are_sets(nlp: Language) -> None:
    result = found(nlp, "The ferry runs daily, the market opens each week and rent is $900 a month.")
    assert result["daily"] == ("SET", "P1D")
    assert result["each week"] == ("SET", "P1W")
    assert result["a month"] == ("SET", "P1M")


def test_recent_days_is_the_past(nlp: Language) -> None:
    assert found(nlp, "Prices in Vellmar have risen in recent days.")["recent days"] == ("DATE", "PAST_REF")


def test_now_is_the_present(nlp: Language) -> None:
    assert found(nlp, "The museum is now closed.")["now"] == ("DATE", "PRESENT_REF")


def test_quarter_of_a_past_clause_written_before_it_ends_is_last_years(nlp: Language) -> None:
    assert found(nlp, "Sales at Norrland Mills fell in the third quarter.")["the third quarter"] == (
        "DATE",
        "2019-Q3",
    )


def test_year_ago_compares_with_the_quarter_named_before(nlp: Language) -> None:
    result = found(nlp, "Profit rose in the fourth quarter, up from $3 million a year earlier.")
    assert result["the fourth quarter"] == ("DATE", "2019-Q4")
    assert result["a year earlier"] == ("DATE", "2018-Q4")


def test_this_week_and_last_month(nlp: Language) -> None:
    result = found(nlp, "Talks resumed this week after they stalled last month.")
    assert result["this week"] == ("DATE", "2020-W02")
    assert result["last month"] == ("DATE", "2019-12")


def test_ago_counts_back_from_publication(nlp: Language) -> None:
    assert found(nlp, "The mill closed two years ago.")["two years ago"] == ("DATE", "2018")


def test_years_and_decades(nlp: Language) -> None:
    result = found(nlp, "The town grew in the 1990s and built its harbour in 1998.")
    assert result["the 1990s"] == ("DATE", "199")
    assert result["1998"] == ("DATE", "1998")


def test_without_publication_date_values_keep_what_is_known(nlp: Language) -> None:
    result = found(
        nlp, "The mayor resigned on Friday, a week after the vote on March 3, 2019.", published=None
    )
    assert result["March 3, 2019"] == ("DATE", "2019-03-03")
    assert result["Friday"][0] == "DATE"
    assert found(nlp, "The mayor resigned on Friday.", published=None)["Friday"] == ("DATE", "XXXX-WXX-5")


def test_offsets_map_back_through_a_stray_escape(analyze) -> None:  # type: ignore[no-untyped-def]
    source = "\\'Flood\\' warning: the river rose on Friday."
    analysis = analyze(source, published="2020-01-08")
    (time,) = article_json(analysis)["times"]
    assert source[time["start"] : time["end"]] == "Friday"
    assert analysis.article.text[analysis.times[0].start : analysis.times[0].end] == "Friday"


def test_empty_and_odd_texts_do_not_raise(nlp: Language) -> None:
    assert times_of(nlp, "") == []
    assert times_of(nlp, "   \n ") == []
    assert isinstance(times_of(nlp, "ẞ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 — 12:99 99/99/9999 31 February 2020 0000-00-00"), list)


def test_possessive_weekday_names_the_day_without_the_s(nlp: Language) -> None:
    assert found(nlp, "Critics attacked Tuesday's ruling by the court in Harlow.")["Tuesday"] == (
        "DATE",
        "2020-01-07",
    )


def test_weekday_after_a_deadline_word_is_ahead(nlp: Language) -> None:
    assert found(nlp, "The envoy said talks could resume as soon as Monday.")["Monday"] == (
        "DATE",
        "2020-01-13",
    )


def test_weekday_under_a_scheduling_verb_is_ahead(nlp: Language) -> None:
    result = found(nlp, "Organisers planned a march through Eskby on Saturday.")
    assert result["Saturday"] == ("DATE", "2020-01-11")


def test_weekday_under_a_participle_after_its_noun_is_done(nlp: Language) -> None:
    # "set" schedules ("set Friday as the deadline"), but "the record set on Monday" is already set
    result = found(nlp, "The Vellmar relay record set on Monday still stands.")
    assert result["Monday"] == ("DATE", "2020-01-06")


def test_the_latest_quarter_is_the_last_one_completed(nlp: Language) -> None:
    text = "Orsa Mining expects a strong first quarter. Its profit rose 5% in the latest quarter."
    assert found(nlp, text)["the latest quarter"] == ("DATE", "2019-Q4")


def test_position_words_stay_inside_the_span_approximations_outside(nlp: Language) -> None:
    result = found(
        nlp, "Earlier this week the plant stopped for about five hours, at least 30 days after the fire."
    )
    assert result["Earlier this week"] == ("DATE", "2020-W02")
    assert result["five hours"] == ("DURATION", "PT5H")
    assert result["at least 30 days"] == ("DURATION", "P30D")


def test_adjective_durations_leave_the_determiner_out(nlp: Language) -> None:
    assert found(nlp, "The union rejected the 14-day waiting period.")["14-day"] == ("DURATION", "P14D")


def test_year_range_gives_two_years(nlp: Language) -> None:
    result = found(nlp, "The drought of 2009-2010 emptied the Lund reservoir.")
    assert result["2009"] == ("DATE", "2009")
    assert result["2010"] == ("DATE", "2010")


def test_quarter_ended_names_the_quarter_of_that_date(nlp: Language) -> None:
    result = found(nlp, "Revenue rose in the quarter ended Sept. 30.")
    assert result["the quarter"] == ("DATE", "2019-Q3")


def test_the_previous_weekday_counts_from_the_date_just_mentioned(nlp: Language) -> None:
    result = found(nlp, "Shares closed at 40 on Friday, Dec. 20, down from the previous Friday.")
    assert result["the previous Friday"] == ("DATE", "2019-12-13")


def test_holidays(nlp: Language) -> None:
    result = found(nlp, "The boat capsized on Thanksgiving Day and the ferry resumed service at Christmas.")
    assert result["Thanksgiving Day"] == ("DATE", "2019-11-28")
    assert result["Christmas"] == ("DATE", "2019-12-25")


def test_seasons_and_decades(nlp: Language) -> None:
    result = found(nlp, "The mine closed last fall, its first setback since the early 1990s.")
    assert result["last fall"] == ("DATE", "2019-FA")
    assert result["the early 1990s"] == ("DATE", "199")


def test_part_of_day_before_yesterday(nlp: Language) -> None:
    assert found(nlp, "At mid-afternoon yesterday the index fell.")["mid-afternoon yesterday"] == (
        "TIME",
        "2020-01-07TAF",
    )


def test_may_the_verb_is_no_month(nlp: Language) -> None:
    assert "May" not in found(nlp, "May I ask what the minister meant? Officials may resign.")


def test_quarter_codes_of_business_news(nlp: Language) -> None:
    result = found(nlp, "Orsa Mining expects a profit in Q3 2020 after a weak H1.")
    assert result["Q3 2020"] == ("DATE", "2020-Q3")
    assert result["H1"][1].endswith("-H1")


def test_the_past_decade_is_ten_years(nlp: Language) -> None:
    assert found(nlp, "Rents in Dalby doubled over the past decade.")["the past decade"] == (
        "DURATION",
        "P10Y",
    )


def test_an_age_is_no_decade(nlp: Language) -> None:
    result = found(nlp, "The mayor, in her 40s, recalled the 1980s.")
    assert "40s" not in result
    assert result["the 1980s"] == ("DATE", "198")


def test_clock_time_ignores_a_date_in_another_clause(nlp: Language) -> None:
    result = found(nlp, "The curfew began at midnight; talks resume on January 20.")
    assert result["midnight"] == ("TIME", "2020-01-08T24:00")


def test_without_publication_date_relative_days_count_from_the_last_full_date(nlp: Language) -> None:
    text = "The river rose on Sunday, March 3, 2019. On Tuesday the levee broke, and the next day it rained."
    result = found(nlp, text, published=None)
    assert result["Sunday, March 3, 2019"] == ("DATE", "2019-03-03")
    assert result["Tuesday"] == ("DATE", "2019-03-05")


def test_no_expression_runs_across_a_line_break(nlp: Language) -> None:
    result = found(nlp, "Floods in Vellmar since January\n2019 was the wettest year on record.")
    assert result["January"] == ("DATE", "2020-01")
    assert result["2019"] == ("DATE", "2019")


def test_weekday_of_an_inability_reported_is_the_one_before(nlp: Language) -> None:
    # Wednesday 8 January 2020: "could not be reached Monday" is the 6th, "could meet Monday" the 13th.
    assert found(nlp, "The mayor could not be reached for comment on Monday.")["Monday"] == (
        "DATE",
        "2020-01-06",
    )
    assert found(nlp, "Neither the mayor nor his aides could be found on Monday.")["Monday"] == (
        "DATE",
        "2020-01-06",
    )
    assert found(nlp, "The two leaders could meet on Monday, officials said.")["Monday"] == (
        "DATE",
        "2020-01-13",
    )


def test_an_unchanging_past_form_with_a_singular_subject_is_past(nlp: Language) -> None:
    # "hurt" with a singular subject would be "hurts" in the present: the sentence tells of last Friday.
    assert found(nlp, "Weakness in bank shares hurt the index on Friday.")["Friday"] == ("DATE", "2020-01-03")


def test_the_morning_takes_the_day_its_clause_names_after_it(nlp: Language) -> None:
    result = found(nlp, "The tram left the track during the morning rush hour in Halm on Monday.")
    assert result["the morning"] == ("TIME", "2020-01-06TMO")


def test_that_night_without_a_day_beside_it_is_the_day_told_before(nlp: Language) -> None:
    result = found(nlp, "The dam broke on Monday. That night, the river rose over the road.")
    assert result["That night"] == ("TIME", "2020-01-06TNI")


def test_comparisons_of_a_results_report_are_of_the_quarter_it_reports(nlp: Language) -> None:
    result = found(
        nlp,
        "Northfield Mills posted a 12% gain in third-quarter profit. After a weak second quarter, the "
        "company cut costs. Sales were also higher than a year ago.",
        datetime(2019, 10, 30),
    )
    assert result["a year ago"] == ("DATE", "2018-Q3")


def test_a_quarter_dated_in_the_past_is_not_the_quarter_a_report_compares(nlp: Language) -> None:
    result = found(
        nlp,
        "Profit at Northfield Mills has risen in every quarter since the 2015 first quarter. Its "
        "third-quarter profit was $8 million. After a weak second quarter, the company cut costs. Profit "
        "was $7 million a year ago.",
        datetime(2019, 10, 30),
    )
    assert result["a year ago"] == ("DATE", "2018-Q3")


def test_after_the_year_s_first_nine_months_a_report_compares_years(nlp: Language) -> None:
    text = (
        "Ostby Paper earned $4 million in the third quarter, up from $3 million a year earlier. In the first "
        "nine months, it earned $11 million, against $9 million a year earlier. Year-ago results included a "
        "gain. In the latest quarter, sales were above the year-ago quarter."
    )
    assert [(t.text, t.value) for t in times_of(nlp, text, datetime(2019, 10, 30))] == [
        ("the third quarter", "2019-Q3"),
        ("a year earlier", "2018-Q3"),
        ("the first nine months", "P9M"),
        ("a year earlier", "2018"),
        ("Year-ago", "2018"),
        ("the latest quarter", "2019-Q3"),
        ("the year-ago quarter", "2018-Q3"),
    ]


def test_a_half_of_a_year_is_that_half(nlp: Language) -> None:
    result = found(
        nlp, "The mill expects lower sales for the last half of 2019 and in the first two quarters of 2020."
    )
    assert result["the last half of 2019"] == ("DATE", "2019-H2")
    assert result["the first two quarters of 2020"] == ("DATE", "2020-H1")


def test_a_time_word_capitalised_as_a_title_is_no_time(nlp: Language) -> None:
    result = found(nlp, 'The minister, speaking on the radio show "This Week," said the plan was sound.')
    assert "This Week" not in result


def test_a_capitalised_time_word_opening_a_quote_is_still_a_time(nlp: Language) -> None:
    result = found(nlp, 'The mayor said: "Today we open the bridge." Crowds cheered on Christmas Day.')
    assert result["Today"] == ("DATE", "2020-01-08")
    assert result["Christmas Day"][1] == "2019-12-25"


def test_the_latest_quarter_is_the_one_the_report_names(nlp: Language) -> None:
    result = found(
        nlp,
        "Harlow Foods said profit rose 8% in its fiscal fourth quarter. Sales in the latest quarter rose 5%.",
        datetime(2019, 11, 1),
    )
    assert result["the latest quarter"] == ("DATE", "2019-Q4")


def test_a_quarter_already_over_is_the_report_s_even_in_a_clause_looking_ahead(nlp: Language) -> None:
    result = found(
        nlp,
        "Hadley Tools said it expects to report a third-quarter loss. It cut jobs after a weak second "
        "quarter. A year earlier, it earned $2 million.",
        datetime(2019, 11, 1),
    )
    assert result["A year earlier"] == ("DATE", "2018-Q3")


def test_until_a_day_in_a_present_perfect_clause_is_a_deadline_ahead(nlp: Language) -> None:
    result = found(nlp, "The council has given the tenants until Friday to leave the tower.")
    assert result["Friday"] == ("DATE", "2020-01-10")


def test_until_a_day_in_a_simple_past_clause_is_behind(nlp: Language) -> None:
    result = found(nlp, "The tenants stayed in the tower until Monday.")
    assert result["Monday"] == ("DATE", "2020-01-06")


def test_the_day_a_change_takes_effect_is_ahead(nlp: Language) -> None:
    result = found(
        nlp, "The board named Ilse Brand chief executive, effective March 1.", datetime(2019, 10, 30)
    )
    assert result["March 1"] == ("DATE", "2020-03-01")


def test_one_day_before_its_verb_is_a_time_ahead_not_a_length(nlp: Language) -> None:
    ahead = found(nlp, "Engineers say the tunnel will one day link the two valleys.")
    assert ahead["one day"] == ("DATE", "FUTURE_REF")
    length = found(nlp, "The strike at the Brenna mill lasted one day.")
    assert length["one day"] == ("DURATION", "P1D")


def test_overnight_in_a_report_is_the_night_before_it_whatever_day_was_told_first(nlp: Language) -> None:
    # News says "overnight" of the night before it is written: a day told earlier (background) moves it not.
    result = found(
        nlp, "The Brakmo bridge reopened on Jan. 2. A cyclist was hurt on it overnight, police said."
    )
    assert result["overnight"] == ("TIME", "2020-01-07TNI")


def test_overnight_with_no_day_told_is_the_night_before_publication(nlp: Language) -> None:
    assert found(nlp, "Overnight, the river at Brakmo rose by a metre.")["Overnight"] == (
        "TIME",
        "2020-01-07TNI",
    )


def test_a_month_in_a_future_clause_is_ahead_even_most_of_a_year_away(nlp: Language) -> None:
    result = found(nlp, "The crew of the Lindqvist probe will fly its last mission in October.")
    assert result["October"] == ("DATE", "2020-10")


def test_a_month_naming_a_thing_takes_no_tense_from_the_clause(nlp: Language) -> None:
    result = found(
        nlp, "Brenner Mills is continuing to try to sell itself, under an October agreement with its banks."
    )
    assert result["October"] == ("DATE", "2019-10")


def test_a_day_something_is_set_for_is_ahead_even_in_a_headline(nlp: Language) -> None:
    # A headline drops "are": "Talks set for Friday" is a schedule; "the record set on Friday" was set.
    assert found(nlp, "Talks to end the Orrby dock strike set for Friday")["Friday"] == ("DATE", "2020-01-10")
    assert found(nlp, "The Orrby record set on Friday still stands.")["Friday"] == ("DATE", "2020-01-03")
    # ... and the plan a past clause tells of was for a day already gone.
    planned = found(nlp, "A memorial service planned at Orrby for Saturday was cancelled.")
    assert planned["Saturday"] == ("DATE", "2020-01-04")


def test_a_year_after_pre_or_post_is_that_year(nlp: Language) -> None:
    result = found(nlp, "The post-1962 trade rules of Vellmark split many families.")
    assert result["post-1962"] == ("DATE", "1962")


def test_general_references_to_an_unnamed_time(nlp: Language) -> None:
    result = found(
        nlp,
        "The Oskarsborg council will sell the pier as soon as possible and settle its debts at a later date. "
        "Until then the ferry will run for a while, and it left an hour ago.",
    )
    assert result["as soon as possible"] == ("DATE", "FUTURE_REF")
    assert result["a later date"] == ("DATE", "FUTURE_REF")
    assert result["a while"] == ("DURATION", "PXX")


def test_the_second_of_two_days_sharing_a_month_is_a_date(nlp: Language) -> None:
    result = found(nlp, "The Tarnby summit will meet on March 24 and 25.")
    assert result["March 24"] == ("DATE", "2020-03-24")
    assert result["25"] == ("DATE", "2020-03-25")


def test_in_a_length_looking_ahead_is_the_time_that_far_on(nlp: Language) -> None:
    assert found(nlp, "The Vellmark bonds will be repaid in three years.")["three years"] == ("DATE", "2023")
    assert found(nlp, "Sales at Orrby rose 2%, the smallest gain in a year.")["a year"] == ("DURATION", "P1Y")


def test_in_a_period_named_looking_ahead_stays_a_length(nlp: Language) -> None:
    result = found(nlp, "Brenner Mills expects its profit to fall in the year ending June 30, 2020.")
    assert result["the year"] == ("DURATION", "P1Y")


def test_a_weekday_already_dated_keeps_its_date_where_the_tense_does_not_decide(nlp: Language) -> None:
    times = times_of(nlp, "The mayor of Tarnby resigned on Friday. Her deputy is acting mayor as of Friday.")
    assert [(t.text, t.value) for t in times] == [("Friday", "2020-01-03"), ("Friday", "2020-01-03")]


def test_in_a_length_or_another_looking_ahead_is_the_future(nlp: Language) -> None:
    result = found(nlp, "The Orrby line may, in a year or two, carry twice as many riders.")
    assert result["a year"] == ("DATE", "FUTURE_REF")


def test_this_quarter_told_in_the_past_is_the_quarter_reported(nlp: Language) -> None:
    result = found(
        nlp,
        "Tarnby Steel posted a fourth-quarter loss. This quarter's loss included a charge for closing a mill, "
        "with the current quarter having begun well.",
    )
    assert result["This quarter"] == ("DATE", "2019-Q4")
    assert result["the current quarter"] == ("DATE", "2020-Q1")


def test_a_quarter_modifying_its_noun_takes_the_tense_of_the_clause(nlp: Language) -> None:
    assert found(nlp, "Tarnby Steel posted a fourth-quarter loss.")["fourth-quarter"] == ("DATE", "2019-Q4")


def test_quarters_in_the_plural_are_that_quarter_of_any_year(nlp: Language) -> None:
    result = found(nlp, "The Halvorsby auction house usually sells most in the second and fourth quarters.")
    assert result["the second"] == ("SET", "XXXX-Q2")
    assert result["fourth quarters"] == ("SET", "XXXX-Q4")


def test_the_day_before_a_date_is_one_expression_a_day_earlier(nlp: Language) -> None:
    result = found(nlp, "The day before last Friday's hearing, the Brakmo family met the judge.")
    assert result["day before last Friday"] == ("DATE", "2020-01-02")
    assert found(nlp, "Ferries resumed the day after Jan. 3.")["day after Jan. 3"] == ("DATE", "2020-01-04")


def test_then_current_is_a_time_told_before(nlp: Language) -> None:
    result = found(nlp, "Holders of Orrby stock could buy shares at half the then-current market price.")
    assert result["then-current"] == ("DATE", "PAST_REF")


def test_soon_is_the_future_only_when_it_counts_from_now(nlp: Language) -> None:
    assert found(nlp, "The ferry to Lindholm will soon run again.")["soon"] == ("DATE", "FUTURE_REF")
    assert "soon" not in found(nlp, "The ferry was soon back in service.")
    assert "soon" not in found(nlp, "Repairs on the pier began soon after the storm.")


def test_another_company_s_report_compares_the_quarter_it_names(nlp: Language) -> None:
    text = (
        "Lunde Air earned more in its fiscal first quarter than a year earlier. Separately, Orsa Air "
        "reported third-quarter profit of $2 million, up from $1 million a year earlier."
    )
    assert [(t.text, t.value) for t in times_of(nlp, text, datetime(2019, 10, 30))] == [
        ("fiscal first quarter", "2019-Q1"),
        ("a year earlier", "2018-Q1"),
        ("third-quarter", "2019-Q3"),
        ("a year earlier", "2018-Q3"),
    ]
