"""Which sentences of an article tell news: what tells a report from the page around it.

A report states something of a third party on a particular occasion: a clause whose subject is
someone or something other than the page and its reader ("police arrested", "the election is over",
"the mayor will speak this afternoon"). What a page says besides (navigation, notices, share boxes, an
archive's note about its crawl, a sign-up form) talks to its reader ("you", a command without a
subject), speaks as the page ("we"), is a label or a headline too short to say who did what where, or
tells of a standing habit rather than an occasion ("data are added every day", "has been sending its
scans since 2004").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from briefings.models import Sentence, TimeExpression

# The speaker or the reader of the page: a clause about them is the page talking, not a report.
_FIRST_AND_SECOND_PERSON = frozenset(["i", "me", "we", "us", "you"])
_THE_READER = frozenset(["you", "your", "yours", "yourself", "yourselves"])
_SUBJECTS = frozenset(["nsubj", "nsubjpass", "expl"])
# A line this short is a label, a notice or a headline ("All rights reserved.", "Bridge falls in Oskby."),
# too short to say who did what where: not a report.
MIN_WORDS = 5


def _addresses_the_reader(sentence: Span) -> bool:
    """Whether the sentence speaks to its reader ("you", "your") outside any quotation it holds."""
    quoted = False
    for token in sentence:
        if token.is_quote:
            quoted = not quoted
        elif not quoted and token.lower_ in _THE_READER:
            return True
    return False


def _going_on_since(verb: Token) -> bool:
    """A perfect progressive ("has been sending"): an activity going on for a while, no occasion."""
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ == "aux"}
    return verb.tag_ == "VBG" and "been" in auxiliaries


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or that of the verb it is coordinated with ("… and fled")."""
    while True:
        subject = next((child for child in verb.children if child.dep_ in _SUBJECTS), None)
        if subject is not None or verb.dep_ != "conj" or verb.head is verb:
            return subject
        verb = verb.head


def _habitual(verb: Token, recurring: list[int]) -> bool:
    """Whether a recurring time ("every day", "weekly") is said of the verb: a habit, not an occasion."""
    start = verb.left_edge.idx
    end = verb.right_edge.idx + len(verb.right_edge)
    return any(start <= position < end for position in recurring)


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether a word stands between the slashes of a web address ("/video/nightly-news/"): not a time."""
    return "/" in text[max(0, start - 3) : start] or "/" in text[end : end + 3]


def _reports(sentence: Span, recurring: list[int]) -> bool:
    if sum(1 for token in sentence if token.is_alpha) < MIN_WORDS or _addresses_the_reader(sentence):
        return False
    for token in sentence:
        if token.pos_ not in ("VERB", "AUX") or _going_on_since(token):
            continue
        subject = _subject(token)
        if (
            subject is not None
            and subject.lower_ not in _FIRST_AND_SECOND_PERSON
            and not _habitual(token, recurring)
        ):
            return True
    return False


def report_sentences(doc: Doc, sentences: list[Sentence], times: list[TimeExpression]) -> list[int]:
    """The indexes of the article's sentences that tell news."""
    recurring = [t.start for t in times if t.type == "SET" and not _in_address(doc.text, t.start, t.end)]
    found = []
    for sentence in sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is not None and _reports(span, recurring):
            found.append(sentence.index)
    return found
