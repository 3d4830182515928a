"""Text -> lark parse tree, with size caps first and errors that point into the student's text."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from functools import lru_cache
from importlib.resources import files

import lark
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput
from lark.lexer import BasicLexer, Lexer, LexerState
from lark.utils import TextSlice

from ..cachedir import cache_file
from .errors import ExprError, LimitExceeded
from .library import FUNCTIONS
from .limits import Limits, check_text
from .symbols import loose, normalize

_GRAMMAR = (files("grader.expr") / "grammar.lark").read_text(encoding="utf-8")

# left operands of these rules are the same chain, so they do not add nesting depth
_CHAINS = {"add", "sub", "mul", "div", "hadamard", "implicit_mul"}

_TOKEN_WORDS = {
    "RPAR": "')'", "RBRACE": "'}'", "RBRACK": "']'", "LPAR": "'('", "COMMA": "','",
    "PLUS": "'+'", "MINUS": "'-'", "TIMES": "'*'", "DIVIDE": "'/'", "POW": "'^'",
    "PRIME": "\"'\"", "BANG": "'!'", "AMP": "'&'", "ABS_CLOSE": "'|'", "ABS_OPEN": "'|'",
}

# single letters that name a function: σ(z) is the sigmoid unless σ is declared
_FUNCTION_LETTERS = "\u03c3"

# a bare `|` right after one of these closes an open bar; anywhere else it opens one
_BARE_NORMS = {"\\|", "\u2016", "||"}
_ENDS_VALUE = {"NAME", "NUMBER", "RPAR", "RBRACE", "RBRACK", "ABS_CLOSE", "NORM_CLOSE", "PRIME", "DOT_T",
               "BANG", "END_MATRIX", "FRAC_SHORT", "SUPERSCRIPT", "INDEX"}


class _Source:
    """One parse: the text, the built-in functions it may call, and the last two tokens lexed
    (so an error right after `sin` can say that sin needs an argument)."""

    def __init__(self, text: str, functions: frozenset[str], names: frozenset[str],
                 arrays: frozenset[str] = frozenset(), arrays_known: bool = True):
        self.text = text
        self.arrays_known = arrays_known  # False: every name might be an array; refuse no index
        self.functions = functions
        self.names = names
        self.arrays = arrays
        self.loose_names = frozenset(loose(n) for n in names)
        self.recent: list[Token] = []
        self.suffix = _function_suffix(functions)


class _AnswerLexer(Lexer):
    """Lark's basic lexer plus the two decisions that depend on context, not on the grammar:
    a built-in name the table declares is a NAME, and a bare `|` (or norm bar) opens or closes.

    Keeping them out of the grammar means one LALR table for every symbol table,
    built once at import instead of once per set of declared names.
    """

    __future_interface__ = 2

    def __init__(self, conf):
        self.basic = BasicLexer(conf)

    def lex(self, state, parser_state):
        source: _Source = state.text
        inner = LexerState(TextSlice.cast_from(source.text))
        self.open_bars, self.open_norms, self.previous = 0, 0, None
        self.last: list[Token] = []  # the last three tokens yielded
        stream = self.basic.lex(inner, parser_state)
        pending: list[Token] = []  # tokens read ahead for an index that was not one, in reverse

        def take() -> Token | None:
            return pending.pop() if pending else next(stream, None)

        while (token := take()) is not None:
            if token.type == "NORM_OPEN" and token.value == "||" and self.open_bars:
                # inside absolute bars, || is two bars: |x - |y||
                for offset in (0, 1):
                    bar = Token("ABS_OPEN", "|", token.start_pos + offset, token.line,
                                token.column + offset, token.end_line, token.column + offset + 1,
                                token.start_pos + offset + 1)
                    yield self._decide(bar, source)
                continue
            if token.type == "FUNC" and normalize(token.value) in source.arrays:
                token = Token.new_borrow_pos("NAME", token.value, token)  # an array named `sigma`
            if token.type == "RBRACE" and source.arrays and _wraps_array(self.last, source):
                pieces, unused = _bracket_index(token, self.last[-1].value, source, take)  # \mathbf{h}[1]
                pending.extend(reversed(unused))
                for piece in pieces:
                    yield self._decide(piece, source)
                continue
            if token.type == "NAME" and source.arrays:
                pieces, unused = _entry(token, source, take)
                pending.extend(reversed(unused))
                for piece in pieces:
                    yield self._decide(piece, source)
                continue
            if token.type == "NAME":
                for piece in _glued_call(token, source):
                    yield self._decide(piece, source)
                continue
            yield self._decide(token, source)

    def _decide(self, token: Token, source: "_Source") -> Token:
        if token.type == "FUNC" and normalize(token.value) not in source.functions:
            token = Token.new_borrow_pos("NAME", token.value, token)
        elif token.type == "ABS_OPEN" and token.value == "|":
            if self.open_bars and self.previous in _ENDS_VALUE:
                token = Token.new_borrow_pos("ABS_CLOSE", token.value, token)
        elif token.type == "NORM_OPEN" and token.value in _BARE_NORMS:
            if self.open_norms and self.previous in _ENDS_VALUE:
                token = Token.new_borrow_pos("NORM_CLOSE", token.value, token)
        self.open_bars += {"ABS_OPEN": 1, "ABS_CLOSE": -1}.get(token.type, 0)
        self.open_norms += {"NORM_OPEN": 1, "NORM_CLOSE": -1}.get(token.type, 0)
        self.previous = token.type
        self.last = [*self.last[-2:], token]
        source.recent = [*source.recent[-1:], token]
        return token


def _wraps_array(last: list[Token], source: _Source) -> bool:
    """Whether the tokens just yielded are `\\mathbf{h}` (or `\\vec{h}`, ...) around an array's name."""
    return [t.type for t in last] == ["WRAP", "LBRACE", "NAME"] and normalize(last[-1].value) in source.arrays


