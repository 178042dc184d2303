"""Events read off the parse: who did what to whom, where and when, with the words that say so."""

from __future__ import annotations

from spacy.lang.en import English
from spacy.language import Language
from spacy.tokens import Doc
from test_events_support import run_events

from briefings.extract.events import extract_events
from briefings.extract.events.syntax import subject_of
from briefings.extract.sentences import extract_sentences


def test_an_event_has_its_agent_patient_place_and_time(nlp: Language):
    parsed = run_events(
        nlp,
        "The Kestrel Front attacked a police station in Varno on Tuesday.",
        actors=[("Kestrel Front", "group")],
        places=["Varno"],
        times={"Tuesday": "2024-03-12"},
    )
    attack = parsed.of_type("attack")
    assert attack.who == ["Kestrel Front"]
    assert attack.whom == ["a police station"]
    assert attack.where == "Varno"
    assert (attack.when, attack.when_text) == ("2024-03-12", "Tuesday")


def test_in_the_passive_the_by_phrase_is_the_agent(nlp: Language):
    parsed = run_events(
        nlp,
        "Two guards were killed by the Kestrel Front near the border crossing at Halm.",
        actors=[("Kestrel Front", "group")],
        places=["Halm"],
    )
    killing = parsed.of_type("kill")
    assert killing.who == ["Kestrel Front"]
    assert killing.whom == ["Two guards"]
    assert killing.subject == "Two guards"
    assert killing.where == "Halm"


def test_an_event_noun_takes_the_time_of_the_event_that_says_how_it_happened(nlp: Language):
    parsed = run_events(
        nlp,
        "The riots were in revenge for the killing of Mayor Ilse Brandt in a bomb attack on Friday.",
        actors=[("Ilse Brandt", "person")],
        times={"Friday": "2024-03-08"},
    )
    killing = parsed.of_type("kill")
    assert killing.whom == ["Ilse Brandt"]
    assert killing.when == "2024-03-08"
    assert killing.how is not None and "bomb attack" in killing.how
    assert all(e.type != "attack" for e in parsed.events), (
        "the attack is how the killing happened, not another event"
    )


def test_a_time_on_the_reporting_verb_dates_the_reported_event(nlp: Language):
    parsed = run_events(
        nlp,
        'Colonel Aden Roth said around 9 pm on March 3, "The rebels fired rockets at the airport."',
        actors=[("Aden Roth", "person")],
        times={"around 9 pm on March 3": "2024-03-03T21:00"},
    )
    launch = parsed.of_type("launch")
    assert launch.when == "2024-03-03T21:00"
    assert launch.evidence == "The rebels fired rockets at the airport"


def test_a_time_bounding_an_event_does_not_date_it(nlp: Language):
    parsed = run_events(
        nlp,
        "Two days before Election Day, the Kestrel Front attacked the council offices.",
        actors=[("Kestrel Front", "group")],
        times={"Election Day": "2024-03-12"},
    )
    assert parsed.of_type("attack").when is None


def test_mentions_of_one_event_are_joined_and_share_their_time(nlp: Language):
    parsed = run_events(
        nlp,
        "Borland launches missiles at Ostrava bases.\n"
        "Borland launched six missiles at two bases in Ostrava, officials said.\n"
        "The attack began at 5 am on Monday, according to the army.",
        actors=[("Borland", "country"), ("Ostrava", "country")],
        places=["Ostrava"],
        times={"5 am on Monday": "2024-03-11T05:00"},
    )
    violence = [e for e in parsed.events if e.type in ("launch", "attack")]
    assert len(violence) == 1
    (launch,) = violence
    assert launch.mentions == [0, 1, 2]
    assert launch.when == "2024-03-11T05:00"


def test_timeline_entries_order_by_time_not_by_telling(nlp: Language):
    parsed = run_events(
        nlp,
        "Protesters marched through Varno on Sunday.\n"
        "Police had arrested the union leader Tomas Keel on Thursday.",
        actors=[("Tomas Keel", "person")],
        places=["Varno"],
        times={"Sunday": "2024-03-10", "Thursday": "2024-03-07"},
    )
    dated = sorted((e for e in parsed.events if e.when), key=lambda e: e.when or "")
    assert [e.type for e in dated] == ["arrest", "protest"]
    assert dated[0].evidence == "Police had arrested the union leader Tomas Keel on Thursday"
    assert dated[1].evidence == "Protesters marched through Varno on Sunday"


def test_a_light_verb_carries_its_event_noun(nlp: Language):
    parsed = run_events(
        nlp,
        "President Ana Suarez and Premier Olaf Brink held talks in Varno.",
        actors=[("Ana Suarez", "person"), ("Olaf Brink", "person")],
        places=["Varno"],
    )
    talks = parsed.of_type("meet")
    assert talks.trigger == "held"
    assert talks.who == ["Ana Suarez", "Olaf Brink"]
    assert talks.where == "Varno"


