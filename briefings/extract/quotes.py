"""Quotes: direct and reported speech with their speakers.

Direct quotes are the quoted spans of the text (see `quoted_spans`) that someone is said to have said: a
verb of saying right before the quote (`X said, "…"`), after it (`"…," X said`, `"…," said X`), or between
two halves of one quote (`"The situation," he said, "is calm."`). A quote with no cue of its own that
follows a speaker's quote in the same or the next paragraph goes on in that speaker's voice. Pronoun
speakers are resolved to the person meant (see `speakers`). Reported speech (`X said that …`) becomes an
indirect quote. Everything is read off the one parse of the article.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from briefings.extract.quoted_spans import QuotedSpan, find_quoted_spans
from briefings.extract.sentences import sentence_at
from briefings.extract.speakers import (
    PERSONAL_PRONOUNS,
    SpeakerResolver,
    is_relative_pronoun,
)
from briefings.extract.speech_verbs import (
    is_according_to,
    is_reporting_verb,
    is_speech_verb,
    speech_candidates,
)
from briefings.models import Actor, Quote, Sentence

_log = logging.getLogger(__name__)

# Where the quotes of a parsed article are kept for the claim extractor, so they are found once.
QUOTES_KEY = "briefbot.quotes"
TEXT_KEY = "briefbot.text"
# A quote needs this many words; shorter quoted spans are scare quotes, titles or nicknames.
MIN_QUOTE_WORDS = 3
# How many tokens after a closing mark may hold its cue ("…," said the Pentagon's chief spokesman).
_AFTER_REACH = 30
# How many tokens before an opening mark may hold its cue (X said on Tuesday at a rally in Ohio, "…").
_BEFORE_REACH = 40
# Two halves of one paragraph's quote separated by no more than this many tokens (the cue clause).
_FOLLOW_ON_GAP = 16
_SENTENCE_END = frozenset(".!?")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_OBJECT_DEPS = frozenset(["dobj", "ccomp", "xcomp", "attr", "oprd"])
# A noun in one of these roles is someone spoken to or about, not the speaker.
_OBJECT_ROLES = frozenset(["pobj", "dobj", "dative", "poss", "iobj"])
_CLIMB_DEPS = frozenset(["advcl", "conj", "xcomp", "ccomp"])
_LINKING_WORDS = frozenset(["that"])
_SPACES = re.compile(r"\s+")
# A transcript turn: a speaker's name in capitals and a colon ("WALLACE: But, Governor, …").
_TRANSCRIPT_TURN = re.compile(r"([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2}):\s+")
# Words that outlets write two ways for one source.
_SPEAKER_SYNONYMS = {"television": "tv", "govt": "government", "ministry's": "ministry"}
_DASHES = frozenset(["―", "—", "–", "-", "--"])
_NOT_SPEAKER_ENTITIES = frozenset(["DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"])


@dataclass
class _Cue:
    """What attributes a quote: the verb of saying (or "according to"), and the speaker's head word."""

    verb: Token
    subject: Token | None
    side: str  # "before", "after" or "colon"
    # The cue stands right beside the quote (only punctuation or "that" between them).
    adjacent: bool = False


@dataclass
class _Found:
    """A direct quote being assembled: its spans, cue and speaker."""

    spans: list[QuotedSpan]
    first_token: int
    last_token: int
    paragraph: int
    cue: _Cue | None
    speaker: str | None = None
    speaker_token: int = -1
    embedded: bool = False
    parts: list[str] = field(default_factory=list)


def _could_be_speaker(token: Token) -> bool:
    """Whether a token can head a speaker phrase: a name, a noun or a personal pronoun, not a date."""
    if token.ent_type_ in _NOT_SPEAKER_ENTITIES or not any(ch.isalpha() for ch in token.text):
        return False
    return token.pos_ in ("PROPN", "NOUN") or token.lower_ in PERSONAL_PRONOUNS


def _end_sentence(part: str) -> str:
    """A quote's part that ran into its cue with a comma, closed as the sentence it is."""
    cleaned = _clean_text(part)
    if cleaned and cleaned[-1] not in ".!?…":
        return cleaned + "."
    return cleaned


def _cue_text(cue: _Cue | None) -> str | None:
    """The cue as written, without a closing mark the tokenizer glued to a dash."""
    if cue is None:
        return None
    return cue.verb.text.strip("\"“”'’") or cue.verb.text


def _words(text: str) -> int:
    return sum(1 for word in text.split() if any(ch.isalnum() for ch in word))


def _clean_text(text: str) -> str:
    return _SPACES.sub(" ", text).strip().rstrip(",;:—– ").strip()


