"""The valid name a typo most likely meant, for every message that says "did you mean ...?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """A choice that differs from `word` only in case, else the closest spelling (difflib's ratio of
    at least 0.6, so `clasification` finds `classification` and `zzz` finds nothing), else None."""
    choices = [str(c) for c in choices]
    word = str(word)
    same = same_but_case(word, choices)
    if same is not None:
        return same
    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None


def same_but_case(word: str, choices: Iterable[str]) -> str | None:
    """A choice that differs from `word` only in case: a linear scan, for checks run on every file."""
    folded = str(word).casefold()
    return next((str(c) for c in choices if str(c) != str(word) and str(c).casefold() == folded), None)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)" to append to a message, saying so when only case differs; "" when nothing is near."""
    near = nearest(word, choices)
    if near is None:
        return ""
    if near.casefold() == str(word).casefold():
        return f" (did you mean '{near}'? it differs only in case, and names are case-sensitive)"
    return f" (did you mean '{near}'?)"
