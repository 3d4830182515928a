"""Parse tree -> sympy objects, one rule at a time, with caps on every number it makes.

Nothing here evaluates text: each tree node maps to a sympy constructor.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy as sp
from lark import Token, Tree
from sympy.calculus.accumulationbounds import AccumBounds
from sympy.matrices.expressions import Identity, MatPow

from . import algebra
from .algebra import PendingIdentity, as_scalar, is_matrix
from .domain import Conditions
from .errors import ExprError, LimitExceeded
from .library import CONSTANT_NAMES, FUNCTIONS, INVERSE, apply, constant
from .limits import Limits, digits, integer_power_digits
from .symbols import SymbolTable, normalize

_TRANSPOSE_MARKS = {"T", "top", "intercal", "mathsf"}
_CHAIN_OPS = {
    "add": algebra.add,
    "sub": lambda a, b: algebra.add(a, algebra.neg(b)),
    "mul": algebra.mul,
    "div": algebra.div,
    "hadamard": algebra.hadamard,
    "implicit_mul": algebra.mul,
}


def _column(node) -> int | None:
    """Where a node starts: its leftmost token (found only when an error needs it)."""
    while isinstance(node, Tree):
        if not node.children:
            return None
        node = node.children[0]
    return node.column if isinstance(node, Token) else None


_UNDEFINED = {sp.zoo, sp.nan, sp.oo, -sp.oo}


def _undefined(value) -> bool:
    """1/0 as it is made: sympy spreads zoo through sums and products (x/0 is zoo*x), and a
    function of it can turn into something else entirely (atan(zoo) is an interval)."""
    if isinstance(value, AccumBounds) or value in _UNDEFINED:
        return True
    return any(arg in _UNDEFINED for arg in getattr(value, "args", ()))


_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")


def _superscript(token) -> sp.Integer:
    return sp.Integer(int(token.value.translate(_SUPERSCRIPT_DIGITS)))


def _ungroup(node):
    while isinstance(node, Tree) and node.data == "group":
        node = node.children[1]
    return node


def _is_bracket(node) -> bool:
    return isinstance(node, Tree) and node.data == "bracket"


def _items(bracket: Tree) -> list:
    """The comma-separated expressions inside `[...]`."""
    return [c for c in bracket.children[1].children if isinstance(c, Tree) or c.type != "COMMA"]


def _is_number_literal(node) -> bool:
    return isinstance(node, Tree) and node.data == "number"


class Builder:
    """Builds one answer. Holds the symbol table, caps and the text for located errors."""

    def __init__(self, table: SymbolTable, limits: Limits, text: str):
        self.table = table
        self.limits = limits
        self.text = text
        self.conditions = Conditions()  # where the answer as written is defined (domain.py)

    def error(self, reason: str, node=None, cls=ExprError) -> ExprError:
        return cls(reason, self.text, _column(node) if node is not None else None)

    def build(self, node):
        if isinstance(node, Token):
            raise self.error(f"unexpected '{node.value}'", node)
        rule = getattr(self, f"rule_{node.data}", None)
        if rule is None:
            raise self.error("this form is not supported", node)
        try:
            value = rule(node)
        except ExprError as error:
            if error.column is None:
                error.text, error.column = self.text, _column(node)
            raise
        except (TypeError, ValueError, AttributeError, sp.matrices.exceptions.ShapeError) as error:
            # sympy refusing a combination (e.g. a matrix inside exp) is the student's input,
            # not a crash
            raise self.error(f"cannot combine these: {error}", node) from None
        if _undefined(value):
            raise self.error("this is undefined (a division by zero, or log of 0)", node)
        self.conditions.note(value)
        return value

    def finish(self, node):
        value = self.build(node)
        if isinstance(value, PendingIdentity):
            raise self.error("cannot tell the size of I here; write it next to a matrix, or I_n")
        for number in value.atoms(sp.Number, type(sp.zoo), type(sp.I)):
            if number in _UNDEFINED:
                raise self.error("this is undefined (a division by zero, or log of 0)")
            if number is sp.I:
                raise self.error("this is not a real number (a square root or log of a negative number)")
            # products of big literals and factorials can grow past what can be printed or compared
            if number.is_Rational and digits(number) > self.limits.max_result_digits:
                raise self.error("a number in this answer is too large to work with", cls=LimitExceeded)
        return value

    # chains: built left to right without recursion, so long sums cannot exhaust the stack
    def _chain(self, node):
        spine = []
        while isinstance(node, Tree) and node.data in _CHAIN_OPS:
            spine.append(node)
            node = node.children[0]
        value = self.build(node)
        for link in reversed(spine):
            left, *rest = link.children
            right = rest[-1]
            if link.data == "implicit_mul" and _is_number_literal(right) and _is_number_literal(left):
                raise self.error("two numbers side by side: put an operator between them", right)
            op = rest[0] if len(rest) == 2 else right
            try:
                operand = self.build(right)
                if link.data == "div":
                    self.conditions.nonzero(operand)
                value = _CHAIN_OPS[link.data](value, operand)
            except ExprError as error:
                if error.column is None:
                    error.text, error.column = self.text, _column(op)
                raise
        return value

    rule_add = rule_sub = rule_mul = rule_div = rule_hadamard = rule_implicit_mul = _chain

    def rule_neg(self, node):
        return algebra.neg(self.build(node.children[-1]))

    def rule_pos(self, node):
        return self.build(node.children[-1])

    def rule_group(self, node):
        return self.build(node.children[1])

    def rule_number(self, node):
        token = node.children[0]
        text = token.value
        mantissa, _, exponent = text.lower().partition("e")
        if sum(ch.isdigit() for ch in mantissa) > self.limits.max_literal_digits:
            raise self.error(f"number has too many digits (limit {self.limits.max_literal_digits})", token, LimitExceeded)
        if exponent and abs(int(exponent)) > self.limits.max_sci_exponent:
            raise self.error("number is too large or too small", token, LimitExceeded)
        value = Fraction(text)
        return sp.Rational(value.numerator, value.denominator)

    def rule_neg_number(self, node):
        return -self.rule_number(Tree("number", [node.children[-1]]))

    # names
    def rule_name(self, node):
        token = node.children[2] if len(node.children) == 4 else node.children[0]
        return self.resolve(token.value, token)

    def rule_hat_name(self, node):
        token = node.children[2]
        return self.resolve(normalize(token.value) + "_hat", token)

    def resolve(self, raw: str, token):
        key = normalize(raw)
        declared = self.table.lookup(key)
        if declared is not None:
            return declared.obj
        value = constant(key)
        if value is not None:
            return value
        if key.startswith("I_") and key[2:] in self.table.dims:
            return Identity(self.table.dims[key[2:]])
        if key.startswith("I_") and key[2:].isdigit() and 0 < int(key[2:]) <= 100:
            return Identity(int(key[2:]))
        pieces = self._split(key)
        if pieces:
            return self._product_of_pieces(pieces)
        raise self.error(self._unknown(key, raw), token)

    def _known_words(self) -> dict[str, str]:
        words = {d_key: "name" for d_key in self.table.names if "_" not in d_key}
        words.update({c: "name" for c in CONSTANT_NAMES if not self.table.shadows(c)})
        words.update({f: "function" for f in FUNCTIONS if not self.table.shadows(f) and f.isalpha()})
        return words

    def _split(self, key: str) -> list[tuple[str, str]] | None:
        """`xy` -> x y and `sinx` -> sin x when every piece is a known word; fewest pieces wins."""
        if not key.isalnum() or len(key) > 40:
            return None
        words = self._known_words()
        best: list = [None] * (len(key) + 1)
        best[0] = []
        for end in range(1, len(key) + 1):
            for start in range(end):
                piece = key[start:end]
                if best[start] is not None and piece in words:
                    candidate = best[start] + [(piece, words[piece])]
                    if best[end] is None or len(candidate) < len(best[end]):
                        best[end] = candidate
        pieces = best[-1]
        return pieces if pieces and len(pieces) > 1 and pieces[-1][1] != "function" else None

    def _product_of_pieces(self, pieces):
        value = None
        for word, what in reversed(pieces):
            if what == "function":
                value = apply(word, [value])
            else:
                item = self.resolve(word, None)
                value = item if value is None else algebra.mul(item, value)
        return value

    def _unknown(self, key: str, raw: str) -> str:
        allowed = self.table.allowed()
        close = [n for n in allowed if n.lower() == key.lower() or n.lower() == key.replace("_", "").lower()]
        hint = f" (did you mean '{close[0]}'? names are case-sensitive)" if close else ""
        base = re.fullmatch(r"log_?(\d+)", key)
        if base and not close:
            hint = f" (a logarithm in base {base[1]} is log(x, {base[1]}))"
        listing = ", ".join(allowed) if allowed else "none: this answer must be a number"
        return f"unknown name '{raw.lstrip(chr(92))}'{hint}; names you can use: {listing}"

    # powers and postfix operators
    def _transpose_mark(self, node) -> bool:
        node = _ungroup(node)
        if not (isinstance(node, Tree) and node.data == "name"):
            return False
        token = node.children[2] if len(node.children) == 4 else node.children[0]
        key = normalize(token.value)
        return key in _TRANSPOSE_MARKS and (key != "T" or self.table.lookup("T") is None)

    def rule_power(self, node):
        base_node, pow_token, exponent_node = node.children
        base = self.build(base_node)
        # `^` is right-associative, so A^T^T and A^T^{-1} arrive as A^(T^...): peel the marks off
        while isinstance(exponent_node, Tree) and exponent_node.data == "power" \
                and self._transpose_mark(exponent_node.children[0]):
            base = algebra.transpose(base)
            _, pow_token, exponent_node = exponent_node.children
        if self._transpose_mark(exponent_node):
            return algebra.transpose(base)
        inner = _ungroup(exponent_node)
        if isinstance(inner, Tree) and inner.data == "neg" and self._transpose_mark(inner.children[-1]):
            base, exponent = algebra.transpose(base), sp.Integer(-1)  # A^{-T} = inv(A^T)
        else:
            exponent = self.build(exponent_node)
        if isinstance(exponent, PendingIdentity):
            raise self.error("I cannot be an exponent", exponent_node)
        self._check_power(base, exponent, pow_token)
        try:
            return self._power(base, exponent, pow_token)
        except ExprError as error:
            error.text, error.column = self.text, _column(pow_token)
            raise

    def _power(self, base, exponent, token):
        value = algebra.power(base, exponent)
        # sympy merges (x^1000)^1000 into x^1000000: hold the merged exponent to the same cap
        if isinstance(value, (sp.Pow, MatPow)) and value.exp.is_Integer and abs(value.exp) > self.limits.max_power:
            raise self.error(f"exponent is too large (limit {self.limits.max_power})", token, LimitExceeded)
        return value

    def _check_power(self, base, exponent, token) -> None:
        exponent = as_scalar(exponent) if is_matrix(exponent) else exponent
        if not getattr(exponent, "is_number", False):
            return
        try:
            magnitude = abs(float(exponent))
        except (TypeError, OverflowError):  # not real, or beyond any float
            magnitude = math.inf
        if magnitude > self.limits.max_power:
            raise self.error(f"exponent is too large (limit {self.limits.max_power})", token, LimitExceeded)
        if getattr(base, "is_Rational", False) and exponent.is_Integer:
            if integer_power_digits(base, exponent) > self.limits.max_result_digits:
                raise self.error("this number is too large to work with", token, LimitExceeded)

    def rule_prime(self, node):
        value = self.build(node.children[0])
        if not is_matrix(value) and not isinstance(value, PendingIdentity):
            raise self.error("' means transpose, and this is not a matrix or vector", node.children[1])
        return algebra.transpose(value)

    def rule_dot_t(self, node):
        return algebra.transpose(self.build(node.children[0]))

    def rule_factorial(self, node):
        value = as_scalar(self.build(node.children[0]))
        return self._factorial(value, node.children[-1])

    def _factorial(self, value, where):
        if value.is_number:
            if not (value.is_Integer and 0 <= value <= self.limits.max_factorial):
                raise self.error(
                    f"factorial needs a whole number from 0 to {self.limits.max_factorial}", where, LimitExceeded
                )
        return sp.factorial(value)

    # functions
    def _function_name(self, func_node) -> str:
        token = func_node.children[2] if len(func_node.children) == 4 else func_node.children[0]
        return normalize(token.value)

    def _arguments(self, node) -> list:
        if isinstance(node, Tree) and node.data == "args":
            return [self.build(c) for c in node.children if isinstance(c, Tree) or c.type not in ("LPAR", "RPAR", "COMMA")]
        return [self.build(node)]

    def rule_call(self, node):
        func_node, arg_node = node.children
        name = self._function_name(func_node)
        args = self._arguments(arg_node)
        if name == "factorial" and len(args) == 1:
            return self._factorial(as_scalar(args[0]), arg_node)
        return apply(name, args)

    def rule_sup_power(self, node):
        """x², A⁻¹, sigma(z)²: a Unicode superscript is an integer exponent."""
        base_node, token = node.children
        exponent = _superscript(token)
        base = self.build(base_node)
        self._check_power(base, exponent, token)
        return self._power(base, exponent, token)

    def rule_call_pow(self, node):
        func_node, pow_token, *rest = node.children
        if pow_token.type == "SUPERSCRIPT":
            index, arg_node = _superscript(pow_token), rest[0]
        else:
            index, arg_node = self.build(rest[0]), rest[1]
        name = self._function_name(func_node)
        args = self._arguments(arg_node)
        if index == -1:
            if name not in INVERSE:
                raise self.error(f"write 1/{name}(...) or ({name}(...))^(-1)", pow_token)
            return apply(INVERSE[name], args)
        if not (index.is_Integer and 0 < index <= 100):
            raise self.error(f"{name}^k needs a small whole number k", pow_token)
        return algebra.power(apply(name, args), index)

    # LaTeX
    def rule_frac(self, node):
        exprs = [c for c in node.children if isinstance(c, Tree) or c.type not in ("FRAC", "LBRACE", "RBRACE")]
        numerator, denominator = self.build(exprs[0]), self.build(exprs[1])
        self.conditions.nonzero(denominator)
        return algebra.div(numerator, denominator)

    def rule_frac_short(self, node):
        """`\\frac12`, `\\frac1x`: LaTeX lets each argument be a single digit or letter."""
        token = node.children[0]
        numerator, denominator = (
            sp.Integer(int(ch)) if ch.isdigit() else self.resolve(ch, token)
            for ch in token.value.partition("frac")[2] if not ch.isspace()
        )
        if denominator == 0:
            raise self.error("division by zero", node)
        return algebra.div(numerator, denominator)

    def rule_nth_root(self, node):
        index = as_scalar(self.build(node.children[1]))
        radicand = as_scalar(self.build(node.children[4]))
        if not (index.is_Integer and 2 <= index <= 100):
            raise self.error("\\sqrt[n]{...} needs a whole number n from 2 to 100", node)
        return radicand ** sp.Rational(1, int(index))

    def rule_abs_bars(self, node):
        return apply("abs", [self.build(node.children[1])])

    def rule_norm_bars(self, node):
        return apply("norm", [self.build(node.children[1])])

    # literal vectors and matrices
    def rule_bracket(self, node):
        items = _items(node)
        if any(_is_bracket(item) for item in items):
            # [[1, 2], [3, 4]]: each inner list is a row
            if not all(_is_bracket(item) for item in items):
                raise self.error("write every row of a literal matrix in brackets: [[1, 2], [3, 4]]", node)
            rows = [[self._entry(self.build(entry), node) for entry in _items(item)] for item in items]
            return self._matrix(rows, node)
        values = [self.build(item) for item in items]
        if len(values) == 1 and not is_matrix(values[0]):
            return values[0]  # [x + 1] is a grouping
        return self._matrix([[self._entry(value, node)] for value in values], node)

    def rule_latex_matrix(self, node):
        rows = []
        for row in node.children[1].children:
            if isinstance(row, Tree):
                rows.append([self._entry(self.build(c), node) for c in row.children if isinstance(c, Tree) or c.type != "AMP"])
        return self._matrix(rows, node)

    def _entry(self, value, node):
        if isinstance(value, PendingIdentity) or (is_matrix(value) and algebra.shape_of(value) != (1, 1)):
            raise self.error("entries of a literal vector or matrix must be scalars", node)
        return as_scalar(value)

    def _matrix(self, rows, node):
        if len({len(r) for r in rows}) != 1:
            raise self.error("rows of a literal matrix must have the same length", node)
        return sp.ImmutableMatrix([[self._entry(e, node) for e in r] for r in rows])
