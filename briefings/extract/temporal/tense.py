"""The tense of the clause a temporal expression sits in, read from the parse: it decides which Friday is meant."""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Doc, Token

from briefings.extract.lexicons import word_list
from briefings.extract.temporal.lexicon import MONTHS

Tense = Literal["past", "present", "future"]

_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "’ll"})
_VERBAL = frozenset({"VERB", "AUX"})
# Verbs whose complement looks ahead ("plans to meet Friday", "is expected to vote Tuesday").
_PROSPECTIVE = frozenset(
    {
        "plan",
        "expect",
        "schedule",
        "set",
        "hope",
        "intend",
        "want",
        "aim",
        "prepare",
        "agree",
        "promise",
        "vow",
        "threaten",
        "decide",
        "propose",
        "seek",
        "try",
        "begin",
        "start",
        "need",
        "have",
        "going",
        "go",
    }
)
# Verbs that put what they govern ahead of the time they are said: "planned a rally on Saturday".
_SCHEDULING = frozenset(
    {"plan", "schedule", "set", "expect", "postpone", "delay", "extend", "adjourn", "reschedule", "defer"}
)
# Words before a date that make it a deadline or a time ahead: "as soon as Tuesday", and "effective Feb. 1",
# the day a change announced takes effect.
_AHEAD_MARKERS = ("as soon as", "as early as", "no later than", "not before", "in time for", "effective")


# The word before a date that makes it the time something is set for: "the vote set for Friday", where a
# headline's participle ("Talks set for Friday") is a schedule, not a record ("the record set on Aug. 6").
_TARGET_MARKER = "for"

# Words before a date that end a stretch of time: ahead when the stretch reaches the present.
_UNTIL_MARKERS = ("until", "till", "up to")


def _reaches_now(verb: Token, tense: Tense) -> bool:
    """Whether a verb's time runs up to the present: a present ("have until Friday") or a present perfect
    ("has given them until Tuesday"), not a simple past ("stayed until Tuesday")."""
    if tense == "present":
        return True
    return (
        tense == "past"
        and verb.tag_ == "VBN"
        and any(a.lower_ in ("has", "have") for a in _auxiliaries(verb))
    )