def _ends_line(token: Token) -> bool:
    return "\n" in token.whitespace_ or "\n" in token.text


class _Reader:
    """One pass over an article's quoted spans, with the token maps they need."""

    def __init__(self, doc: Doc, actors: list[Actor]) -> None:
        self.doc = doc
        self.text = doc.text
        doc.user_data[TEXT_KEY] = self.text
        self.starts: list[int] = doc.to_array("IDX").tolist()
        self.spans = find_quoted_spans(self.text)
        self.quoted = bytearray(len(doc))
        self.opening_at: dict[int, int] = {}
        self.closing_at: dict[int, int] = {}
        self.token_ranges: list[tuple[int, int]] = []
        for number, span in enumerate(self.spans):
            first = self.token_at(span.start)
            last = self.token_at(max(span.start, span.end - 1))
            self.token_ranges.append((first, last))
            self.opening_at[first] = number
            self.closing_at[last] = number
            for i in range(first, last + 1):
                self.quoted[i] = 1
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.resolver = SpeakerResolver(doc, actors, self.quoted)

    def token_at(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.starts, position) - 1)

    def paragraph_of(self, position: int) -> int:
        """Paragraphs are counted by non-empty lines, so blank lines between them do not matter."""
        return bisect.bisect_right(self.line_starts, position)

    # ------------------------------------------------------------------ cues

    def cue_after(self, number: int) -> _Cue | None:
        """A verb of saying in the few words after a quote ("…," he said / "…," said Jane Roe / "…" ― Jane Roe)."""
        doc = self.doc
        span = self.spans[number]
        _, last = self.token_ranges[number]
        if last + 1 >= len(doc) or (_ends_line(doc[last]) and doc[last].idx >= span.inner_end):
            return None
        byline = self._dash_byline(last + 1)
        if byline is not None:
            return byline
        inner = self.text[span.inner_start : span.inner_end].rstrip()
        opener = doc[last + 1]
        if inner[-1:] in (".", "!", "?") and opener.is_title and opener.pos_ in ("PRON", "DET"):
            # "…change." She adds, "…": a new sentence starts; its cue is for the next quote.
            return None
        for i in range(last + 1, min(len(doc), last + 1 + _AFTER_REACH)):
            token = doc[i]
            if self.quoted[i] or token.text in _SENTENCE_END:
                return None
            if is_speech_verb(token):
                if inner.endswith(".") and any(
                    child.dep_ in _OBJECT_DEPS and not self.quoted[child.i] for child in token.children
                ):
                    # "…." Jane said the plan … : a new sentence with its own content, not this quote's cue.
                    return None
                return _Cue(token, self._subject_after(token, last), "after", adjacent=i - last <= 4)
            if _ends_line(token):
                return None
        return None

    def _subject_after(self, verb: Token, close: int) -> Token | None:
        """The speaker of a cue that follows a quote: between the quote and the verb, or right after it."""
        subject = self.subject_of(verb, verb.i, fallback=False)
        if subject is not None and close < subject.i and (subject.i < verb.i or subject.i - verb.i <= 6):
            return subject
        if verb.i - close > 1:
            # "…," Flynn, a top surrogate, said: the first name after the quote heads the subject.
            return self._first_noun_phrase(close + 1, verb.i)
        return self._first_noun_phrase(verb.i + 1, min(len(self.doc), verb.i + 6))

    def _first_noun_phrase(self, start: int, end: int) -> Token | None:
        """The head (last word) of the first run of nouns and names in a token range."""
        found: Token | None = None
        for i in range(start, end):
            token = self.doc[i]
            if self.quoted[i]:
                break
            nounlike = token.pos_ in ("PROPN", "NOUN") or (token.is_title and token.ent_type_ != "")
            if found is not None:
                if not nounlike or token.ent_type_ in _NOT_SPEAKER_ENTITIES:
                    break
                found = token
            elif _could_be_speaker(token) or (nounlike and token.ent_type_ not in _NOT_SPEAKER_ENTITIES):
                found = token
                if token.lower_ in PERSONAL_PRONOUNS:
                    break
            elif token.pos_ not in ("DET", "ADJ", "PUNCT", "ADV", "NUM"):
                break
        return found

    def _dash_byline(self, at: int) -> _Cue | None:
        """`"…" ― Jane Roe` (listings, epigraphs): a dash, then a name that ends the line."""
        doc = self.doc
        dash = doc[at]
        if dash.text not in _DASHES:
            # The tokenizer may glue the dash to the closing mark ("”―").
            glued = doc[at - 1].text[-1:] if at > 0 else ""
            if glued not in _DASHES:
                return None
            dash, at = doc[at - 1], at - 1
        name: Token | None = None
        for i in range(at + 1, min(len(doc), at + 8)):
            token = doc[i]
            if self.quoted[i]:
                return None
            if token.pos_ == "PROPN" or token.ent_type_ == "PERSON":
                name = token
            elif name is not None and (token.is_punct or token.is_space):
                break
            else:
                return None
            if _ends_line(token):
                break
        if name is None:
            return None
        return _Cue(dash, name, "after", adjacent=True)

    def cue_before(self, number: int) -> _Cue | None:
        """A verb of saying before a quote, or a speaker introducing it with a colon."""
        doc = self.doc
        span = self.spans[number]
        first, last = self.token_ranges[number]
        inner_first = self.token_at(span.inner_start)
        i = first - 1
        crossed_line = False
        while i >= 0 and doc[i].is_space:
            crossed_line = crossed_line or "\n" in doc[i].text
            i -= 1
        if i < 0 or ((crossed_line or _ends_line(doc[i])) and doc[i].text != ":"):
            return None
        colon = i if doc[i].text == ":" else -1
        if colon > 0:
            colon_cue = self._colon_speaker(colon)
            if colon_cue is not None:
                return colon_cue
        limit = max(-1, first - 1 - _BEFORE_REACH)
        only_links = True
        verb_between = False
        while i > limit:
            token = doc[i]
            if self.quoted[i] or token.text in _SENTENCE_END:
                break
            if i < first - 1 and _ends_line(token) and token.text != ":":
                break
            if is_according_to(token):
                source = next((c for c in token.children if c.dep_ == "pobj"), None)
                if source is not None:
                    return _Cue(token, source, "before", adjacent=only_links)
            if is_speech_verb(token) and (
                only_links or not verb_between or self._governs(token, inner_first, last)
            ):
                return _Cue(token, self.subject_of(token, i), "before", adjacent=only_links)
            if not (token.is_punct or token.is_space or token.lower_ in _LINKING_WORDS):
                only_links = False
            if token.pos_ in ("VERB", "AUX"):
                verb_between = True
            i -= 1
        if colon > 0:
            return self._colon_clause_subject(colon)
        return None

    def _colon_speaker(self, colon: int) -> _Cue | None:
        """`Jane Roe: "…"` at the start of a line (headlines, transcripts): the name before the colon."""
        doc = self.doc
        head = doc[colon - 1]
        ent = self.resolver.entity_at(head.i)
        if ent is None or ent.label_ not in ("PERSON", "ORG"):
            return None
        start = ent.start
        if start > 0 and not _ends_line(doc[start - 1]):
            return None
        return _Cue(doc[colon], doc[ent.end - 1], "colon", adjacent=True)

    def _colon_clause_subject(self, colon: int) -> _Cue | None:
        """`The senator had a message: "…"`: a named subject of the clause the colon ends."""
        doc = self.doc
        root = doc[colon - 1]
        for _ in range(8):
            if root.head.i == root.i or root.head.i >= colon:
                break
            root = root.head
        subject = next((c for c in root.children if c.dep_ in _SUBJECT_DEPS and c.i < colon), None)
        if subject is None or self.quoted[subject.i]:
            return None
        if subject.ent_type_ in ("PERSON", "ORG", "NORP") or subject.lower_ in PERSONAL_PRONOUNS:
            return _Cue(doc[colon], subject, "colon", adjacent=True)
        return None

    def _governs(self, verb: Token, first: int, last: int) -> bool:
        """Whether a quote's words hang (through at most a few heads) on the verb."""
        for i in range(first, min(last + 1, first + 40)):
            token = self.doc[i]
            for _ in range(4):
                if token.head.i == verb.i:
                    return True
                if token.head.i == token.i:
                    break
                token = token.head
        return False

    def subject_of(self, verb: Token, at: int, fallback: bool = True) -> Token | None:
        """The speaker's head word: the verb's subject, or that of the verb a participle hangs on."""
        doc = self.doc
        if verb.tag_ == "VBG" and verb.i > 0 and not self.quoted[verb.i - 1]:
            before = doc[verb.i - 1]
            if before.pos_ == "PROPN" and _could_be_speaker(before):
                return before
        head = verb
        for _ in range(3):
            for child in head.children:
                if child.dep_ in _SUBJECT_DEPS and not self.quoted[child.i]:
                    if is_relative_pronoun(child) and head.dep_ == "relcl":
                        return head.head
                    if _could_be_speaker(child):
                        return child
            if head.dep_ in ("relcl", "acl") and not self.quoted[head.head.i]:
                return head.head
            if head.dep_ == "pcomp" and head.head.dep_ == "prep" and not self.quoted[head.head.head.i]:
                # "… before asking her, "…"": the verb hangs on a preposition of the clause that has a subject.
                head = head.head.head
                continue
            if head.dep_ not in _CLIMB_DEPS or head.head.i == head.i or self.quoted[head.head.i]:
                break
            head = head.head
        return self._nearby_subject(verb) if fallback else None

    def _nearby_subject(self, verb: Token) -> Token | None:
        """A parse that missed the subject: the nearest noun before the verb, or the name right after it."""
        doc = self.doc
        for i in range(verb.i - 1, max(-1, verb.i - 8), -1):
            token = doc[i]
            if self.quoted[i] or token.is_punct:
                break
            if _could_be_speaker(token) and token.dep_ not in _OBJECT_ROLES:
                return token
        found: Token | None = None
        for i in range(verb.i + 1, min(len(doc), verb.i + 6)):
            token = doc[i]
            if self.quoted[i] or token.is_punct:
                break
            if found is not None:
                if token.pos_ != "PROPN":
                    break
                found = token
            elif _could_be_speaker(token):
                found = token
                if token.pos_ != "PROPN":
                    break
        return found

    def speaker_of(self, subject: Token | None, speakers: list[tuple[int, str]]) -> str | None:
        """The speaker a cue's subject names (pronouns resolved), or None."""
        if subject is None:
            return None
        if subject.lower_ in PERSONAL_PRONOUNS:
            return self.resolver.resolve_pronoun(subject, speakers)
        if subject.pos_ == "PRON":
            return None
        if subject.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or subject.pos_ in ("PROPN", "NOUN"):
            return self.resolver.name_of(subject)
        return None

    def is_embedded(self, number: int, cue: _Cue | None) -> bool:
        """Whether a quote sits inside a clause of the writer's ("called it a "…" of the US")."""
        first, _ = self.token_ranges[number]
        while first > 0 and self.doc[first - 1].is_space:
            if "\n" in self.doc[first - 1].text:
                return False
            first -= 1
        if first == 0:
            return False
        before = self.doc[first - 1]
        if _ends_line(before) or before.is_punct or before.lower_ in _LINKING_WORDS:
            return False
        return not (cue is not None and cue.side == "before" and before.i == cue.verb.i)


