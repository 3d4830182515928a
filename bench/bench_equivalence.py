"""Our equivalence check against the naive one, on the same corpus, in the same process.

Ours:      parse both sides with grader.expr, then compare(), inside budget(2.0).
Baseline:  sympy.simplify(sympy.sympify(a) - sympy.sympify(b)) == 0, inside budget(10.0),
           on the same pairs written in sympy syntax (trusted text: this file is not grader/).

Two timings of the same checks:
- cold: each check reads both sides, as if every pair were a new part;
- as grading runs: a part's canonical answer is prepared once (ours: parse + prepare();
  the baseline: sympify), untimed, and each timed check reads one student answer and decides,
  which is what a grading run repeats for every student.

The baseline's text is our reading of each side printed with sympy's own str printer
(matrix names as MatrixSymbol locals, the course's functions spelled out in plain
sympy), so it never loses a pair to syntax: only to deciding. A baseline timeout or
crash counts as the verdict "different"; a timeout is also counted as over budget.

    python bench/bench_equivalence.py            # all pairs
    python bench/bench_equivalence.py --limit 300
"""

from __future__ import annotations

import argparse
import json
import keyword
import platform
import statistics
import sys
import time
from pathlib import Path

import sympy as sp
from sympy.printing.str import StrPrinter

from corpus_equivalence import PAIRS, TABLES
from grader.expr import BudgetExceeded, ExprError, SymbolTable, budget, compare, parse, prepare
from grader.expr.build import Builder
from grader.expr.limits import DEFAULT_LIMITS
from grader.expr.parser import parse_tree

OUR_BUDGET = 2.0
BASELINE_BUDGET = 10.0
RESULTS = Path(__file__).resolve().parent / "results" / "equivalence.json"


# ------------------------------------------------------------------ the corpus in sympy syntax

def _safe(name: str) -> str:
    return f"{name}_" if keyword.iskeyword(name) else name


class SympySyntax(StrPrinter):
    """Our parsed objects as text `sympify` reads back, using only sympy's own names."""

    def _print_Symbol(self, expr):
        return _safe(expr.name)

    def _print_Dummy(self, expr):
        return "d_"

    def _print_MatrixSymbol(self, expr):
        return _safe(expr.name)

    def _print_Identity(self, expr):
        return f"Identity({self._print(expr.rows)})"

    def _print_ZeroMatrix(self, expr):
        return f"ZeroMatrix({self._print(expr.rows)}, {self._print(expr.cols)})"

    def _print_HadamardProduct(self, expr):
        return f"HadamardProduct({', '.join(self._print(a) for a in expr.args)})"

    def _print_HadamardPower(self, expr):
        return f"HadamardPower({self._print(expr.base)}, {self._print(expr.exp)})"

    def _print_DiagMatrix(self, expr):
        return f"DiagMatrix({self._print(expr.args[0])})"

    def _print_ElementwiseApplyFunction(self, expr):
        (_,), body = expr.function.variables, expr.function.expr
        return f"({self._print(expr.expr)}).applyfunc(Lambda(d_, {self._print(body)}))"

    def _print_ToScalar(self, expr):
        return f"({self._print(expr.matrix)})[0, 0]"

    def _print_SumOf(self, expr):
        rows, cols = (self._print(d) for d in expr.matrix.shape)
        return f"(OneMatrix(1, {rows})*({self._print(expr.matrix)})*OneMatrix({cols}, 1))[0, 0]"

    def _print_Softmax(self, expr):
        z = self._print(expr.arg)
        rows = self._print(expr.arg.shape[0])
        return f"(({z}).applyfunc(exp)/(OneMatrix(1, {rows})*({z}).applyfunc(exp))[0, 0])"

    def _print_sigmoid(self, expr):
        return f"(1/(1 + exp(-({self._print(expr.args[0])}))))"

    def _print_relu(self, expr):
        return f"Max(0, {self._print(expr.args[0])})"

    def _print_softplus(self, expr):
        return f"log(1 + exp({self._print(expr.args[0])}))"


