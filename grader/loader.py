"""TOML files -> models. Every error names the file and line and says what was expected."""

from __future__ import annotations

import os
import re
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .errors import LoadError
from .hints import did_you_mean
from .model import Problem
from .tomlpos import key_lines, line_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_ANSWER_FILE = 1_000_000  # bytes; an answers file is a few kB
MAX_NESTING = 50             # levels of tables and arrays; an answers file needs 4
MAX_NAME = 200               # characters of a student id or an assignment name
TOO_DEEP = f"arrays or tables nested too deeply (over {MAX_NESTING} levels)"


def read_toml(path: Path, limit: int | None = None) -> tuple[dict, str]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LoadError(path, f"cannot read file ({error.strerror or error})") from None
    if limit is not None and len(raw) > limit:
        raise LoadError(path, f"file is too large ({len(raw)} bytes; the limit is {limit})")
    try:
        text = raw.decode("utf-8-sig")  # editors on Windows may start the file with a BOM
    except UnicodeDecodeError as error:
        raise LoadError(path, f"not UTF-8 text (byte {error.start})") from None
    return loads(text, path), text


class WrittenFloat(float):
    """A TOML float that remembers how it was written: `1.50` shows three significant figures
    and `1.40` two decimals, which the float 1.5 or 1.4 has forgotten."""

    text: str

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.text = text.replace("_", "")
        return number

    def __reduce__(self):
        return WrittenFloat, (self.text,)


def loads(text: str, where) -> dict:
    """TOML text -> data; a syntax error names `where` with line and column."""
    try:
        return tomllib.loads(text, parse_float=WrittenFloat)
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_position(error)
        message = str(error).split(" (at line")[0]
        if message.startswith(("Unescaped '\\'", "Invalid hex value")):
            message += _single_quotes(text, line)
        raise LoadError(where, f"TOML syntax error: {message}", line, column) from None
    except RecursionError:  # tomllib recurses once per level, and gives out near 500
        raise LoadError(where, TOO_DEEP) from None
    except ValueError:  # an integer literal past Python's int-from-text limit
        limit = sys.get_int_max_str_digits()
        long = next((m for m in re.finditer(r"\d+", text) if len(m.group()) > limit), None)
        line = text.count("\n", 0, long.start()) + 1 if long else None
        raise LoadError(where, f"a number is too long (over {limit} digits)", line) from None


def _single_quotes(text: str, line: int | None) -> str:
    """In "double quotes" a backslash starts an escape (\\s is an error, \\f a form feed):
    LaTeX belongs in 'single quotes', where a backslash is a backslash."""
    lines = text.splitlines()
    written = lines[line - 1] if line and line <= len(lines) else ""
    found = re.fullmatch(r'\s*([^=\s]+)\s*=\s*"([^"\']*)"\s*(#.*)?', written)
    example = f"{found.group(1)} = '{found.group(2)}'" if found else "'\\sigma(z)'"
    return f": a backslash in \"double quotes\" starts an escape; write LaTeX in single quotes: {example}"


def _toml_position(error) -> tuple[int | None, int | None]:
    lineno = getattr(error, "lineno", None)
    if lineno:
        return lineno, getattr(error, "colno", None)
    found = re.search(r"at line (\d+), column (\d+)", str(error))
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the key at `loc` (loc excludes that key)."""
    current: typing.Any = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(step, str) or step not in current.model_fields:
                return None
            current = current.model_fields[step].annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation):
    """Optional[X] / X | None -> X when exactly one model or container remains."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        containers = [a for a in args if typing.get_origin(a) in (dict, list)]
        picks = models or containers
        return picks[0] if len(picks) == 1 else annotation
    return annotation


def _describe(error: dict, root: type[BaseModel]) -> str:
    loc = tuple(x for x in error["loc"] if isinstance(x, (str, int)))
    kind = error["type"]
    key = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        owner = _model_at(root, loc[:-1])
        hint = did_you_mean(str(key), owner.model_fields if owner else [])
        valid = f"; valid keys: {', '.join(owner.model_fields)}" if owner and not hint else ""
        return f"unknown key '{key}'{hint}{valid}"
    if kind == "missing":
        return f"missing key '{key}'"
    message = error["msg"].removeprefix("Value error, ")
    if "input" in error and kind not in ("value_error",) and not isinstance(error["input"], dict):
        message += f" (got {error['input']!r})"
    return message


