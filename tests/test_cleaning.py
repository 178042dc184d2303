"""Cleaning for the pipeline, and the map from cleaned offsets back to the text as it was read."""

from __future__ import annotations

import re

import pytest

from briefings.ingest.articles import to_article
from briefings.ingest.cleaning import clean_text
from briefings.ingest.raw import RawArticle

NOISY = (
    "\ufeff\\'Harbour closed\\': storm hits Port\u00a0Avel\n"
    "The harbour closed on Monday &amp; reopened on Fri\u00adday, said Ines Callo\u200bway.\r\n"
    "\u201cWe are ready,\u201d she said &#8212; the pier&rsquo;s lights were on at 5:30\u202fpm.\u2028"
    'Tickets cost \u20ac4 at AT&T Hall; Q&A; &ampx; stay as they are.\t\\"Done\\"'
)


def test_stray_escapes_are_removed() -> None:
    source = "\\'Harbour closed\\': storm hits Port Avel\nThe harbour closed on Monday."
    assert clean_text(source).text.startswith("'Harbour closed': storm")


def test_what_is_cleaned_and_what_is_kept() -> None:
    text = clean_text(NOISY).text
    assert text.startswith("'Harbour closed': storm hits Port Avel\n")  # BOM gone, nbsp a space
    assert "Monday & reopened on Friday" in text  # entity decoded, soft hyphen gone
    assert "Ines Calloway." in text  # zero-width space gone
    assert "\u201cWe are ready,\u201d she said \u2014 the pier\u2019s" in text  # smart quotes kept
    assert "5:30 pm.\n" in text and "\r\n" in text  # odd spaces become spaces; line breaks kept
    assert "AT&T Hall; Q&A; &ampx; stay" in text  # not entities: left alone
    assert text.endswith('\t"Done"')


def test_text_without_anything_to_clean_is_unchanged() -> None:
    source = "Rain fell on Tuesday.\nRivers rose \u201cfast\u201d, officials said."
    cleaned = clean_text(source)
    assert cleaned.text == source
    assert cleaned.offsets.is_identity


def test_every_word_maps_back_to_itself_in_the_source() -> None:
    cleaned = clean_text(NOISY)
    for word in re.finditer(r"\w+", cleaned.text):
        start, end = cleaned.offsets.span_to_source(word.start(), word.end())
        assert clean_text(NOISY[start:end]).text == word.group(), word.group()


@pytest.mark.parametrize(
    ("phrase", "in_source"),
    [
        ("Monday", "Monday"),
        ("on Friday", "on Fri\u00adday"),
        ("Calloway", "Callo\u200bway"),
        ("Port Avel", "Port\u00a0Avel"),
        ("5:30 pm", "5:30\u202fpm"),
        ("Monday & reopened", "Monday &amp; reopened"),
        ("'Harbour closed'", "\\'Harbour closed\\'"),
        ("the pier\u2019s lights", "the pier&rsquo;s lights"),
    ],
)
def test_spans_map_back_exactly(phrase: str, in_source: str) -> None:
    cleaned = clean_text(NOISY)
    start = cleaned.text.index(phrase)
    source_start, source_end = cleaned.offsets.span_to_source(start, start + len(phrase))
    assert NOISY[source_start:source_end] == in_source


def test_a_span_next_to_a_removed_character_leaves_it_out() -> None:
    source = "On Tuesday\u200b\u200b the ferry sailed."
    cleaned = clean_text(source)
    assert cleaned.text == "On Tuesday the ferry sailed."
    tuesday = cleaned.text.index("Tuesday")
    assert cleaned.offsets.span_to_source(tuesday, tuesday + 7) == (3, 10)
    after = cleaned.text.index(" the")
    assert cleaned.offsets.to_source(after) == 12


def test_a_leading_byte_order_mark_is_counted_in_source_offsets() -> None:
    cleaned = clean_text("\ufeffMonday")
    assert cleaned.text == "Monday"
    assert cleaned.offsets.span_to_source(0, 6) == (1, 7)


def test_articles_carry_the_map_the_contract_uses() -> None:
    article = to_article(RawArticle(source="noisy.txt", text=NOISY), "a1")
    assert article.text == clean_text(NOISY).text
    friday = article.text.index("Friday")
    start, end = article.offsets.span_to_source(friday, friday + len("Friday"))
    assert NOISY[start:end] == "Fri\u00adday"


def test_long_and_odd_texts_do_not_raise() -> None:
    assert clean_text("").text == ""
    assert clean_text("\u200b" * 10).text == ""
    long_text = ("Storm\u00adwatch &amp; \\'news\\' " * 20_000).strip()
    cleaned = clean_text(long_text)
    assert cleaned.text.startswith("Stormwatch & 'news' ")
    assert cleaned.offsets.span_to_source(0, len(cleaned.text)) == (0, len(long_text))
