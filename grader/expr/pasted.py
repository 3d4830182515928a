"""Answers as students paste them -> text the grammar reads.

Students copy from Overleaf, MathJax, Markdown, MATLAB and Python, and type answers into TOML
strings that eat backslashes. `tidy` undoes that before the parser sees the text, so the grammar
stays about mathematics. It is pure, linear in the input (single scans and regexes that cannot
backtrack far), never raises, is idempotent, and leaves text the grammar already reads as it is
(apart from surrounding whitespace). Anything it does not understand is left for the parser to
refuse with a caret.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .library import FUNCTIONS
from .limits import DEFAULT_LIMITS


@dataclass(frozen=True)
class Tidied:
    text: str                 # what the grammar will read
    notes: tuple[str, ...]    # short sentences for the student


# --- TOML escape damage: "\frac" in a double-quoted TOML string is a form feed + "rac" ---

_ESCAPES = {  # control character -> (its TOML escape letter, its name, commands starting with that letter)
    "\x0c": ("f", "a form feed", {"frac", "forall"}),
    "\x08": ("b", "a backspace", {"begin", "beta", "bar", "bf", "bm", "boldsymbol", "big", "bigl", "bigr",
                                  "bigg", "biggl", "biggr", "boxed", "binom", "bullet", "bmod"}),
    "\t": ("t", "a tab", {"tanh", "tan", "times", "theta", "tau", "text", "textbf", "textrm", "textit",
                          "textstyle", "tilde", "top", "tfrac", "triangleq"}),
    "\n": ("n", "a newline", {"nabla", "nu", "neq", "norm", "neg", "notin"}),
    "\r": ("r", "a carriage return", {"right", "rho", "rangle", "rm", "rVert", "rvert", "rbrace", "rceil",
                                      "rfloor", "rightarrow"}),
}
# (not \ne, \not, \to: a real line break before `e^x` in a multi-line string must stay one)
_DAMAGED = re.compile(r"[\x08\t\n\x0c\r][A-Za-z]+")


def _toml_escapes(text: str, notes: list[str]) -> str:
    def restore(match: re.Match) -> str:
        control, rest = match.group(0)[0], match.group(0)[1:]
        letter, name, commands = _ESCAPES[control]
        if letter + rest not in commands:
            return match.group(0)
        notes.append(f"'\\{letter}' in a double-quoted TOML string is {name}: read as \\{letter}{rest}; "
                     f"write answers in single quotes 'like this'")
        return "\\" + letter + rest

    return _DAMAGED.sub(restore, text)


# --- Unicode: pasted math letters, dashes, spaces, accents ---

# characters the grammar reads itself, which NFKC would flatten (x² is not x2)
_KEEP = set("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b\u1d40\u22a4")
_ACCENTS = {"\u0302": "\\hat", "\u0303": "\\tilde", "\u0304": "\\bar", "\u0305": "\\bar", "\u20d7": "\\vec"}
_CHARS = {
    "\u22c5": "\\cdot ", "\u2219": "\\cdot ", "\u2217": "*", "\u2215": "/",       # MathJax's dot, bullet, asterisk, slash
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2032": "'", "\u2044": "/", "\U0001d7d9": "\\mathbf{1}",       # prime, fraction slash, 𝟙
    "\u2206": "\u0394",                                              # a Mac's ∆ (increment) is Δ
    "\u2022": "\\cdot ",                                            # a bullet between factors, as ∙
    "@": "*",                                                         # Python's matrix product
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\t": " ", "\n": " ", "\r": " ", "\x0b": " ", "\x0c": " ",
}


def _char(c: str) -> str:
    if c in _KEEP:
        return c
    if c in _CHARS:
        return _CHARS[c]
    if unicodedata.category(c) == "Zs":
        return " "
    if unicodedata.decomposition(c).startswith("<super>"):
        return c  # x ⁿ would silently become x n: leave it for the parser to name
    compat = unicodedata.normalize("NFKC", c)
    if "\u2044" in compat:  # ½ -> (1/2)
        return "(" + compat.replace("\u2044", "/") + ")"
    return "".join(_CHARS.get(x, x) for x in compat)


_ASCII = str.maketrans({c: r for c, r in _CHARS.items() if c.isascii()})


def _whole_before(out: list[str]) -> str | None:
    """The whole number `out` ends with (3 in `3`, `3 `), taken off it; None after a name, a decimal
    point or a power (x½, 1.5½, x^2½ are products)."""
    end = len(out) - (out[-1:] == [" "])
    start = end
    while start and len(out[start - 1]) == 1 and out[start - 1] in "0123456789":
        start -= 1
    before = out[start - 1][-1:] if start else ""
    if start == end or (before and (before.isalnum() or before in "._^")):
        return None
    whole = "".join(out[start:end])
    del out[start:]
    return whole


def _unicode(text: str, notes: list[str]) -> str:
    if text.isascii():  # the common case: nothing to decompose, only `@` and control spaces to map
        return text.translate(_ASCII)
    chars = unicodedata.normalize("NFD", text.strip().removeprefix("\u2022"))  # a list's bullet: no factor
    out: list[str] = []
    subscript = False
    for c in chars:
        if c in _ACCENTS and out:  # ŷ decomposes to y + U+0302
            out[-1] = f"{_ACCENTS[c]}{{{out[-1]}}}"
            continue
        plain = unicodedata.normalize("NFKC", c)
        if unicodedata.decomposition(c).startswith("<sub>") and plain.isalnum():
            out.append(("" if subscript else "_") + plain)  # W₁₃ -> W_13
            subscript = True
            continue
        subscript = False
        if "\u2044" in plain and (whole := _whole_before(out)) is not None:  # 3½ is 3 + 1/2, not 3·½
            fraction = plain.replace("\u2044", "/")
            notes.append(f"read {whole}{c} as the mixed number {whole} + {fraction}")
            out.append(f"({whole}+{fraction})")
            continue
        out.append(_char(c))
    return unicodedata.normalize("NFC", "".join(out))


# --- LaTeX as pasted ---

def _delimiters(text: str) -> str:
    """$…$, $$…$$, \\(…\\), \\[…\\] or \\boxed{…} around the whole answer (a stray $ is left for
    the parser; a box around part of the answer is a group, as LaTeX draws it)."""
    t = text.strip()
    for left, right in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        inner = t[len(left):len(t) - len(right)]
        if len(t) >= len(left) + len(right) and t.startswith(left) and t.endswith(right) \
                and left not in inner and right not in inner:
            return inner.strip()
    if t.startswith("\\boxed") and t.endswith("}"):
        opening = t.find("{")
        if opening != -1 and not t[6:opening].strip() and _closing(t, opening) == len(t) - 1:
            return t[opening + 1:-1].strip()
    return t


def _closing(text: str, opening: int) -> int:
    """The index of the brace that closes the one at `opening`, or -1."""
    depth = 0
    for i in range(opening, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)
_NOTHING = {"\\boxed", "\\limits", "\\nolimits", "\\nonumber", "\\notag"}  # \sum\limits_i: marks that change no value
_SPACES = {"\\,", "\\;", "\\:", "\\!", "\\ ", "\\quad", "\\qquad", "~", "\\displaystyle", "\\textstyle"}
_RENAME = {
    "\\dfrac": "\\frac", "\\tfrac": "\\frac", "\\cfrac": "\\frac",
    "\\bf": "\\mathbf", "\\rm": "\\mathrm", "\\it": "\\mathit", "\\sf": "\\mathsf",
    "\\lVert": "\\|", "\\rVert": "\\|", "\\Vert": "\\|", "\\lvert": "|", "\\rvert": "|", "\\vert": "|",
    "\\bigl": "\\left", "\\Bigl": "\\left", "\\biggl": "\\left", "\\Biggl": "\\left",
    "\\bigr": "\\right", "\\Bigr": "\\right", "\\biggr": "\\right", "\\Biggr": "\\right",
    "\\intercal": "\\top",
    # the variant letters are the same letters: \varepsilon is ε, as a part's `epsilon` declares it
    "\\varepsilon": "\\epsilon", "\\vartheta": "\\theta", "\\varphi": "\\phi", "\\varrho": "\\rho",
}
_OLD_FONTS = {"\\bf", "\\rm", "\\it", "\\sf"}
_SIZES = {"\\big", "\\Big", "\\bigg", "\\Bigg"}
# how many arguments each command takes (LaTeX reads one character or one command when unbraced)
_ARITY = {"\\frac": 2, "\\sqrt": 1, "\\hat": 1, "\\widehat": 1, "\\tilde": 1, "\\widetilde": 1,
          "\\bar": 1, "\\overline": 1, "\\vec": 1, "\\mathbf": 1, "\\boldsymbol": 1, "\\bm": 1,
          "\\mathrm": 1, "\\mathit": 1, "\\mathsf": 1, "\\mathbb": 1, "\\mathbbm": 1, "\\mathds": 1,
          "\\text": 1, "\\textbf": 1, "\\operatorname": 1}


def _latex(text: str) -> str:
    """One left-to-right pass over LaTeX tokens: renames, spacing, sizes, and braces around
    unbraced arguments (`\\frac13` -> `\\frac{1}{3}`, `\\frac123` -> `\\frac{1}{2}3`)."""
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    want = 0                   # unbraced arguments the last command still takes
    after: list[int] = []      # per open '{': arguments its command still takes once it closes
    gap = False                # just wrote a space for a spacing command: swallow the spaces after it
    root = False               # inside the [index] of \sqrt[n]

    def solid(j: int) -> int:
        while j < len(tokens) and tokens[j].isspace():
            j += 1
        return j

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if want:
            if tok.isspace():
                continue
            if tok == "{" or tok.isalnum() or tok[1:].isalpha():
                want -= 1
                if tok == "{":
                    after.append(want)
                    want = 0
                    out.append("{")
                else:
                    out.append("{" + _RENAME.get(tok, tok) + "}")
                continue
            want = 0
        if gap and tok.isspace():
            continue
        gap = False
        if tok in _SPACES:
            if out and not out[-1][-1].isspace():
                out.append(" ")
            gap = True
        elif tok in _NOTHING:
            continue
        elif tok == "{":
            j = solid(i)
            if j < len(tokens) and tokens[j] in _OLD_FONTS:  # {\bf x} -> \mathbf{x}
                out.append(_RENAME[tokens[j]])
                i = solid(j + 1)
            out.append("{")
            after.append(0)
        elif tok == "}":
            out.append("}")
            want = after.pop() if after else 0
        elif tok in _SIZES:  # \big( is a bracket; a size anywhere else means nothing either
            i = solid(i)
        else:
            tok = _RENAME.get(tok, tok)
            out.append(tok)
            if tok == "\\sqrt" and solid(i) < len(tokens) and tokens[solid(i)] == "[":
                root = True  # \sqrt[3]x: the argument comes after the index
            elif tok == "]" and root:
                root, want = False, 1
            elif tok in _ARITY:
                want = _ARITY[tok]
    return "".join(out)


_TRANSPOSE = re.compile(r"\^(\s*\{\s*)?\\(?:mathrm|mathsf|text|mathbf)\{T\}")
_UP_TACK = re.compile(r"\^\s*(?:\{\s*[\u22a4\u1d40]\s*\}|[\u22a4\u1d40])")  # x^⊤, x^{⊤}, x^ᵀ: Word's transpose
_ONES = re.compile(r"\\(?:mathbb|mathbbm|mathds)\{1\}")


_NAMED_FUNCTION = re.compile(r"\\(?:operatorname|mathrm|mathit|text)\s*\{\s*([A-Za-z]{2,12})\s*\}")


def _function_name(match: re.Match) -> str:
    word = match.group(1)
    return f"\\{word} " if word in FUNCTIONS else match.group(0)


_FONT = r"\\(?:mathbf|boldsymbol|bm|vec|mathrm|mathit|mathsf)"
_ACCENT = r"\\(?:hat|widehat|tilde|widetilde|bar|overline)"
_FONT_ACCENT = re.compile(_FONT + r"\s*\{\s*(" + _ACCENT + r"\s*\{[^{}]*\})\s*\}")
_ACCENT_FONT = re.compile("(" + _ACCENT + r")\s*\{\s*" + _FONT + r"\s*\{([^{}]*)\}\s*\}")
_FONT_SUBSCRIPT = re.compile("(" + _FONT + r")\s*\{\s*(\\?[A-Za-z]+)\s*\}_(\{[^{}]*\}|[A-Za-z0-9])")
_PRIME = re.compile(r"\^\s*(?:\{\s*\\prime\s*\}|\\prime(?![A-Za-z]))|\\prime(?![A-Za-z])")
_ACCENT_SUBSCRIPT = re.compile(r"\\(hat|widehat|tilde|widetilde|bar|overline)\s*\{\s*([A-Za-z]+)\s*\}"
                               r"_(?:\{\s*([A-Za-z0-9]+)\s*\}|([A-Za-z0-9]))")
_ACCENT_WORDS = {"widehat": "hat", "widetilde": "tilde", "overline": "bar"}
_NORM_POWER_FIRST = re.compile(r"(\\\||\u2016|\|\|)(\^\{[^{}]*\}|\^[0-9A-Za-z]|[\u00b2\u00b3])_(\{\s*(?:2|F|fro)\s*\}|2|F)")


# x^2_i is LaTeX for x_i^2: a number power written before the subscript (not e^x_i, which is e^{x_i})
_POWER_FIRST = re.compile(r"(?<![A-Za-z0-9\\])([A-Za-z])\^(\{\s*[0-9]+\s*\}|[0-9])_(\{\s*[A-Za-z0-9]+\s*\}|[A-Za-z0-9])")


def _accented_subscript(match: re.Match) -> str:
    """\\hat{y}_q -> yhat_q: a name has one subscript, so the accent joins the stem."""
    accent = _ACCENT_WORDS.get(match.group(1), match.group(1))
    return f"{match.group(2)}{accent}_{match.group(3) or match.group(4)}"


def _marks(text: str) -> str:
    """x^{\\rm T}, x^{\\mathsf T} -> x^{\\top} (always a transpose, even where a part names T);
    \\mathbb{1} -> \\mathbf{1}, the ones vector; \\operatorname{atan} -> \\atan, a function the
    grammar knows as one word wherever it stands; a font around or inside an accent goes
    (\\hat{\\mathbf{y}} is \\hat{y}); \\mathbf{W}_1 -> \\mathbf{W_1}; \\hat{y}_q -> yhat_q; x^\\prime -> x'; and
    \\|x\\|^2_2, ||x||^2_2, ‖x‖²₂ -> \\|x\\|_2^2."""
    text = _NAMED_FUNCTION.sub(_function_name, text)
    text = _ACCENT_FONT.sub(r"\1{\2}", _FONT_ACCENT.sub(r"\1", text))
    text = _FONT_SUBSCRIPT.sub(r"\1{\2_\3}", text)
    text = _ACCENT_SUBSCRIPT.sub(_accented_subscript, text)
    text = _NORM_POWER_FIRST.sub(r"\1_\3\2", _PRIME.sub("'", text))
    text = _POWER_FIRST.sub(r"\1_\3^\2", text)
    text = _UP_TACK.sub(r"^{\\top}", text)
    return _ONES.sub(r"\\mathbf{1}", _TRANSPOSE.sub(lambda m: "^" + (m.group(1) or "{") + "\\top" + ("" if m.group(1) else "}"), text))


_UNIT_COMMANDS = ("\\textbf", "\\text", "\\mathrm")
_UNIT_POWER = re.compile(r"(?<=\})\s*\^\s*(?:\{[-0-9 ]{1,4}\}|-?[0-9])\Z")


def _units(text: str, notes: list[str]) -> str:
    """A trailing \\text{cm} / \\mathrm{m/s} after the value is a unit or a remark, not math;
    a function name (\\mathrm{tr}) or an upright letter (\\mathrm{e}) is math and stays.
    Walks back from the end with indices, one unit at a time, so it stays linear."""
    end = len(text)
    while True:
        close = _back_over_spaces(text, end)
        power = _UNIT_POWER.search(text, 0, close)  # \\text{m/s}^2
        if power is not None:
            close = power.start()
        start = text.rfind("{", 0, close) if text.endswith("}", 0, close) else -1
        word = text[start + 1:close - 1].strip()
        head = _back_over_spaces(text, start) if start > 0 else 0
        command = next((c for c in _UNIT_COMMANDS if text.endswith(c, 0, head)), None)
        if command is None or "}" in word or word in FUNCTIONS or (command == "\\mathrm" and len(word) == 1):
            break
        end = head - len(command)
    value, unit = text[:end].rstrip(), text[end:].strip()
    if not unit or not value:
        return text
    notes.append(f"the unit '{unit}' was set aside")
    return value


def _back_over_spaces(text: str, j: int) -> int:
    while j and text[j - 1].isspace():
        j -= 1
    return j


# --- left-hand sides: keep what follows the last top-level assignment sign ---

# signs that mean "is", "is about" or "becomes"; `=` alone (==, <=, >=, != and => are comparisons
# or arrows, left for the parser to refuse)
_SIGNS = (":=", "≔", "≈", "←", "≜", "≡", "\\approx", "\\leftarrow", "\\gets", "\\coloneqq", "\\triangleq",
          "\\equiv", "=")


def _left_side(text: str, notes: list[str]) -> str:
    depth, cut, i = 0, None, 0
    while i < len(text):
        c = text[i]
        depth += (c in "([{") - (c in ")]}")
        if depth == 0 and c in "=:≔≈←≜≡\\":
            for sign in _SIGNS:
                if text.startswith(sign, i) and _is_sign(text, i, sign):
                    start, cut = i, i + len(sign)
                    i = cut - 1
                    break
        i += 1
    if cut is None or not text[cut:].strip():
        return text
    left = text[:cut].strip()
    if not text[:start].strip():  # `= 0.047`, `≈ 0.047`
        notes.append(f"the leading '{left}' was set aside")
    else:
        shown = left if len(left) <= 40 else left[:20].rsplit(" ", 1)[0] + " … " + left[-20:].split(" ", 1)[-1]
        notes.append(f"the left-hand side '{shown}' was set aside")
    return text[cut:].strip()


def _is_sign(text: str, i: int, sign: str) -> bool:
    after = text[i + len(sign):i + len(sign) + 1]
    if sign == "=":
        return text[i - 1:i] not in ("=", "<", ">", "!") and after not in ("=", ">")
    if sign.startswith("\\"):
        return not after.isalpha()
    return True


# --- numbers: thousands separators; MATLAB rows ---

_THOUSANDS = re.compile(r"(?<![\w.,^])\d{1,3}(?:(?:,\d{3})+|(?: \d{3})+)(?![, ]?\d)(?:\.\d+)?")


def _top_level(text: str):
    """(start, end) of the stretches outside every bracket."""
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            if depth == 0:
                yield start, i
            depth += 1
        elif c in ")]}" and depth:
            depth -= 1
            start = i + 1
    if depth == 0:
        yield start, len(text)


def _thousands(text: str, notes: list[str]) -> str:
    def join(match: re.Match) -> str:
        digits = match.group(0).replace(",", "").replace(" ", "")
        notes.append(f"read {match.group(0)} as {digits}")
        return digits

    pieces, last = [], 0
    for start, end in _top_level(text):
        pieces += [text[last:start], _THOUSANDS.sub(join, text[start:end])]
        last = end
    return "".join(pieces) + text[last:]


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_OPERATOR_END = tuple("+-*/^=,&|<>") + ("\\cdot", "\\times", "\\div", "\\odot")
_BINARY_START = tuple("*/^=") + ("\\cdot", "\\times", "\\div", "\\odot")
_PAIRS = {")": "(", "]": "[", "}": "{"}


_MODULE = re.compile(r"(?<![A-Za-z0-9_.])(?:np|numpy|math|torch|jnp|sympy|sp)\.(?:linalg\.)?([A-Za-z_][A-Za-z0-9_]*)")
_MODULE_NAMES = (set(FUNCTIONS) - {"max", "min", "Max", "Min", "sum"}) | {"pi", "e"}  # np.max(v) is a reduction


_LOG_E = re.compile(r"(?<![A-Za-z_])(\\?)log_(?:\{\s*e\s*\}|e(?![A-Za-z0-9_]))")


def _log_e(text: str) -> str:
    """log_e x, \\log_{e} x: the natural log, as ln."""
    return _LOG_E.sub(lambda m: m.group(1) + "ln", text)


def _modules(text: str) -> str:
    """np.exp(x), math.pi, torch.sigmoid(z), np.linalg.norm(v): the module prefix goes; a
    reduction (np.max, np.sum) or anything unknown keeps it, for the parser to refuse."""
    return _MODULE.sub(lambda m: m.group(1) if m.group(1) in _MODULE_NAMES else m.group(0), text)


def _matlab(text: str) -> str:
    """[5 0 0; 0 1 0] -> [[5, 0, 0], [0, 1, 0]] and [1 2 3] -> [1, 2, 3]. Each bracket is a list of
    pieces (characters, and closed inner brackets as one piece), so `;` and spaces are seen at
    the bracket's own depth."""
    stack: list[list[str]] = [[]]
    for c in text:
        if c in "([{":
            stack.append([c])
        elif c in _PAIRS and len(stack) > 1 and stack[-1][0] == _PAIRS[c]:
            pieces = stack.pop() + [c]
            stack[-1].append(_rows(pieces) if c == "]" else "".join(pieces))
        else:
            stack[-1].append(c)
    return "".join(piece for pieces in stack for piece in pieces)  # brackets never closed stay as written