def namespace(table: SymbolTable) -> dict:
    names = {_safe(d.name): d.obj for d in table.symbols}
    names.update({str(sym): sym for sym in table.dims.values()})
    names["d_"] = sp.Symbol("d_")
    return names


def to_sympy_text(text: str, table: SymbolTable) -> str:
    return SympySyntax().doprint(parse(text, table))


# ------------------------------------------------------------------ the two checkers

def _timed(decide, limit: float, errors: tuple, unreadable) -> tuple[bool | None, float, bool]:
    """(verdict, seconds, over budget) of one check; `unreadable` is the verdict on `errors`."""
    start = time.perf_counter()
    verdict, over = None, False
    try:
        with budget(limit):
            verdict = decide()
    except BudgetExceeded:
        over = True
    except errors:
        verdict = unreadable
    elapsed = time.perf_counter() - start
    return verdict, elapsed, over or elapsed > limit


def ours(answer: str, canonical, table: SymbolTable) -> tuple[bool | None, float, bool]:
    """Read the answer (and the canonical one, unless it is already read) and compare."""
    def decide():
        expected = parse(canonical, table) if isinstance(canonical, str) else canonical
        result = compare(parse(answer, table), expected, table)
        return None if result.outcome == "undecided" else result.equivalent

    return _timed(decide, OUR_BUDGET, (ExprError,), unreadable=None)  # invalid input: no verdict


def baseline(answer: str, canonical, names: dict) -> tuple[bool | None, float, bool]:
    """The naive check; `canonical` is sympy text, or an object already sympified."""
    def decide():
        expected = sp.sympify(canonical, locals=names) if isinstance(canonical, str) else canonical
        difference = sp.simplify(sp.sympify(answer, locals=names) - expected)
        return difference == 0 or bool(getattr(difference, "is_ZeroMatrix", False))

    # a naive checker that cannot read or subtract the two says "different"
    return _timed(decide, BASELINE_BUDGET, (Exception,), unreadable=False)


def stages(pairs, tables: dict) -> dict:
    """Median milliseconds of each step of our check as grading runs (canonical prepared):
    the lark parse of the answer, building sympy objects from the tree, and `compare`."""
    times: dict[str, list[float]] = {"lark_parse": [], "sympy_build": [], "compare": [], "total": []}
    for pair in pairs:
        table = tables[pair.table]
        expected = parse(pair.canonical, table)
        prepare(expected, table)
        try:
            start = time.perf_counter()
            tree = parse_tree(pair.answer, table.functions, DEFAULT_LIMITS)
            parsed = time.perf_counter()
            answer = Builder(table, DEFAULT_LIMITS, pair.answer).finish(tree)
            built = time.perf_counter()
            compare(answer, expected, table)
            done = time.perf_counter()
        except ExprError:
            continue
        for key, seconds in (("lark_parse", parsed - start), ("sympy_build", built - parsed),
                             ("compare", done - built), ("total", done - start)):
            times[key].append(seconds)
    return {key: 1000 * statistics.median(values) for key, values in times.items()}


# ------------------------------------------------------------------ figures

def summary(results: list[tuple[bool | None, float, bool]], truth: list[bool]) -> dict:
    times = sorted(t for _, t, _ in results)
    correct = sum(verdict == want for (verdict, _, _), want in zip(results, truth))

    def quantile(q: float) -> float:
        return times[min(len(times) - 1, round(q * (len(times) - 1)))]

    return {
        "checks": len(results),
        "checks_per_second": len(results) / sum(times),
        "p50_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * quantile(0.99),
        "max_ms": 1000 * times[-1],
        "accuracy": correct / len(results),
        "correct": correct,
        "over_budget": sum(over for _, _, over in results),
    }


def table_text(title: str, ours_: dict, base: dict) -> str:
    rows = [
        ("checks", "{:d}"), ("checks_per_second", "{:.1f}"), ("p50_ms", "{:.2f}"), ("p99_ms", "{:.2f}"),
        ("max_ms", "{:.2f}"), ("accuracy", "{:.2%}"), ("over_budget", "{:d}"),
    ]
    lines = [f"{title:22} {'ours':>10} {'baseline':>10}"]
    for key, fmt in rows:
        lines.append(f"  {key:20} {fmt.format(ours_[key]):>10} {fmt.format(base[key]):>10}")
    lines.append(f"  {'median speed-up':20} {base['p50_ms'] / ours_['p50_ms']:>9.1f}x")
    lines.append(f"  {'throughput speed-up':20} {ours_['checks_per_second'] / base['checks_per_second']:>9.1f}x")
    return "\n".join(lines)