def _auxiliaries(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def verb_tense(verb: Token, depth: int = 0) -> Tense | None:
    """The tense of a verb with its auxiliaries: will go (future), went / has gone (past), goes (present)."""
    auxes = _auxiliaries(verb)
    lowered = {a.lower_ for a in auxes}
    if lowered & _FUTURE_AUX:
        return "future"
    modal = [a for a in auxes if a.tag_ == "MD"]
    if modal:
        # "would have gone" looks back; "could go", "would go" look ahead of the time spoken of
        if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
            return "past"
        if any(a.lower_ == "could" for a in modal) and _negated(verb):
            # "could not be reached on Tuesday": an inability the reporter met, the past form of "cannot"
            return "past"
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBP" and not auxes and _singular_third_person(verb):
        # "Weakness hurt the index on Friday": a present with a singular subject would be "hurts", so a
        # form the tagger read as present is the past of a verb that does not change ("hurt", "cut", "set").
        return "past"
    if verb.tag_ == "VBN":
        if any(a.lemma_ == "have" for a in auxes):
            return "past"
        if any(a.lemma_ == "be" for a in auxes):
            return "present"
        return "past"  # a reduced relative: "the strike ordered on Friday"
    if verb.tag_ == "VB" and "to" in lowered:
        # An infinitive takes its time from the verb it completes: "plans to meet Friday" looks ahead,
        # "had been due to expire Friday" looks back.
        governor = verb.head
        for _ in range(3):
            if governor.pos_ in _VERBAL or governor.head is governor:
                break
            governor = governor.head
        if governor is verb or governor.pos_ not in _VERBAL or depth >= 3:
            return "future"
        if governor.lemma_ in _PROSPECTIVE:
            return "past" if _perfect(governor) else "future"
        return "past" if verb_tense(governor, depth + 1) == "past" else "future"
    if verb.tag_ == "VBG":
        if any(a.tag_ == "VBD" for a in auxes) or "been" in lowered:
            return "past"  # "was searching", "have been searching since ..."
        if lowered & {"going"}:
            return "future"
        if any(a.tag_ in ("VBZ", "VBP") for a in auxes):
            return "present"
        return None
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return None


def _negated(verb: Token) -> bool:
    """Whether a clause is negated: "could not", "couldn't", "Neither he nor his aides could ..."."""
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("nsubj", "nsubjpass") and any(
            t.lower_ in word_list("negative_subjects") for t in (child, *child.children)
        ):
            return True
    return False


def _singular_third_person(verb: Token) -> bool:
    """Whether a verb's subject is one thing or one person named by a noun ("the index", "Weakness")."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.tag_ not in ("NN", "NNP"):
        return False
    return not any(c.dep_ in ("conj", "cc") for c in subject.children)


def _reduced_relative(verb: Token) -> bool:
    """A participle after its noun with no auxiliary ("the record set on Aug. 6"): what it tells is done."""
    return verb.tag_ == "VBN" and verb.dep_ == "acl" and not _auxiliaries(verb)


def _perfect(verb: Token) -> bool:
    """A past perfect ("had planned"): what it governs lies before the time spoken of, too."""
    return any(a.lower_ == "had" for a in _auxiliaries(verb))


def clause_tense(doc: Doc, start: int, end: int, text: str | None = None) -> Tense | None:
    """The tense of the clause holding the characters start..end of the document; None when no verb says.

    `text` is the document's text when the caller has it (`Doc.text` is rebuilt on every access).
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    if token.dep_ == "poss":
        # "Friday's ruling", "last month's vote": a possessive date names an event already reported.
        return "past"
    if (
        token.dep_ == "compound"
        and token.lower_.rstrip(".") in MONTHS
        and token.head.pos_ in ("NOUN", "PROPN")
        and token.head.i > token.i
    ):
        # "under a June agreement": a month naming the time of a thing, not of the clause's verb ("is
        # continuing to try to sell"); the clause's tense says nothing of it. (A quarter modifying its
        # noun, "posted a fourth-quarter loss", is told by the verb: the loss was over when posted.)
        return None
    if text is None:
        text = doc.text
    before = text[max(0, start - 16) : start].lower()
    if before.rstrip().endswith(_AHEAD_MARKERS):
        return "future"
    # Climb from the expression to the verbs that govern it; a participle without auxiliaries ("found
    # Thursday clinging to a tube") says nothing, its governing verb does.
    seen_verb = False
    for _ in range(12):
        if token.pos_ in _VERBAL and token.dep_ not in ("aux", "auxpass"):
            seen_verb = True
            tense = verb_tense(token)
            if (
                tense == "past"
                and token.lemma_ in _SCHEDULING
                and not _perfect(token)
                and (not _reduced_relative(token) or _set_for_ahead(token, before))
            ):
                return "future"
            if tense is not None and before.rstrip().endswith(_UNTIL_MARKERS) and _reaches_now(token, tense):
                return "future"  # "has given them until Tuesday", "have until Friday": a deadline ahead
            if tense is not None:
                return tense
        if token.head is token:
            break
        token = token.head
    if seen_verb:
        return None
    # A verbless clause (a headline, a dateline): take the first verb of the sentence that has a tense.
    for candidate in _sentence_tokens(doc, span.root.i):
        if candidate.pos_ in _VERBAL and candidate.dep_ not in ("aux", "auxpass"):
            tense = verb_tense(candidate)
            if tense is not None:
                return tense
    return None


def _set_for_ahead(participle: Token, before: str) -> bool:
    """Whether "the vote set for Friday" puts Friday ahead: a reduced relative's "for" names the time it is
    set for, ahead unless the clause its noun stands in is told in the past ("a service planned for
    Saturday was cancelled"). A headline's noun stands in no clause ("Talks set for Friday")."""
    words = before.split()
    if not words or words[-1] != _TARGET_MARKER:
        return False
    governor = participle.head
    for _ in range(6):
        if governor.pos_ in _VERBAL and governor.dep_ not in ("aux", "auxpass"):
            return verb_tense(governor) != "past"
        if governor.head is governor:
            break
        governor = governor.head
    return True


def _sentence_tokens(doc: Doc, index: int, limit: int = 120) -> list[Token]:
    """The tokens of the sentence around a token (at most `limit` each way; cheaper than `Span.sent`)."""
    first = index
    while first > 0 and index - first < limit and not doc[first].is_sent_start:
        first -= 1
    last = index + 1
    while last < len(doc) and last - index < limit and not doc[last].is_sent_start:
        last += 1
    return list(doc[first:last])
