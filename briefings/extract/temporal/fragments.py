"""Regular-expression fragments of the grammar: month and weekday names, numbers, years, approximators.

Names of months and weekdays must be capitalised ("may" is a verb, "May" may be a month); everything else
matches in any case. `B` and `E` mark the edges of a word.
"""

from __future__ import annotations

from briefings.extract.temporal.lexicon import (
    MONTHS,
    ORDINALS,
    WEEKDAYS,
)

_FULL_MONTHS = [m for m in MONTHS if (len(m) > 3 and m != "sept") or m == "may"]
_ABBR_MONTHS = [m for m in MONTHS if len(m) <= 4 and m != "may" and m not in ("june", "july")]
MONTH = (
    "(?-i:"
    + "|".join(
        sorted(
            {w.capitalize() for w in _FULL_MONTHS} | {w.upper() for w in _FULL_MONTHS}, key=len, reverse=True
        )
    )
    + "|(?:"
    + "|".join(sorted({w.capitalize() for w in _ABBR_MONTHS}, key=len, reverse=True))
    + r")(?:\.|(?=\s+\d))"
    + ")"
)
_FULL_WEEKDAYS = [w for w in WEEKDAYS if w.endswith("day")]
WEEKDAY = (
    "(?-i:" + "|".join([w.capitalize() for w in _FULL_WEEKDAYS] + [w.upper() for w in _FULL_WEEKDAYS]) + ")"
)
WEEKDAYS_PLURAL = "(?-i:" + "|".join(w.capitalize() + "s" for w in _FULL_WEEKDAYS) + ")"

_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUMWORD = rf"(?:(?:{_TENS})(?:[-\s](?:{_ONES}))?|{_TEENS}|{_ONES})"
NUMWORD_BIG = (
    rf"(?:{NUMWORD}(?:\s+hundred(?:\s+(?:and\s+)?{NUMWORD})?|\s+thousand)?|a\s+hundred|a\s+thousand)"
)
DIGITS = r"(?<![\d.,$])\d{1,4}(?:,\d{3})*(?![\d,]\d)"
FRACTION = r"(?:\s+(?:1/2|½)|\s+and\s+(?:a\s+)?half)"
NUMBER = rf"(?:{DIGITS}|{NUMWORD_BIG}|an?|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+dozen|half\s+an?|one\s+and\s+a\s+half)"
VAGUE = r"(?:a\s+few|few|several|some|many|a\s+number\s+of|numerous|a\s+couple\s+more)"
UNIT_SINGULAR = (
    r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century|millennium)"
)
UNIT_PLURAL = r"(?:seconds|minutes|hours|days|nights|weeks|fortnights|months|quarters|years|decades|centuries|millennia)"
UNIT_ANY = rf"(?:{UNIT_PLURAL}|{UNIT_SINGULAR})"
# A four-digit year, not an amount ("$1990", "1,990", "1990%") nor part of a code; "2009-2010" holds two.
YEAR = r"(?<![\d$.,/:])(?:(?<!\d[-–])|(?<=\d{4}[-–]))(?:1[0-9]\d\d|20\d\d)(?![\d%]|\.\d|,\d{3}|[-–]\d(?!\d{3}\b)|/\d|:\d)"
SPELLED_YEAR = (
    rf"(?:(?:nineteen|eighteen)[-\s]+(?:hundred(?:\s+and)?\s+)?(?:{_TENS})(?:[-\s](?:{_ONES}))?|"
    rf"two\s+thousand(?:\s+(?:and\s+)?(?:{_TEENS}|{_ONES}|twenty(?:[-\s](?:{_ONES}))?))?)"
)
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[-/.:,]\d)"
ORDINAL_WORDS = "|".join(
    sorted((w for w in ORDINALS if not w[0].isdigit() and w not in ("final", "last")), key=len, reverse=True)
)
DAY_ORDINAL_WORD = rf"(?:(?:twenty|thirty)[-\s](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|{ORDINAL_WORDS}|thirtieth)"
APPROX = (
    r"(?:around|approximately|roughly|nearly|almost|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|"
    r"up\s+to|no\s+more\s+than|no\s+less\s+than|upwards\s+of|an\s+estimated)"
)
# Position inside a period: kept inside the span (TIMEX3 mod START, MID, END).
POSITION = (
    r"(?:the\s+(?:very\s+)?(?:end|beginning|start|middle|close|turn|first\s+half|second\s+half|last\s+half)\s+of(?:\s+the)?|"
    r"earlier|later|early|late|mid|middle|the\s+rest\s+of|the\s+remainder\s+of|the\s+balance\s+of)"
)
ZONE = r"(?-i:GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|IST|JST|AEST|AEDT|ET|PT|CT)|local\s+time"
AMPM = r"(?:a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b|AM\b|PM\b|A\.M\.|P\.M\.)"
PART = r"(?:morning|afternoon|evening|night)"
B = r"(?<![\w'’-])"  # start of a word (not inside one, not after an apostrophe)
E = r"(?!\w|-\w)"  # end of a word, not of a hyphenated compound's first part ("year" of "year-ago")

ERA_PREFIX = (
    r"(?:(?:early|late|mid|the\s+early|the\s+late|the\s+mid)[\s-]+)?"  # "the late 1970s", "mid-1990s"
)
