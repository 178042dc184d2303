"""The day an article says it is from when it has no publication time: its address or its header line; and
which of its dates is the page's own stamp rather than the date of anything it tells.

A text copied from a web page may open with the page's address ("http: / / www. example. com / 2013 / 08 /
02 / …") and a posting line ("Posted 11 / 27 / 2005"). Two reports years apart are two events, however alike
they read; these dates are what tells them apart when no publication time does.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime

from briefings.models import ArticleAnalysis, TimeExpression

_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# A text copied from a web page may open with the page's address, often with spaces around its
# punctuation ("http: / / www. example. com / 2013 / 08 / 02 / quake - hits - island / index. html").
_LEADING_URL = re.compile(r"\s*https?\s*:\s*/\s*/", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")
_URL_JOINERS = frozenset("/.-_?=&#:%+~")
MAX_URL_CHARS = 400
_MAX_URL_TOKENS = MAX_URL_CHARS // 2
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
# Dates in an address's path: 2013/08/02, 2010-05-05, 20100505, 2005/nov/28; months and years alone.
_URL_FULL = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)([/_-])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)(?!\d)"),
)
_URL_NAMED_DAY = re.compile(rf"(?<![a-z\d])((?:19|20)\d\d)[/_-]({_MONTH})[/_-](\d{{1,2}})(?!\d)")
_URL_MONTH = re.compile(rf"(?<!\d)((?:19|20)\d\d)[/_-](\d{{1,2}}|{_MONTH})(?![\da-z])")
_URL_NAMED_MONTH = re.compile(rf"(?<![a-z])({_MONTH})[/_-]?((?:19|20)\d\d)(?!\d)")
_URL_YEAR = re.compile(r"/((?:19|20)\d\d)/")
# A posting line's numeric date: 11 / 27 / 2005 (month first), 08. 07. 2012 (day first), 2012. 08. 08.
_NUMERIC_DATE = re.compile(r"(?<![\d.,:])(\d{1,2})\s*([/.])\s*(\d{1,2})\s*\2\s*((?:19|20)\d\d|\d\d)(?![\d])")
_NAMED_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m>{_MONTH})\.?\s*(?(d1)|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
    r"\s*[,-]?\s*(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_NUMERIC_YEAR_FIRST = re.compile(
    r"(?<![\d.,:])((?:19|20)\d\d)\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d])"
)
_LAST_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")
_DATE_PREPOSITIONS = frozenset(
    [
        "on",
        "in",
        "at",
        "since",
        "from",
        "until",
        "till",
        "by",
        "before",
        "after",
        "of",
        "between",
        "and",
        "to",
        "for",
        "during",
        "through",
    ]
)
# How far into its text (past an opening address) an article says when it was written.
HEADER_CHARS = 350
# A year written out, and what may stand between a stamp's date and its clock time (", 2: ", " at ").
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_STAMP_GAP = 12
_STAMP_JOINER = re.compile(r"[\s,.:;\d-]*(?:(?:at|@)[\s,.:;\d-]*)?", re.IGNORECASE)
# The labels a page writes just before its own date ("PUBLISHED: 22:07 GMT, 7 July 2012", "Updated 11/27/2005",
# "Last updated at 15:41 GMT"), capitalised as labels are: "police posted on Friday" is a happening's date.
_POSTING_WORDS = re.compile(
    r"(?:\b(?:Published|Updated|Posted|Modified|PUBLISHED|UPDATED|POSTED|MODIFIED)"
    r"|\b(?:Last|LAST) (?:updated|UPDATED))\s*(?:on|at|ON|AT)?\s*:?\s*$"
)


def to_day(value: datetime | date) -> int:
    """A calendar day as an ordinal number, for arithmetic on gaps between days."""
    return value.toordinal()


def day_of_value(value: str) -> int | None:
    """The day a TIMEX3 value names (2020-01-03, 2020-01-03T17:30) as an ordinal, or None."""
    match = _DAY_VALUE.match(value)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).toordinal()
    except ValueError:
        return None


def url_header_end(text: str) -> int:
    """Where an address the text opens with ends (0 when it opens with none)."""
    match = _LEADING_URL.match(text)
    if match is None:
        return 0
    end = match.end()
    previous = "/"
    tokens = list(itertools.islice(_TOKEN.finditer(text, end), _MAX_URL_TOKENS))
    for n, token in enumerate(tokens):
        word = token.group()
        if token.end() > MAX_URL_CHARS or not (previous[-1] in _URL_JOINERS or word[0] in _URL_JOINERS):
            break
        following = tokens[n + 1].group() if n + 1 < len(tokens) else ""
        if n > 0 and word[0].isupper() and word[-1] not in _URL_JOINERS and following[:1] not in _URL_JOINERS:
            break  # "/ 2128651 / Lindsay Lohan checks …": the title after the address's last slash
        end, previous = token.end(), word
    return end


def _interval(year: int, month: int, day: int | None = None) -> tuple[int, int] | None:
    try:
        if day is not None:
            ordinal = date(year, month, day).toordinal()
            return ordinal, ordinal
        first = date(year, month, 1).toordinal()
        following = date(year + month // 12, month % 12 + 1, 1).toordinal()
    except ValueError:
        return None
    return first, following - 1


def _month_number(value: str) -> int:
    value = value[:3].lower()
    return _MONTH_NAMES.index(value) + 1 if value in _MONTH_NAMES else int(value)


def url_days(url: str) -> tuple[int, int] | None:
    """The days an address's path dates its page to: a day, else a month, else a year."""
    url = re.sub(r"\s+", "", url).lower()
    path = url.split("//", 1)[-1]
    for pattern in _URL_FULL:
        for match in pattern.finditer(path):
            found = _interval(int(match["y"]), int(match["m"]), int(match["d"]))
            if found:
                return found
    for match in _URL_NAMED_DAY.finditer(path):
        found = _interval(int(match[1]), _month_number(match[2]), int(match[3]))
        if found:
            return found
    for match in _URL_MONTH.finditer(path):
        found = _interval(int(match[1]), _month_number(match[2]))
        if found:
            return found
    for match in _URL_NAMED_MONTH.finditer(path):
        found = _interval(int(match[2]), _month_number(match[1]))
        if found:
            return found
    year = _URL_YEAR.search(path)
    if year is not None:
        first = date(int(year[1]), 1, 1).toordinal()
        return first, date(int(year[1]), 12, 31).toordinal()
    return None