def _dotted(loc) -> str:
    out = ""
    for x in loc:
        if isinstance(x, int):
            out += f"[{x}]"
        elif isinstance(x, str):
            out += ("." if out else "") + x
    return out


def validate(path: Path, data: dict, text: str, model: type[BaseModel]):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        index = key_lines(text)
        errors = error.errors()
        lines = [line_of(index, e["loc"]) for e in errors]
        problems = [f"{_dotted(e['loc']) or '(top level)'}: {_describe(e, model)}" for e in errors[:5]]
        raise LoadError(path, "; ".join(problems), next((n for n in lines if n), None)) from None


@dataclass
class LoadedProblem:
    """A problem model with where it came from."""

    id: str
    path: Path
    model: Problem
    text: str = field(repr=False, default="")

    @property
    def assignment(self) -> str:
        return self.id.split("/")[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]


def problem_id(path: Path, root: Path) -> str:
    """problems/hw4/backprop.toml under root problems/ is `hw4/backprop`.

    Paths are compared as written first, so an assignment folder that is a
    symlink (shared between courses) keeps the name it has in the bank.
    """
    try:
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    except ValueError:
        rel = path.resolve().relative_to(root.resolve())
    return rel.with_suffix("").as_posix()


def load_problem(path: Path, root: Path) -> LoadedProblem:
    data, text = read_toml(path)
    model = validate(path, data, text, Problem)
    if model.solver is not None and not (path.parent / model.solver.python).is_file():
        raise LoadError(path, f"solver file '{model.solver.python}' not found beside the problem",
                        line_of(key_lines(text), ("solver", "python")))
    return LoadedProblem(problem_id(path, root), path, model, text)


@dataclass
class Submission:
    """An answers file: who, which assignment, and one table of answers per problem."""

    student: str
    assignment: str
    answers: dict[str, dict]
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)

    def line(self, problem: str, part: str) -> int | None:
        return self.lines.get((problem, part))


def _nesting(data) -> int:
    """How deep tables and arrays go, counted without recursion (dotted keys nest without brackets)."""
    deepest, stack = 0, [(data, 1)]
    while stack and deepest <= MAX_NESTING:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def parse_submission(data: dict, text: str = "", path: Path | None = None) -> Submission:
    where = path or "answers"
    if _nesting(data) > MAX_NESTING:  # every later step (echoes, caches, reports) would recurse into it
        raise LoadError(where, TOO_DEEP)
    missing = [k for k in ("student", "assignment") if k not in data]
    if missing:
        raise LoadError(where, f"missing {' and '.join(repr(k) for k in missing)} at the top of the file")
    for key in ("student", "assignment"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise LoadError(where, f"'{key}' must be a non-empty string", line_of(key_lines(text), (key,)))
        if len(data[key]) > MAX_NAME:  # it heads every report and row
            raise LoadError(where, f"'{key}' is too long ({len(data[key])} characters; the limit is {MAX_NAME})",
                            line_of(key_lines(text), (key,)))
    answers, warnings = {}, []
    for key, value in data.items():
        if key in ("student", "assignment"):
            continue
        if isinstance(value, dict):
            answers[key] = value
        elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            warnings.append(f"[[{key}]] is an array of tables and was ignored: write [{key}] (single brackets)")
        else:
            warnings.append(f"'{key}' is outside any problem table and was ignored"
                            + did_you_mean(key, ("student", "assignment")))
    return Submission(data["student"].strip(), data["assignment"].strip(), answers, path, warnings,
                      key_lines(text) if text else {})


def load_submission(path: Path) -> Submission:
    data, text = read_toml(Path(path), limit=MAX_ANSWER_FILE)
    return parse_submission(data, text, Path(path))