def _rows(pieces: list[str]) -> str:
    inner = pieces[1:-1]
    written = "".join(pieces)
    if ";" in inner:
        rows, row = [], []
        for p in inner:
            if p == ";":
                rows.append(row)
                row = []
            else:
                row.append(p)
        if "".join(row).strip():
            rows.append(row)
        entries = [_entries(r) for r in rows]
        if not rows or not all(entries):
            return written
        return "[" + ", ".join("[" + ", ".join(e) + "]" for e in entries) + "]"
    words = _words(inner)
    if "," not in inner and len(words) > 1 and all(_NUMBER.fullmatch(w) for w in words):
        return "[" + ", ".join(words) + "]"
    return written


def _words(pieces: list[str]) -> list[str]:
    words, word = [], ""
    for p in pieces:
        if p.isspace():
            if word:
                words.append(word)
            word = ""
        else:
            word += p
    return words + [word] if word else words


def _entries(row: list[str]) -> list[str]:
    """One row's entries: split at commas if it has any, else at spaces, MATLAB's way: a space
    separates entries unless it surrounds a binary operator (`1 - 2` is one entry, `1 -2` two)."""
    if "," in row:
        parts, part = [], ""
        for p in row:
            if p == ",":
                parts.append(part.strip())
                part = ""
            else:
                part += p
        parts.append(part.strip())
        return parts if all(parts) else []
    entries: list[str] = []
    for word in _words(row):
        joins = entries and (entries[-1].endswith(_OPERATOR_END) or word in ("+", "-")
                             or word.startswith(_BINARY_START))
        if joins:
            entries[-1] += " " + word
        else:
            entries.append(word)
    return entries


