"""Inline math in an author's text: `$...$` segments of a statement or prompt, read by the same safe
reader as answers (never eval), over the names the problem declares. The web pages show a segment
read this way as math; `grade check` warns about one that cannot be read. Everywhere else the text
stays as written, dollars included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sympy import OneMatrix

from .expr import BudgetExceeded, ExprError, SymbolTable, budget, read
from .expr.symbols import NAME, normalize

MAX_SEGMENTS = 200      # math segments read in one text; the rest are shown as written
READ_SECONDS = 1.0      # one segment's reading (a budget; off the main thread, checked when it ends)
_TOKEN = re.compile(r"\\\$|\$")
# relations an equation or chain is split at, outside brackets: longest spellings first
RELATIONS = {"<=": "≤", ">=": "≥", "!=": "≠", "\\leq": "≤", "\\geq": "≥", "\\neq": "≠", "\\approx": "≈",
             "\\le": "≤", "\\ge": "≥", "\\ne": "≠", "≤": "≤", "≥": "≥", "≠": "≠", "≈": "≈", "=": "=", "<": "<",
             ">": ">"}
_RELATION = re.compile("|".join(re.escape(r) + (r"(?![A-Za-z])" if r[0] == "\\" else "")
                                for r in sorted(RELATIONS, key=len, reverse=True)))


@dataclass(frozen=True)
class Segment:
    """A piece of text: prose (`math` False) or the inside of one `$...$` (`math` True); `start` is
    its offset in the text (for a line number)."""

    text: str
    math: bool
    start: int = 0


def segments(text: str) -> list[Segment]:
    """Prose and math pieces of `text`: `\\$` is a literal dollar; a `$` left unclosed is prose, as
    is every segment past MAX_SEGMENTS (shown as written)."""
    out: list[Segment] = []
    buffer, math, start, opened, count = [], False, 0, 0, 0
    pos = 0
    for match in _TOKEN.finditer(text):
        buffer.append(text[pos:match.start()])
        pos = match.end()
        if match.group(0) == "\\$":
            buffer.append("$")
        elif not math:
            _add(out, Segment("".join(buffer), False, start))
            buffer, math, start, opened = [], True, match.end(), match.start()
        else:
            count += 1
            inside = "".join(buffer)
            _add(out, Segment(inside, True, start) if count <= MAX_SEGMENTS else
                 Segment(text[opened:match.end()], False, opened))
            buffer, math, start = [], False, match.end()
    buffer.append(text[pos:])
    if math:   # never closed: the dollar and what follows are prose, as written
        _add(out, Segment("$" + "".join(buffer), False, opened))
    else:
        _add(out, Segment("".join(buffer), False, start))
    return out


def _add(out: list[Segment], segment: Segment) -> None:
    """Append `segment`, joining prose to prose before it and dropping empty prose."""
    if segment.math:
        out.append(segment)
    elif segment.text:
        if out and not out[-1].math:
            out[-1] = Segment(out[-1].text + segment.text, False, out[-1].start)
        else:
            out.append(segment)


def names_of(model, pid: str | None = None) -> tuple:
    """The names a problem's math may use, as (name, kind) pairs: the part's own `vars` first (its
    prompt), then every part's in order, then the parameters and part ids not declared otherwise
    (scalars: a bare parameter name is the parameter, its value is shown only where `{name}` is)."""
    declared: dict[str, str] = {}
    parts = list(model.parts.items())
    if pid is not None and pid in model.parts:
        parts.insert(0, (pid, model.parts[pid]))
    for _, part in parts:
        for name, kind in part.vars.items():
            declared.setdefault(normalize(name), (name, kind))
    for name in [*model.params, *model.parts]:
        if NAME.fullmatch(name):
            declared.setdefault(normalize(name), (name, "real"))
    return tuple(declared.values())


class Unreadable(ExprError):
    """A math segment the reader cannot read (or a relation with an empty side)."""


@dataclass(frozen=True)
class Reading:
    """A math segment as read: `sides` (sympy values, and `texts` as written) with `relations` between
    them (one fewer)."""

    sides: tuple
    relations: tuple[str, ...]
    texts: tuple[str, ...] = ()


def read_math(text: str, names: tuple) -> Reading:
    """`text` (a segment's inside) read over `names`: each side of an equation, chain or inequality on
    its own. Raises Unreadable (or an ExprError) with the reader's reason."""
    return _read_math(text, names)


@lru_cache(maxsize=4096)
def _read_math(text: str, names: tuple) -> Reading:
    table = _table(names)
    pieces, relations = _split(text)
    sides = []
    for piece in pieces:
        if not piece.strip():
            raise Unreadable("a side of the relation is empty")
        try:
            with budget(READ_SECONDS):
                value = read(piece, table).value
        except BudgetExceeded as error:
            raise Unreadable(f"reading it {error}") from None
        if hasattr(value, "atoms") and value.atoms(OneMatrix):
            raise Unreadable(f"'{piece.strip()}' mixes a number and a vector or matrix, which would be shown "
                             f"with a vector of ones")
        sides.append(value)
    return Reading(tuple(sides), tuple(relations), tuple(piece.strip() for piece in pieces))


@lru_cache(maxsize=256)
def _table(names: tuple) -> SymbolTable:
    return SymbolTable(dict(names))


def _split(text: str) -> tuple[list[str], list[str]]:
    """Pieces of `text` between relations outside any bracket, and the relations (as shown)."""
    pieces, relations, depth, last = [], [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            match = _RELATION.match(text, i)
            if match:
                pieces.append(text[last:i])
                relations.append(RELATIONS[match.group(0)])
                last = i = match.end()
                continue
        i += 1
    pieces.append(text[last:])
    return pieces, relations


def unreadable(text: str, names: tuple) -> list[tuple[Segment, str]]:
    """The math segments of `text` that cannot be read, each with the reason (for `grade check`)."""
    found = []
    for segment in segments(text):
        if segment.math:
            try:
                read_math(segment.text, names)
            except ExprError as error:
                found.append((segment, error.reason))
    return found