def _assemble(reader: _Reader) -> list[_Found]:
    """Direct quotes with their cues: halves around a cue joined, cue-less follow-ons given a speaker."""
    found: list[_Found] = []
    speakers: list[tuple[int, str]] = []
    for number, span in enumerate(reader.spans):
        first, last = reader.token_ranges[number]
        before = reader.cue_before(number)
        after = reader.cue_after(number)
        cue: _Cue | None
        if before is not None and before.adjacent:
            cue = before
        elif after is not None:
            cue = after
        else:
            cue = before
        embedded = reader.is_embedded(number, cue)
        paragraph = reader.paragraph_of(span.start)
        text = reader.text[span.inner_start : span.inner_end]
        previous = found[-1] if found else None
        if (
            previous is not None
            and cue is not None
            and previous.cue is not None
            and cue.side == "before"
            and cue.adjacent
            and previous.cue.verb.i == cue.verb.i
        ):
            # "The situation," he said, "is calm.": one quote around its cue.
            previous.spans.append(span)
            previous.parts.append(text)
            previous.last_token = last
            continue
        if (
            previous is not None
            and cue is None
            and previous.speaker is not None
            and previous.paragraph == paragraph
            and first - previous.last_token <= _FOLLOW_ON_GAP
            and not previous.embedded
            and not embedded
        ):
            # "…," said Jane Roe. "More of the same quote.": one quote, as news copy runs it.
            previous.spans.append(span)
            previous.parts[-1] = _end_sentence(previous.parts[-1])
            previous.parts.append(text)
            previous.last_token = last
            continue
        item = _Found([span], first, last, paragraph, cue, parts=[text])
        item.embedded = embedded
        if cue is not None:
            item.speaker = reader.speaker_of(cue.subject, speakers)
            if cue.subject is not None:
                item.speaker_token = cue.subject.i
        elif previous is not None and previous.speaker is not None and not item.embedded:
            continued = previous.spans[-1].continues
            if continued or paragraph - previous.paragraph <= 1:
                # A quote paragraph with no cue goes on in the voice of the quote before it.
                item.speaker = previous.speaker
                item.speaker_token = previous.speaker_token
        if previous is not None and previous.speaker is None and previous.spans[-1].continues:
            previous.speaker = item.speaker
        if item.speaker is not None:
            speakers.append((item.speaker_token if item.speaker_token >= 0 else first, item.speaker))
        found.append(item)
    return found


