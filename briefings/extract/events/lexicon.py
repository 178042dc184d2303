"""The event-type lexicon: which verb and noun lemmas name which kind of news event.

Types are coarse on purpose (a timeline line says "attack", not "bombing"), and each type belongs to a family
so that two mentions of one real event ("Iran launched missiles", "the attacks", "the strike") can be joined.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from briefings.extract.lexicons import word_list


@dataclass(frozen=True)
class EventSense:
    """What a trigger lemma means: its event type, the family used to join mentions, and its weight."""

    type: str
    family: str
    weight: float = 1.0
    # For launch/fire the direct object is the weapon (the means), not the one it is aimed at.
    object_is_instrument: bool = False


def _senses(
    type_: str, family: str, lemmas: str, weight: float = 1.0, instrument: bool = False
) -> dict[str, EventSense]:
    sense = EventSense(type_, family, weight, instrument)
    return dict.fromkeys(lemmas.split(), sense)


VERB_SENSES: dict[str, EventSense] = {
    **_senses("attack", "violence", "attack assault raid ambush storm bomb shell invade stab ram bombard"),
    **_senses("strike", "violence", "strike hit", 0.8),
    **_senses("shoot", "violence", "shoot gun", 1.0),
    **_senses("launch", "violence", "launch fire", 1.0, instrument=True),
    **_senses("kill", "harm", "kill murder assassinate execute slay behead massacre slaughter", 1.2),
    **_senses("die", "harm", "die drown perish", 1.1),
    **_senses("injure", "harm", "injure wound hurt maim", 1.0),
    **_senses("arrest", "justice", "arrest detain apprehend jail imprison capture", 1.0),
    **_senses("charge", "justice", "charge indict convict sentence sue prosecute acquit clear", 0.9),
    **_senses("investigate", "justice", "investigate probe", 0.7),
    **_senses("protest", "unrest", "protest demonstrate march riot rally", 1.0),
    **_senses("vote", "politics", "vote elect", 1.0),
    **_senses("win", "contest", "win beat defeat clinch", 1.0),
    **_senses("lose", "contest", "lose", 0.9),
    **_senses("resign", "office", "resign quit retire", 1.0),
    **_senses("appoint", "office", "appoint nominate", 0.9),
    **_senses("meet", "diplomacy", "meet visit telephone phone", 0.9),
    **_senses("agree", "diplomacy", "sign agree ratify", 0.9),
    **_senses("announce", "statement", "announce declare unveil reveal tweet confirm", 0.7),
    **_senses("blame", "statement", "blame accuse criticise criticize condemn", 0.8),
    **_senses("threaten", "statement", "threaten warn vow", 0.6),
    **_senses("order", "command", "order", 0.6),
    **_senses("crash", "accident", "crash derail collide overturn capsize sink", 1.1),
    **_senses("explode", "accident", "explode collapse", 1.0),
    **_senses("rescue", "rescue", "rescue evacuate save free", 0.9),
    **_senses("release", "justice", "release", 0.8),
    **_senses("flee", "displacement", "flee", 0.9),
    **_senses("ban", "policy", "ban sanction", 0.8),
}

# Verbs that name a news event only with their particle ("passed away", "stepped down", "walked out").
PHRASAL_SENSES: dict[tuple[str, str], EventSense] = {
    ("pass", "away"): VERB_SENSES["die"],
    ("step", "down"): VERB_SENSES["resign"],
    ("walk", "out"): VERB_SENSES["protest"],
    ("gun", "down"): VERB_SENSES["kill"],
}

NOUN_SENSES: dict[str, EventSense] = {
    **_senses("attack", "violence", "attack assault raid ambush bombing shelling invasion offensive", 1.0),
    **_senses("strike", "violence", "strike airstrike", 0.9),
    **_senses("shoot", "violence", "shooting gunfire", 1.0),
    **_senses("launch", "violence", "launch", 0.9),
    **_senses("kill", "harm", "killing murder assassination execution massacre", 1.1),
    **_senses("die", "harm", "death", 0.8),
    **_senses("arrest", "justice", "arrest detention", 1.0),
    **_senses("investigate", "justice", "investigation probe inquiry", 0.6),
    **_senses("protest", "unrest", "protest demonstration riot rally", 1.0),
    **_senses("vote", "politics", "election vote referendum", 0.7),
    **_senses("win", "contest", "victory win", 0.8),
    **_senses("resign", "office", "resignation", 1.0),
    **_senses("meet", "diplomacy", "meeting summit talks visit", 0.8),
    **_senses("agree", "diplomacy", "agreement deal treaty accord ceasefire", 0.8),
    **_senses("announce", "statement", "announcement statement declaration", 0.6),
    **_senses("crash", "accident", "crash derailment collision accident", 1.0),
    **_senses("explode", "accident", "explosion blast", 1.0),
    **_senses("rescue", "rescue", "rescue evacuation", 0.8),
}

# Families whose events are often one happening told twice: a crash or an attack and the deaths it caused.
RELATED_FAMILIES: dict[str, frozenset[str]] = {
    "harm": frozenset({"harm", "violence", "accident"}),
    "violence": frozenset({"violence", "harm"}),
    "accident": frozenset({"accident", "harm"}),
}
# The family of each event type, for readers of `Event.type`.
FAMILY_OF_TYPE: dict[str, str] = {}

# Objects that make "fire"/"launch" a military launch rather than a dismissal or a product launch.
WEAPON_LEMMAS = frozenset(
    [
        "missile",
        "rocket",
        "shot",
        "round",
        "shell",
        "bullet",
        "gun",
        "weapon",
        "salvo",
        "barrage",
        "drone",
        "mortar",
        "grenade",
        "bomb",
        "torpedo",
        "projectile",
        "artillery",
        "warhead",
        "volley",
    ]
)

# Prepositions that say what a launch or an attack was aimed at.
TARGET_PREPOSITIONS = frozenset({"at", "against", "on", "into", "toward", "towards", "upon"})

# Verbs that report speech: a time attached to them is handed to the event they report when that has none.
# "Footage shows ..." reports too: what it shows is the event.
REPORTING_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "report",
        "add",
        "state",
        "claim",
        "write",
        "confirm",
        "insist",
        "explain",
        "note",
        "show",
    ]
)

# Verbs whose complement did not (yet) happen: "planned to attack" is no attack.
HYPOTHETICAL_GOVERNORS = frozenset(
    [
        "plan",
        "want",
        "try",
        "attempt",
        "threaten",
        "hope",
        "seek",
        "intend",
        "aim",
        "prepare",
        "refuse",
        "deny",
        "fail",
        "expect",
        "consider",
        "propose",
        "decide",
        "urge",
        "ask",
        "need",
        "plot",
        "promise",
        "pledge",
        "vow",
    ]
)
MODAL_LEMMAS = frozenset(["could", "might", "may", "would", "should", "must", "can", "will", "shall"])

# Prepositions that attach a location to an event.
LOCATIVE_PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "near",
        "outside",
        "inside",
        "on",
        "across",
        "throughout",
        "around",
        "off",
        "along",
        "within",
    ]
)

# Nouns that make "in"/"on"/"at" a figure of speech, not a location: "in the wake of", "on behalf of".
FIGURATIVE_PLACE_NOUNS = frozenset(
    [
        "wake",
        "face",
        "light",
        "spite",
        "terms",
        "case",
        "event",
        "view",
        "addition",
        "place",
        "favour",
        "favor",
        "support",
        "charge",
        "course",
        "order",
        "response",
        "reply",
        "revenge",
        "retaliation",
        "protest",
        "bid",
        "effort",
        "attempt",
        "hope",
        "fear",
        "behalf",
        "basis",
        "part",
        "way",
        "name",
        "midst",
        "absence",
        "presence",
        "run",
        "lead",
        "trial",
        "touch",
        "talks",
        "contact",
        "time",
        "moment",
        "end",
    ]
)

# Common nouns that name a location even when no named entity does ("at the consulate", "in a tunnel").
PLACE_NOUNS = frozenset(
    [
        "airport",
        "base",
        "bridge",
        "border",
        "camp",
        "capital",
        "church",
        "circuit",
        "city",
        "coast",
        "consulate",
        "country",
        "county",
        "court",
        "district",
        "embassy",
        "factory",
        "field",
        "harbour",
        "harbor",
        "highway",
        "home",
        "hospital",
        "hotel",
        "house",
        "island",
        "market",
        "mosque",
        "motorway",
        "neighbourhood",
        "neighborhood",
        "office",
        "park",
        "parliament",
        "port",
        "prison",
        "province",
        "region",
        "restaurant",
        "road",
        "school",
        "square",
        "stadium",
        "station",
        "store",
        "street",
        "suburb",
        "temple",
        "town",
        "track",
        "tunnel",
        "university",
        "valley",
        "village",
    ]
)
# Nouns that head a place's phrase when a named place stands in it ("a beach in Koh Tao", "a Portsmouth
# garage"): the place nouns and these, too vague to answer "where" on their own ("the area", "his garden").
PLACE_HEAD_NOUNS = PLACE_NOUNS | frozenset(
    [
        "apartment",
        "area",
        "bay",
        "beach",
        "building",
        "campus",
        "cemetery",
        "college",
        "desert",
        "estate",
        "farm",
        "forest",
        "garage",
        "garden",
        "lake",
        "library",
        "mall",
        "mine",
        "mountain",
        "museum",
        "ocean",
        "pub",
        "river",
        "sea",
        "shop",
        "shore",
        "site",
        "theatre",
        "theater",
        "warehouse",
    ]
)

# Phrases that open a reason, by their first lower-cased words, with how surely each says "why":
# an explicit cause beats a purpose, which beats a bare "after" or "for".
REASON_OPENERS: dict[tuple[str, ...], float] = {
    ("in", "revenge"): 3.0,
    ("in", "retaliation"): 3.0,
    ("as", "revenge"): 3.0,
    ("as", "retaliation"): 3.0,
    ("because",): 3.0,
    ("due", "to"): 3.0,
    ("owing", "to"): 3.0,
    ("in", "response"): 2.5,
    ("in", "order", "to"): 2.5,
    ("in", "reply"): 2.0,
    ("in", "protest"): 2.0,
    ("thanks", "to"): 2.0,
    ("so", "that"): 2.0,
    ("over",): 1.2,
    ("amid",): 1.0,
    ("after",): 1.0,
    ("following",): 1.0,
    ("for",): 0.8,
}
# A purpose clause ("to meet Barack Obama") says why, less surely than an explicit cause.
PURPOSE_STRENGTH = 1.5

# Words that open a means phrase ("with a truck bomb", "by ramming", "using drones").
MEANS_PREPOSITIONS = frozenset(["with", "by", "using", "via"])


def _family_of_types() -> None:
    for senses in (VERB_SENSES, NOUN_SENSES):
        for sense in senses.values():
            FAMILY_OF_TYPE.setdefault(sense.type, sense.family)


_family_of_types()


def related_families(event_type: str) -> frozenset[str]:
    """The families whose events may tell the same happening as an event of this type."""
    family = FAMILY_OF_TYPE.get(event_type, event_type)
    return RELATED_FAMILIES.get(family, frozenset({family}))


@functools.cache
def happening_words() -> frozenset[str]:
    """The last words of a happening's name: the nouns above ("shooting", "crash") and the other endings of
    events' names (`lexicons/event_words.txt`: "Grand Prix", "festival", "spree")."""
    return word_list("event_words") | frozenset(NOUN_SENSES)
