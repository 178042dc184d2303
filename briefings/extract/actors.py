"""Actors: the people, organisations, countries and groups an article names, merged to one name each."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from briefings.extract.sentences import sentence_at
from briefings.models import Actor, ActorKind, Mention, Sentence

_KIND_OF_LABEL: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "country",
    "NORP": "group",
}


def _clean_name(span: Span) -> str:
    tokens = list(span)
    while tokens and (tokens[0].lower_ in ("the", "a", "an") or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ == "POS"):
        tokens = tokens[:-1]
    return " ".join(t.text for t in tokens)


def extract_actors(doc: Doc, sentences: list[Sentence]) -> list[Actor]:
    """Actors from named entities, with short forms of a name merged into its longest form."""
    found: dict[tuple[ActorKind, str], list[Mention]] = {}
    for ent in doc.ents:
        kind = _KIND_OF_LABEL.get(ent.label_)
        if kind is None:
            continue
        name = _clean_name(ent)
        if not name:
            continue
        mention = Mention(
            text=ent.text,
            start=ent.start_char,
            end=ent.end_char,
            sentence=sentence_at(sentences, ent.start_char),
        )
        found.setdefault((kind, name), []).append(mention)
    # Merge a person's short forms ("Trump") into the longest name that ends with them ("Donald Trump").
    names = sorted(found, key=lambda key: -len(key[1]))
    canonical: dict[tuple[ActorKind, str], tuple[ActorKind, str]] = {}
    for key in names:
        key_kind, name = key
        target = key
        if key_kind == "person":
            for other in names:
                if (
                    other[0] == "person"
                    and other != key
                    and len(other[1]) > len(name)
                    and (other[1].endswith(" " + name) or other[1].startswith(name + " "))
                ):
                    target = canonical.get(other, other)
                    break
        canonical[key] = target
    actors: dict[tuple[ActorKind, str], Actor] = {}
    for key in names:
        target = canonical[key]
        actor = actors.setdefault(target, Actor(name=target[1], kind=target[0]))
        if key != target and key[1] not in actor.aliases:
            actor.aliases.append(key[1])
        actor.mentions.extend(found[key])
    result = list(actors.values())
    for actor in result:
        actor.mentions.sort(key=lambda m: m.start)
    result.sort(key=lambda a: (-len(a.mentions), a.mentions[0].start))
    return result