_SUBSCRIPT = re.compile(r"(.+?)_\{?([0-9]+)\}?")
_INDEX_SIGNS = {"NUMBER", "COMMA", "MINUS", "PLUS"}
_MOST_INDEX_TOKENS = 7  # `W[-1.5, +2]`: enough to tell an index typed wrong from a product


def _entry(token: Token, source: _Source, take) -> tuple[list[Token], list[Token]]:
    """An entry of an array part or parameter: `h[2]`, `W[1, 2]` and `h_2` become the name and an
    INDEX token ("2", "1,2"; "_2" for a subscript). Anywhere else tokens pass unchanged, so `[1]`
    after any other name is still a product. Returns the tokens to yield, and the tokens read
    ahead that were not an index (to be lexed as usual).

    Numbers in brackets after such a name that are no index (`h[-1]`, `h[1.0]`, `h[1][2]`) are
    refused: read as a product they would be -h, h or 2 h[1], silently."""
    key = normalize(token.value)
    written = _SUBSCRIPT.fullmatch(key)
    if written and normalize(written.group(1)) in source.arrays and loose(key) not in source.loose_names:
        cut = token.value.rindex("_")
        name = Token("NAME", token.value[:cut], token.start_pos, token.line, token.column,
                     token.end_line, token.column + cut, token.start_pos + cut)
        return [name, Token.new_borrow_pos("INDEX", "_" + written.group(2), token)], []
    if key not in source.arrays:
        return _glued_call(token, source), _glued_entry(token, key, source, take)
    return _bracket_index(token, token.value, source, take)


def _bracket_index(token: Token, name: str, source: _Source, take) -> tuple[list[Token], list[Token]]:
    """`[2]` or `[1, 2]` after `token` (an array's name, or the `}` closing `\\mathbf{h}`): the
    token and an INDEX, or the token and what was read ahead when no index follows."""
    read: list[Token] = []
    while len(read) < _MOST_INDEX_TOKENS and (following := take()) is not None:
        read.append(following)
        if len(read) == 1 and following.type != "LBRACK" or len(read) > 1 and following.type == "RBRACK":
            break
        if len(read) > 1 and following.type not in _INDEX_SIGNS:
            break
    if len(read) < 3 or read[0].type != "LBRACK" or read[-1].type != "RBRACK":
        return [token], read
    inside = read[1:-1]
    numbers = [t.value for t in inside if t.type == "NUMBER"]
    if [t.type for t in inside] in (["NUMBER"], ["NUMBER", "COMMA", "NUMBER"]) and all(n.isdigit() for n in numbers):
        index = Token.new_borrow_pos("INDEX", ",".join(numbers), read[0])
        after = take()
        if after is not None and after.type == "LBRACK" and source.arrays_known:
            raise ExprError(f"{name}[{', '.join(numbers)}][...]: one entry is {name}[i] "
                            f"or {name}[i, j], in one pair of brackets", source.text, after.column)
        return [token, index], [after] if after is not None else []
    if source.arrays_known and 1 <= len(numbers) <= 2 and len(numbers) == sum(t.type == "COMMA" for t in inside) + 1:
        shown = "".join(t.value for t in inside)
        raise ExprError(f"{name}[{shown}]: an entry of {name} is counted from 1 in whole numbers "
                        f"({name}[1], {name}[2], ...); for a product write "
                        f"{name} * [{shown}]", source.text, read[0].column)
    return [token], read


