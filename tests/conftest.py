"""Shared by the expression tests: the answer corpus lives beside the benchmark that also uses it."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

# no test may reach a server a developer logged in to: every run starts with no stored login
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="grade-test-config-")
os.environ.pop("GRADE_TOKEN", None)

# CI runs every property test from the same seed, so a run is reproducible; a developer's run
# explores new examples each time
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def bank(tmp_path):
    """A copy of the demo bank where every student is graded against the published values (the batch,
    gradebook and identity tests share it; a test file may define its own `bank`)."""
    from .helpers import PROBLEMS, write

    root = tmp_path / "problems"
    shutil.copytree(PROBLEMS / "demo", root / "demo")
    write(root / "demo" / "_assignment.toml",
          "published = [" + ", ".join(f'"s{i:03d}"' for i in range(200)) + "]\n")
    return root
