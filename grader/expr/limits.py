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
    max_factorial: int = 500        # n in n!


DEFAULT_LIMITS = Limits()


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


def integer_power_digits(base: int | float, exponent: float) -> float:
    """Approximate number of decimal digits of base**exponent, without computing it."""
    if base in (0, 1, -1):
        return 1.0
    return abs(exponent) * math.log10(abs(base))


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

    def on_alarm(signum, frame):
        raise BudgetExceeded(f"took longer than {seconds:g} s")

    previous_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    if previous_remaining and previous_remaining < seconds:
        signal.setitimer(signal.ITIMER_REAL, previous_remaining)
    else:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_remaining:
            left = previous_remaining - (time.monotonic() - start)
            # the outer budget's handler is back in place; re-arm it (or fire it now)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))
