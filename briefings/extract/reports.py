"""Which sentences of an article report something that happened: what tells news from the page around it.

A news report tells of what someone or something did or what happened to them: a main clause with a
finite verb in the past ("police arrested", "the bridge was closed", "she has resigned") whose subject
is a third party, or in the present when that party is named ("Lanmore Air adds two routes"). What a
page says besides (navigation, notices, share boxes, an archive's note about its crawl, a sign-up form)
talks to its reader ("you", a command), about itself ("we"), or of what goes on in general ("data are
added every day", "the page may take a day to appear"): no such clause.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from briefings.models import Sentence

# The speaker or the reader of the page: a clause about them is the page talking, not a report.
_FIRST_AND_SECOND_PERSON = frozenset(["i", "me", "we", "us", "you"])
_SUBJECTS = frozenset(["nsubj", "nsubjpass"])
_THE_READER = frozenset(["you", "your", "yours", "yourself", "yourselves"])
# A line this short is a label, a caption or a notice ("All rights reserved."), not a report.
MIN_WORDS = 4
# Clauses that carry a sentence's own statement: its root, and verbs coordinated with it or reported by it.
_MAIN_CLAUSES = frozenset(["ROOT", "conj", "ccomp"])


def _tells_the_past(verb: Token) -> bool:
    """A finite verb in the past: simple past, or a past participle with a past or perfect auxiliary."""
    if verb.tag_ == "VBD":
        return not any(child.dep_ == "aux" for child in verb.children)
    if verb.tag_ != "VBN":
        return False
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    if any(aux.tag_ == "MD" for aux in auxiliaries):
        return False  # "will be closed", "could have been": not (yet) a fact
    return any(aux.tag_ == "VBD" or aux.lemma_ == "have" for aux in auxiliaries)


def _tells_the_present(verb: Token) -> bool:
    """A finite verb in the present, without a modal ("adds", not "may add")."""
    return verb.tag_ in ("VBZ", "VBP") and not any(child.tag_ == "MD" for child in verb.children)


def _addresses_the_reader(sentence: Span) -> bool:
    """Whether the sentence speaks to its reader ("you", "your") outside any quotation it holds."""
    quoted = False
    for token in sentence:
        if token.is_quote:
            quoted = not quoted
        elif not quoted and token.lower_ in _THE_READER:
            return True
    return False


def _named(subject: Token) -> bool:
    """Whether the subject is someone or something named (a person, organisation, place ...)."""
    return subject.pos_ == "PROPN" and bool(subject.ent_type_)


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or that of the verb it is coordinated with ("… and fled")."""
    while True:
        subject = next((child for child in verb.children if child.dep_ in _SUBJECTS), None)
        if subject is not None or verb.dep_ != "conj" or verb.head is verb:
            return subject
        verb = verb.head


def _reports(sentence: Span) -> bool:
    if sum(1 for token in sentence if token.is_alpha) < MIN_WORDS or _addresses_the_reader(sentence):
        return False
    for token in sentence:
        if token.pos_ != "VERB" or token.dep_ not in _MAIN_CLAUSES:
            continue
        subject = _subject(token)
        if subject is None or subject.lower_ in _FIRST_AND_SECOND_PERSON:
            continue
        if _tells_the_past(token) or (_tells_the_present(token) and _named(subject)):
            return True
    return False


def report_sentences(doc: Doc, sentences: list[Sentence]) -> list[int]:
    """The indexes of the article's sentences that report a happening."""
    found = []
    for sentence in sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is not None and _reports(span):
            found.append(sentence.index)
    return found
