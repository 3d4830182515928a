"""Shared by the expression tests: the answer corpus lives beside the benchmark that also uses it."""

import os
import sys
import tempfile
from pathlib import Path

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
