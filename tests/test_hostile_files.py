"""Hostile answer files: nothing a student writes stalls a worker or becomes an internal error."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import PROBLEMS, REPO, part, run, write

HEAD = 'student = "ann"\nassignment = "demo"\n'


def submit(path):
    return run("submit", path, "--problems", PROBLEMS, "--format", "json")


def test_a_line_of_spaces_in_a_multiline_array_does_not_stall(tmp_path):
    # a row of a multi-line array looks like a [table] header to the line index; the old header
    # pattern backtracked over the spaces after it: 4 s for 40k spaces, most of an hour for this file
    path = tmp_path / "a.toml"
    path.write_text(HEAD + "[neuron]\ngrad = [\n[ 1," + " " * 950_000 + "\n 2]]\nz = 0.1\n")
    done = subprocess.run([sys.executable, "-m", "grader", "submit", str(path), "--problems", str(PROBLEMS),
                           "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert part(json.loads(done.stdout), "neuron/grad")["status"] == "incorrect"


def test_warnings_about_unknown_keys_are_capped(tmp_path):
    keys = "".join(f"k{i} = {i}\n" for i in range(60_000))
    result = submit(write(tmp_path / "a.toml", HEAD + "[neuron]\n" + keys))
    assert result.exit_code == 0
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 21 and warnings[-1] == "... and 59980 more warnings"
    assert len(result.stdout) < 20_000


def test_huge_arrays_are_refused_by_size_before_they_are_read(tmp_path):
    vector = "[" + ", ".join(['"1+1"'] * 10_000) + "]"
    matrix = "[" + ", ".join(["[" + ", ".join(["2"] * 100) + "]"] * 100) + "]"
    for answer in (vector, matrix):
        report = json.loads(submit(write(tmp_path / "a.toml", HEAD + f"[neuron]\ngrad = {answer}\n")).stdout)
        grad = part(report, "neuron/grad")
        assert grad["status"] == "invalid"
        assert grad["feedback"] == "[neuron] grad (line 4): too many entries (10000 given, 2 expected); not read"


def test_numbers_past_every_range_are_invalid_parts_not_internal_errors(tmp_path):
    answers = HEAD + "[neuron]\nz = \"round(exp(exp(10)), 2)\"\n[matrix_calculus]\nparams = 1" + "0" * 4000 + "\n"
    result = submit(write(tmp_path / "a.toml", answers))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    z = part(report, "neuron/z")
    assert z["status"] == "invalid"
    assert z["feedback"] == "[neuron] z (line 4): the value is out of range: too large to compute"
    params = part(report, "matrix_calculus/params")
    assert params["status"] == "invalid" and "number too large to compute with" in params["feedback"]


def test_files_tomllib_cannot_take_get_a_one_line_reason(tmp_path):
    for depth, nested in [(600, "[neuron]\nz = " + "[" * 600 + "]" * 600), (60, "[neuron]\nz = " + "[" * 60 + "]" * 60),
                          (5000, "neuron.z" + ".a" * 5000 + " = 1")]:                 # dotted keys nest too
        deep = write(tmp_path / "deep.toml", HEAD + nested + "\n")
        result = submit(deep)
        assert result.exit_code == 2, depth
        assert result.stderr == f"grade: {deep}: arrays or tables nested too deeply (over 50 levels)\n"
    long = write(tmp_path / "long.toml", HEAD + "[neuron]\nz = 1" + "0" * 4400 + "\n")
    result = submit(long)
    assert result.exit_code == 2
    assert result.stderr == f"grade: {long}:4: a number is too long (over 4300 digits)\n"


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + "[neuron]\nz = 0.1\n").encode())
    result = submit(path)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["student"] == "ann"


def test_an_array_of_tables_says_to_use_a_table(tmp_path):
    report = json.loads(submit(write(tmp_path / "a.toml", HEAD + "[[neuron]]\nz = 0.1\n")).stdout)
    assert report["warnings"] == ["[[neuron]] is an array of tables and was ignored: write [neuron] (single brackets)"]


def test_a_decimal_for_an_integer_part_says_why_it_is_refused(tmp_path):
    for written in ("3140000.5", '"31400.5"'):
        report = json.loads(submit(write(tmp_path / "a.toml", HEAD + f"[matrix_calculus]\nparams = {written}\n")).stdout)
        params = part(report, "matrix_calculus/params")
        assert params["status"] == "invalid"
        assert params["feedback"] == (f"[matrix_calculus] params (line 4): expected a whole number: "
                                      f"{written.strip(chr(34))} has a fractional part")
    report = json.loads(submit(write(tmp_path / "a.toml", HEAD + "[matrix_calculus]\nparams = 7850.0\n")).stdout)
    assert part(report, "matrix_calculus/params")["status"] != "invalid"          # a whole decimal is read as usual


def test_a_student_id_cannot_be_a_megabyte(tmp_path):
    path = write(tmp_path / "a.toml", f'student = "{"x" * 5000}"\nassignment = "demo"\n')
    result = submit(path)
    assert result.exit_code == 2
    assert result.stderr == f"grade: {path}:1: 'student' is too long (5000 characters; the limit is 200)\n"