def _bare(text: str, start: int) -> bool:
    """Whether a date stands alone, as a posting line gives it, not as the object of a sentence's
    preposition ("committed on March 11, 2005", "born on April 22, 1923": the news's background)."""
    before = _LAST_WORD.search(text, max(0, start - 30), start)
    return before is None or before[1].lower() not in _DATE_PREPOSITIONS


def _written_date(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first full date a header line writes: 11 / 27 / 2005, 2012. 08. 08, Sat Nov 12 2011."""
    for match in _NAMED_DATE.finditer(text, start, end):
        day = match["d1"] or match["d2"]
        found = _interval(int(match["y"]), _month_number(match["m"]), int(day)) if day else None
        if found and _bare(text, match.start()):
            return found
    for match in _NUMERIC_DATE.finditer(text, start, end):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        if year < 100:
            year += 2000 if year < 50 else 1900
        month, day = (second, first) if match[2] == "." or first > 12 else (first, second)
        found = _interval(year, month, day)
        if found and _bare(text, match.start()):
            return found
    for match in _NUMERIC_YEAR_FIRST.finditer(text, start, end):
        found = _interval(int(match[1]), int(match[3]), int(match[4]))
        if found and _bare(text, match.start()):
            return found
    return None


def stated_days(analysis: ArticleAnalysis, header_end: int) -> tuple[int, int] | None:
    """The days an undated article says it is from: its address's date, or a full date in its header."""
    article = analysis.article
    text = article.text
    from_url = url_days(article.url) if article.url else None
    if from_url is None and header_end:
        from_url = url_days(text[:header_end])
    if from_url is not None and from_url[0] == from_url[1]:
        return from_url
    limit = header_end + HEADER_CHARS
    header: tuple[int, int] | None = None
    for time in analysis.times:
        if header_end <= time.start < limit and time.type in ("DATE", "TIME") and _bare(text, time.start):
            day = day_of_value(time.value)
            if day is not None:
                header = (day, day)
                break
    header = header or _written_date(text, header_end, limit)
    if header is not None and (from_url is None or from_url[0] <= header[0] <= from_url[1]):
        return header
    return from_url or header


def stamp_label_start(text: str, start: int) -> int | None:
    """Where the posting label just before a time at `start` begins ("Last updated at " 11:11 GMT), or None."""
    match = _POSTING_WORDS.search(text, max(0, start - 30), start)
    return match.start() if match else None


def _is_page_stamp(text: str, start: int, header_end: int, full_date: bool) -> bool:
    if stamp_label_start(text, start) is not None:
        return True
    return full_date and 0 < header_end <= start < header_end + HEADER_CHARS and _bare(text, start)


def page_stamps(times: list[TimeExpression], text: str) -> list[TimeExpression]:
    """The times that are the page's own stamp, not the time of anything it tells: one after a posting label
    ("Published: 7 July 2012", "UPDATED: 22:07 GMT"); a full date standing bare in the header of a text that
    opens with its address (the headline and its date before the report: "… / esther - williams - dies
    Hollywood's mermaid dies Friday, June 7, 2013 Esther Williams, …"); and the clock time or full date
    written just after a stamp ("July 21, 2013, 2:21 pm BST", "UPDATED: 22:07 GMT, 7 July 2012")."""
    header_end = url_header_end(text)
    stamps: list[TimeExpression] = []
    for time in times:
        full_date = bool(_DAY_VALUE.match(time.value)) and bool(_YEAR.search(time.text))
        # (Only a clock time or a full date: "June 7, 2013 Yesterday, the singer …" opens the report with
        # its own day; "22:07 GMT, 7 July 2012" is one stamp.)
        joins = time.type == "TIME" or full_date
        follows = joins and bool(stamps) and 0 <= time.start - stamps[-1].end <= _STAMP_GAP
        if (follows and _STAMP_JOINER.fullmatch(text[stamps[-1].end : time.start])) or _is_page_stamp(
            text, time.start, header_end, full_date
        ):
            stamps.append(time)
    return stamps


def stamped_publication(stamps: list[TimeExpression]) -> datetime | None:
    """The day a page's stamps say it was published (the first that names a day), for a text that carries
    no publication time of its own."""
    for stamp in stamps:
        day = day_of_value(stamp.value)
        if day is not None:
            return datetime.combine(date.fromordinal(day), datetime.min.time(), tzinfo=UTC)
    return None
