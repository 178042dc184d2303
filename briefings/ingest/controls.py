"""Control characters taken out of everything read from outside, before anything can store or show it.

A NUL byte in a feed's title is enough for PostgreSQL to refuse the row ("text fields cannot contain NUL"),
and a lone surrogate cannot even be encoded as UTF-8; the other C0/C1 controls are noise no reader wants.
Tab and the line breaks (\\n, \\r, and NEL, which `cleaning` turns into a line break) are kept.

An article's text keeps its length: each control character becomes one character (a space, or what a
Windows-1252 byte read as Latin-1 meant, such as a curly quote), so the offsets of an analysis still point
into the source text as read. Short fields (title, outlet) lose them: a run becomes one space. A URL loses
them outright, as browsers do.
"""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; DEL; C1 controls but NEL (\x85); lone surrogates
# (a Python string holds a surrogate only when it is unpaired: JSON's "\ud800" or a bad decode).
_CONTROL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
_CONTROL = re.compile(f"[{_CONTROL_CLASS}]")
_CONTROL_RUN = re.compile(f" *[{_CONTROL_CLASS}]+ *")
_MEANINGFUL = re.compile("[\x80\x82-\x84\x86-\x8c\x8e\x91-\x9c\x9e\x9f\ud800-\udfff]")
_URL_CONTROL = re.compile(f"[{_CONTROL_CLASS}\t\n\r\x85]")
_REPLACEMENT = "\ufffd"


def _c1_as_cp1252(char: str) -> str | None:
    """What a C1 control meant when it is a Windows-1252 byte decoded as Latin-1 (\\x92 is ’), if anything."""
    try:
        meant = bytes([ord(char)]).decode("cp1252")
    except (UnicodeDecodeError, ValueError):
        return None
    return meant if meant != char else None


def _one_for_one(found: re.Match[str]) -> str:
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return _REPLACEMENT
    if "\x80" <= char <= "\x9f":
        return _c1_as_cp1252(char) or " "
    return " "


def has_controls(text: str) -> bool:
    """Whether the text holds a character `clean_controls` would replace."""
    return _CONTROL.search(text) is not None


def clean_controls(text: str) -> str:
    """The text with each control character replaced by one character, so that every offset stays put."""
    return _CONTROL.sub(_one_for_one, text) if has_controls(text) else text


def clean_field(value: str | None) -> str | None:
    """A short field (a title, an outlet) without control characters; None when nothing else is left."""
    if value is None:
        return None
    if has_controls(value):
        # What still means something (a curly quote, U+FFFD for a lost character) stays, one for one; a run
        # of the others, with the spaces around it, becomes one space ("Flood\x00 barriers": one space).
        value = _MEANINGFUL.sub(_one_for_one, value)
        value = _CONTROL_RUN.sub(" ", value).strip()
    return value or None


def clean_url(value: str | None) -> str | None:
    """A URL without control characters, tabs or line breaks (removed, as browsers do); None when empty."""
    if value is None:
        return None
    return _URL_CONTROL.sub("", value).strip() or None
