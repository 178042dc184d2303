"""English articles pass; others are refused with their language named; short texts are never refused."""

from __future__ import annotations

import pytest

from briefings.ingest.language import detect_language, looks_english

NOT_ENGLISH = {
    "German": (
        "Die Fähre zwischen Port Avel und Lanmore fährt seit Dienstag wieder. Nach dem Sturm war der Hafen "
        "drei Tage lang geschlossen, teilte der Inselrat mit. Die Hafenmeisterin sagte, der Anleger sei "
        "über Nacht geprüft worden."
    ),
    "French": (
        "Le traversier entre Port Avel et Lanmore a repris mardi. Après la tempête, le port était fermé "
        "pendant trois jours, a indiqué le conseil de l'île. La capitaine du port a déclaré que la jetée "
        "avait été inspectée pendant la nuit."
    ),
    "Spanish": (
        "El ferry entre Port Avel y Lanmore volvió a navegar el martes. Tras la tormenta, el puerto estuvo "
        "cerrado durante tres días, informó el consejo de la isla. La capitana del puerto dijo que el "
        "muelle fue inspeccionado durante la noche."
    ),
    "Russian": (
        "Паром между Порт-Авелем и Ланмором снова вышел в рейс во вторник. После шторма гавань была "
        "закрыта три дня, сообщил совет острова."
    ),
    "Chinese": "暴风雨过后，港口关闭了三天。岛屿委员会周二表示，往返于两地之间的渡轮已经恢复运行。",
}

ENGLISH = [
    # news prose
    "The ferry between Port Avel and Lanmore sailed again on Tuesday after a storm closed the harbour for "
    "three days, the island council said.",
    # short texts: headlines and snippets are never refused
    "Storm closes Port Avel harbour",
    "Ferry resumes",
    "Calloway: pier safe",
    # few function words: market and sports briefs, capitals
    "Nikkei ends higher; Toyota, Sony gain on weak yen. Hang Seng slips 0.4%, Kospi flat, Sensex steady "
    "near record high. Brent crude steady at $82.",
    "Results: Lanmore Rovers 2 Port Avel United 1. Calloway 23, Okafor 67; Brandt 81. Attendance: 4,312. "
    "Referee: M. Ostrander.",
    "STORM CLOSES HARBOUR FOR THREE DAYS; FERRY RESUMES TUESDAY AFTER PIER INSPECTION BY HARBOUR MASTER",
    # English quoting a few words of another language
    'The mayor of Lanmore, speaking in French, said "nous sommes prêts" before the ferry left on Tuesday, '
    "and islanders cheered as the first passengers came ashore in the afternoon.",
]


@pytest.mark.parametrize("language", sorted(NOT_ENGLISH))
def test_other_languages_are_named(language: str) -> None:
    guess = detect_language(NOT_ENGLISH[language])
    assert not guess.is_english and guess.name == language
    assert not looks_english(NOT_ENGLISH[language])


@pytest.mark.parametrize("text", ENGLISH)
def test_english_is_never_refused(text: str) -> None:
    assert detect_language(text).is_english


def test_empty_and_symbol_only_texts_are_not_refused() -> None:
    assert detect_language("").is_english
    assert detect_language("12:30 — 4,312 / 82.5% ...").is_english
