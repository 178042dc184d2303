"""Names: normalised keys and matching of person, organisation, country and place names.

Used inside one article (short forms to full names) and across articles (the stories merge asks
`same_actor`): "Mike Pompeo" = "Michael R. Pompeo" = "Pompeo", "F.B.I." = "Federal Bureau of
Investigation", "Irbil" = "Erbil", "the U.S." = "America".
"""

from __future__ import annotations

import functools
import re
import unicodedata

from nicknames import NickNamer

from briefings.extract.lexicons import countries, metonyms, word_list
from briefings.models import Actor, Place

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_VOWELS = frozenset("aeiouy")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")

# Name particles that are written or dropped at will ("al-Muhandis", "Muhandis"; "bin Hamad").
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ad",
        "ash",
        "as",
        "at",
        "az",
        "an",
        "ar",
        "bin",
        "ibn",
        "bint",
        "ben",
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "la",
        "le",
        "dos",
        "das",
        "del",
        "della",
        "ter",
        "ten",
    ]
)
# Generational suffixes that are no part of the name people are called by.
NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv", "v"])
# Words that do not count toward an organisation's initials ("Federal Bureau of Investigation" → FBI).
_ACRONYM_SKIP = frozenset(["of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "&"])
# British spellings folded to one form so that "Department of Defence" = "Department of Defense".
_SPELLINGS = {
    "defence": "defense",
    "organisation": "organization",
    "centre": "center",
    "labour": "labor",
    "programme": "program",
    "honour": "honor",
}
_OFFICE_HEADS = frozenset({"department", "ministry", "office", "agency", "bureau"})


def strip_accents(text: str) -> str:
    """The text with accents removed ("Mondelēz" → "Mondelez")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=8192)
def normalise_name(text: str) -> str:
    """A name folded for comparison: no accents, lowercase, one kind of apostrophe, no leading "the"."""
    text = _DASHES.sub("-", strip_accents(text).translate(_APOSTROPHES)).lower()
    text = text.replace("-", " ").replace(".", " ")
    text = _NON_WORD.sub(" ", text)
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] in ("'s", "'"):
        words = words[:-1]
    words = [w[:-2] if w.endswith("'s") else w.rstrip("'") for w in words]
    return " ".join(w for w in words if w)


def name_tokens(text: str) -> list[str]:
    """The words of a name, normalised (initials keep their letter: "J." → "j")."""
    return normalise_name(text).split()


@functools.cache
def _honorific_words() -> frozenset[str]:
    return word_list("honorifics")


@functools.lru_cache(maxsize=8192)
def person_core(text: str) -> tuple[str, ...]:
    """A person's name without leading honorifics, particles and generational suffixes."""
    words = name_tokens(text)
    honorifics = _honorific_words()
    while len(words) > 1 and words[0] in honorifics:
        words = words[1:]
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words = words[:-1]
    # A particle opening a capitalised name is a given name ("Ben Zobrist", "Al Gore"); elsewhere it
    # is written or dropped at will ("Osama bin Laden", "al-Muhandis").
    opens_capitalised = text.lstrip()[:1].isupper()
    core = tuple(w for n, w in enumerate(words) if w not in PARTICLES or (n == 0 and opens_capitalised))
    return core or tuple(words)


@functools.lru_cache(maxsize=8192)
def consonant_skeleton(word: str) -> str:
    """The consonants of a word with doubled letters collapsed ("Irbil" and "Erbil" → "rbl")."""
    letters = [ch for ch in normalise_name(word) if ch.isalpha() and ch not in _VOWELS]
    return "".join(ch for i, ch in enumerate(letters) if i == 0 or letters[i - 1] != ch)


@functools.lru_cache(maxsize=8192)
def transliteration_variants(a: str, b: str) -> bool:
    """Whether two words are spellings of one name: same consonants, same number of vowel groups.

    "Irbil"/"Erbil", "Qassem"/"Qasem", "Mazar-i-Sharif"/"Mazar-e-Sharif" are; "Niger"/"Nigeria" and
    short names such as "Gaza"/"Giza" (fewer than three consonants) are not.
    """
    na, nb = normalise_name(a).replace(" ", ""), normalise_name(b).replace(" ", "")
    if na == nb:
        return True
    skeleton = consonant_skeleton(na)
    if len(skeleton) < 3 or skeleton != consonant_skeleton(nb):
        return False
    return len(_VOWEL_GROUP.findall(na)) == len(_VOWEL_GROUP.findall(nb))


@functools.cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@functools.lru_cache(maxsize=8192)
def known_given_name(word: str) -> bool:
    """Whether a lowercase word is an English given name that the nickname list knows ("donald", "mike")."""
    namer = _nicknamer()
    return bool(namer.nicknames_of(word) or namer.canonicals_of(word))


@functools.lru_cache(maxsize=8192)
def same_given_name(a: str, b: str) -> bool:
    """Whether two given names can name one person: equal, an initial of the other, or a nickname."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if len(a) >= 4 and len(b) >= 4 and transliteration_variants(a, b):
        return True
    namer = _nicknamer()
    return b in namer.nicknames_of(a) or a in namer.nicknames_of(b)


def _same_surname(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 7 and transliteration_variants(a, b))


@functools.lru_cache(maxsize=8192)
def same_person_name(a: str, b: str) -> bool:
    """Whether two person names can name one person ("Trump" ~ "Donald J. Trump", "Mike" ~ "Michael").

    The surnames must agree (so `actor_key` is equal for every match); a given name alone or a leading
    part of a long name ("Tamim") is left to `is_short_form`, which reads one text.
    """
    ca, cb = person_core(a), person_core(b)
    if not ca or not cb:
        return False
    short, long = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    if not _same_surname(short[-1], long[-1]) or len(short[-1]) == 1:
        return False
    return len(short) == 1 or same_given_name(short[0], long[0])


@functools.lru_cache(maxsize=8192)
def is_short_form(short: str, full: str) -> bool:
    """Whether `short` is a part of `full` that news uses on its own ("Khamenei", "Tamim", "Al Thani")."""
    s, f = person_core(short), person_core(full)
    if not s or len(s) >= len(f):
        return False
    if f[-len(s) :] == s or f[: len(s)] == s:
        return True
    # "Al Thani" against "Tamim bin Hamad Al Thani": compare with particles kept.
    fw, sw = name_tokens(full), name_tokens(short)
    return len(sw) < len(fw) and fw[-len(sw) :] == sw


def initials(text: str) -> str:
    """The initials of a name's significant words ("Federal Bureau of Investigation" → "fbi")."""
    words = [w for w in name_tokens(text) if w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words if w)


def compact(text: str) -> str:
    """A name as one lowercase run of letters and digits ("F.B.I." → "fbi")."""
    return "".join(ch for ch in normalise_name(text) if ch.isalnum())


@functools.lru_cache(maxsize=8192)
def is_acronym_of(short: str, long: str) -> bool:
    """Whether `short` is written as the initials of `long` ("FBI", "F.B.I." of "Federal Bureau of …")."""
    letters = compact(short)
    stripped = short.replace(".", "").replace(" ", "")
    if len(letters) < 2 or not stripped.isupper():
        return False
    words = name_tokens(long)
    return len(words) >= 2 and letters == initials(long)


@functools.lru_cache(maxsize=8192)
def org_key(text: str) -> str:
    """An organisation's name folded for comparison: spellings unified, "State Department" = "Department of State"."""
    words = [_SPELLINGS.get(w, w) for w in name_tokens(text)]
    # Drop a leading country or demonym: "Iranian Revolutionary Guards" = "Revolutionary Guards".
    index = countries()
    if len(words) > 2 and (index.country_named(words[0]) or index.country_of_demonym(words[0])):
        words = words[1:]
    if len(words) == 2 and words[1] in _OFFICE_HEADS:
        words = [words[1], "of", words[0]]
    return " ".join(words)


@functools.lru_cache(maxsize=8192)
def same_org_name(a: str, b: str) -> bool:
    """Whether two organisation names name one organisation (spelling, word order, initials, country prefix)."""
    ka, kb = org_key(a), org_key(b)
    if ka == kb:
        return True
    if is_acronym_of(a, b) or is_acronym_of(b, a):
        return True
    short, long = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    extra = long[len(short) :].split() if long.startswith(short + " ") else []
    # "Labour" = "Labour Party": the longer name only adds words that say it is an organisation.
    return bool(extra) and all(word in word_list("org_words") for word in extra)


@functools.lru_cache(maxsize=8192)
def metonym_group(name: str) -> tuple[str, str] | None:
    """The metonym a name belongs to ("Department of Defense" → ("Pentagon", "United States")), if any."""
    return _metonym_keys().get(org_key(name))


@functools.cache
def _metonym_keys() -> dict[str, tuple[str, str]]:
    keys: dict[str, tuple[str, str]] = {}
    for metonym in metonyms():
        for name in (metonym.name, *metonym.others):
            keys[org_key(name)] = (metonym.name, metonym.country)
    return keys


def same_actor(a: Actor, b: Actor) -> bool:
    """Whether two actors (from one article or from two) are the same person, organisation or country."""
    return _same_named_actor(a.kind, (a.name, *a.aliases), b.kind, (b.name, *b.aliases))


# A story's actors are compared again each time a view of it is merged (one per set of feeds): once each.
@functools.lru_cache(maxsize=65536)
def _same_named_actor(kind_a: str, names_a: tuple[str, ...], kind_b: str, names_b: tuple[str, ...]) -> bool:
    """`same_actor` of two actors of these kinds known by these names (the first being the actor's name)."""
    if (kind_a == "person") != (kind_b == "person"):
        return False
    if kind_a == "person":
        full_a = [n for n in names_a if len(person_core(n)) > 1] or [names_a[0]]
        full_b = [n for n in names_b if len(person_core(n)) > 1] or [names_b[0]]
        return any(same_person_name(x, y) for x in full_a for y in full_b)
    if kind_a == "country" or kind_b == "country":
        country_a = countries().country_named(names_a[0])
        return country_a is not None and country_a == countries().country_named(names_b[0])
    if any(same_org_name(x, y) for x in names_a for y in names_b):
        return True
    group_a, group_b = metonym_group(names_a[0]), metonym_group(names_b[0])
    return group_a is not None and group_a == group_b


def actor_key(actor: Actor) -> str:
    """A coarse key for finding candidates to compare with `same_actor` (equal for every match it finds)."""
    if actor.kind == "person":
        core = person_core(actor.name)
        return "person:" + (consonant_skeleton(core[-1]) if core else "")
    if actor.kind == "country":
        return "country:" + normalise_name(countries().country_named(actor.name) or actor.name)
    group = metonym_group(actor.name)
    if group is not None:
        return "org:" + normalise_name(group[0])
    return "org:" + actor.kind


def same_place(a: Place, b: Place) -> bool:
    """Whether two places are one: a country by any of its names, or spellings of one name."""
    return not place_keys(a).isdisjoint(place_keys(b))


def place_keys(place: Place) -> frozenset[tuple[str, ...]]:
    """What a place is recognised by: two places are one (`same_place`) exactly when they share a key, so a
    story's places are merged by the keys they share, not by comparing every pair of them.

    A country's key is the country, whichever of its names the place has. Another place's keys are those of
    each of its names (`transliteration_variants`): the name spelled without spaces, and its consonant
    skeleton with its number of vowel groups (when the skeleton has three consonants or more)."""
    return _keys_of_names((place.name, *place.aliases))


@functools.lru_cache(maxsize=65536)
def _keys_of_names(names: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    country = countries().country_named(names[0])
    if country:
        return frozenset({("country", country)})
    keys: set[tuple[str, ...]] = set()
    for name in names:
        spelled = normalise_name(name).replace(" ", "")
        keys.add(("spelled", spelled))
        skeleton = consonant_skeleton(spelled)
        if len(skeleton) >= 3:
            keys.add(("skeleton", skeleton, str(len(_VOWEL_GROUP.findall(spelled)))))
    return frozenset(keys)
