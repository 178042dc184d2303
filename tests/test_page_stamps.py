"""Which of a page's times are its own stamp (`briefings.extract.page_dates.page_stamps`)."""

from __future__ import annotations

from briefings.extract.page_dates import page_stamps
from briefings.models import TimeExpression, TimeType


def _times(text: str, *found: tuple[str, TimeType, str]) -> list[TimeExpression]:
    """The times of a text, each given as (its words, its TIMEX3 type, its value), found in order."""
    times, at = [], 0
    for words, kind, value in found:
        start = text.index(words, at)
        at = start + len(words)
        times.append(TimeExpression(text=words, start=start, end=at, type=kind, value=value))
    return times


def test_the_clock_time_after_a_stamp_is_the_stamp_s_not_a_day_the_report_opens_with():
    text = (
        "http://news.example.org/2021/03/02/bridge-reopens Bridge reopens March 2, 2021, 10:42 am "
        "Yesterday the Kell bridge reopened after repairs."
    )
    times = _times(
        text,
        ("March 2, 2021", "DATE", "2021-03-02"),
        ("10:42 am", "TIME", "2021-03-02T10:42"),
        ("Yesterday", "DATE", "2021-03-01"),
    )
    assert [t.text for t in page_stamps(times, text)] == ["March 2, 2021", "10:42 am"]


def test_a_posting_label_marks_a_stamp_and_prose_does_not():
    text = "Updated: 14:05 GMT The council said the video was posted on Friday by a resident."
    times = _times(text, ("14:05 GMT", "TIME", "XXXX-XX-XXT14:05"), ("Friday", "DATE", "XXXX-WXX-5"))
    assert [t.text for t in page_stamps(times, text)] == ["14:05 GMT"]


def test_a_date_a_sentence_sets_something_for_is_no_stamp():
    text = (
        "http://news.example.org/vellmark/4471.html Vellmark votes on two parties 26 September 2013, 10:00 "
        "The Vellmark elections, which are planned for December 15, 2013, will be held on a two-party basis."
    )
    times = _times(
        text,
        ("26 September 2013", "DATE", "2013-09-26"),
        ("December 15, 2013", "DATE", "2013-12-15"),
    )
    assert [t.text for t in page_stamps(times, text)] == ["26 September 2013"]


def test_a_stamp_s_clock_time_may_follow_its_date_after_at():
    text = "Published: 11 Nov 2011 at 09:56 IST The navy said on Friday that it had seized two boats."
    times = _times(
        text,
        ("11 Nov 2011", "DATE", "2011-11-11"),
        ("09:56 IST", "TIME", "2011-11-11T09:56"),
        ("Friday", "DATE", "2011-11-11"),
    )
    assert [t.text for t in page_stamps(times, text)] == ["11 Nov 2011", "09:56 IST"]
