"""Multiple choice: a key, its label, a letter, a 1-based number (3 or "3"), or a list of them for select-all."""

from __future__ import annotations

import re

from . import CORRECT, INCORRECT, PARTIAL, AnswerType, Check, Invalid, Reading, register


def options(part) -> dict[str, str]:
    """Option key -> label. A list of labels is keyed by the labels themselves."""
    if isinstance(part.choices, dict):
        return dict(part.choices)
    return {label: label for label in part.choices}


def _fold(text: str) -> str:
    """Case and spacing do not matter: ' Strictly  Convex' is 'strictly convex'."""
    return " ".join(text.split()).casefold()


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


def _key(raw, part) -> str:
    choices = options(part)
    keys = list(choices)
    text, folded = " ".join(str(raw).split()), _fold(str(raw))
    exact = {label: key for key, label in reversed(list(choices.items()))}
    exact.update({k: k for k in keys})
    if text in exact:  # as written first: with options A and a, "A" is A
        return exact[text]
    by_label: dict[str, str] = {}
    for key, label in choices.items():
        by_label.setdefault(_fold(label), key)
    by_name = {**by_label, **{_fold(k): k for k in keys}}  # a key wins over another option's label
    if folded in by_name:
        return by_name[folded]
    # a position only where no option could be meant by it: among options 0, 1, 2 the answer 3
    # is a wrong value, not the third option; among A, B, D the answer C is not D
    names = keys + list(choices.values())
    number = raw if isinstance(raw, int) else int(text) if text.isascii() and text.isdigit() else None
    if number is not None and 1 <= number <= len(keys) and not any(_NUMBER.fullmatch(n.strip()) for n in names):
        return keys[number - 1]
    if (len(text) == 1 and text.isalpha() and ord(text.lower()) - 97 < len(keys) and isinstance(part.choices, list)
            and not any(len(n.strip()) == 1 and n.strip().isalpha() for n in names)):
        return keys[ord(text.lower()) - 97]
    raise Invalid(f"'{text}' is not one of the options: {', '.join(keys)}")


def _as_set(value) -> frozenset:
    return value if isinstance(value, frozenset) else frozenset(value if isinstance(value, list) else [value])


class ChoiceType(AnswerType):
    """One of the part's options, or several for select-all; the canonical answer is a key."""

    name = "choice"
    formula_answers = False

    def read(self, raw, part) -> Reading:
        if isinstance(raw, list):
            return Reading(frozenset(_key(r, part) for r in raw))
        if isinstance(raw, (str, int)) and not isinstance(raw, bool):
            return Reading(_key(raw, part))
        raise Invalid("expected one of the options (or a list of them)")

    def compare(self, reading: Reading, expected, part) -> Check:
        chosen, right = _as_set(reading.value), _as_set(expected)
        if chosen == right:
            return Check(CORRECT, 1.0)
        if len(right) > 1 and chosen & right:
            wrong = len(chosen - right)
            credit = max(0.0, (len(chosen & right) - wrong) / len(right))
            if credit > 0:
                return Check(PARTIAL, credit, f"{len(chosen & right)} of {len(right)} right choices"
                                              + (f", {wrong} wrong" if wrong else ""))
        return Check(INCORRECT, 0.0)

    def canonical(self, answer, part, scope):
        return answer

    def validate(self, part) -> None:
        if not part.choices:
            raise ValueError("a choice part needs choices")

    def shown(self, part) -> list[str]:
        return [f"    {key}: {label}" for key, label in options(part).items()]

    def hints(self, part) -> list[str]:
        return [f"#   options: {', '.join(options(part))}"]


register(ChoiceType())