def _indirect_quotes(
    reader: _Reader, sentences: list[Sentence], direct_tokens: bytearray, cue_verbs: set[int]
) -> list[Quote]:
    """Reported speech: "X said (that) …" and "according to X, …", outside quotation marks."""
    doc = reader.doc
    quotes: list[Quote] = []
    for index in speech_candidates(doc):
        token = doc[index]
        if reader.quoted[index] or index in cue_verbs:
            continue
        if is_reporting_verb(token):
            complement = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if complement is None or reader.quoted[complement.i] or direct_tokens[complement.i]:
                continue
            subject = reader.subject_of(token, token.i)
            if subject is None or subject.lower_ in ("i", "we", "you"):
                continue
            words = [t for t in complement.subtree if t.dep_ != "mark" or t.head.i != complement.i]
        elif is_according_to(token) and token.head.lower_ == "according":
            subject = next((c for c in token.children if c.dep_ == "pobj"), None)
            clause = token.head.head
            if subject is None or clause.i == token.head.i:
                continue
            skip = {t.i for t in token.head.subtree}
            words = [t for t in clause.subtree if t.i not in skip]
        else:
            continue
        while words and words[0].is_punct:
            words = words[1:]
        while words and words[-1].is_punct:
            words = words[:-1]
        if words and words[0].i < token.i < words[-1].i:
            # "which Tehran said was …": the clause wraps around its own verb; no clean reported span.
            continue
        if len(words) < MIN_QUOTE_WORDS or any(direct_tokens[t.i] for t in words):
            # Too short, or reported speech around a direct quote already listed in its own right.
            continue
        speaker = reader.speaker_of(subject, [])
        if speaker is None:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1])
        quotes.append(
            Quote(
                text=_clean_text(reader.text[start:end]),
                speaker=speaker,
                start=start,
                end=end,
                sentence=sentence_at(sentences, start),
                direct=False,
                cue=token.text if token.lower_ != "to" else "according to",
            )
        )
    return quotes