def _subset(results: list, keep: list[bool]) -> list:
    return [r for r, k in zip(results, keep) if k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pairs")
    args = parser.parse_args(argv)
    pairs = PAIRS[: args.limit] if args.limit else PAIRS
    tables = {name: SymbolTable(decls) for name, decls in TABLES.items()}
    names = {name: namespace(table) for name, table in tables.items()}
    truth = [pair.equivalent for pair in pairs]

    written = [(to_sympy_text(p.answer, tables[p.table]), to_sympy_text(p.canonical, tables[p.table])) for p in pairs]
    our_results = [ours(pair.answer, pair.canonical, tables[pair.table]) for pair in pairs]
    base_results = []
    for i, (pair, (answer, canonical)) in enumerate(zip(pairs, written), 1):  # cold
        base_results.append(baseline(answer, canonical, names[pair.table]))
        print(f"\rbaseline {i}/{len(pairs)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    # as grading runs: the canonical side prepared once per part (untimed), then one timed check
    prepared_ours, prepared_base = [], []
    for pair, (answer, canonical) in zip(pairs, written):
        table = tables[pair.table]
        expected = parse(pair.canonical, table)
        prepare(expected, table)
        prepared_ours.append(ours(pair.answer, expected, table))
        try:
            canonical_obj = sp.sympify(canonical, locals=names[pair.table])
        except Exception:  # noqa: BLE001 - the baseline cannot read it: it says "different"
            prepared_base.append((False, 0.0, False))
            continue
        prepared_base.append(baseline(answer, canonical_obj, names[pair.table]))

    # pairs whose two sides are the same sympy object once read (notation variants: \\frac{x}{2} and x/2)
    # cost either checker one parse per side; the rest need an actual decision
    decide = [parse(p.answer, tables[p.table]) != parse(p.canonical, tables[p.table]) for p in pairs]
    figures = {
        "all": {"ours": summary(our_results, truth), "baseline": summary(base_results, truth)},
        "needs_decision": {
            "ours": summary(_subset(our_results, decide), _subset(truth, decide)),
            "baseline": summary(_subset(base_results, decide), _subset(truth, decide)),
        },
    }
    figures["as_grading_runs"] = {"ours": summary(prepared_ours, truth), "baseline": summary(prepared_base, truth)}
    for group in ("all", "needs_decision", "as_grading_runs"):
        figures[group]["median_speedup"] = figures[group]["baseline"]["p50_ms"] / figures[group]["ours"]["p50_ms"]
    figures["stages_p50_ms"] = stages(pairs, tables)
    figures["budgets_s"] = {"ours": OUR_BUDGET, "baseline": BASELINE_BUDGET}
    figures["machine"] = {"python": platform.python_version(), "sympy": sp.__version__,
                          "platform": platform.platform()}
    figures["wrong"] = {
        "ours": [p._asdict() for p, r in zip(pairs, our_results) if r[0] != p.equivalent],
        "baseline_by_truth": {
            "equivalent": sum(r[0] != p.equivalent for p, r in zip(pairs, base_results) if p.equivalent),
            "different": sum(r[0] != p.equivalent for p, r in zip(pairs, base_results) if not p.equivalent),
        },
    }
    print(table_text(f"all {len(pairs)} pairs", figures["all"]["ours"], figures["all"]["baseline"]))
    print(table_text(f"{sum(decide)} needing a decision", figures["needs_decision"]["ours"],
                     figures["needs_decision"]["baseline"]))
    print(table_text("as grading runs", figures["as_grading_runs"]["ours"], figures["as_grading_runs"]["baseline"]))
    print("as grading runs, our median check step by step (ms):  "
          + ",  ".join(f"{key} {value:.3f}" for key, value in figures["stages_p50_ms"].items()))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
