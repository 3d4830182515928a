"""What a person reads about a problem: the statement with their numbers, answers, a blank template."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import numpy as np
import sympy as sp

from .check import checker_for
from .check.choice import options
from .expr import render
from .loader import LoadedProblem
from .solve import Variant

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def format_value(value) -> str:
    """Numbers as graded (rounded draws are shown exactly as drawn), arrays as lists, a select-all
    choice's keys as a list of keys."""
    if isinstance(value, sp.Basic):
        return _rendered(value)
    if isinstance(value, (list, tuple, set, frozenset)) and value and all(isinstance(x, str) for x in value):
        return ", ".join(sorted(value))   # the keys of a select-all choice
    if isinstance(value, (list, np.ndarray)):
        array = np.asarray(value, dtype=float)
        return json.dumps(np.vectorize(lambda x: float(f"{x:.6g}"))(array).tolist()) if array.size else "[]"
    if isinstance(value, float):
        return f"{value:.6g}" if value != int(value) or abs(value) >= 1e15 else f"{value:.1f}"
    return str(value)


@lru_cache(maxsize=4096)
def _rendered(value: sp.Basic) -> str:
    """A formula as shown (kept: the same canonical formula is shown to, and checked for, every student)."""
    return render(value)


def fill(text: str, variant: Variant) -> str:
    """`{name}` replaced by this variant's value of that parameter; `{{` and `}}` are literal braces
    (`\\hat{{y}}`); other braces (LaTeX) are left alone. Only parameters are filled: a part's or a
    solver's value in a statement or prompt would give an answer away, wherever the text is shown
    (`grade check` fails such a placeholder)."""
    params = variant.problem.model.params

    def value(match):
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        return format_value(variant.scope[name]) if name in params and name in variant.scope else match.group(0)

    return _PLACEHOLDER.sub(value, text).strip()


def statement(problem: LoadedProblem, variant: Variant) -> str:
    return fill(problem.model.statement, variant)


def show(problem: LoadedProblem, variant: Variant, solution: bool = False) -> str:
    model = problem.model
    who = f"student {variant.student}" if variant.student else "published values"
    lines = [f"{problem.id}: {model.title}  ({who})", "", statement(problem, variant), ""]
    for pid, part in model.parts.items():
        lines.append(f"[{pid}] ({points_text(part.points)}, {part.type}) {fill(part.prompt, variant)}".rstrip())
        lines += checker_for(part.type).shown(part)
        if solution and variant.expected.get(pid) is not None:
            lines.append(f"    answer: {format_value(variant.expected[pid])}")
    return "\n".join(lines).rstrip() + "\n"


def contents(assignment: str, title: str, problems: list) -> str:
    """An assignment's problems, one line each: id, title, parts and points (a broken file: why)."""
    loaded = [p for p in problems if isinstance(p, LoadedProblem)]
    lines = [f"{assignment}{': ' + title if title else ''}  ({len(problems)} problem{'' if len(problems) == 1 else 's'}, "
             f"{sum(len(p.model.parts) for p in loaded)} parts, {points_text(sum(p.model.max_score for p in loaded))})"]
    width = max((len(p.id) for p in loaded), default=0)
    for item in problems:
        if isinstance(item, LoadedProblem):
            lines.append(f"  {item.id:<{width}}  {item.model.title}  "
                         f"({len(item.model.parts)} parts, {points_text(item.model.max_score)})")
        else:
            lines.append(f"  {item.first_line()}")
    return "\n".join(lines) + "\n"


def view(problems: list[LoadedProblem], variants: dict[str, Variant], assignment: str, title: str = "") -> dict:
    """What a student may see of their variant of an assignment: statements and prompts with their
    parameter values, points, choices and the names a formula may use. Nothing else is copied in:
    no canonical answer, mistake, solver value or test can reach a handout built from this."""
    out = []
    for problem in problems:
        model, variant = problem.model, variants[problem.id]
        parts = []
        for pid, part in model.parts.items():
            item = {"id": pid, "type": part.type, "prompt": fill(part.prompt, variant), "points": part.points}
            if part.bonus:
                item["bonus"] = True
            if part.choices:
                item["choices"] = options(part)
            if part.vars:
                item["names"] = list(part.vars)
            parts.append(item)
        out.append({"id": problem.id, "title": model.title, "statement": fill(model.statement, variant),
                    "parts": parts})
    return {"id": assignment, "title": title or assignment, "problems": out,
            "points": sum(problem.model.max_score for problem in problems)}


def _toml_comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.strip().splitlines()] if text.strip() else []


def template(problems: list[LoadedProblem], variants: dict[str, Variant], assignment: str, student: str) -> str:
    """A blank answers file: every part as an empty single-quoted string, with its prompt as a
    comment. Single quotes because in double quotes a backslash is an escape: "\\frac" is a form feed."""
    lines = [f"# Answers for {assignment}. Replace each '' with your answer; leave '' to skip a part.",
             "# Numbers may be written as numbers or as formulas in single quotes: '1/sqrt(13)', '\\frac{1}{2}'",
             "# (in double quotes a backslash starts an escape: \"\\frac\" would be a form feed).",
             f"student = {json.dumps(student)}", f"assignment = {json.dumps(assignment)}"]
    for problem in problems:
        model = problem.model
        lines += ["", f"[{problem.name}]", f"# {model.title}"]
        lines += _toml_comment(statement(problem, variants[problem.id]))
        for pid, part in model.parts.items():
            lines.append(f"# {pid} ({points_text(part.points)}, {part.type})")
            lines += _toml_comment(fill(part.prompt, variants[problem.id]))
            lines += checker_for(part.type).hints(part)
            lines.append(f"{pid if re.fullmatch(r'[A-Za-z0-9_-]+', pid) else json.dumps(pid)} = ''")
    return "\n".join(lines) + "\n"


def points_text(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")
