"""Reports for people (text, Markdown) and machines (JSON, JUnit, CSV). Formatting only."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from rich.console import Console
from rich.markup import escape

from .report import Report

MARKS = {"correct": "✓", "partial": "~", "incorrect": "✗", "invalid": "!", "ungraded": "?", "missing": "-"}
COLOURS = {"correct": "green", "partial": "yellow", "incorrect": "red", "invalid": "magenta",
           "ungraded": "cyan", "missing": "dim"}


def _num(x: float) -> str:
    return f"{x:.4g}" if x != int(x) else str(int(x))


def text(report: Report, colour: bool = False) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=colour, no_color=not colour, width=100,
                      highlight=False, soft_wrap=True)
    console.print(f"[bold]{escape(report.student)}[/] — {escape(report.assignment)}: "
                  f"[bold]{_num(report.score)} / {_num(report.max_score)}[/] ({report.percent:.1f}%)")
    for problem in report.problems:
        console.print()
        console.print(f"[bold]{escape(problem.id)}[/]  {escape(problem.title)}  "
                      f"{_num(problem.score)} / {_num(problem.max_score)}")
        width = max((len(p.id) for p in problem.parts), default=4)
        for part in problem.parts:
            style = COLOURS[part.status]
            console.print(f"  [{style}]{MARKS[part.status]} {escape(part.id.ljust(width))}  "
                          f"{part.status:<9}[/] {_num(part.score):>5} / {_num(part.max_score):<5}")
            if part.read_as and part.status != "correct":
                console.print(f"      read as: {escape(part.read_as)}")
            for line in part.feedback.splitlines():
                console.print(f"      {escape(line)}")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    return out.getvalue()


def as_json(reports: Report | list[Report]) -> str:
    if isinstance(reports, list):
        return json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False)
    return json.dumps(reports.to_dict(), indent=2, ensure_ascii=False)


def junit(reports: Report | list[Report]) -> str:
    """One test suite per submission, one test case per part: failures carry the feedback."""
    reports = reports if isinstance(reports, list) else [reports]
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
            if part.status in ("incorrect", "partial", "missing"):
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=message, type=part.status).text = part.feedback
            elif part.status == "invalid":
                counts["errors"] += 1
                ET.SubElement(case, "error", message=message, type="invalid").text = part.feedback
            elif part.status == "ungraded":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=part.feedback or "ungraded")
        for key, value in counts.items():
            suite.set(key, str(value))
        if report.warnings:
            ET.SubElement(suite, "system-err").text = "\n".join(report.warnings)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: Report) -> str:
    lines = [f"## {report.student} — {report.assignment}: {_num(report.score)} / {_num(report.max_score)} "
             f"({report.percent:.1f}%)", ""]
    for problem in report.problems:
        lines += [f"### {problem.id}: {_cell(problem.title)} — {_num(problem.score)} / {_num(problem.max_score)}",
                  "", "| part | status | score | feedback |", "|---|---|---|---|"]
        for part in problem.parts:
            lines.append(f"| {part.id} | {MARKS[part.status]} {part.status} | "
                         f"{_num(part.score)} / {_num(part.max_score)} | {_cell(part.feedback)} |")
        lines.append("")
    lines += [f"> warning: {_cell(w)}" for w in report.warnings]
    return "\n".join(lines).rstrip() + "\n"


def csv_rows(reports: list[Report]) -> str:
    """One row per student: total, then each problem and each part score (columns from all reports)."""
    columns: list[str] = []
    for report in reports:
        for problem in report.problems:
            for key in [problem.id] + [f"{problem.id}:{p.id}" for p in problem.parts]:
                if key not in columns:
                    columns.append(key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "assignment", "score", "max_score", "percent", *columns])
    for report in reports:
        values = {}
        for problem in report.problems:
            values[problem.id] = _num(problem.score)
            for part in problem.parts:
                values[f"{problem.id}:{part.id}"] = _num(part.score)
        writer.writerow([report.student, report.assignment, _num(report.score), _num(report.max_score),
                         f"{report.percent:.2f}", *[values.get(c, "") for c in columns]])
    return out.getvalue()
