"""The rules of the grammar: one regular expression per kind of expression, and what builds its meaning.

Spans follow the TimeML/TimeBank conventions: prepositions stay outside ("on Friday" is "Friday"),
modifiers of position and approximation stay inside ("early next year", "around 5:30 pm",
"at least 30 days"), a possessive 's stays outside, and a determiner stays outside an adjective
("the 14-day period" is "14-day"). All patterns are compiled once, at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.extract.temporal.builders import (
    Builder,
    _g,
    _unit,
    build_ago,
    build_anaphoric_day,
    build_century,
    build_clock,
    build_decade,
    build_duration,
    build_fiscal_year,
    build_half,
    build_holiday,
    build_iso,
    build_month,
    build_month_day,
    build_month_year,
    build_numeric,
    build_part_of_day,
    build_quarter,
    build_quarter_anaphor,
    build_quarter_code,
    build_quarter_plural,
    build_reference,
    build_relative_century,
    build_relative_day,
    build_relative_unit,
    build_season,
    build_set,
    build_unknown_length,
    build_vague_duration,
    build_week_of,
    build_weekday,
    build_weekday_plural,
    build_year,
    build_year_ago_adjective,
    build_year_end,
    duration_value,
)
from briefings.extract.temporal.fragments import (
    AMPM,
    APPROX,
    DAY_ORDINAL_WORD,
    DAYNUM,
    DIGITS,
    ERA_PREFIX,
    FRACTION,
    MONTH,
    NUMBER,
    NUMWORD,
    NUMWORD_BIG,
    PART,
    POSITION,
    SPELLED_YEAR,
    UNIT_ANY,
    UNIT_PLURAL,
    UNIT_SINGULAR,
    VAGUE,
    WEEKDAY,
    WEEKDAYS_PLURAL,
    YEAR,
    ZONE,
    B,
    E,
)
from briefings.extract.temporal.lexicon import (
    PARTS_OF_DAY,
    WEEKDAYS,
)
from briefings.extract.temporal.meaning import (
    Duration,
    Recurrence,
    RelativeUnit,
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of the grammar and how to read what it matched."""

    name: str
    pattern: re.Pattern[str]
    build: Builder
    priority: int = 0
    needs: frozenset[str] = frozenset()  # kinds of trigger word, one of which every match holds


_DATE_AFTER_CLOCK = (
    rf"(?:\s+(?:{ZONE}))?(?:,?\s+(?:(?P<wd>{WEEKDAY})|(?P<relday>today|tonight|yesterday|tomorrow)|"
    rf"(?P<mon>{MONTH})\s+(?P<day>{DAYNUM})(?:,?\s+(?P<yr>{YEAR}))?))?"
)
_CLOCK_CORE = rf"(?P<h>[01]?\d|2[0-3])(?:(?:[:.]|: )(?P<mi>[0-5]\d))?\s*(?P<ampm>{AMPM})"

_QUARTER_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"

