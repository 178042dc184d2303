"""Reading the dependency parse: subjects, voice, how deep a clause stands, subtrees."""

from __future__ import annotations

from spacy.tokens import Token

from briefings.extract.events.index import TokenIndex
from briefings.extract.events.lexicon import (
    REPORTING_LEMMAS,
)

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})


# Relative and interrogative words ("which", "who", "whose").
RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})


def child_of(token: Token, *deps: str) -> Token | None:
    """The first dependent of `token` in one of the relations `deps`."""
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def own_subject(verb: Token) -> Token | None:
    """The verb's own subject; of two (a parse of "Tram crash: Police identify ..."), the nearer one."""
    found: Token | None = None
    for child in verb.children:
        if child.dep_ in _SUBJECTS and (found is None or child.i < verb.i):
            found = child
    if found is None and verb.pos_ == "VERB":
        # A headline misread as a noun phrase ("Donald Trump lands ..."): the name before the verb is its subject.
        found = next((c for c in verb.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    return found


def in_label(index: TokenIndex, token: Token) -> bool:
    """Whether the token stands in a short label before a colon ("Croydon tram crash: Police identify ...")."""
    colon = index.label_end.get(index.sentence[token.i])
    return colon is not None and token.i < colon


_SUBORDINATE = frozenset({"advcl", "relcl", "acl", "ccomp", "xcomp", "pcomp", "csubj", "parataxis", "advmod"})


def clause_depth(trigger: Token) -> int:
    """How many subordinate clauses deep the trigger stands (reported speech does not count)."""
    depth = 0
    node = trigger
    for _ in range(30):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in _SUBORDINATE and not (
            node.dep_ == "ccomp" and head.lemma_.lower() in REPORTING_LEMMAS
        ):
            depth += 1
        node = head
    return min(depth, 3)


def is_passive(index: TokenIndex, verb: Token) -> bool:
    """Whether a verb is in the passive ("was killed"), also when it shares the auxiliary of the verb before it."""
    if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children):
        return True
    if verb.tag_ != "VBN":
        return False
    if verb.dep_ == "acl":
        return True
    if verb.dep_ == "conj" and own_subject(verb) is None:
        return is_passive(index, verb.head) if verb.head.pos_ in ("VERB", "AUX") else False
    # A headline's bare participle ("Seven killed as ...") reads as passive.
    return index.sentence[verb.i] == 0 and not any(c.dep_ in ("aux", "dobj") for c in verb.children)


# Prepositions after which a verb's object does what the -ing form says ("accused him of lying").
_OBJECT_CONTROL = frozenset(["of", "for", "with", "from"])


def _sentence_subject(verb: Token) -> Token | None:
    """Of two subjects the parse gave a verb before it ("Bettie Page, whose photos made her a star, died"),
    the first: the sentence's subject, which the verbs joined to this one share (the nearer one belongs to
    the clause read into it). None when the verb has one, or when a label's colon stands between them
    ("Tram crash: Police identify ... and release ...": the label names no one)."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS and c.i < verb.i]
    if len(subjects) < 2:
        return None
    first, nearer = subjects[0], subjects[-1]
    if any(t.text == ":" for t in verb.doc[first.i : nearer.i]):
        return None
    return first


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, taken from the clause it hangs on when it has none of its own."""
    own = own_subject(verb)
    if own is not None:
        if own.tag_ in RELATIVE_TAGS and verb.dep_ == "relcl":
            return verb.head
        return own
    if depth > 3 or verb.head.i == verb.i:
        return None
    # Only from a full verb: "it was an honour to meet him" says nothing of who met.
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        return _sentence_subject(verb.head) or subject_of(verb.head, depth + 1)
    if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB":
        return subject_of(verb.head, depth + 1)
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN", "VB") and verb.head.pos_ == "VERB":
        return subject_of(verb.head, depth + 1)
    if (
        verb.dep_ == "pcomp"
        and verb.tag_ == "VBG"
        and verb.head.dep_ == "prep"
        and verb.head.head.pos_ == "VERB"
    ):
        # "a gang member accused of gunning down a deputy", "police arrested the man for stealing", "he quit
        # after crashing": the verb's object does the -ing after "of", "for", "with" or "from" (what it is
        # accused or arrested for), its subject after the others.
        governor = verb.head.head
        obj = next((c for c in governor.children if c.dep_ == "dobj"), None)
        if obj is not None and verb.head.lower_ in _OBJECT_CONTROL:
            return obj
        return subject_of(governor, depth + 1)
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if (verb.dep_ == "relcl" and not infinitive) or (verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBG")):
        return verb.head
    return None


def reported_by(token: Token) -> Token | None:
    """The subject of the reporting verb whose complement holds `token` ("the FBI said it ...")."""
    clause = token.head
    while clause.head.i != clause.i and clause.dep_ not in ("ccomp",):
        clause = clause.head
    if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in REPORTING_LEMMAS:
        return own_subject(clause.head)
    return None


def subtree_range(token: Token) -> range:
    """The token indices of a subtree (contiguous: the parser's trees are projective)."""
    return range(token.left_edge.i, token.right_edge.i + 1)


def governing_verb(trigger: Token) -> Token:
    """The verb an event noun is the subject or object of ("the attacks were ..."), else the trigger itself."""
    if (
        trigger.pos_ != "VERB"
        and trigger.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
        and trigger.head.pos_ in ("VERB", "AUX")
    ):
        return trigger.head
    return trigger
