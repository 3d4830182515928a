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
from sympy.matrices.expressions import HadamardPower, Identity, MatPow, Trace

from . import algebra
from .algebra import PENDING, PendingIdentity, PendingOnes, as_scalar, is_matrix, shape_of
from .domain import Conditions
from .errors import ExprError, LimitExceeded
from .library import CONSTANT_NAMES, FUNCTIONS, INVERSE, apply, constant
from .limits import Limits, digits, integer_power_digits
from .symbols import GREEK_WORDS, SymbolTable, normalize

_RADICALS = {"\u221a", "\u221b"}  # √, ∛
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
    """x², x⁻¹, and x²⁺¹ as it shows: the terms of a run of superscripts are added (x³)."""
    return sp.Integer(sum(int(term) for term in re.findall(r"[+-]?\d+", token.value.translate(_SUPERSCRIPT_DIGITS))))


def _last_token(node) -> str:
    while isinstance(node, Tree) and node.children:
        node = node.children[-1]
    return node.value if isinstance(node, Token) else ""


def _end_token(node) -> Token | None:
    while isinstance(node, Tree) and node.children:
        node = node.children[-1]
    return node if isinstance(node, Token) else None


def _signed(node) -> tuple:
    """`-2x` as (2x, 1): what the signs in front of it hold, and how many of them are minus."""
    negations = 0
    while isinstance(node, Tree) and node.data in ("neg", "pos"):
        negations += node.data == "neg"
        node = node.children[-1]
    return node, negations


def _unsigned(node):
    """-1 and +1 as 1: an index typed in code may count from the end."""
    return _signed(node)[0]


def _first_token(node) -> Token | None:
    while isinstance(node, Tree) and node.children:
        node = node.children[0]
    return node if isinstance(node, Token) else None


def _brace_group(node) -> bool:
    return isinstance(node, Tree) and node.data == "group" and node.children[0].type == "LBRACE"


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


def _fraction_digits(node) -> tuple[int, int] | None:
    """`\\frac{1}{2}`, `\\frac12` of two whole numbers, as (1, 2); None for any other node."""
    if isinstance(node, Tree) and node.data == "frac_short":
        chars = [c for c in node.children[0].value.partition("frac")[2] if not c.isspace()]
        return (int(chars[0]), int(chars[1])) if "".join(chars).isdigit() else None
    if isinstance(node, Tree) and node.data == "frac":
        parts = [_ungroup(c) for c in node.children if isinstance(c, Tree)]
        if all(_is_number_literal(p) and p.children[0].value.strip().isdigit() for p in parts):
            return int(parts[0].children[0].value), int(parts[1].children[0].value)
    return None


def _is_one(node) -> bool:
    """The literal 1, as in `1^T`: the all-ones vector, not the number."""
    return _is_number_literal(node) and node.children[0].value.strip() == "1"


def _plain_name(node) -> str | None:
    """The lookup key of a bare name (`xy`, `TX`), not one wrapped in \\mathbf{} or a hat."""
    if isinstance(node, Tree) and node.data == "name" and len(node.children) == 1:
        return normalize(node.children[0].value)
    return None


def _braced(node) -> bool:
    """A group written with LaTeX braces, `{x}`: in LaTeX it is one complete argument."""
    return isinstance(node, Tree) and node.data == "group" and node.children[0].value.strip() == "{"


def _braced_power(node) -> bool:
    """`{x}^2` or `{x}²`."""
    return isinstance(node, Tree) and node.data in ("power", "sup_power") and _braced(node.children[0])


def _factors(node) -> list:
    """The factors of a juxtaposition `a b c`, left to right."""
    factors = []
    while isinstance(node, Tree) and node.data == "implicit_mul":
        factors.append(node.children[-1])
        node = node.children[0]
    return [node, *reversed(factors)]


def _braced_call(node) -> list | None:
    """`\\sqrt{2} x` as [\\sqrt{2}, x]: LaTeX braces close a function's argument; None otherwise."""
    if not (isinstance(node, Tree) and node.data == "call"):
        return None
    func_node, arg_node = node.children
    first, *others = _factors(arg_node)
    if others and (_braced(first) or _braced_power(first)):
        return [Tree("call", [func_node, first]), *others]
    return None


