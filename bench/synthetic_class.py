"""A synthetic class for benchmarks: answers files drawn from realistic forms, per student variant.

Each part of each student gets, by a seeded draw: the canonical answer (55%), an
equivalent but differently written one (20%), a wrong one (15%), an invalid one
(5%), or nothing (5%).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import sympy as sp

from grader.bank import Bank
from grader.expr import render
from grader.check import checker_for
from grader.solve import solve


def equivalent(value, part_type: str):
    """The right answer, written differently."""
    if part_type == "number":
        return f"2*({float(value) / 2!r})"
    if part_type == "integer":
        return f"{int(value) + 7} - 7"
    if part_type == "array":
        return [f"{x!r}*1" for x in np.asarray(value, dtype=float).ravel().tolist()] \
            if np.asarray(value).ndim == 1 else np.asarray(value).tolist()
    if part_type == "expression":
        if getattr(value, "is_Matrix", False):
            return f"(({render(value)})^T)^T"
        return render(sp.expand(value))
    return value


INVALID = {"number": "2 +* 3", "integer": "1/3", "array": [1, [2]], "expression": "((x", "choice": "zzz"}


def toml_value(value) -> str:
    return json.dumps(value)


def make_class(bank_root: Path, assignment: str, out: Path, students: int, seed: int = 0) -> list[Path]:
    bank = Bank(bank_root)
    problems = [p for p in bank.assignment(assignment)]
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(students):
        student = f"student{i:04d}"
        rng = random.Random(f"{seed}/{student}")
        lines = [f'student = "{student}"', f'assignment = "{assignment}"']
        for problem in problems:
            variant = solve(problem, bank.variant_of(assignment, student))
            lines.append(f"[{problem.name}]")
            for pid, part in problem.model.parts.items():
                if part.type == "text":
                    lines.append(f'{pid} = "an explanation"')
                    continue
                expected = variant.expected[pid]
                right, perturbed, negated = checker_for(part.type).forms(expected, part) \
                    if part.type != "choice" else (expected, "zzz", None)
                roll = rng.random()
                if roll < 0.55:
                    value = right
                elif roll < 0.75:
                    value = equivalent(expected, part.type)
                elif roll < 0.90:
                    value = negated if negated is not None and rng.random() < 0.5 else perturbed
                elif roll < 0.95:
                    value = INVALID.get(part.type, "?")
                else:
                    continue
                if value is None:
                    continue
                lines.append(f"{pid} = {toml_value(value)}")
        path = out / f"{student}.toml"
        path.write_text("\n".join(lines) + "\n")
        files.append(path)
    return files
