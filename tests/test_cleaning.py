from briefings.ingest.cleaning import clean_text


def test_stray_escape_removed_and_offsets_map_back():
    source = "\\'Harbour closed\\': storm hits Port Avel\nThe harbour closed on Monday."
    cleaned = clean_text(source)
    assert cleaned.text.startswith("'Harbour closed': storm")
    monday = cleaned.text.index("Monday")
    start, end = cleaned.offsets.span_to_source(monday, monday + len("Monday"))
    assert source[start:end] == "Monday"


def test_text_without_escapes_is_unchanged():
    source = "Rain fell on Tuesday.\nRivers rose."
    cleaned = clean_text(source)
    assert cleaned.text == source
    assert cleaned.offsets.is_identity
