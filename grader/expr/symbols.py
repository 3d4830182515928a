"""Symbol tables: the names a part declares, their kinds and shapes, and the built-ins they shadow."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Mapping

import sympy as sp

from .errors import ExprError

SCALAR_KINDS = {
    "real": {"real": True},
    "positive": {"positive": True},
    "nonnegative": {"nonnegative": True},
    "negative": {"negative": True},
    "integer": {"integer": True},
    "natural": {"integer": True, "positive": True},
}
MATRIX_KINDS = {"vector": 1, "matrix": 2, "symmetric": 1, "spd": 1}
# where a domain must lie for a kind whose sign sympy assumes (abs(x) is built as x for a positive x)
_DOMAIN_FITS = {
    "positive": lambda low, high: low >= 0,     # uniform draws never land on the end 0 itself
    "nonnegative": lambda low, high: low >= 0,
    "negative": lambda low, high: high <= 0,
    "natural": lambda low, high: low >= 1 and math.ceil(low) <= math.floor(high),
    "integer": lambda low, high: math.ceil(low) <= math.floor(high),  # some integer inside
}

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda",
    "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Σ": "Sigma", "Φ": "Phi",
    "Ψ": "Psi", "Ω": "Omega",
}
GREEK_WORDS = set(GREEK.values()) | {"varepsilon", "vartheta", "varphi"}

NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)?")   # a declarable name: letters, digits, one _subscript
_KIND = re.compile(r"^\s*([a-z]+)\s*(?:\(\s*([^()]*?)\s*\))?\s*$")
_DIM = re.compile(r"^(?:[1-9][0-9]{0,3}|[A-Za-z][A-Za-z0-9_]*)$")


@lru_cache(maxsize=4096)
def normalize(raw: str) -> str:
    """A name as typed -> its lookup key: `\\sigma`, `σ` -> `sigma`; `W_{13}` -> `W_13`."""
    name = raw.strip().lstrip("\\").replace("{", "").replace("}", "")
    return "".join(GREEK.get(ch, ch) for ch in unicodedata.normalize("NFC", name))


def loose(key: str) -> str:
    """The key with subscript marks dropped, so `W_13` finds `W13` and `phi_0` finds `phi0`."""
    return key.replace("_", "")


@dataclass(frozen=True)
class Declared:
    """One declared name: how the instructor spelled it, its kind, and its sympy object."""

    name: str
    kind: str
    obj: sp.Basic
    shape: tuple = ()
    domain: tuple[float, float] | None = None

    @property
    def is_matrix(self) -> bool:
        return bool(self.shape)


@dataclass
class SymbolTable:
    """What a student may write in one answer.

    `declarations` maps a name to a kind: `real`, `positive`, `nonnegative`,
    `negative`, `integer`, `natural`, `vector(n)`, `matrix(m, n)`,
    `symmetric(n)` or `spd(n)` (symmetric positive definite). Dimensions are
    numbers or names; equal names mean equal sizes. A declared name wins over a
    built-in function or constant of the same name.
    """

    declarations: Mapping[str, str] = field(default_factory=dict)
    domains: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    entries: frozenset[str] = frozenset()  # vectors and matrices whose entries read as h[1], W[1, 2], h_1

    def __post_init__(self):
        self.names: dict[str, Declared] = {}
        self.dims: dict[str, sp.Symbol] = {}
        for name, kind in self.declarations.items():
            self._declare(name, kind)
        for name in self.domains:
            if normalize(name) not in self.names:
                raise ExprError(f"domain given for '{name}', which is not declared")
        self._loose = {}
        for key, decl in self.names.items():
            self._loose.setdefault(loose(key), decl)

    @cached_property
    def key(self) -> tuple:
        """What the table declares, as a hashable value: equal keys mean equal tables."""
        return (tuple(sorted((str(k), str(v)) for k, v in self.declarations.items())),
                tuple(sorted((str(k), tuple(v)) for k, v in self.domains.items())),
                tuple(sorted(self.entries)))

    @cached_property
    def indexable(self) -> frozenset[str]:
        """The lookup keys of `entries` that are declared vectors or matrices."""
        keys = (normalize(name) for name in self.entries)
        return frozenset(k for k in keys if k in self.names and self.names[k].is_matrix)

    def _declare(self, name: str, kind: str) -> None:
        key = normalize(name)
        if not NAME.fullmatch(key):
            raise ExprError(f"'{name}' cannot be used as a name (letters, digits, one _subscript)")
        match = _KIND.match(str(kind))
        if not match:
            raise ExprError(f"'{name}': unknown kind '{kind}'")
        base, dims_text = match.group(1), match.group(2)
        domain = self.domains.get(name)
        display = key
        if base in SCALAR_KINDS:
            if dims_text is not None:
                raise ExprError(f"'{name}': kind '{base}' takes no size")
            if domain is not None and not _DOMAIN_FITS.get(base, lambda low, high: True)(*map(float, domain)):
                low, high = map(float, domain)
                if base in ("integer", "natural") and math.ceil(low) > math.floor(high):
                    raise ExprError(f"'{name}': domain [{low:g}, {high:g}] holds no whole number")
                raise ExprError(f"'{name}': domain [{low:g}, {high:g}] has values a {base} name cannot take "
                                f"(its formulas are simplified as {base}): narrow the domain or declare it "
                                f"real or integer")
            obj = sp.Symbol(display, **SCALAR_KINDS[base])
            self.names[key] = Declared(display, base, obj, (), domain)
            return
        if base not in MATRIX_KINDS:
            known = ", ".join([*SCALAR_KINDS, "vector(n)", "matrix(m, n)", "symmetric(n)", "spd(n)"])
            raise ExprError(f"'{name}': unknown kind '{base}' (expected one of {known})")
        dims = [d.strip() for d in (dims_text or "").split(",") if d.strip()]
        if len(dims) != MATRIX_KINDS[base] or not all(_DIM.match(d) for d in dims):
            raise ExprError(f"'{name}': write {base}({', '.join('mn'[:MATRIX_KINDS[base]])})")
        sizes = [self._dim(d) for d in dims]
        shape = {"vector": lambda s: (s[0], 1), "matrix": lambda s: (s[0], s[1])}.get(
            base, lambda s: (s[0], s[0])
        )(sizes)
        obj = sp.MatrixSymbol(display, *shape)
        self.names[key] = Declared(display, base, obj, shape, domain)

    def _dim(self, text: str):
        if text.isdigit():
            return sp.Integer(int(text))
        return self.dims.setdefault(text, sp.Symbol(text, integer=True, positive=True))

    def lookup(self, raw: str) -> Declared | None:
        key = normalize(raw)
        return self.names.get(key) or self._loose.get(loose(key))

    def shadows(self, builtin: str) -> bool:
        """Exact names only: declaring `t_r` must not take `tr` away from the student."""
        return normalize(builtin) in self.names

    @cached_property
    def symbols(self) -> list[Declared]:
        return sorted(self.names.values(), key=lambda d: d.name)

    @cached_property
    def functions(self) -> frozenset[str]:
        """Built-in functions this table leaves callable: a declared name wins over a built-in."""
        from .library import FUNCTIONS  # the library builds on symbols; only this lookup goes back

        return frozenset(FUNCTIONS.keys() - self.names.keys())

    def allowed(self) -> list[str]:
        return [d.name for d in self.symbols]
