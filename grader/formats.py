"""Reports for people (text, Markdown) and machines (JSON, JUnit, CSV). Formatting only."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from .status import Status
from .identity import IDENTITY
from .inert import csv_cell, visible, xml_text
from .inert import markdown_text as _md
from .report import Report
from .stats import class_summary, item_analysis

MARKS = {Status.CORRECT: "✓", Status.PARTIAL: "~", Status.INCORRECT: "✗", Status.INVALID: "!",
         Status.UNGRADED: "?", Status.MISSING: "-"}
COLOURS = {Status.CORRECT: "green", Status.PARTIAL: "yellow", Status.INCORRECT: "red", Status.INVALID: "magenta",
           Status.UNGRADED: "cyan", Status.MISSING: "dim"}


def _num(x: float) -> str:
    return f"{x:.4g}" if x != int(x) else str(int(x))


def _line(*segments) -> list[tuple[str, str]]:
    """One line of the text report: (text, rich style) pairs; plain strings are unstyled."""
    return [(seg, "") if isinstance(seg, str) else seg for seg in segments]


def text(report: Report, colour: bool = False) -> str:
    """The report for a terminal. Student text goes through `visible` and is never read as markup.

    rich draws the colours; without colour the same lines are joined as they are, so a pipe,
    a file or CI does not pay rich's import (about a tenth of a cold `grade submit`).
    """
    lines = [_line((visible(report.student), "bold"), f" — {visible(report.assignment)}: ",
                   (f"{_num(report.score)} / {_num(report.max_score)}", "bold"), f" ({report.percent:.1f}%)")]
    for problem in report.problems:
        lines.append([])
        lines.append(_line((visible(problem.id), "bold"),
                           f"  {visible(problem.title)}  {_num(problem.score)} / {_num(problem.max_score)}"))
        width = max((len(p.id) for p in problem.parts), default=4)
        for part in problem.parts:
            lines.append(_line("  ", (f"{MARKS[part.status]} {visible(part.id.ljust(width))}  {part.status:<9}",
                                      COLOURS[part.status]),
                               f" {_num(part.score):>5} / {_num(part.max_score)}"))
            if part.read_as and part.status != Status.CORRECT:
                lines.append(_line(f"      read as: {visible(part.read_as)}"))
            lines.extend(_line(f"      {visible(line)}") for line in part.feedback.splitlines())
    lines.extend(_line(("warning:", "yellow"), f" {visible(warning)}") for warning in report.warnings)
    if not colour:
        return "".join("".join(seg for seg, _ in line) + "\n" for line in lines)
    from rich.console import Console
    from rich.text import Text

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, highlight=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*line))
    return out.getvalue()


def as_json(reports: Report | list[Report]) -> str:
    if isinstance(reports, list):
        return json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False)
    return json.dumps(reports.to_dict(), indent=2, ensure_ascii=False)


def junit(reports: Report | list[Report]) -> str:
    """One test suite per submission, one test case per part: failures carry the feedback."""
    return _xml(_junit_tree(reports if isinstance(reports, list) else [reports]))


def _xml(root: ET.Element) -> str:
    """The document, with every text and attribute made XML-safe (student text may hold NUL or ESC)."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _junit_tree(reports: list[Report]) -> ET.Element:
    root = ET.Element("testsuites", name="grade")
    for report in reports:
        cases = list(report.parts())
        suite = ET.SubElement(root, "testsuite", name=f"{report.student}/{report.assignment}",
                              tests=str(len(cases)))
        counts = {"failures": 0, "errors": 0, "skipped": 0}
        for problem, part in cases:
            case = ET.SubElement(suite, "testcase", classname=problem.id.replace("/", "."), name=part.id)
            case.set("time", "0")
            message = f"{part.status}: {_num(part.score)}/{_num(part.max_score)}"
            if part.status in (Status.INCORRECT, Status.PARTIAL, Status.MISSING):
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=message, type=part.status).text = part.feedback
            elif part.status == Status.INVALID:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=message, type=Status.INVALID).text = part.feedback
            elif part.status == Status.UNGRADED:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=part.feedback or Status.UNGRADED)
        for key, value in counts.items():
            suite.set(key, str(value))
        if report.warnings:
            ET.SubElement(suite, "system-err").text = "\n".join(report.warnings)
    return root


def markdown(report: Report) -> str:
    lines = [f"## {_md(report.student)} — {_md(report.assignment)}: {_num(report.score)} / "
             f"{_num(report.max_score)} ({report.percent:.1f}%)", ""]
    for problem in report.problems:
        lines += [f"### {_md(problem.id)}: {_md(problem.title)} — {_num(problem.score)} / "
                  f"{_num(problem.max_score)}", "", "| part | status | score | feedback |", "|---|---|---|---|"]
        for part in problem.parts:
            lines.append(f"| {_md(part.id)} | {MARKS[part.status]} {part.status} | "
                         f"{_num(part.score)} / {_num(part.max_score)} | {_md(part.feedback)} |")
        lines.append("")
    lines += [f"> warning: {_md(w)}" for w in report.warnings]
    return "\n".join(lines).rstrip() + "\n"