def _glued_entry(token: Token, key: str, source: _Source, take) -> list[Token]:
    """`xh[1]`, a glued word ending in an array's name before a bracket, would read as x h [1]
    (the whole h); x times h[1] was meant, so it is refused with the spelling that reads so.
    Returns the token read ahead (nothing else is consumed)."""
    if not source.arrays_known or key in source.names or loose(key) in source.loose_names:
        return []
    array = next((a for a in sorted(source.arrays, key=len, reverse=True) if key.endswith(a) and key != a), None)
    if array is None:
        return []
    following = take()
    if following is not None and following.type == "LBRACK":
        raise ExprError(f"'{token.value}[' glues a name to the array {array}: write {key[:-len(array)]} "
                        f"{array}[i] for an entry (with a space), or * [...] for a product", source.text,
                        following.column)
    return [following] if following is not None else []


def _glued_call(token: Token, source: _Source) -> list[Token]:
    """`xsin` in `2xsin(x)` is x then the function sin; a declared name (`basin`) stays whole."""
    value = token.value
    found = source.suffix.search(value, 1) if value.isalpha() else None
    if found is None or normalize(value) in source.names:
        return [token]
    cut = found.start()
    head = Token("NAME", value[:cut], token.start_pos, token.line, token.column,
                 token.end_line, token.column + cut, token.start_pos + cut)
    tail = Token("FUNC", value[cut:], token.start_pos + cut, token.line, token.column + cut,
                 token.end_line, token.end_column, token.end_pos)
    return [head, tail]


@lru_cache(maxsize=256)
def _function_suffix(functions: frozenset[str]) -> re.Pattern:
    """A name ending in one of these functions (longest first: `xtanh` is x tanh, not xt anh)."""
    words = sorted((f for f in functions if f.isascii() and f.isalpha() and len(f) > 1), key=len, reverse=True)
    letters = _FUNCTION_LETTERS if "sigma" in functions else ""
    return re.compile("(?:" + "|".join([*map(re.escape, words), *letters]) + r")\Z")


def _function_pattern() -> str:
    """Built-in names as whole words (`sinx` is a name to split, not sin); symbols like √ anywhere;
    a subscripted name also with its subscript braced (`log_{2}x` needs no space after the brace)."""
    words = sorted((n for n in FUNCTIONS if n[0].isalpha()), key=lambda n: (-len(n), n))
    symbols = "".join(n for n in FUNCTIONS if not n[0].isalpha())
    boundary = r"(?![A-Za-z0-9_\u0370-\u03ff])"
    alternatives = "|".join(re.escape(n) for n in words)
    braced = "|".join(re.escape(stem) + r"_\{" + re.escape(sub) + r"\}"
                      for stem, _, sub in (n.partition("_") for n in words) if sub)
    return rf"\\?(?:{braced})|(?:\\?(?:{alternatives})|[{_FUNCTION_LETTERS}]){boundary}|[{symbols}]"


def build_parser(grammar: str, cache: str | None) -> Lark:
    """The LALR parser; with `cache`, its tables are loaded from that file (a third of a cold start to
    build) and written there when missing. Lark checks the grammar's hash in the file, and a file it
    cannot read or write is passed over: the tables are then built as without a cache."""
    return Lark(grammar, parser="lalr", lexer=_AnswerLexer, cache=cache or False)


