"""Claims: numbers, what they count and who claims them.

A claim is a counted quantity ("at least 80 soldiers were killed", "a total of 22 missiles hit", "24 percent
of the contributors", "$3 million raised") or a casualty figure of zero ("no victims"). What it counts is
named as the lemma of the counted noun plus the event it took part in ("soldiers killed"), so that the
same figure in two reports lines up. Who claims it comes from the quote it sits in, "according to X" or a
verb of saying in its sentence; figures the writer states on their own authority have no claimant. Dates,
times, ordinals, years and ages are not claims.
"""

from __future__ import annotations

import logging
import re

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]  # compiled, not in the stubs
from spacy.tokens import Doc, Span, Token

from briefings.extract.entities import dateline_end
from briefings.extract.quantities import leading_qualifier, quantity_value
from briefings.extract.quotes import QUOTES_KEY, TEXT_KEY, extract_quotes
from briefings.extract.sentences import sentence_at
from briefings.extract.speech_verbs import SPEECH_VERB_LEMMAS, is_according_to
from briefings.models import Actor, Claim, Quote, Sentence

_log = logging.getLogger(__name__)

_NUMBER_LABELS = frozenset(["CARDINAL", "MONEY", "PERCENT", "QUANTITY"])
# Event words that make a count a casualty, arrest or displacement figure, by the participle they map to.
_EVENT_CLASSES = {
    "killed": ["kill", "die", "dead", "death", "slay", "perish", "fatality", "murder", "massacre", "execute"],
    "injured": ["injure", "wound", "hurt", "injury", "injured", "wounded"],
    "arrested": ["arrest", "detain", "apprehend", "detention", "jail", "imprison"],
    "missing": ["missing"],
    "displaced": ["displace", "evacuate", "flee", "uproot"],
    "casualties": ["casualty", "victim"],
}
# Classes whose name stands for the event itself ("people killed", "people missing").
_EVENT_NAMES = frozenset(["killed", "injured", "arrested", "displaced", "missing"])
# Classes of harm to people, whose figure of zero is a claim ("no one was hurt").
HARM_CLASSES = frozenset(["killed", "injured", "casualties"])
# Counted words that mean "people" in a casualty figure ("30 others were injured").
_SAME_AS_PEOPLE = {"others": "people", "persons": "people", "individuals": "people"}
# Verbs that put a figure on their subject ("the death toll rose to 45", "turnout stood at 38 percent").
_MEASURING_VERBS = frozenset(
    [
        "be",
        "rise",
        "climb",
        "jump",
        "increase",
        "grow",
        "fall",
        "drop",
        "decline",
        "stand",
        "reach",
        "hit",
        "total",
        "top",
        "exceed",
        "surpass",
        "soar",
        "plunge",
        "slip",
        "edge",
    ]
)
# Verbs by which a source puts a figure on something ("the agency put the death toll at 17"): their
# subject claims the figure.
ESTIMATING_VERBS = frozenset(["put", "place", "estimate", "peg", "set", "revise", "raise", "lower", "count"])
# Words that stand for nobody in a casualty figure ("no one was hurt", "nobody was injured").
_NOBODY = frozenset(["nobody", "none", "noone"])
_EVENT_CLASS = {word: name for name, words in _EVENT_CLASSES.items() for word in words}
# Irregular participles of verbs news counts with; the rest take -ed.
_PARTICIPLES = {
    "hit": "hit",
    "shoot": "shot",
    "take": "taken",
    "give": "given",
    "steal": "stolen",
    "fall": "fallen",
    "rise": "risen",
    "sell": "sold",
    "buy": "bought",
    "build": "built",
    "send": "sent",
    "spend": "spent",
    "lose": "lost",
    "hold": "held",
    "seize": "seized",
    "find": "found",
    "fly": "flown",
    "drive": "driven",
    "write": "written",
    "make": "made",
    "pay": "paid",
    "catch": "caught",
    "fight": "fought",
    "bring": "brought",
    "throw": "thrown",
    "leave": "left",
    "win": "won",
    "grow": "grown",
    "see": "seen",
    "do": "done",
    "go": "gone",
    "get": "got",
    "put": "put",
    "cut": "cut",
    "set": "set",
    "let": "let",
    "run": "run",
    "keep": "kept",
    "lead": "led",
    "meet": "met",
    "hide": "hidden",
    "blow": "blown",
    "tear": "torn",
    "wear": "worn",
    "swear": "sworn",
    "choose": "chosen",
    "freeze": "frozen",
    "speak": "spoken",
    "break": "broken",
    "repay": "repaid",
    "lay": "laid",
    "say": "said",
}
_IRREGULAR_PLURALS = {
    "person": "people",
    "people": "people",
    "man": "men",
    "woman": "women",
    "child": "children",
    "police": "police",
    "staff": "staff",
    "personnel": "personnel",
    "troops": "troops",
    "aircraft": "aircraft",
    "sheep": "sheep",
    "fish": "fish",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "datum": "data",
    "medium": "media",
    "criterion": "criteria",
    "crisis": "crises",
    "analysis": "analyses",
}
# Verbs that carry no event of their own ("there were 80", "80 have", "it is 80").
_EMPTY_VERBS = frozenset(
    ["be", "have", "do", "become", "remain", "include", "total", "number", "reach", "exceed", "age"]
)
# Nouns that head a count without being what is counted ("a total of 22 missiles").
_COLLECTIVE_NOUNS = frozenset(
    ["total", "number", "group", "dozens", "hundreds", "thousands", "millions", "tens"]
)
_AGE_NOUNS = frozenset(["year", "years", "yr", "yrs"])
_AGE_WORDS = frozenset(["aged", "age", "ages"])
_YEAR = re.compile(r"^(1[5-9]|20)\d\d$")
_CURRENCY_SIGNS = frozenset(["$", "£", "€", "¥", "₹", "US$", "A$", "C$", "HK$"])
# Words after a number that make it a clock time, a score or an odds figure rather than a count.
_TIME_WORDS = frozenset(
    ["am", "pm", "a.m.", "p.m.", "gmt", "utc", "bst", "est", "edt", "pst", "o'clock", "hrs"]
)
_SCORE = re.compile(r"^\d+(?:[-–/:]\d+)+$")
_PERCENT = re.compile(r"per ?cent|%", re.IGNORECASE)
_DOUBLES_FINAL = re.compile(r"^[^aeiou]*[aeiou][bdgmnprt]$")
_NO = hash_string("no")
_QUOTE_MARKS = re.compile(r"[\"“”„«»]|''|``")
_SPACES = re.compile(r"\s+")
_SMALL_WORDS = frozenset(["one", "a", "an", "1"])


