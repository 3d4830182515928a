"""Line numbers for keys in a TOML file, so schema errors can say where.

tomllib gives values, not positions; this index maps each key path (as
pydantic reports it) to the line that defines it, falling back to the nearest
enclosing table or key.

The index is built for every student file, so every pattern here must run in
time linear in the line: the old header pattern (a lazy name, then spaces, then
`]`) backtracked quadratically over a row of a multi-line array followed by 40k
spaces (4 s).
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)([^\]]*)\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*((?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_\-]+))*)\s*=')


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_\-]+)', text)
    return tuple(a or b or c for a, b, c in parts)


def key_lines(text: str) -> dict[tuple, int]:
    """Every table header and key line: path -> 1-based line number."""
    index: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    table: tuple = ()
    in_string = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if in_string in line:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header:
            path = _split_key(header.group(2))
            if header.group(1) == "[[":
                i = counts.get(path, 0)
                counts[path] = i + 1
                index.setdefault(path, number)
                path = path + (i,)
            table = path
            index.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            path = table + _split_key(key.group(1))
            index.setdefault(path, number)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_string = quote
    return index


def line_of(index: dict[tuple, int], loc: tuple) -> int | None:
    """The line of the longest prefix of `loc` that the file defines."""
    loc = tuple(x for x in loc if isinstance(x, (str, int)))
    for end in range(len(loc), 0, -1):
        if loc[:end] in index:
            return index[loc[:end]]
    return None