def _cache_name(grammar: str) -> str:
    """One file per grammar, lark and Python version, so versions side by side do not overwrite each other."""
    key = f"{grammar}\0{lark.__version__}\0{sys.version_info[:2]}".encode()
    return f"answers-{hashlib.sha256(key).hexdigest()[:16]}.lark"


_FULL_GRAMMAR = _GRAMMAR.replace("%FUNCS%", _function_pattern())
_PARSER = build_parser(_FULL_GRAMMAR, cache_file(_cache_name(_FULL_GRAMMAR)))


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


def _unicode_name(ch: str) -> str:
    """` (U+2207 NABLA)` for a character outside ASCII, so a student can tell look-alikes apart."""
    if ch.isascii() and ch.isprintable():
        return ""
    return f" (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})"


_EVALUATED_AT = re.compile(r"\s*_\s*\{[^{}=]{0,40}=")
_EVALUATED = " (an evaluation bar |_{x=...}: put the value in yourself and give the result)"


def _translate(error: UnexpectedInput, source: _Source) -> ExprError:
    text = source.text
    if isinstance(error, UnexpectedCharacters):
        ch = text[error.pos_in_stream] if error.pos_in_stream < len(text) else "?"
        hint = {
            "=": " (write the answer after '=')", "<": " (an answer is a value, not a comparison)",
            ">": " (an answer is a value, not a comparison)",
            ":": "", ";": "", "$": " (leave out the $ signs)", "_": " (a subscript needs a name before it)",
            "%": " (write a percentage as a number: 92.5% is 0.925)",
        }.get(ch, "")
        if ch == "_" and text[:error.pos_in_stream].rstrip().endswith("|") \
                and _EVALUATED_AT.match(text, error.pos_in_stream):
            hint = _EVALUATED
        return ExprError(f"unexpected character '{ch}'{_unicode_name(ch)}{hint}", text, error.column)
    at_end = isinstance(error, UnexpectedEOF) or error.token.type == "$END"
    before = source.recent[-1 if at_end else 0] if len(source.recent) > (0 if at_end else 1) else None
    if before is not None and before.type == "FUNC":
        name = normalize(before.value)
        if text[before.end_pos:before.end_pos + 1] == "'":
            return ExprError(f"{name}' is a derivative: write it out (an answer is a formula, not the "
                             f"name of one)", text, before.column)
        return ExprError(f"'{name}' is a function: give it an argument, e.g. {name}(x)", text, before.column)
    if at_end:
        return ExprError("the expression ends too early", text, len(text) + 1)
    token = error.token
    word = _TOKEN_WORDS.get(token.type, f"'{token.value}'")
    if token.type == "FUNC":
        reason = f"'{token.value}' is a function: give it an argument, e.g. {token.value}(x)"
    elif token.type == "NUMBER":
        reason = f"unexpected number {token.value}"
    elif token.type == "COMMA" and text[token.start_pos - 1:token.start_pos].isdigit() \
            and text[token.end_pos:token.end_pos + 1].isdigit():
        reason = "unexpected ',' (write decimals with a point, 1.5, and numbers without separators)"
    elif token.value.endswith("|") and _EVALUATED_AT.match(text, token.end_pos):
        reason = f"unexpected {word}{_EVALUATED}"
    elif token.type == "NORM_SUB":   # `_2` after anything but a norm's closing bars
        reason = f"unexpected '{token.value}' (a subscript needs a name before it)"
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


def parse_tree(text: str, functions: frozenset[str], limits: Limits, names: frozenset[str] = frozenset(),
               arrays: frozenset[str] = frozenset(), arrays_known: bool = True) -> Tree:
    """Check the caps, then parse. Only `functions` read as calls: a built-in name left out
    (because the symbol table declares it) is an ordinary name, and so is any of `names`.
    `arrays` are names whose entries can be written `h[1]` or `h_1`; `arrays_known=False` when
    they are only a guess (any name in scope), so a bracket no index fits is left to the reading
    that knows the shapes."""
    check_text(text, limits)
    if not text.strip():
        raise ExprError("the answer is empty")
    _check_brackets(text)
    source = _Source(text, functions, names, arrays, arrays_known)
    try:
        tree = _PARSER.parse(source)
    except UnexpectedInput as error:
        raise _translate(error, source) from None
    _check_tree(tree, text, limits)
    return tree