# --- the whole pass ---

def _once(text: str, notes: list[str]) -> str:
    text = _toml_escapes(text, notes)
    text = _unicode(text, notes)
    text = _delimiters(text)
    text = _marks(_latex(text))
    text = _units(text, notes)
    text = _left_side(text, notes)
    text = _thousands(text, notes)
    return _matlab(_modules(_log_e(text))).strip()


# what any step acts on, in ASCII text: LaTeX, delimiters, signs of a left-hand side, separators,
# brackets (MATLAB rows), Python's @ and module prefixes (np.exp), log_e, control characters (TOML escapes, odd whitespace)
_NEEDS_WORK = re.compile(r"[\\$=:,;@~\[\x00-\x1f\x7f]|\d\s+\d|[a-z]\.[a-z]|[0-9}]_|log_")

# ten times the parser's length cap: longer text is refused unread, so it is not worth tidying
LONGEST = 10 * DEFAULT_LIMITS.max_length


def tidy(text: str) -> Tidied:
    """Text as pasted -> text for the grammar, with a note for each change a student should know
    about. Steps can uncover each other (`x = $1$`: the `$` pair encloses the whole answer only once
    the left-hand side is gone), so the pass repeats until nothing changes (twice or three times)."""
    if len(text) > LONGEST:
        return Tidied(text, ())
    if text.isascii() and not _NEEDS_WORK.search(text):
        return Tidied(text.strip(), ())  # plain typed math, the common case: no step would change it
    notes: list[str] = []
    for _ in range(4):
        tidied = _once(text, notes)
        if tidied == text:
            break
        text = tidied
    return Tidied(text, tuple(dict.fromkeys(notes)))