def gradescope(report: Report) -> str:
    """The results.json a Gradescope autograder writes: the total, and one test per part with its feedback.

    Student text goes into `output` as plain text (Gradescope's default "text" format shows it literally).
    """
    tests = []
    for problem, part in report.parts():
        lines = [part.status] + ([f"read as: {part.read_as}"] if part.read_as and part.status != "correct" else [])
        tests.append({"name": f"{problem.id}/{part.id}", "score": part.score, "max_score": part.max_score,
                      "status": "passed" if part.status == "correct" else "failed",
                      "output": "\n".join(lines + part.feedback.splitlines()), "visibility": "visible"})
    summary = [f"{report.student} — {report.assignment}: {_num(report.score)} / {_num(report.max_score)} "
               f"({report.percent:.1f}%)"] + [f"warning: {w}" for w in report.warnings]
    return json.dumps({"score": report.score, "output": "\n".join(summary), "stdout_visibility": "hidden",
                       "tests": tests}, indent=2, ensure_ascii=False)


# many submissions (grade batch / grade merge)

def batch_csv(outcomes) -> str:
    """A row per file: student, totals, each problem's and each part's score; unusable files say why."""
    columns: list[str] = []
    for report in (o.report for o in outcomes if o.report is not None):
        for problem in report.problems:
            for key in [problem.id] + [f"{problem.id}:{p.id}" for p in problem.parts]:
                if key not in columns:
                    columns.append(key)
    rows = []
    for outcome in outcomes:
        report = outcome.report
        if report is None:
            rows.append([outcome.student or "", outcome.assignment or "", "", "", "",
                         *[""] * len(columns), outcome.file, outcome.error, ""])
            continue
        values = {}
        for problem in report.problems:
            values[problem.id] = _num(problem.score)
            values.update({f"{problem.id}:{p.id}": _num(p.score) for p in problem.parts})
        rows.append([report.student, report.assignment, _num(report.score), _num(report.max_score),
                     f"{report.percent:.2f}", *[values.get(c, "") for c in columns], outcome.file, "",
                     "; ".join(report.warnings)])
    return csv_table(["student", "assignment", "score", "max_score", "percent", *columns, "file", "error", "warnings"],
                     rows)


def csv_table(header: list, rows: list[list]) -> str:
    """CSV whose cells cannot act as spreadsheet formulas (see `inert.csv_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in [header, *rows]:
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def batch_json(outcomes) -> str:
    items = [o.report.to_dict() if o.report is not None else
             {"file": o.file, "error": o.error, "student": o.student, "assignment": o.assignment}
             for o in outcomes]
    return json.dumps(items, indent=2, ensure_ascii=False)


def batch_junit(outcomes) -> str:
    """`junit` for the graded files, and a suite of errors for the unusable ones."""
    root = _junit_tree([o.report for o in outcomes if o.report is not None])
    errors = [o for o in outcomes if o.report is None]
    if not errors:
        return _xml(root)
    suite = ET.SubElement(root, "testsuite", name="unusable files", tests=str(len(errors)),
                          failures="0", errors=str(len(errors)), skipped="0")
    for outcome in errors:
        case = ET.SubElement(suite, "testcase", classname="files", name=outcome.file, time="0")
        ET.SubElement(case, "error", message="unusable file", type="unusable").text = outcome.error
    return _xml(root)


def batch_markdown(outcomes, hardest: int = 5, problems=None) -> str:
    """A CI job summary: class mean, median, distribution, hardest auto-graded parts with their most common
    wrong answers (invalid ones with the reason; with the bank at `problems`, whether a `mistakes` rule
    meets each), unusable files."""
    reports = [o.report for o in outcomes if o.report is not None]
    summary = class_summary(reports)
    lines = [f"## Grades: {summary['count']} submissions", "",
             f"- mean: {summary['mean']:.1f}%", f"- median: {summary['median']:.1f}%",
             f"- unusable files: {len(outcomes) - len(reports)}", "",
             "| score | students |", "|---|---|"]
    lines += [f"| {band}% | {count} {'█' * count if count <= 40 else '█' * 40 + '…'} |"
              for band, count in summary["distribution"]]
    analysed = item_analysis(reports, problems)
    parts = sorted((s for s in analysed if not s.manual), key=lambda s: (s.mean_credit, s.problem, s.part))[:hardest]
    if parts:
        lines += ["", "### Hardest parts", "", "| part | correct | mean credit | most common wrong answers |",
                  "|---|---|---|---|"]
        for s in parts:
            wrong = "; ".join(f"{_md(answer)} ({count}{', ' + _md(note) if note else ''})"
                              for (answer, note), count in s.wrong.most_common(3))
            lines.append(f"| {_md(s.problem + '/' + s.part)} | {s.share_correct:.0%} | {s.mean_credit:.2f} "
                         f"| {wrong} |")
    manual = [f"{s.problem}/{s.part}" for s in analysed if s.manual]
    if manual:
        more = f" and {len(manual) - 10} more" if len(manual) > 10 else ""
        lines += ["", f"Kept for a person, not ranked: {_md(', '.join(manual[:10]))}{more}"]
    identity = [(o.file, w) for o in outcomes if o.report is not None for w in o.report.warnings
                if w.startswith(IDENTITY)]
    if identity:
        lines += ["", "### Who submitted what", ""] + [f"- {_md(file)}: {_md(w.removeprefix(IDENTITY))}"
                                                       for file, w in identity]
    errors = [o for o in outcomes if o.report is None]
    if errors:
        lines += ["", "### Unusable files", ""] + [f"- {_md(o.file)}: {_md(o.error or '')}" for o in errors]
    return "\n".join(lines) + "\n"


BATCH_FORMATS = {"csv": batch_csv, "json": batch_json, "junit": batch_junit, "markdown": batch_markdown}