_RULES_SOURCE: list[tuple[str, str, Builder, int]] = [
    # ISO and numeric dates
    (
        "iso",
        rf"{B}(?P<y>(?:1[6-9]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T\s](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?{E}",
        build_iso,
        5,
    ),
    (
        "numeric",
        rf"{B}(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:1[6-9]|20)\d\d){E}",
        build_numeric,
        4,
    ),
    # clock times: 5:30 pm, 10 p.m. Wednesday, 5 p.m. EST, Nov. 6, noon Saturday, 4 in the morning
    (
        "clock",
        rf"{B}(?:{APPROX}\s+)?{_CLOCK_CORE}{_DATE_AFTER_CLOCK}",
        build_clock,
        6,
    ),
    (
        "clock24",
        rf"{B}(?:{APPROX}\s+)?(?P<h>[01]?\d|2[0-3]):\s?(?P<mi>[0-5]\d)(?:\s*(?:h|hrs|hours)\b)?(?=\s+(?:{ZONE})|\s*(?:h|hrs|hours)\b|\s+(?:on|today|yesterday|tomorrow|local)\b){_DATE_AFTER_CLOCK}",
        build_clock,
        5,
    ),
    (
        "clockword",
        rf"{B}(?:{APPROX}\s+)?(?P<clockword>noon|midday|midnight|mid-day){_DATE_AFTER_CLOCK}{E}",
        build_clock,
        6,
    ),
    (
        "oclock",
        rf"{B}(?:{APPROX}\s+)?(?P<h>[01]?\d|2[0-3]|{NUMWORD})(?:\s+o'clock|\s+in\s+the\s+(?P<daypart>morning|afternoon|evening|night))(?:\s+in\s+the\s+(?P<daypart2>morning|afternoon|evening))?{_DATE_AFTER_CLOCK}{E}",
        build_clock,
        6,
    ),
    # month and day: January 7, 2020; Friday, Oct. 23; 7 January 2020; the 7th of January; March eighth
    (
        "month_day",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?:(?:this\s+coming|this|next|last)\s+)?(?:{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\s+(?P<day>{DAYNUM}|{DAY_ORDINAL_WORD})(?:,?\s+(?P<yr>{YEAR}|{SPELLED_YEAR}))?(?:\s+(?P<part>{PART}))?{E}",
        build_month_day,
        5,
    ),
    # the second of two days sharing a month: "April 24 and 25" (the expression is "25" alone)
    (
        "month_day_second",
        rf"{B}(?P<mon>{MONTH})\s+(?:{DAYNUM})\s+(?:and|or|to|through)\s+(?P<only>(?P<day>{DAYNUM})(?:,?\s+(?P<yr>{YEAR}))?){E}",
        build_month_day,
        5,
    ),
    (
        "week_of",
        rf"{B}the\s+week\s+of\s+(?P<mon>{MONTH})\s+(?P<day>{DAYNUM})(?:,?\s+(?P<yr>{YEAR}))?{E}",
        build_week_of,
        6,
    ),
    (
        "day_month",
        rf"{B}(?:(?:{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAYNUM}|{DAY_ORDINAL_WORD})(?:\s+of)?\s+(?P<mon>{MONTH})(?:,?\s+(?P<yr>{YEAR}))?{E}",
        build_month_day,
        5,
    ),
    (
        "month_year",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<yr>{YEAR}|{SPELLED_YEAR}){E}",
        build_month_year,
        4,
    ),
    (
        "month",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<shift>last|next|this|this\s+past|this\s+coming|past|coming)\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<mon>{MONTH})(?:\s+(?P<yrel>last|this|next)\s+year)?{E}(?!\s+\d)",
        build_month,
        3,
    ),
    # years
    (
        "year",
        rf"(?:{B}|(?<=\d{{4}}[-–]))(?:(?:pre|post)-)?(?:(?:{POSITION})[\s-]+)?(?:(?:the\s+)?(?:fiscal|calendar|financial|model|school|academic|tax)(?:\s+year)?[\s-]+)?(?P<yr>{YEAR})(?!\w|-[^\W\d])(?:\s+(?:or\s+(?:later|earlier|after|before)|and\s+beyond){E})?",
        build_year,
        2,
    ),
    (
        "year_spelled",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:the\s+year\s+)?(?P<yr>{SPELLED_YEAR}){E}",
        build_year,
        2,
    ),
    ("year_word", rf"{B}(?:the\s+)?year\s+(?P<yr>{YEAR}){E}", build_year, 3),
    # decades and centuries
    (
        "decade",
        rf"{B}(?:(?:the\s+)?{ERA_PREFIX}(?:(?P<cent>nineteen|twenty|eighteen)[-\s]+)?(?:(?P<dec>(?:1[0-9]|20)\d0|'\d0)'?s|(?P<decword>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))|the\s+{ERA_PREFIX}(?P<dec2>\d0)s){E}",
        build_decade,
        3,
    ),
    (
        "century",
        rf"{B}(?:the\s+)?{ERA_PREFIX}(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{DAY_ORDINAL_WORD})[\s-]+century{E}",
        build_century,
        3,
    ),
    (
        "century_rel",
        rf"{B}(?P<rel>this|last|next|the\s+past|the\s+last|the\s+next)\s+century{E}",
        build_relative_century,
        2,
    ),
    # weekdays
    (
        "weekday",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<shift>last|next|this|this\s+coming|this\s+past|coming|past|the\s+previous|the\s+following|previous|following)\s+)?(?P<wd>{WEEKDAY}){E}(?:\s+(?P<part>{PART}){E})?(?:\s+(?P<wk>last|next|this)\s+week{E})?",
        build_weekday,
        4,
    ),
    (
        "weekday_plural",
        rf"{B}(?P<wd>{WEEKDAYS_PLURAL})(?:\s+and\s+{WEEKDAYS_PLURAL})?{E}|{B}(?P<wd2>{WEEKDAY})\s+(?P<part>mornings|afternoons|evenings|nights){E}",
        lambda m: (
            build_weekday_plural(m)
            if _g(m, "wd")
            else Recurrence(
                f"XXXX-WXX-{WEEKDAYS[m.group('wd2').lower()]}T{PARTS_OF_DAY[m.group('part').lower().rstrip('s')]}"
            )
        ),
        3,
    ),
    # today, yesterday, tomorrow, tonight
    (
        "relative_day",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:the\s+day\s+(?P<beyond>before|after)\s+)?(?P<relday>today|tonight|yesterday|tomorrow){E}(?:\s+(?P<part>{PART}){E})?|{B}(?:(?:{POSITION})[\s-]+)?(?P<part2>morning|afternoon|evening|night)\s+(?P<relday2>today|yesterday|tomorrow){E}",
        build_relative_day,
        4,
    ),
    (
        "part_of_day",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<which>this|last|that|the\s+same|the\s+next|the\s+following|the\s+previous|the)\s+)?(?P<part>morning|afternoon|evening|night|overnight){E}(?!\s+of\b)",
        build_part_of_day,
        1,
    ),
    # this week, last month, next year, the past year, that year, the weekend, earlier this month
    (
        "relative_unit",
        rf"{B}(?:(?:{POSITION}|sometime)[\s-]+(?:in\s+|of\s+)?)?(?P<rel>this|last|next|the\s+past|the\s+last|the\s+current|this\s+past|this\s+coming|the\s+coming|current|the\s+same|that|the\s+previous|the\s+following|the\s+preceding|the\s+prior|past|coming|the\s+full|the\s+whole|the\s+entire|the)\s+(?P<unit>week|month|year|weekend|decade|(?:fiscal|calendar)\s+year|quarter){E}(?P<ended>(?=\s+end(?:ed|ing)\s))?(?!\s+of\b)",
        build_relative_unit,
        2,
    ),
    # two years ago, a year earlier, a week or so ago
    (
        "ago",
        rf"{B}(?:{APPROX}\s+)?(?:(?P<num>(?:{NUMBER}|{VAGUE})(?:{FRACTION})?)\s+)?(?:(?:more|additional|full|long)\s+)?(?P<unit>{UNIT_ANY})\s+(?:or\s+(?:so|more|two|less)\s+)?(?P<dir>ago|earlier|back|from\s+now|hence){E}",
        build_ago,
        5,
    ),
    (
        "anaphoric_unit",
        rf"{B}(?:the\s+)?(?P<unit>day|week|month|year)\s+(?P<rel>before|after)(?=\s*[,.;:)]|\s+(?:that|then)\b){E}|{B}(?P<rel2>the\s+previous|the\s+preceding|the\s+prior|the\s+next|the\s+following)\s+(?P<unit2>day){E}",
        lambda m: (
            build_anaphoric_day(m)
            if _g(m, "unit")
            else RelativeUnit(
                "day",
                -1 if m.group("rel2").split()[-1] in ("previous", "preceding", "prior") else 1,
                anaphoric=True,
            )
        ),
        3,
    ),
    # durations
    (
        "duration",
        rf"{B}(?:{APPROX}\s+)?(?:the\s+(?:(?:first|last|past|next|coming|previous|following|latest|final|initial|year-earlier|year-ago|same|entire|whole|full|remaining|ensuing|intervening|subsequent)\s+)?)?(?P<num>(?:{NUMBER}|{VAGUE})(?:{FRACTION})?)(?:\s+(?:more|additional|full|straight|consecutive|long|trading|business|working|calendar|successive|extra))?\s+(?P<unit>{UNIT_ANY})(?:\s+or\s+so|\s+or\s+(?:more|longer))?(?:-long)?(?!\w|-\w|\s+old\b)",
        build_duration,
        1,
    ),
    (
        "duration_adjective",
        rf"{B}(?P<num>{DIGITS}|{NUMWORD_BIG}|(?:{DIGITS}|{NUMWORD})(?:{FRACTION})|several|multi|many|few)-(?P<unit>{UNIT_SINGULAR})(?:-long)?(?!\w|-\w|\s+old\b)|{B}(?P<unit2>{UNIT_SINGULAR}|{UNIT_PLURAL})-long{E}",
        build_duration,
        1,
    ),
    (
        "duration_range",
        rf"{B}(?:(?:the\s+)?(?:next|past|last|first)\s+)?(?P<num>{DIGITS}|{NUMWORD})\s+(?:to|or|-|–)\s+(?:{DIGITS}|{NUMWORD})[\s-]+(?P<unit>{UNIT_PLURAL}){E}",
        lambda m: Duration(duration_value(None, _unit(m.group("unit")))),
        1,
    ),
    (
        "duration_vague",
        rf"{B}(?:(?:the\s+)?(?:past|last|next|coming|first|early|final)\s+|the\s+(?=years\b))?(?P<unit>years|months|weeks|days|decades|centuries|hours|minutes){E}(?!\s+(?:ago|old|earlier|later)\b)(?!-old)",
        build_vague_duration,
        0,
    ),
    # recurring times
    (
        "set_adverb",
        rf"{B}(?P<adv>daily|nightly|weekly|biweekly|monthly|annually|yearly|hourly){E}",
        build_set,
        2,
    ),
    (
        "set_every",
        rf"{B}(?:every|each)\s+(?:(?P<other>other|second)\s+)?(?:(?P<wd>{WEEKDAY})|(?P<mon>{MONTH})|(?P<part>morning|afternoon|evening|night)|(?P<num>{NUMBER})?\s*(?P<unit>{UNIT_ANY})){E}",
        build_set,
        3,
    ),
    (
        "set_per",
        rf"(?<=[\d\w%)]\s)(?:a|per|an|each)\s+(?P<unit>second|minute|hour|day|week|month|year|quarter){E}(?!\s+(?:ago|earlier|later|before|after|old)\b)(?!['’-])",
        build_set,
        2,
    ),
    (
        "set_times",
        rf"{B}(?:once|twice|three\s+times|(?:\d+|{NUMWORD})\s+times)\s+(?:a|per|an|each)\s+(?P<unit>day|week|month|year){E}",
        build_set,
        2,
    ),
    # quarters, halves, fiscal years, seasons
    (
        "quarter_code",
        rf"{B}(?:(?P<yp>{YEAR})\s+)?(?-i:(?P<kind>[QH])(?P<index>[1-4]))(?:\s+(?:of\s+)?(?P<ys>{YEAR})|\s*[/-]\s*(?P<ys2>\d\d))?{E}",
        build_quarter_code,
        4,
    ),
    (
        "quarter",
        rf"{B}(?:(?:the|this|that)\s+(?=(?:[\w'’-]+\s+){{0,3}}?(?:(?:first|second|third|fourth|1st|2nd|3rd|4th|final)\s+(?:(?:fiscal|calendar)\s+)?(?:quarter|period)\b|(?:fiscal|calendar)\s+(?:first|second|third|fourth|1st|2nd|3rd|4th|final)\s)))?(?:(?P<yp>{YEAR})(?:['’]s)?\s+|(?P<yrel>this|last|next)\s+year['’]s\s+|(?P<ago>year-earlier|year-ago|comparable|comparable\s+year-(?:earlier|ago))\s+)?(?:(?:fiscal|calendar)[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+(?:(?:fiscal|calendar)[\s-]+)?(?P<unit>quarter|period)(?!\w|-\w)(?:\s+of\s+(?:(?:fiscal|calendar)\s+)?(?P<ys>{YEAR})|\s+(?:of\s+)?(?P<yrel2>this|last|next)\s+year)?",
        build_quarter,
        4,
    ),
    # quarters in the plural are no one quarter but that quarter of any year: "in the second and fourth
    # quarters" (XXXX-Q2, XXXX-Q4); the first of two coordinated ordinals shares the noun of the second
    (
        "quarter_plural",
        rf"{B}(?:the\s+)?(?P<ord>{_QUARTER_ORD})[\s-]+(?:(?:fiscal|calendar)[\s-]+)?quarters{E}",
        build_quarter_plural,
        4,
    ),
    (
        "quarter_plural_first",
        rf"{B}(?P<only>(?:the\s+)?(?P<ord>{_QUARTER_ORD}))\s+(?:and|or|&)\s+(?:the\s+)?{_QUARTER_ORD}[\s-]+(?:(?:fiscal|calendar)[\s-]+)?quarters{E}",
        build_quarter_plural,
        4,
    ),
    (
        "quarter_anaphor",
        rf"{B}(?P<pre>the|this|that|its|last|next|last\s+year['’]s|this\s+year['’]s|the\s+latest\s+year['’]s)\s+(?P<mods>(?:(?:latest|current|same|comparable|corresponding|previous|prior|year-earlier|year-ago|most\s+recent|recent|fiscal|just-ended|just\s+ended|latest\s+fiscal)[\s-]+)*)(?:(?P<yp>{YEAR})\s+)?(?P<unit>quarter|period){E}(?:\s+(?P<tail>a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year|a\s+year\s+before))?(?=\s+end(?:ed|ing)\s+(?P<endmon>{MONTH})\s+(?P<endday>{DAYNUM}))?",
        build_quarter_anaphor,
        3,
    ),
    ("year_ago_adjective", rf"{B}(?:year-earlier|year-ago|year-before){E}", build_year_ago_adjective, 1),
    (
        "half",
        rf"{B}(?:the\s+)?(?P<which>first|second|last|latter|back|front)\s+(?:half|two\s+quarters)(?:\s+of\s+(?:(?P<yr>{YEAR})|(?P<yrel>this|last|next)\s+year|the\s+year))?{E}",
        build_half,
        3,
    ),
    (
        "fiscal_year",
        rf"{B}(?:(?P<rel>the\s+current|the\s+latest|the\s+previous|the\s+prior|the\s+next|the\s+coming|this|last|next|the)\s+)?(?:fiscal|financial)\s+year(?:\s+(?P<yr>{YEAR}))?{E}",
        build_fiscal_year,
        3,
    ),
    (
        "season",
        rf"{B}(?:(?:{POSITION})[\s-]+)?(?:(?P<rel>this|last|next|this\s+past|this\s+coming|the\s+past|the\s+coming|the|past|coming)\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<season>spring|summer|fall|autumn|winter){E}(?:\s+(?:of\s+)?(?P<yr>{YEAR}|{SPELLED_YEAR}))?",
        build_season,
        2,
    ),
    (
        "year_end",
        rf"{B}(?:around\s+)?(?:the\s+)?(?:year[\s-]end|year['’]s\s+end|end\s+of\s+the\s+year){E}",
        build_year_end,
        3,
    ),
    # holidays
    (
        "holiday",
        rf"{B}(?:(?P<rel>last|next|this)\s+)?(?P<holiday>(?-i:Easter\s+week|Christmas(?:\s+(?:Eve|Day))?|New\s+Year['’]s(?:\s+(?:Eve|Day))?|Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|Good\s+Friday|Election\s+Day|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day|Halloween|Valentine['’]s\s+Day|Boxing\s+Day)){E}(?:,?\s+(?P<yr>{YEAR}))?",
        build_holiday,
        4,
    ),
    # the past, the present, the future
    (
        "reference",
        r"(?<![\w'’-])(?:now|nowadays|these\s+days|currently|at\s+present|at\s+the\s+moment|"
        r"the\s+present|present[\s-]day|"
        r"recently|lately|recent\s+(?:days|weeks|months|years|quarters|decades|times|history)|recent|"
        r"the\s+past|the\s+distant\s+past|the\s+recent\s+past|"
        r"the\s+(?:near|distant|foreseeable|immediate)\s+future|the\s+future|future|the\s+(?:near|short|long|medium)\s+term|"
        r"soon|the\s+coming\s+(?:days|weeks|months|years|decades)|coming\s+(?:days|weeks|months|years|decades|quarters)|"
        r"the\s+(?:days|weeks|months|years)\s+ahead|the\s+(?:days|weeks|months|years)\s+to\s+come|(?:some\s+)?years\s+ago|"
        r"(?:many|several|some|a\s+few)\s+(?:years|months|decades)\s+ago|decades\s+ago|months\s+ago|years\s+earlier|"
        r"as\s+soon\s+as\s+possible|an?\s+(?:later|earlier|future)\s+(?:date|time|stage)|"
        r"(?:then[\s-])?current)(?![\w’-]|'\w)",
        build_reference,
        1,
    ),
    # an unknown length: "for a while", "after a while" (not "a while ago", a time before)
    (
        "duration_while",
        r"(?:(?<=\bfor\s)|(?<=\bin\s))(?:quite\s+)?a\s+(?:little\s+|long\s+|short\s+)?while\b(?!\s+(?:ago|back|longer)\b)",
        build_unknown_length,
        1,
    ),
]


