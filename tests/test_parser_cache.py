"""The answer parser's tables are cached between runs; a cache that is missing, unwritable,
stale or corrupt only costs the time to build them again, never a wrong or failed parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import cachedir
from grader.expr import parser
from grader.expr.parser import build_parser

GRAMMAR = parser._FULL_GRAMMAR


def _reads(lark) -> bool:
    return lark.parse(parser._Source("2*x + 1", frozenset(), frozenset())) == \
        build_parser(GRAMMAR, None).parse(parser._Source("2*x + 1", frozenset(), frozenset()))


def test_a_missing_cache_file_is_written_then_used(tmp_path):
    cache = tmp_path / "answers.lark"
    assert _reads(build_parser(GRAMMAR, str(cache)))
    assert cache.stat().st_size > 0
    assert _reads(build_parser(GRAMMAR, str(cache)))


def test_a_cache_in_a_folder_that_is_not_there_is_passed_over(tmp_path):
    cache = tmp_path / "no" / "such" / "folder" / "answers.lark"
    assert _reads(build_parser(GRAMMAR, str(cache)))
    assert not cache.exists()


@pytest.mark.parametrize("content", [b"", b"garbage\n\x00\x01", b"0" * 64 + b"\n" + b"\x80\x04K\x01."])
def test_a_corrupt_or_stale_cache_is_rebuilt(tmp_path, content):
    cache = tmp_path / "answers.lark"
    cache.write_bytes(content)
    assert _reads(build_parser(GRAMMAR, str(cache)))
    assert cache.read_bytes() != content  # written again, whole


def test_a_cache_for_another_grammar_is_not_used(tmp_path):
    cache = tmp_path / "answers.lark"
    build_parser(GRAMMAR.replace("%ignore", "// changed\n%ignore", 1), str(cache))
    assert _reads(build_parser(GRAMMAR, str(cache)))


def test_no_cache_folder_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setattr("platformdirs.user_cache_dir", lambda *args, **kwargs: str(blocker / "grade"))
    assert cachedir.cache_file("answers.lark") is None
    assert _reads(build_parser(GRAMMAR, cachedir.cache_file("answers.lark")))


def test_an_unwritable_cache_file_is_passed_over(tmp_path):
    cache = tmp_path / "answers.lark"
    cache.mkdir()  # a folder where the file should be: neither readable nor writable as a file (even as root)
    assert _reads(build_parser(GRAMMAR, str(cache)))


def test_the_cache_folder_is_made_when_missing(tmp_path, monkeypatch):
    monkeypatch.setattr("platformdirs.user_cache_dir", lambda *args, **kwargs: str(tmp_path / "a" / "grade"))
    assert cachedir.cache_file("answers.lark") == str(tmp_path / "a" / "grade" / "answers.lark")
    assert Path(tmp_path / "a" / "grade").is_dir()
