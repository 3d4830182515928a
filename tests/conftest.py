"""Shared by the expression tests: the answer corpus lives beside the benchmark that also uses it."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