def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


# Which kinds of trigger word each rule's matches hold (see `_TRIGGERS`): a rule runs only in windows
# that hold one of them.
_RULE_NEEDS: dict[str, frozenset[str]] = {
    name: frozenset(kinds.split())
    for name, kinds in {
        "iso": "year",
        "numeric": "year",
        "clock": "clock",
        "clock24": "clock",
        "clockword": "clock part",
        "oclock": "clock part",
        "month_day": "month",
        "month_day_second": "month",
        "week_of": "month",
        "day_month": "month",
        "month_year": "month",
        "month": "month",
        "year": "year",
        "year_spelled": "spelled",
        "year_word": "year",
        "decade": "decade year",
        "century": "unit",
        "century_rel": "unit",
        "weekday": "weekday",
        "weekday_plural": "weekday",
        "relative_day": "relday",
        "part_of_day": "part",
        "relative_unit": "unit period",
        "ago": "unit",
        "anaphoric_unit": "unit",
        "duration": "unit",
        "duration_adjective": "unit",
        "duration_range": "unit",
        "duration_vague": "unit",
        "set_adverb": "set",
        "set_every": "unit weekday month part",
        "set_per": "unit",
        "set_times": "unit",
        "quarter": "period unit",
        "quarter_code": "period",
        "quarter_anaphor": "period unit",
        "quarter_plural": "unit",
        "quarter_plural_first": "unit",
        "year_ago_adjective": "unit",
        "half": "period",
        "fiscal_year": "unit",
        "season": "season",
        "year_end": "unit",
        "holiday": "holiday unit weekday",
        "reference": "ref unit",
        "duration_while": "ref",
    }.items()
}
RULES: tuple[Rule, ...] = tuple(
    Rule(name, _compile(src), build, prio, _RULE_NEEDS[name]) for name, src, build, prio in _RULES_SOURCE
)
