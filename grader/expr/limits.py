"""Size caps checked before evaluation, and a time budget that holds inside sympy."""

from __future__ import annotations

import math
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import BudgetExceeded, LimitExceeded


@dataclass(frozen=True)
class Limits:
    """Caps on one answer. Defaults are generous for homework and small for attacks."""

    max_length: int = 2000          # characters of input
    max_depth: int = 50             # nested brackets
    max_nodes: int = 1500           # parse-tree nodes
    max_literal_digits: int = 60    # digits in one numeric literal
    max_sci_exponent: int = 300     # |k| in 1e<k>
    max_result_digits: int = 400    # digits of an exact number built from literals
    max_power: int = 1000           # |n| in x^n for an integer n
    max_factorial: int = 200        # n in n! (200! has 375 digits)


DEFAULT_LIMITS = Limits()
# an instructor's canonical answers, mistakes and computed parameters are trusted text: caps only
# against runaway size, so (x - a)^6000 is a problem's answer, not an attack
INSTRUCTOR_LIMITS = Limits(max_length=50_000, max_depth=200, max_nodes=50_000, max_literal_digits=400,
                           max_result_digits=20_000, max_power=1_000_000, max_factorial=5_000)


def check_text(text: str, limits: Limits) -> None:
    """Refuse oversized or over-nested text before the parser sees it."""
    if len(text) > limits.max_length:
        raise LimitExceeded(
            f"answer is too long ({len(text)} characters; the limit is {limits.max_length})"
        )
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
            if depth > limits.max_depth:
                raise LimitExceeded(
                    f"brackets are nested too deeply (limit {limits.max_depth})", text, i + 1
                )
        elif ch in ")]}":
            depth -= 1


def digits(number) -> float:
    """Approximate decimal digits in the numerator or denominator of an exact rational, whichever is longer."""
    return math.log10(max(abs(number.p), number.q))  # exact enough, and fine for ints of any size


def integer_power_digits(base, exponent: int) -> float:
    """Approximate number of decimal digits of base**exponent (base rational), without computing it."""
    if abs(base.p) <= 1 and base.q == 1:
        return 1.0
    return abs(int(exponent)) * digits(base)


# after the deadline the alarm repeats this often until the block is left: Python drops an
# exception raised where it cannot propagate (a gc callback, a __del__), so one alarm is not enough
_RETRY = 0.05


@contextmanager
def budget(seconds: float):
    """Raise BudgetExceeded in this block after `seconds`, even deep inside sympy.

    Uses a real-time interval timer, so it only interrupts on the main thread
    (where the CLI and batch workers run checks). Elsewhere it cannot preempt
    and falls back to raising once the block ends late. Nested budgets keep the
    earliest deadline.
    """
    if seconds is None or seconds <= 0:
        yield
        return
    start = time.monotonic()
    if threading.current_thread() is not threading.main_thread():
        yield
        if time.monotonic() - start > seconds:
            raise BudgetExceeded(f"took longer than {seconds:g} s")
        return

    inside = [True]

    def on_alarm(signum, frame):
        if inside[0]:
            raise BudgetExceeded(f"took longer than {seconds:g} s")

    outer_remaining, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    outer_handler = signal.signal(signal.SIGALRM, on_alarm)
    first = min(seconds, outer_remaining) if outer_remaining else seconds
    signal.setitimer(signal.ITIMER_REAL, first, _RETRY)
    try:
        yield
    finally:
        inside[0] = False  # first: an alarm arriving during the clean-up must not raise
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_remaining:
            left = outer_remaining - (time.monotonic() - start)
            # the outer budget's handler is back in place; re-arm it (or fire it now)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), outer_interval)