def _speaker_key(speaker: str) -> str:
    """A speaker phrase folded so that two writings of one source meet ("the state television" = "state TV")."""
    words = [_SPEAKER_SYNONYMS.get(w, w) for w in _SPACES.split(speaker.lower().strip())]
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _unify_speakers(quotes: list[Quote]) -> list[Quote]:
    """Name a source the way the article first wrote it, whichever way a later sentence writes it."""
    first: dict[str, str] = {}
    unified: list[Quote] = []
    for quote in quotes:
        if quote.speaker is None:
            unified.append(quote)
            continue
        name = first.setdefault(_speaker_key(quote.speaker), quote.speaker)
        unified.append(quote if name == quote.speaker else quote.model_copy(update={"speaker": name}))
    return unified


def extract_quotes(doc: Doc, sentences: list[Sentence], actors: list[Actor]) -> list[Quote]:
    """Quotes with their speakers, named by the canonical names of the actors."""
    if len(doc) == 0:
        return []
    reader = _Reader(doc, actors)
    quotes: list[Quote] = []
    direct_tokens = bytearray(len(doc))
    cue_verbs: set[int] = set()
    for item in _assemble(reader):
        text = _clean_text(" ".join(_clean_text(part) for part in item.parts))
        turn = _TRANSCRIPT_TURN.match(text)
        if turn is not None:
            # "PENCE: Well, …" — a transcript turn quoted whole: the name before the colon speaks.
            known = reader.resolver.known_name(turn.group(1).title())
            if known is not None:
                item.speaker = known
                text = text[turn.end() :]
        if item.embedded or (_words(text) < MIN_QUOTE_WORDS and (item.cue is None or not item.cue.adjacent)):
            continue
        if item.cue is None and item.speaker is None:
            continue
        start, end = item.spans[0].inner_start, item.spans[-1].inner_end
        for i in range(item.first_token, item.last_token + 1):
            direct_tokens[i] = 1
        if item.cue is not None:
            cue_verbs.add(item.cue.verb.i)
        quotes.append(
            Quote(
                text=text,
                speaker=item.speaker,
                start=start,
                end=end,
                sentence=sentence_at(sentences, start),
                direct=True,
                cue=_cue_text(item.cue),
            )
        )
    quotes.extend(_indirect_quotes(reader, sentences, direct_tokens, cue_verbs))
    quotes.sort(key=lambda q: q.start)
    quotes = _unify_speakers(quotes)
    doc.user_data[QUOTES_KEY] = quotes
    return quotes