def test_a_verb_with_its_particle_names_the_event(nlp: Language):
    parsed = run_events(
        nlp,
        "The singer Vera Quell passed away in Tarbil.\n"
        "The mayor of Orrby stepped down after the vote.\n"
        "Dock workers in Varno walked out over pay.",
    )
    assert parsed.of_type("die").action == "passed away in Tarbil"
    assert parsed.of_type("resign").action.startswith("stepped down")
    assert parsed.of_type("protest").trigger == "walked"


def test_who_does_an_ing_after_a_preposition_is_the_one_it_is_said_of(nlp: Language):
    parsed = run_events(
        nlp,
        "A Tarbil gang member accused of gunning down a deputy appeared in court.\n"
        "The Orrby driver retired after crashing in his last race.",
    )
    assert parsed.of_type("kill").who == ["A Tarbil gang member"]
    assert parsed.of_type("crash").who == ["The Orrby driver"]


def test_negated_and_planned_events_are_not_events(nlp: Language):
    parsed = run_events(
        nlp,
        "The weather stayed calm all week.\n"
        "The army did not attack the town.\n"
        "The rebels planned to bomb the bridge.",
    )
    assert all(e.type not in ("attack", "strike") for e in parsed.events)


def test_a_text_without_events_has_none(nlp: Language):
    parsed = run_events(nlp, "The gardens were green and the evenings were long.")
    assert parsed.events == []


def test_empty_and_odd_texts_do_not_raise(nlp: Language):
    for text in ("", "   \n\n", "\u200b\u00ad…", "killed " * 2000):
        doc = nlp(text)
        extract_events(doc, extract_sentences(doc), [], [], [])


def test_a_figure_of_speech_is_no_place(nlp: Language):
    parsed = run_events(
        nlp,
        "The council closed the Lanmore ferry in the wake of Brexit.",
        places=["Brexit"],
    )
    assert all(e.where is None and e.where_text is None for e in parsed.events)


def test_a_statement_is_dated_by_its_speaker_saying_it_on_a_day(nlp: Language):
    parsed = run_events(
        nlp,
        "Mayor Ilse Brandt blamed the harbour board for the flooding.\n"
        "The river rose above the quay wall twice this winter.\n"
        "Ilse Brandt told reporters on Saturday that the board had ignored warnings.",
        actors=[("Ilse Brandt", "person")],
        times={"Saturday": "2024-03-09"},
    )
    assert parsed.of_type("blame").when == "2024-03-09"


def test_a_time_inside_a_quote_does_not_date_the_saying(nlp: Language):
    parsed = run_events(
        nlp,
        "Mayor Ilse Brandt blamed the harbour board for the flooding.\n"
        "The quay wall is old.\nIts stones are loose.\n"
        'Ilse Brandt said, "Last night the river rose above the quay wall."',
        actors=[("Ilse Brandt", "person")],
        times={"Last night": "2024-03-13TNI"},
    )
    assert parsed.of_type("blame").when is None


def _parsed(rows: list[tuple[str, int, str, str]]) -> Doc:
    """A parse as (word, head index, dependency, part of speech) rows: the parse a model may give."""
    words, heads, deps, pos = (list(column) for column in zip(*rows, strict=True))
    return Doc(English().vocab, words=words, heads=heads, deps=deps, pos=pos)


def test_a_verb_joined_to_one_the_parse_gave_two_subjects_shares_the_sentence_s_first():
    # "Ana Ruiz, whose photos made her famous, died on Friday.": the relative clause's subject hung on "made".
    doc = _parsed(
        [
            ("Ana", 1, "compound", "PROPN"),
            ("Ruiz", 5, "nsubj", "PROPN"),
            (",", 1, "punct", "PUNCT"),
            ("whose", 4, "poss", "DET"),
            ("photos", 5, "nsubj", "NOUN"),
            ("made", 5, "ROOT", "VERB"),
            ("her", 7, "nsubj", "PRON"),
            ("famous", 5, "ccomp", "ADJ"),
            (",", 5, "punct", "PUNCT"),
            ("died", 5, "conj", "VERB"),
            ("on", 9, "prep", "ADP"),
            ("Friday", 10, "pobj", "PROPN"),
            (".", 5, "punct", "PUNCT"),
        ]
    )
    assert subject_of(doc[9]).text == "Ruiz"
    assert subject_of(doc[5]).text == "photos"  # the verb's own: the nearer one
    # A label before a colon names no one: the verb joined to "identify" shares its nearer subject.
    label = _parsed(
        [
            ("Tram", 1, "compound", "NOUN"),
            ("crash", 4, "nsubj", "NOUN"),
            (":", 4, "punct", "PUNCT"),
            ("Police", 4, "nsubj", "NOUN"),
            ("identify", 4, "ROOT", "VERB"),
            ("victims", 4, "dobj", "NOUN"),
            ("and", 4, "cc", "CCONJ"),
            ("release", 4, "conj", "VERB"),
            ("names", 7, "dobj", "NOUN"),
        ]
    )
    assert subject_of(label[7]).text == "Police"
