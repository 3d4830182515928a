"""One student's handout of an assignment, as Markdown or a standalone HTML page.

Rendered from `present.view` alone, so what a handout can show is what the view holds: statements,
prompts, points, choices, names, the student's parameter values; never an answer. In Markdown the
instructor's text is kept as written (it may hold Markdown and LaTeX on purpose) and the student's
id is made literal; in HTML every piece of text is escaped and the page loads nothing from elsewhere.
"""

from __future__ import annotations

import hashlib
import html
import re

from .inert import markdown_text, visible
from .present import points_text

FORMATS = ("md", "html")


def _points(points: float, bonus: bool = False) -> str:
    return points_text(points) + (", bonus" if bonus else "")


def _part_lines(part: dict) -> list[str]:
    """The lines under a prompt: the choices and the names a formula may use."""
    lines = [key if key == label else f"{key}: {label}" for key, label in part.get("choices", {}).items()]
    if part.get("names"):
        lines.append("names you can use: " + ", ".join(part["names"]))
    return lines


def markdown(view: dict, student: str) -> str:
    lines = [f"# {view['title']}", "", f"Student: {markdown_text(student)}; {_points(view['points'])} in all.", ""]
    for problem in view["problems"]:
        lines += [f"## {problem['title']}", "", f"`{problem['id']}`", "", problem["statement"], ""]
        for part in problem["parts"]:
            head = f"**{part['id']}** ({_points(part['points'], part.get('bonus', False))}, {part['type']})"
            lines.append(f"- {head} {part['prompt']}".rstrip())
            lines += [f"    - {line}" for line in _part_lines(part)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_STYLE = """body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.5}
.text{white-space:pre-wrap}.part{margin:.8em 0}.id{font-family:monospace;font-weight:bold}
.meta{color:#555}ul{margin:.2em 0}"""


def page(view: dict, student: str) -> str:
    """A standalone page: inline style, no script, and a policy that forbids loading anything."""
    e = html.escape
    who = html.escape(visible(student))   # a roster's id may hold controls or invisible marks
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           f"<title>{e(view['title'])}: {who}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{e(view['title'])}</h1>",
           f'<p class="meta">Student: <strong>{who}</strong>; {_points(view["points"])} in all.</p>']
    for problem in view["problems"]:
        out += ["<section>", f"<h2>{e(problem['title'])}</h2>", f'<p class="meta">{e(problem["id"])}</p>',
                f'<div class="text">{e(problem["statement"])}</div>']
        for part in problem["parts"]:
            head = f"{_points(part['points'], part.get('bonus', False))}, {part['type']}"
            out.append(f'<div class="part"><span class="id">{e(part["id"])}</span> '
                       f'<span class="meta">({e(head)})</span> <span class="text">{e(part["prompt"])}</span>')
            extra = _part_lines(part)
            if extra:
                out.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in extra) + "</ul>")
            out.append("</div>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


RENDER = {"md": markdown, "html": page}

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def file_name(student: str, fmt: str, taken: set[str]) -> str:
    """A file name for this student's handout that stays in its folder whatever the id holds.

    An id that is not a plain name (a slash, `..`, spaces, controls), or that would clash with another
    on a case-insensitive disk, gets its unsafe characters replaced and a hash of the id appended.
    """
    name = student if _SAFE.fullmatch(student) and not student.endswith(".") else ""
    if not name or name.casefold() in taken:
        digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        name = f"{re.sub(r'[^A-Za-z0-9_-]+', '_', student)[:60].strip('_') or 'student'}-{digest}"
    taken.add(name.casefold())
    return f"{name}.{fmt}"
