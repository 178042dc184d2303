"""Which sentences of an article tell news: what tells a report from the page around it.

A report states something of a third party on a particular occasion: a clause whose subject is
someone or something other than the page and its reader ("police arrested", "the election is over",
"the mayor will speak this afternoon"). What a page says besides (navigation, notices, share boxes, an
archive's note about its crawl, a sign-up form) talks to its reader ("you", a command without a
subject), speaks as the page ("we", "on our site"), is a label or a headline too short to
say who did what where, or tells of a standing habit rather than an occasion ("data are added every
day", "has been sending its scans since 2004").

What counts is what the sentence asserts: its main clause (and the clauses joined to it), not a clause
that only describes one of its nouns or says when or why ("pages as they are created"). And a report tells
of something done or happening, which a main clause does not when it says what a thing is or holds ("the
crawls are part of an effort", "the goal is to fix links", "the collection contains crawls"), the state it
is in now ("the captures are available to the public") or that a state does not hold ("the files are not
available"), what can or may be ("the credit can be used"), or a wish or a need ("the archive hopes
that").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from briefings.models import Sentence, TimeExpression

# The speaker or the reader of the page: a clause about them is the page talking, not a report.
_FIRST_AND_SECOND_PERSON = frozenset(["i", "me", "we", "us", "you"])
_THE_READER = frozenset(["you", "your", "yours", "yourself", "yourselves"])
_SUBJECTS = frozenset(["nsubj", "nsubjpass", "expl"])
# Where a page's own things are ("on our site", "in our archive"): a clause placed there is the page's.
_ON_THE_PAGE = frozenset(["on", "in", "at"])
# Modals of what can or may be: a possibility, not a happening ("the credit can be used").
_POSSIBLE = frozenset(["can", "could", "may", "might"])
# Verbs that say, in the present, what a thing holds ("the collection contains", "they include"): no happening.
_HOLDING = frozenset(["include", "contain", "comprise", "consist"])
# Verbs of a wish, a need or a liking: a state of mind, not something done.
_STATES_OF_MIND = frozenset(["hope", "wish", "want", "need", "like", "love"])
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


def _asserted(sentence: Span) -> list[Token]:
    """The heads of the clauses the sentence asserts: its root, the clauses joined to it ("… and fled")
    and what it says someone said or did ("police say the man fled"); not those of a wish or a state.

    A root the parser found under a subordinating word ("as the pages are changed, …") asserts nothing. A
    root that is no verb (a run of page text taken for one phrase: an address, a headline, a dateline)
    shows no main clause: each clause in it counts.
    """
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX"):
        return list(sentence)
    if any(child.dep_ == "mark" for child in root.children):
        return []
    heads = [root]
    for head in heads:
        for child in head.children:
            if child.dep_ in ("conj", "parataxis") or (child.dep_ == "ccomp" and not _no_happening(head)):
                heads.append(child)
    return heads


def _no_happening(verb: Token) -> bool:
    """Whether the clause tells of no happening: what a thing is or holds, a state it is in or that does
    not hold, what can or may be, a wish or a need."""
    deps = {child.dep_ for child in verb.children}
    present = verb.tag_ in ("VBZ", "VBP")
    if present and verb.lemma_ in _HOLDING:
        return True
    if verb.lemma_ == "be" and "expl" not in deps:
        subject = _subject(verb)
        # "There was an explosion" tells of one, and "Linde is the new pilot" of someone named; "the
        # crawls are part of an effort" says what they are, and "the captures are available" how they stand.
        named = subject is not None and subject.pos_ == "PROPN"
        if (deps & {"attr", "xcomp", "ccomp"} and not named) or "neg" in deps:
            return True
        if present and "acomp" in deps and not named:
            return True
    clause = verb
    while True:
        # "can be spent or saved": the modal of the first verb holds for those joined to it.
        if any(child.dep_ == "aux" and child.lower_ in _POSSIBLE for child in clause.children):
            return True
        if clause.dep_ != "conj" or clause.head is clause:
            break
        clause = clause.head
    # The lower form too: the lemmatiser reads "hopes" as a form of "hop".
    return verb.lemma_ in _STATES_OF_MIND or verb.lower_.removesuffix("s") in _STATES_OF_MIND


def _reports(sentence: Span, recurring: list[int]) -> bool:
    if sum(1 for token in sentence if token.is_alpha) < MIN_WORDS or _addresses_the_reader(sentence):
        return False
    for token in _asserted(sentence):
        if token.pos_ not in ("VERB", "AUX") or _going_on_since(token) or _no_happening(token):
            continue
        subject = _subject(token)
        if subject is not None and not _the_page_speaks(token, subject) and not _habitual(token, recurring):
            return True
    return False


def _the_page_speaks(verb: Token, subject: Token) -> bool:
    """Whether the clause is the page's about itself: "we" or "I" do it, or it is done "on our site"."""
    if subject.lower_ in _FIRST_AND_SECOND_PERSON:
        return True
    places = (c for p in verb.children if p.dep_ == "prep" and p.lower_ in _ON_THE_PAGE for c in p.children)
    return any(
        c.dep_ == "poss" and c.lower_ == "our"
        for noun in places
        if noun.dep_ == "pobj"
        for c in noun.children
    )


def report_sentences(doc: Doc, sentences: list[Sentence], times: list[TimeExpression]) -> list[int]:
    """The indexes of the article's sentences that tell news."""
    recurring = [t.start for t in times if t.type == "SET" and not _in_address(doc.text, t.start, t.end)]
    found = []
    for sentence in sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is not None and _reports(span, recurring):
            found.append(sentence.index)
    return found
