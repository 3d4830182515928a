"""Student text made inert for each output: terminal, CSV, XML and Markdown.

Ids, answers, keys and file names come from students and end up in a TA's
terminal, a spreadsheet, a CI test report and a CI job summary. Each writer
passes such text through the function for its format, so that it is shown as
written and never acts: no escape sequence, formula, markup or broken file.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, zero-width and bidirectional marks, line and paragraph separators, BOM
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PUNCTUATION = re.compile(r"([!#$&()*+\-.:<>@\[\\\]^_`{|}~])")  # the ASCII punctuation Markdown gives a meaning
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Control characters, escape sequences and invisible marks as `\\x1b`-style escapes (one line)."""
    return _HIDDEN.sub(lambda m: _escape(m.group()), text)


def csv_cell(value):
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading quote (OWASP).

    Numbers are left alone, whether we wrote them or a student did: `-1` is a
    number to a spreadsheet, not a formula. Control characters are made visible
    too, since a CSV is often read on a terminal.
    """
    if not isinstance(value, str):
        return value
    quote = "'" if value.startswith(CSV_TRIGGERS) and not _NUMBER.fullmatch(value) else ""
    return quote + visible(value)


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids (NUL, ESC, ...) become visible escapes."""
    return _XML_FORBIDDEN.sub(lambda m: _escape(m.group()), text)


def markdown_text(text: str) -> str:
    """Literal text on one Markdown line: no HTML, link, image, heading, emphasis or table cell break.

    Every ASCII punctuation mark Markdown gives a meaning (`$` for math, `:` and `.`
    for bare-URL autolinks) is backslash-escaped, and <, > and & become entities,
    so the raw text holds no tag.
    """
    flat = visible(" ".join(text.splitlines()))
    return _PUNCTUATION.sub(lambda m: _HTML.get(m.group(), "\\" + m.group()), flat)