def _plural(lemma: str) -> str:
    """The plural of a noun lemma, for a stable "what" ("soldier" → "soldiers", "casualty" → "casualties")."""
    lemma = lemma.lower()
    if lemma in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[lemma]
    if lemma.endswith(("ss", "x", "z", "ch", "sh")):
        return lemma + "es"
    if lemma.endswith("s"):
        # "news", "series", "troops": already plural or the same in both numbers.
        return lemma
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def _participle(verb: Token) -> str:
    """A verb as a past participle ("killed", "hit", "launched"), whatever tense the text used."""
    if verb.tag_ == "VBN" or (verb.tag_ == "VBD" and verb.lemma_.lower() not in _PARTICIPLES):
        return verb.lower_
    lemma = verb.lemma_.lower()
    if lemma in _PARTICIPLES:
        return _PARTICIPLES[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ied"
    if _DOUBLES_FINAL.match(lemma):
        # "stop" → "stopped", "ban" → "banned".
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


def _event_class(word: Token) -> str | None:
    return _EVENT_CLASS.get(word.lemma_.lower()) or _EVENT_CLASS.get(word.lower_)


def _counted_noun(number: Token, label: str) -> Token | None:
    """The noun a number counts ("80" → "soldiers"), or for a percentage what it is a share of."""
    head = number.head
    if number.dep_ in ("nummod", "quantmod", "compound", "amod") and head.pos_ in ("NOUN", "PROPN"):
        if label == "PERCENT" or head.lower_ in ("percent", "per", "%"):
            described = head if head.lower_ not in ("percent", "per", "%") else _modified_noun(head)
            return _share_of(head) or _share_of(number) or described
        if head.ent_type_ not in ("", "CARDINAL", "MONEY", "QUANTITY", "PERCENT") and head.pos_ == "PROPN":
            return None
        return head
    if label == "PERCENT":
        return _share_of(number) or _modified_noun(number)
    # "a total of 22 missiles" / "dozens of protesters": the count heads its own "of" phrase.
    return _share_of(number)


def _modified_noun(token: Token) -> Token | None:
    """The noun a figure describes ("a 4% pay rise" → "rise"): what the percentage is of."""
    head = token.head
    if token.dep_ in ("compound", "amod", "nmod", "nummod") and head.pos_ == "NOUN" and head.i > token.i:
        return head
    return None


def _share_of(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and grandchild.pos_ in ("NOUN", "PROPN"):
                    return grandchild
    return None


def _event_verb(noun: Token) -> Token | None:
    """The event a counted noun takes part in: "soldiers were killed", "killed 12 people", "missiles hit"."""
    for child in noun.children:
        if child.pos_ != "VERB" or child.lemma_.lower() in _EMPTY_VERBS:
            continue
        if child.dep_ == "acl" and child.tag_ in ("VBN", "VBD"):
            return child
        if child.dep_ == "relcl" and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that", "which") for c in child.children
        ):
            # "80 people who were killed": the relative clause is about the counted people themselves.
            return child
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in _COLLECTIVE_NOUNS:
        # "a total of 22 missiles hit": the event belongs to the phrase the count heads.
        return _event_verb(head.head)
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        lemma = head.lemma_.lower()
        if lemma in _EMPTY_VERBS or lemma in SPEECH_VERB_LEMMAS:
            # "there were no victims", "80 were dead": the event is in the complement, if anywhere.
            for child in head.children:
                if child.dep_ in ("acomp", "oprd", "xcomp") and _event_class(child):
                    return child
            return None
        return head
    if noun.dep_ == "conj":
        return _event_verb(noun.head)
    return None


def _uncounted_event(number: Token, label: str) -> Token | None:
    """The event of a number that counts no noun: "killing at least 12", "left 12 dead", "lost $2 million"."""
    for child in number.children:
        if child.dep_ in ("amod", "acomp", "oprd") and _event_class(child):
            return child
    head = number.head
    if head.pos_ in ("ADJ", "VERB") and head.i > number.i and _event_class(head):
        return head
    if number.dep_ == "nsubj" and head.lemma_.lower() == "be":
        # "40 were missing", "12 are dead": the figure is of the state the copula gives them.
        state = next((c for c in head.children if c.dep_ in ("acomp", "attr") and _event_class(c)), None)
        if state is not None:
            return state
    counted_by_verb = number.dep_ in ("dobj", "nsubj", "nsubjpass") and head.pos_ == "VERB"
    if counted_by_verb and (
        _event_class(head) or (label == "MONEY" and head.lemma_.lower() not in _EMPTY_VERBS)
    ):
        return head
    return None


def _measured(number: Token) -> Token | None:
    """What a bare figure measures: the subject of "the death toll rose to 45", "turnout was 38 percent",
    the object of "the agency put the death toll at 17"."""
    verb: Token | None = None
    if number.dep_ == "pobj" and number.head.lower_ in ("to", "at", "by", "from"):
        verb = number.head.head
    elif number.dep_ in ("attr", "dobj", "npadvmod") and number.head.lemma_.lower() in _MEASURING_VERBS:
        verb = number.head
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    if verb.lemma_.lower() in ESTIMATING_VERBS and number.head.lower_ == "at":
        estimated = next((c for c in verb.children if c.dep_ == "dobj"), None)
        return estimated if estimated is not None and estimated.pos_ == "NOUN" else None
    if verb.lemma_.lower() not in _MEASURING_VERBS:
        return None
    # Of two subjects (a dateline the parse took for one: "OSLO, Oct 24 - Shares ... fell"), the nearer.
    subject = max(
        (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i),
        key=lambda c: c.i,
        default=None,
    ) or next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    return subject


def _measured_what(subject: Token, label: str) -> tuple[str, str]:
    """ "death toll" (category killed), "unemployment" (percent): the measured noun with its compounds."""
    words = [c for c in subject.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"] + [subject]
    what = " ".join(w.lower_ for w in words)
    category = next((c for c in (_event_class(w) for w in words) if c), None)
    if label == "PERCENT":
        category = "percent"
    elif label == "MONEY":
        category = "money"
    return what, category or "count"


def _what(noun: Token | None, verb: Token | None, label: str) -> tuple[str | None, str | None]:
    """The normalised "what" of a claim and its category."""
    category: str | None = None
    if noun is not None:
        category = _event_class(noun)
    if verb is not None and category is None:
        category = _event_class(verb)
    if label == "PERCENT":
        category = "percent"
    elif label == "MONEY":
        category = "money"
    event = ""
    if verb is not None:
        event = category if category in _EVENT_NAMES else _participle(verb)
    if noun is not None:
        noun_word = (
            noun.lower_ if noun.tag_ == "NNS" else _plural(noun.lemma_ if noun.pos_ == "NOUN" else noun.text)
        )
        noun_word = _SAME_AS_PEOPLE.get(noun_word, noun_word)
        what = f"{noun_word} {event}".strip()
    elif event:
        what = (
            f"people {event}"
            if category in _EVENT_CLASSES
            else f"money {event}"
            if label == "MONEY"
            else event
        )
    else:
        what = None
    if what is None and label in ("MONEY", "PERCENT"):
        what = "money" if category == "money" else "percent"
    return what, category or ("count" if what else None)


def _is_age(span: Span) -> bool:
    """Ages in passing: "Jane Roe, 45,", "a 45-year-old", "aged 45"."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    if after is not None and after.lower_ in _AGE_NOUNS | {"-"}:
        look = doc[span.end : span.end + 4].text.lower()
        if "year" in look and "old" in look:
            return True
    if before is not None and before.lower_ in _AGE_WORDS:
        return True
    root = span.root
    if root.dep_ == "appos" and root.head.ent_type_ == "PERSON":
        return True
    return bool(
        before is not None
        and before.text == ","
        and span.start > 1
        and doc[span.start - 2].ent_type_ == "PERSON"
        and after is not None
        and after.text in (",", ".", ";")
    )


def _skip_number(span: Span) -> bool:
    """Years, ages, ordinals, phone-like strings, numbers inside names, anaphoric "the two"."""
    text = span.text.strip()
    if _YEAR.match(text) and span.label_ == "CARDINAL":
        return True
    if _is_age(span):
        return True
    if span.start > 0 and span.doc[span.start - 1].lower_ in ("the", "these", "those", "both", "all", "its"):
        # "the two leaders": a reference back to people already counted, not a new figure.
        return span.label_ == "CARDINAL"
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and (
        after.lower_ in _TIME_WORDS or (after.text == "-" and not span[-1].whitespace_)
    ):
        # "3 am"; "a 24-race season", "a six-year term": a clock time or a hyphenated modifier.
        return True
    if span.start > 0 and doc[span.start - 1].text == "-" and not doc[span.start - 1].whitespace_:
        return True
    if _SCORE.match(text) or any(_SCORE.match(t.text) for t in span):
        return True
    dateline = dateline_end(doc, span.sent.start)
    if dateline is not None and span.start < dateline:
        return True  # the date of a dateline ("OSLO, Oct 24 -")
    root = span.root
    if root.dep_ in ("compound", "nummod") and root.head.pos_ == "PROPN":
        # "Boeing 737", "Six Nations", "Route 66": part of a name.
        return True
    return bool(root.dep_ == "pobj" and root.head.lower_ in ("page", "number", "no.", "route", "room"))


def _quantity_span(span: Span) -> tuple[int, int]:
    """Token range of the quantity with its qualifier ("at least 80", "a total of 22")."""
    doc = span.doc
    start = span.start
    if start > 0 and doc[start - 1].text in _CURRENCY_SIGNS:
        start -= 1
    words = [t.lower_ for t in doc[max(0, start - 4) : start]]
    size = leading_qualifier(words)
    if size:
        start -= size
    return start, span.end


def _without_article(name: str) -> str:
    lowered = name.casefold()
    return lowered[4:] if lowered.startswith("the ") else lowered


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _QUOTE_MARKS.sub("", text)).strip(" ,;:")


class _Attribution:
    """Who claims what is said in a stretch of text: quotes by span, then the sentence's own cues."""

    def __init__(self, doc: Doc, quotes: list[Quote], actors: list[Actor]) -> None:
        self._doc = doc
        self._quotes = sorted(quotes, key=lambda q: (q.start, -q.end))
        self._names: dict[int, str] = {}
        for actor in actors:
            for mention in actor.mentions:
                self._names[mention.start] = actor.name

    def claimant(self, start: int, end: int, sentence: Span) -> str | None:
        """The speaker of the quote holding a span, else the sentence's source ("according to", "said")."""
        for quote in self._quotes:
            if quote.start > start:
                break
            if quote.end >= end and quote.speaker and quote.direct:
                return quote.speaker
        for quote in self._quotes:
            if quote.start > start:
                break
            if quote.end >= end and quote.speaker:
                return quote.speaker
        for token in sentence:
            if is_according_to(token):
                source = next((c for c in token.children if c.dep_ == "pobj"), None)
                if source is not None:
                    return self._name(source)
        return self._reporter(start, sentence)

    def _reporter(self, start: int, sentence: Span) -> str | None:
        """The subject of the verb that reports or estimates the figure at `start`: "The coast guard said
        ..., but no one was hurt", "the agency put the death toll at 17, with 12 people injured"."""
        token = next((t for t in sentence if t.idx <= start < t.idx + len(t) + 1), None)
        node = token
        for _ in range(12):
            if node is None or node.head.i == node.i:
                return None
            via, node = node.dep_, node.head
            lemma = node.lemma_.lower()
            reporting = via in ("ccomp", "conj") and lemma in SPEECH_VERB_LEMMAS
            if node.pos_ == "VERB" and (reporting or lemma in ESTIMATING_VERBS) and via != "nsubj":
                subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is None or subject.pos_ == "PRON":
                    return None
                return self._as_quoted(self._name(subject), sentence)
        return None

    def _as_quoted(self, name: str, sentence: Span) -> str:
        """A source named as the quote extractor names it in the same sentence ("The coast guard")."""
        key = _without_article(name)
        for quote in self._quotes:
            if quote.start > sentence.end_char:
                break
            if (
                quote.start >= sentence.start_char
                and quote.speaker
                and _without_article(quote.speaker) == key
            ):
                return quote.speaker
        return name

    def _name(self, head: Token) -> str:
        left = head.left_edge
        first = next((t for t in head.subtree if t.ent_type_), left)
        name = self._names.get(first.idx)
        if name is not None:
            return name
        words = [t for t in head.subtree if (t.i <= head.i and t.dep_ != "det") or t.i == head.i]
        return _clean(" ".join(t.text for t in words)) or head.text


def _zero_claims(doc: Doc) -> list[tuple[Token, Token]]:
    """ "no victims", "no casualties": a determiner "no" on a casualty noun, as a figure of zero."""
    found = []
    for index in np.flatnonzero(doc.to_array("LOWER") == _NO):
        token = doc[int(index)]
        head = token.head
        if token.lower_ == "no" and token.dep_ == "det" and head.pos_ == "NOUN" and _event_class(head):
            found.append((token, head))
    return found


def _nobody_harmed(doc: Doc) -> list[tuple[Token, Token, Token]]:
    """ "no one was hurt", "nobody was killed": nobody as the subject of a harm verb, as a figure of zero."""
    found = []
    for token in doc:
        lower = token.lower_
        nobody = lower in _NOBODY or (lower == "one" and token.i > 0 and doc[token.i - 1].lower_ == "no")
        if not nobody or token.dep_ not in ("nsubj", "nsubjpass"):
            continue
        verb = token.head
        if verb.pos_ in ("VERB", "ADJ") and _event_class(verb) in HARM_CLASSES:
            first = doc[token.i - 1] if lower == "one" else token
            found.append((first, token, verb))
    return found


def _zero_category(category: str | None) -> str | None:
    """Nobody hurt or injured, no injuries: nobody killed either, a figure of zero casualties."""
    return "casualties" if category == "injured" else category


def _claim_text(doc: Doc, text: str, tokens: list[int]) -> tuple[str, int, int]:
    first, last = min(tokens), max(tokens)
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    return _clean(text[start:end]), start, end


def extract_claims(doc: Doc, sentences: list[Sentence], actors: list[Actor]) -> list[Claim]:
    """Numeric claims with what they count and the source that claims them."""
    if len(doc) == 0:
        return []
    quotes = doc.user_data.get(QUOTES_KEY)
    if not isinstance(quotes, list):
        quotes = extract_quotes(doc, sentences, actors)
    attribution = _Attribution(doc, quotes, actors)
    # Doc.text joins every token each time it is read: read it once (the quote extractor may have).
    cached = doc.user_data.get(TEXT_KEY)
    full_text = cached if isinstance(cached, str) else doc.text
    claims: list[Claim] = []
    for ent in doc.ents:
        if ent.label_ not in _NUMBER_LABELS or _skip_number(ent):
            continue
        number = ent.root
        label = "PERCENT" if _PERCENT.search(ent.text) else ent.label_
        noun = _counted_noun(number, label)
        verb = _event_verb(noun) if noun is not None else _uncounted_event(number, label)
        measured = _measured(number) if noun is None and verb is None else None
        what: str | None
        category: str | None
        if measured is not None:
            what, category = _measured_what(measured, label)
        else:
            what, category = _what(noun, verb, label)
        if what is None or (noun is None and verb is None and measured is None and label == "CARDINAL"):
            continue
        if ent.text.lower() in _SMALL_WORDS and category not in _EVENT_CLASSES:
            continue
        q_start, q_end = _quantity_span(ent)
        tokens = [q_start, q_end - 1]
        if noun is not None:
            tokens.append(noun.i)
        if measured is not None:
            dateline = dateline_end(doc, ent.sent.start)
            tokens.append(max(measured.left_edge.i, dateline + 1 if dateline is not None else 0))
        if verb is not None:
            tokens.append(verb.i)
        text, start, end = _claim_text(doc, full_text, tokens)
        quantity = _clean(doc[q_start:q_end].text)
        at, until = ent.start_char, ent.end_char
        claims.append(
            Claim(
                text=text,
                quantity=quantity,
                what=what,
                attributed_to=attribution.claimant(at, until, ent.sent),
                sentence=sentence_at(sentences, start),
                start=start,
                end=end,
                value=quantity_value(quantity),
                category=category,
            )
        )
    for first, nobody, verb in _nobody_harmed(doc):
        category = _zero_category(_event_class(verb))
        what = "casualties" if category == "casualties" else f"people {category}"
        text, start, end = _claim_text(doc, full_text, [first.i, nobody.i, verb.i])
        claims.append(
            Claim(
                text=text,
                quantity=_clean(doc[first.i : nobody.i + 1].text),
                what=what,
                attributed_to=attribution.claimant(first.idx, verb.idx + len(verb), verb.sent),
                sentence=sentence_at(sentences, start),
                start=start,
                end=end,
                value=0.0,
                category=category,
            )
        )
    for det, noun in _zero_claims(doc):
        verb = _event_verb(noun)
        what, category = _what(noun, verb, "CARDINAL")
        if category == "injured":
            what, category = "casualties", "casualties"
        tokens = [det.i, noun.i] + ([verb.i] if verb is not None else [])
        text, start, end = _claim_text(doc, full_text, tokens)
        claims.append(
            Claim(
                text=text,
                quantity="no",
                what=what,
                attributed_to=attribution.claimant(det.idx, noun.idx + len(noun), noun.sent),
                sentence=sentence_at(sentences, start),
                start=start,
                end=end,
                value=0.0,
                category=category,
            )
        )
    claims.sort(key=lambda c: c.start)
    return claims
