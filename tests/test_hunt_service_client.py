"""The CLI as a client of a server that misbehaves: whatever comes back (not JSON, a 500 page, a
redirect, a reply of the wrong shape, a multi-line error, a huge body), the user sees one line
on stderr, `grade: ...`, exit 2, never a traceback and never the token."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from grader import client

from .helpers import REPO, run

ALICE = REPO / "submissions" / "demo" / "alice.toml"
TOKEN = "grade_s3cret-token"
COMMANDS = [["submit", ALICE], ["template", "demo"], ["show", "demo/neuron"], ["history"], ["login"]]


class Reply:
    """What the fake server answers to every request: status, headers, body."""

    status, headers, body = 200, {}, b""


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(Reply.status)
        for name, value in Reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(Reply.body)))
        self.end_headers()
        try:
            self.wfile.write(Reply.body)
        except (BrokenPipeError, ConnectionResetError):   # the client stopped reading: what a cap does
            pass

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def fake():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _run(command, url):
    if command == ["login"]:
        return run("login", url, "--token", TOKEN)
    return run(*command, "--server", url, "--token", TOKEN)


REPLIES = {
    "not JSON": (200, {"Content-Type": "text/html"}, b"<html>hello</html>"),
    "a 500 page": (500, {"Content-Type": "text/html"}, b"<html>\nInternal Server Error\n</html>"),
    "a redirect": (302, {"Location": "http://127.0.0.1:9/elsewhere"}, b""),
    "a 301 with JSON": (301, {"Location": "/x", "Content-Type": "application/json"}, b'{"template": "x", "text": "x"}'),
    "JSON of the wrong shape": (200, {"Content-Type": "application/json"}, b'[1, 2, 3]'),
    "a number": (200, {"Content-Type": "application/json"}, b'17'),
    "a multi-line error": (400, {"Content-Type": "application/json"},
                           json.dumps({"error": "first line\nsecond line\nthird"}).encode()),
    "an error that is not text": (403, {"Content-Type": "application/json"}, b'{"error": {"nested": [1]}}'),
}


@pytest.mark.parametrize("reply", REPLIES, ids=list(REPLIES))
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_misbehaving_server_is_one_line_and_exit_2(fake, command, reply, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    Reply.status, Reply.headers, Reply.body = REPLIES[reply]
    result = _run(command, fake)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("grade: "), result.stderr
    assert "Traceback" not in result.output + result.stderr and TOKEN not in result.output + result.stderr
    assert not (tmp_path / "config" / "grade" / "login.json").exists()   # login saved nothing


def test_a_huge_reply_is_not_read_whole(fake, monkeypatch):
    """A reply over the client's cap is refused after reading the cap, not held in memory entire."""
    monkeypatch.setattr(client, "MAX_REPLY", 1000)
    Reply.status, Reply.headers, Reply.body = 200, {"Content-Type": "application/json"}, \
        json.dumps({"template": "x" * 5000}).encode()
    result = _run(["template", "demo"], fake)
    assert result.exit_code == 2
    assert result.stderr.startswith("grade: ") and "too large" in result.stderr
    assert len(result.stderr.splitlines()) == 1