def _read_factors(node) -> list:
    """The factors of a juxtaposition as read, `1/\\sqrt{2} x` included."""
    first, *others = _factors(node)
    return [*(_braced_call(first) or [first]), *others]


_DOT_SIGNS = {"\\cdot", "\u00b7", "\u22c5", "\u2219"}
_ACCENTS = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde", "bar": "bar", "overline": "bar"}


class Builder:
    """Builds one answer. Holds the symbol table, caps and the text for located errors.

    `division_first` reads `1/K (y - t)` as (1/K)(y - t) rather than 1/(K (y - t)); a build
    notes in `ambiguous` whether the text had such a division, so the caller can try both,
    and in `splits` every glued word it split into names (`kk` -> k k).
    """

    def __init__(self, table: SymbolTable, limits: Limits, text: str, division_first: bool = False):
        self.table = table
        self.limits = limits
        self.text = text
        self.division_first = division_first
        self.ambiguous = False
        self.splits: list[tuple[str, tuple[str, ...]]] = []
        self.index: str | None = None  # inside \\sum_i: v_i names the vector v, entry by entry
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
        except (TypeError, ValueError, AttributeError, sp.matrices.exceptions.ShapeError):
            # sympy refusing a combination (e.g. a matrix inside exp) is the student's input,
            # not a crash; its message names sympy's classes, which mean nothing to a student
            raise self.error("these cannot be combined (a vector or matrix where a number belongs?)", node) from None
        if _undefined(value):
            raise self.error("this is undefined (a division by zero, or log of 0)", node)
        self.conditions.note(value)
        return value

    def finish(self, node):
        value = self.build(node)
        if isinstance(value, PendingIdentity):
            raise self.error("cannot tell the size of I here; write it next to a matrix, or I_n")
        if isinstance(value, PendingOnes):
            raise self.error("cannot tell the length of the all-ones vector here; write it next to a vector or matrix")
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
            self._check_mixed_number(link, left, right)
            self._check_index(link, left, right)
            self._check_digit_brackets(link, left, right)
            self._check_signed_e(link, left, right)
            op = rest[0] if len(rest) == 2 else right
            self._check_loose_exponent(link, left, right)
            try:
                juxtaposition, negations = _signed(right)  # 1/-2x reads two ways as 1/2x does
                if link.data == "div" and len(_read_factors(juxtaposition)) > 1:
                    self.ambiguous = True
                    if self.division_first:
                        value = self._divide_then_multiply(value, juxtaposition)
                        value = algebra.neg(value) if negations % 2 else value
                        continue
                if link.data == "mul" and op.value in _DOT_SIGNS:
                    value = self._dot_or_mul(value, self.build(right))
                    continue
                if self.index is not None and link.data in ("mul", "implicit_mul", "div"):
                    value = self._entrywise(link.data, value, self.build(right))
                    continue
                operand = self.build(right)
                if link.data == "div":
                    self.conditions.nonzero(operand)
                value = _CHAIN_OPS[link.data](value, operand)
            except ExprError as error:
                if error.column is None:
                    error.text, error.column = self.text, _column(op)
                raise
        return value

    def _check_index(self, link, left, right) -> None:
        """`x[1]` glued to a name that has no entries to pick (a declared vector, a scalar) is an
        index as typed in code, not x times the number 1: refused rather than read as x."""
        if link.data != "implicit_mul" or not (isinstance(right, Tree) and right.data == "bracket"):
            return
        if not all(_is_number_literal(_unsigned(_ungroup(item))) for item in _items(right)):
            return
        last = left
        while isinstance(last, Tree) and last.data == "implicit_mul":
            last = last.children[-1]
        first, bracket = _first_token(last), right.children[0]
        if not (isinstance(last, Tree) and last.data == "name") or _end_token(last).end_pos != bracket.start_pos:
            return
        name = self.text[first.start_pos:bracket.start_pos]
        raise self.error(f"{name}{self.text[bracket.start_pos:right.children[-1].end_pos]} looks like an entry "
                         f"picked out of {name}, which cannot be done here: write the entry's own name if it has "
                         f"one, or * to multiply", bracket)

    def _check_signed_e(self, link, left, right) -> None:
        """`2e-3x` is 0.002·x in code and 2e - 3x in a calculus answer: a number in e-notation with
        a sign, glued to a name, is refused with both readings."""
        last = left
        while isinstance(last, Tree) and last.data == "implicit_mul":
            last = last.children[-1]
        if link.data != "implicit_mul" or not _is_number_literal(last):
            return
        number, first = last.children[0], _first_token(right)
        written = re.fullmatch(r"(.*?)([eE])([+-])(\d+)", number.value)
        if written and first is not None and first.type in ("NAME", "FUNC") and first.start_pos == number.end_pos:
            mantissa, e, sign, digits = written.groups()
            raise self.error(f"{number.value}{first.value} is ambiguous: write {mantissa}*10^({sign}{digits}) {first.value} "
                             f"for the power of ten, or {mantissa}{e} {sign} {digits}{first.value} with spaces", number)

    def _check_digit_brackets(self, link, left, right) -> None:
        """`1.23(4)` is a value with its uncertainty (1.23 ± 0.04) or a repeating decimal in print,
        never 1.23·4: a decimal with a whole number in brackets glued to it is refused."""
        if link.data != "implicit_mul" or not _is_number_literal(left) or "." not in left.children[0].value:
            return
        if not (isinstance(right, Tree) and right.data == "group" and right.children[0].type == "LPAR"):
            return
        inner = right.children[1]
        if _is_number_literal(inner) and inner.children[0].value.isdigit() \
                and left.children[0].end_pos == right.children[0].start_pos:
            written = self.text[left.children[0].start_pos:right.children[-1].end_pos]
            raise self.error(f"{written} may be an uncertainty or a repeating decimal: write the value alone, "
                             f"or * to multiply", right)

    def _check_mixed_number(self, link, left, right) -> None:
        """LaTeX shows `2\\frac{1}{2}` as 2½, a mixed number, but it is also 2·½ left unsimplified:
        a whole number before a fraction of whole numbers is refused, as `3 1/2` is."""
        fraction = _fraction_digits(right)
        if link.data != "implicit_mul" or fraction is None or not _is_number_literal(left) \
                or not left.children[0].value.strip().isdigit():
            return
        whole, (n, d) = int(left.children[0].value), fraction
        raise self.error(f"{whole} before the fraction {n}/{d} reads as the mixed number {whole * d + n}/{d} or as "
                         f"the product {whole}·{n}/{d}: write {whole * d + n}/{d} or {whole} \\cdot \\frac{{{n}}}{{{d}}}",
                         right)

    def _check_loose_exponent(self, link, left, right) -> None:
        """`x^1/2`, `x^-1/2` (a root, or x/2?) and `e^-2x`, `e^2x` (e^(-2x), or e^(-2)·x?): an unbraced
        exponent of 1 before `/`, or a number exponent glued to what follows (a signed one, or any one
        of e or of a number), is refused."""
        if link.data not in ("div", "implicit_mul"):
            return
        last = left
        while isinstance(last, Tree) and last.data in ("implicit_mul", "mul", "neg", "pos"):
            last = last.children[-1]
        if not (isinstance(last, Tree) and last.data == "power"):
            return
        exponent = last.children[2]
        signed = isinstance(exponent, Tree) and exponent.data in ("neg", "pos")
        number = exponent.children[-1] if signed else exponent
        if not _is_number_literal(number):
            return
        digits = number.children[0]
        sign = exponent.children[0].value if signed else ""
        # (a series term x^1/1! or x^1/factorial(1) is a division: only a bare number reads as a root,
        # whatever follows it: x^1/2y is no more x/(2y) than x^1/2 is x/2)
        divisor = _factors(right)[0]
        if link.data == "div" and digits.value == "1" and _is_number_literal(divisor):
            power = f"{sign}1/{divisor.children[0].value}"
            raise self.error(f"^{power} is ambiguous: write ^({power}) for the power {power}, or put the power "
                             f"in brackets before dividing", last.children[1])
        first = _first_token(right)
        # a monomial x^2y is x² y, but an exponential's e^2x or 2^3x is as often e^(2x) as e^2 x
        exponential = _is_number_literal(last.children[0]) or (
            _plain_name(last.children[0]) == "e" and "e" not in self.table.names)
        if link.data == "implicit_mul" and (signed or exponential) and first is not None \
                and first.start_pos == digits.end_pos:
            number, glued = f"{sign}{digits.value}", first.value
            raise self.error(f"the exponent {number} glued to '{glued}' is ambiguous: put the whole exponent in "
                             f"brackets, ^({number}{glued}...) if '{glued}' belongs to it, ^({number}) {glued} "
                             f"if not", last.children[1])

    rule_add = rule_sub = rule_mul = rule_div = rule_hadamard = rule_implicit_mul = _chain

    def rule_index_sum(self, node):
        """`\\sum_i x_i y_i`: the summand is built entry by entry over declared vectors, then summed."""
        token = node.children[0]
        index = re.search(r"_\s*\{?\s*([A-Za-z])", token.value)[1]
        if self.index is not None:
            raise self.error("a sum inside a sum is not supported: write it with vectors and matrices", token)
        self.index = index
        try:
            summand = self.build(node.children[1])
        finally:
            self.index = None
        if not is_matrix(summand) or shape_of(summand)[1] != 1:
            raise self.error(f"the sum over {index} needs an indexed vector such as v_{index} in it", token)
        return apply("sum", [summand])

    def _entrywise(self, op: str, a, b):
        """Inside a sum over an index, x_i y_i and x_i / y_i are products of entries."""
        if not (is_matrix(a) and is_matrix(b) and shape_of(a) == shape_of(b)):
            return _CHAIN_OPS[op](a, b)
        if op == "div":
            raise self.error("inside a sum, divide only by numbers: write x_i / y_i as a product with "
                             "the entries of another vector")
        return algebra.hadamard(a, b)

    def _entry_power(self, vector, exponent):
        """x_i^k inside a sum over i, or x.^k: each entry raised to a whole k."""
        if not (exponent.is_Integer and 0 < exponent <= self.limits.max_power):
            raise self.error("raise entries only to whole powers, as in x_i^2 inside a sum or x.^2")
        return HadamardPower(vector, exponent)

    def _divide_then_multiply(self, value, juxtaposition):
        """`1/K (y - t)` read as (1/K)(y - t): the division takes the first factor only."""
        first, *others = _read_factors(juxtaposition)
        divisor = self.build(first)
        self.conditions.nonzero(divisor)
        value = algebra.div(value, divisor)
        for factor in others:
            value = algebra.mul(value, self.build(factor))
        return value

    @staticmethod
    def _dot_or_mul(a, b):
        """`x \\cdot y` between two vectors of one length is their dot product, as in print."""
        if is_matrix(a) and is_matrix(b) and shape_of(a) == shape_of(b) and 1 in shape_of(a) \
                and shape_of(a) != (1, 1):
            return algebra.mul(algebra.transpose(a), b) if shape_of(a)[1] == 1 else algebra.mul(a, algebra.transpose(b))
        return algebra.mul(a, b)

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

    def rule_entry(self, node):
        """`h[2]`, `W[1, 2]`, `h_2`: one entry of an array part or parameter, counted from 1 as a
        statement counts; the lexer makes an INDEX only after such a name."""
        base_node, token = node.children
        base = self.build(base_node)
        name = _plain_name(base_node) or getattr(base, "name", None) or "the array"
        rows, cols = (int(n) for n in base.shape)
        written = token.value
        numbers = [int(n) for n in written.lstrip("_").split(",")]
        if written.startswith("_") and cols > 1:  # W_12: row 1, column 2, when each is one digit
            numbers = [int(d) for d in written[1:]] if len(written) == 3 else numbers
        shown = f"{name}_{written[1:]}" if written.startswith("_") else f"{name}[{', '.join(map(str, numbers))}]"
        if cols == 1 and len(numbers) == 2 and numbers[1] == 1:
            numbers = numbers[:1]
        if len(numbers) != (1 if cols == 1 else 2):
            size = f"a vector of {rows}" if cols == 1 else f"a {rows} x {cols} matrix"
            how = f"{name}[i]" if cols == 1 else f"{name}[i, j]"
            raise self.error(f"{shown}: {name} is {size}; write an entry as {how}", token)
        limits = (rows,) if cols == 1 else (rows, cols)
        if any(not 1 <= n <= top for n, top in zip(numbers, limits)):
            size = f"{rows} entries" if cols == 1 else f"{rows} rows and {cols} columns"
            raise self.error(f"{shown} is out of range: {name} has {size} (counted from 1)", token)
        return base[numbers[0] - 1, numbers[1] - 1 if cols > 1 else 0]

    def rule_hat_name(self, node):
        accent, token = normalize(node.children[0].value), node.children[2]
        return self.resolve(normalize(token.value) + "_" + _ACCENTS[accent], token)

    def rule_ones(self, node):
        """`\\mathbf{1}` is the all-ones vector, `\\mathbf{0}` a zero."""
        digit = node.children[2].value.strip()
        if digit not in ("0", "1"):
            raise self.error(f"\\mathbf{{{digit}}} is not a vector this language knows: "
                             f"\\mathbf{{1}} is the all-ones vector", node)
        return PendingOnes() if digit == "1" else sp.Integer(0)

    def _lookup(self, key: str):
        """What a whole name stands for, or None: declared names first, then dimension sizes,
        built-in constants, `ones` and sized identities."""
        declared = self.table.lookup(key)
        if declared is None and key in ("l", "ell"):  # ℓ arrives as l, \ell spells it: one letter
            declared = self.table.lookup("ell" if key == "l" else "l")
        if declared is not None:
            return declared.obj
        if key in self.table.dims:
            return self.table.dims[key]  # a dimension is also a number: 2 n, with x a vector(n)
        value = constant(key)
        if value is not None:
            return value
        if key == "ones":
            return PendingOnes()
        if key.startswith("I_") and key[2:] in self.table.dims:
            return Identity(self.table.dims[key[2:]])
        if key.startswith("I_") and key[2:].isdigit() and 0 < int(key[2:]) <= 100:
            return Identity(int(key[2:]))
        return None

    def resolve(self, raw: str, token):
        key = normalize(raw)
        if self.index is not None and key.endswith("_" + self.index):
            vector = self.table.lookup(key[:-len(self.index) - 1])
            if vector is not None and vector.kind == "vector":
                return vector.obj
        value = self._lookup(key)
        if value is not None:
            return value
        pieces = self._split(key)
        command = re.match(r"\\([A-Za-z]+)", raw.strip())
        if pieces and command and not pieces[0][0].startswith(command[1]):
            pieces = None  # a LaTeX command is one word: \ell is never e l l
        if pieces:
            return self._product_of_pieces(pieces)
        raise self.error(self._unknown(key, raw), token)

    def _glued(self, node) -> list | None:
        """The words of a glued name such as `xy` in `4xy^2`, or None for anything else."""
        key = _plain_name(node)
        return None if key is None or self._lookup(key) is not None else self._split(key)

    def _postfixed(self, base_node, operation):
        """A power, transpose, prime or factorial binds the last word of a glued name only:
        `4xy^2` is 4 x y^2, `ab^T` is a b^T, `xe^x` is x e^x."""
        pieces = self._glued(base_node)
        if not pieces:
            return operation(self.build(base_node))
        *head, (last, _) = pieces
        return self._product_of_pieces(head, operation(self.resolve(last, base_node.children[0])))

    def _known_words(self) -> dict[str, str]:
        words = {d_key: "name" for d_key in self.table.names}
        words.update({d: "name" for d in self.table.dims if d not in words})
        words.update({c: "name" for c in CONSTANT_NAMES if not self.table.shadows(c)})
        words.update({f: "function" for f in FUNCTIONS if not self.table.shadows(f) and f.isalpha()})
        return words

    def _split(self, key: str) -> list[tuple[str, str]] | None:
        """`xy` -> x y and `sinx` -> sin x when every piece is a known word; fewest pieces wins."""
        if not re.fullmatch(r"[A-Za-z0-9_]{2,40}", key) or key in GREEK_WORDS:
            return None  # an undeclared eta is an unknown name, not e t a
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
        if not pieces or len(pieces) < 2 or pieces[-1][1] == "function":
            return None
        self.splits.append((key, tuple(word for word, _ in pieces)))
        return pieces

    def _product_of_pieces(self, pieces, tail=None):
        value = tail
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
        if re.fullmatch(r"[xX](10)?", key) and re.search(r"\d\s*[xX]\s*10", self.text):
            hint = " (x is no times sign: write 6.02*10^23 or 6.02e23)"
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

    def _glued_transpose(self, node):
        """The rest of `X^TX`, `x^Ty`, `w^Tx`: a transpose mark glued to the next factor's name."""
        node = _ungroup(node)
        key = _plain_name(node)
        if key is None or len(key) < 2 or key[0] != "T" or self.table.lookup("T") is not None \
                or self._lookup(key) is not None:
            return None
        rest = key[1:]
        if self._lookup(rest) is None and not self._split(rest):
            return None
        return self.resolve(rest, node.children[0])

    def _layer_index(self, base_node, exponent_node):
        """`W^{[1]}`, `a^{[2]}`: deep-learning notation for the layer, read as the name W_1 (a power
        is never written in square brackets)."""
        index, stem = _ungroup(exponent_node), _plain_name(base_node)
        items = _items(index) if _is_bracket(index) and stem is not None else []
        inner = exponent_node.children[1] if _brace_group(exponent_node) else None
        if stem not in (None, "e") and isinstance(inner, Tree) and inner.data == "group" \
                and inner.children[0].type == "LPAR":
            items = [inner.children[1]]  # W^{(1)}, y^{(i)}: LaTeX's example or layer index, not a power
        if len(items) != 1:
            return None
        layer = _plain_name(items[0]) or (items[0].children[0].value if _is_number_literal(items[0]) else None)
        if layer is None:
            return None
        name = f"{stem}_{layer}"
        if self.table.lookup(name) is None:
            raise self.error(f"a layer index such as ^{{[1]}} (or an example index ^{{(1)}}) names {name}, which "
                             f"this answer does not have (a power is x^2 or x^{{2}}); "
                             f"names you can use: {', '.join(self.table.allowed()) or 'none'}", base_node)
        return self.table.lookup(name).obj

    def rule_power(self, node):
        base_node, pow_token, exponent_node = node.children
        layer = self._layer_index(base_node, exponent_node)
        if layer is not None:
            return layer
        if _is_one(base_node):
            marks = self._transpose_mark(exponent_node) or self._glued_transpose(exponent_node) is not None
            if marks:  # 1^T: the all-ones row vector, sized by what it multiplies
                return self._raise(PendingOnes(), pow_token, exponent_node)
        return self._postfixed(base_node, lambda base: self._raise(base, pow_token, exponent_node))

    def _trailing_transpose(self, node):
        """`A^{-1}^T`, `A^{-1}.T`, `A^{-1}'`, `A^{-1}ᵀ` arrive as A^((-1)^T): a transpose of the
        exponent means nothing, so it is the power's. Returns the exponent without it, or None."""
        if not isinstance(node, Tree):
            return None
        if node.data == "power" and self._transpose_mark(node.children[2]):
            return node.children[0]
        if node.data in ("dot_t", "prime"):
            return node.children[0]
        if node.data in ("neg", "pos"):
            inner = self._trailing_transpose(node.children[-1])
            return None if inner is None else Tree(node.data, [*node.children[:-1], inner])
        return None

    def _raise(self, base, pow_token, exponent_node):
        if pow_token.value == ".^" and is_matrix(base):  # MATLAB's x.^2: each entry squared
            return self._entry_power(base, as_scalar(self.build(exponent_node)))
        if isinstance(exponent_node, Tree) and exponent_node.data == "power":
            rest = self._glued_transpose(exponent_node.children[0])
            if rest is not None:  # A^TA^{-1}: (A^T) (A^{-1}), as X^TX is (X^T) X
                _, token, power = exponent_node.children
                return algebra.mul(algebra.transpose(base), self._raise(rest, token, power))
        raised, _ = _signed(exponent_node)
        if isinstance(raised, Tree) and raised.data == "power" and self._glued(raised.children[0]):
            # e^xe^y: the glued exponent xe raised again reads as e^x e^y far more often than as a tower
            written = self.text[_first_token(raised).start_pos:_end_token(raised).end_pos]
            raise self.error(f"^{written} is ambiguous: write ^({written}) if all of it is the exponent, or a "
                             f"space where the exponent ends, as in e^x e^y", pow_token)
        stripped = self._trailing_transpose(exponent_node)
        if stripped is not None:
            value = self._raise(base, pow_token, stripped)
            if not is_matrix(value) and not isinstance(value, PENDING) and "'" in _last_token(exponent_node):
                raise self.error("' means transpose, and this is not a matrix or vector", pow_token)
            return algebra.transpose(value)
        # `^` is right-associative, so A^T^T and A^T^{-1} arrive as A^(T^...): peel the marks off
        while isinstance(exponent_node, Tree) and exponent_node.data == "power" \
                and self._transpose_mark(exponent_node.children[0]):
            base = algebra.transpose(base)
            _, pow_token, exponent_node = exponent_node.children
        if self._transpose_mark(exponent_node):
            return algebra.transpose(base)
        rest = self._glued_transpose(exponent_node)
        if rest is not None:
            return algebra.mul(algebra.transpose(base), rest)
        inner = _ungroup(exponent_node)
        if isinstance(inner, Tree) and inner.data == "neg" and self._transpose_mark(inner.children[-1]):
            base, exponent = algebra.transpose(base), sp.Integer(-1)  # A^{-T} = inv(A^T)
        else:
            exponent = self.build(exponent_node)
        if isinstance(exponent, PendingIdentity):
            raise self.error("I cannot be an exponent", exponent_node)
        self._check_power(base, exponent, pow_token)
        if self.index is not None and is_matrix(base) and shape_of(base)[1] == 1 and not is_matrix(exponent):
            return self._entry_power(base, exponent)
        if pow_token.value == "**" and is_matrix(base) and shape_of(base) != (1, 1):
            raise self.error("** on a matrix is the matrix power in math but entry by entry in numpy: write "
                             "A^2 (or A @ A) for the power, A.^2 (or A \\odot A) for the entries", pow_token)
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
        def prime(value):
            if not is_matrix(value) and not isinstance(value, PENDING):
                raise self.error("' means transpose, and this is not a matrix or vector", node.children[1])
            return algebra.transpose(value)

        return self._postfixed(node.children[0], prime)

    def rule_dot_t(self, node):
        return self._postfixed(node.children[0], algebra.transpose)

    def rule_factorial(self, node):
        if isinstance(node.children[0], Tree) and node.children[0].data == "factorial":
            raise self.error("n!! is the double factorial (5!! = 5·3·1): write it out, or (n!)! for the "
                             "factorial of a factorial", node.children[-1])
        return self._postfixed(node.children[0], lambda value: self._factorial(as_scalar(value), node.children[-1]))

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
            return [self.build(c) for c in node.children if isinstance(c, Tree)]
        return [self.build(node)]

    def rule_call(self, node):
        func_node, arg_node = node.children
        # LaTeX braces close the argument: \\sqrt{5} x, \\sqrt{x}^2, sympy's \\log{\\left(x \\right)}^{2}
        split = _braced_call(node)
        if split:
            value = self.build(split[0])
            for factor in split[1:]:
                value = algebra.mul(value, self.build(factor))
            return value
        if _braced_power(arg_node):
            call = Tree("call", [func_node, arg_node.children[0]])
            return self.build(Tree(arg_node.data, [call, *arg_node.children[1:]]))
        symbol = func_node.children[0]
        if isinstance(symbol, Token) and symbol.value in _RADICALS and isinstance(arg_node, Tree) \
                and arg_node.data == "implicit_mul":
            # pasted √ has lost its bar: Word reads √2 x as √2·x, `sin 2x` habits as √(2x)
            r = symbol.value
            raise self.error(f"{r} without brackets is ambiguous here: put brackets around what is under the "
                             f"root, {r}(a b) for the root of the product or ({r}a) b", symbol)
        self._check_bracket_after_bare(symbol, arg_node)
        name = self._function_name(func_node)
        args = self._arguments(arg_node)
        if name == "factorial" and len(args) == 1:
            return self._factorial(as_scalar(args[0]), arg_node)
        return apply(name, args)

    def _check_bracket_after_bare(self, symbol, arg_node) -> None:
        """`sin x (1 + x)`, `sigma z (1 - sigma z)`: a bracket after an unbracketed argument is read
        inside it as often as outside (sin 2x is sin(2x), but σ(z)(1 - σ(z)) is a product), so it is
        refused with both spelled out."""
        if not (isinstance(arg_node, Tree) and arg_node.data == "implicit_mul"):
            return
        for factor in _factors(arg_node)[1:]:
            token = _first_token(factor)
            if token is not None and token.type == "LPAR":
                f = symbol.value.lstrip("\\") if isinstance(symbol, Token) else "f"
                raise self.error(f"a bracket after {f}'s argument without brackets is ambiguous: write "
                                 f"{f}(a (b)) to put it inside, or {f}(a) (b) to multiply", token)

    def rule_sup_power(self, node):
        """x², A⁻¹, sigma(z)²: a Unicode superscript is an integer exponent."""
        base_node, token = node.children
        exponent = _superscript(token)

        def raise_(base):
            self._check_power(base, exponent, token)
            return self._power(base, exponent, token)

        return self._postfixed(base_node, raise_)

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
        """`|x|` is the absolute value of a number and the length (Euclidean norm) of a vector;
        of a matrix it could mean the determinant or a norm, so it is refused."""
        value = self.build(node.children[1])
        if is_matrix(value) and 1 not in shape_of(value):
            raise self.error("|A| of a matrix is ambiguous: write det(A) for the determinant "
                             "or \\|A\\|_F for the Frobenius norm", node)
        return apply("norm" if is_matrix(value) and shape_of(value) != (1, 1) else "abs", [value])

    def rule_norm_bars(self, node):
        """`\\|x\\|`, `\\|x\\|_2`: the Euclidean norm; `\\|x\\|_1`: the sum of the entries' sizes;
        `\\|W\\|_F`: the Frobenius norm of a matrix."""
        value = self.build(node.children[1])
        which = node.children[3].value.strip("_{} ") if len(node.children) > 3 else ""
        if which in ("\\infty", "\u221e"):
            raise self.error("the max norm \\|x\\|_\\infty is not supported: write the entry of largest size "
                             "with max(abs(x_1), abs(x_2), ...)", node)
        if which == "1":
            if is_matrix(value) and 1 not in shape_of(value):
                raise self.error("\\|A\\|_1 of a matrix is ambiguous (its largest column sum, or the sum of "
                                 "all entries' sizes): write sum(abs(A)) for the second", node)
            return apply("norm", [value, sp.Integer(1)])
        if is_matrix(value) and 1 not in shape_of(value):
            if which not in ("F", "fro"):
                raise self.error("the norm of a matrix: write \\|A\\|_F for the Frobenius norm "
                                 "(the spectral norm is not supported)", node)
            return sp.sqrt(Trace(algebra.mul(algebra.transpose(value), value)))
        if which in ("F", "fro") and not is_matrix(value):
            raise self.error("\\|.\\|_F is the Frobenius norm of a matrix", node)
        return apply("norm", [value])

    def rule_inner(self, node):
        """`\\langle x, y \\rangle`: the inner product of two vectors (or matrices: tr(A^T B))."""
        left, right = self.build(node.children[1]), self.build(node.children[3])
        if not (is_matrix(left) and is_matrix(right)) or shape_of(left) != shape_of(right):
            raise self.error("\\langle x, y \\rangle needs two vectors (or matrices) of the same shape", node)
        if 1 in shape_of(left):
            return self._dot_or_mul(left, right)
        return Trace(algebra.mul(algebra.transpose(left), right))

    def rule_tuple(self, node):
        """`(1, 2, 3)`: a column vector, as Python and many textbooks write one."""
        entries = [c for c in node.children if isinstance(c, Tree)]
        return self._matrix([[self._entry(self.build(e), node)] for e in entries], node)

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
        if len(values) == 1:
            return values[0]  # [x + 1] and \\left[ M \\right] are groupings
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
