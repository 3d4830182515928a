"""Text -> lark parse tree, with size caps first and errors that point into the student's text."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .errors import ExprError, LimitExceeded
from .limits import Limits, check_text

_GRAMMAR = (files("grader.expr") / "grammar.lark").read_text(encoding="utf-8")

# left operands of these rules are the same chain, so they do not add nesting depth
_CHAINS = {"add", "sub", "mul", "div", "hadamard", "implicit_mul"}

_TOKEN_WORDS = {
    "RPAR": "')'", "RBRACE": "'}'", "RBRACK": "']'", "LPAR": "'('", "COMMA": "','",
    "PLUS": "'+'", "MINUS": "'-'", "TIMES": "'*'", "DIVIDE": "'/'", "POW": "'^'",
    "PRIME": "\"'\"", "BANG": "'!'", "AMP": "'&'", "ABS_CLOSE": "'|'",
}

_UNICODE_FUNCS = {"sigma": "\u03c3"}


@lru_cache(maxsize=32)
def grammar_parser(functions: frozenset[str]) -> Lark:
    """One LALR parser per set of function names (declared names shadow built-ins)."""
    names = sorted(functions, key=lambda n: (-len(n), n))
    words = "|".join(re.escape(n) for n in names)
    extra = "".join(_UNICODE_FUNCS[n] for n in names if n in _UNICODE_FUNCS)
    pattern = rf"\\?(?:{words})(?![A-Za-z0-9_\u0370-\u03ff])"
    if extra:
        pattern = rf"(?:{pattern}|[{extra}](?![A-Za-z0-9_\u0370-\u03ff]))"
    return Lark(
        _GRAMMAR.replace("%FUNCS%", pattern),
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
    )


def _check_brackets(text: str) -> None:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in "([{":
            stack.append((ch, i))
        elif ch in pairs:
            if not stack or stack[-1][0] != pairs[ch]:
                raise ExprError(f"unmatched '{ch}'", text, i + 1)
            stack.pop()
    if stack:
        ch, i = stack[-1]
        raise ExprError(f"'{ch}' is never closed", text, i + 1)


def _translate(error: UnexpectedInput, text: str) -> ExprError:
    if isinstance(error, UnexpectedCharacters):
        ch = text[error.pos_in_stream] if error.pos_in_stream < len(text) else "?"
        hint = {
            "=": " (write only the right-hand side)",
            ":": "", ";": "", "$": " (leave out the $ signs)", "_": " (a subscript needs a name before it)",
            "|": " (write abs(x) for an absolute value)",
        }.get(ch, "")
        return ExprError(f"unexpected character '{ch}'{hint}", text, error.column)
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        return ExprError("the expression ends too early", text, len(text) + 1)
    token = error.token
    word = _TOKEN_WORDS.get(token.type, f"'{token.value}'")
    if token.type == "FUNC":
        reason = f"'{token.value}' is a function: give it an argument, e.g. {token.value}(x)"
    elif token.type == "NUMBER":
        reason = f"unexpected number {token.value}"
    else:
        reason = f"unexpected {word}"
    return ExprError(reason, text, token.column)


def _check_tree(tree: Tree, text: str, limits: Limits) -> None:
    """Count nodes and nesting without recursion, before anything is built."""
    nodes = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            raise LimitExceeded(f"expression is too large (over {limits.max_nodes} parts)")
        if depth > 2 * limits.max_depth:
            raise LimitExceeded(f"expression is nested too deeply (limit {limits.max_depth})")
        if isinstance(node, Tree):
            for i, child in enumerate(node.children):
                same_chain = i == 0 and node.data in _CHAINS
                stack.append((child, depth if same_chain else depth + 1))


def parse_tree(text: str, functions: frozenset[str], limits: Limits) -> Tree:
    check_text(text, limits)
    if not text.strip():
        raise ExprError("the answer is empty")
    _check_brackets(text)
    try:
        tree = grammar_parser(functions).parse(text)
    except UnexpectedInput as error:
        raise _translate(error, text) from None
    _check_tree(tree, text, limits)
    return tree
