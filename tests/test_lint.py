"""Lint (ruff, configured in pyproject.toml) and types (mypy on metrics/ and warehouse/) pass.

Run from the test suite so that `make test`, and CI with it, fail on a violation. Both tools come
from the test extra (constraints.txt pins them); they run as `python -m …` of this interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=PROJECT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    completed = run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-2000:]


def test_ruff_format_leaves_every_file_as_it_is():
    completed = run("ruff", "format", "--check", "--no-cache", ".")
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-2000:]


@pytest.mark.slow
def test_mypy_finds_nothing(tmp_path):  # about 15 s
    completed = run("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-2000:]
    assert "Success" in completed.stdout


def test_ruff_catches_a_violation():
    """The configuration is really read: in metrics/ a public function without a docstring and an
    unused import fail; outside metrics/ and warehouse/ docstrings are not required."""
    source = '"""A module."""\nimport os\n\n\ndef public():\n    return 1\n'
    for name, expected in (("metrics/bad.py", {"F401", "D103"}), ("callbacks/bad.py", {"F401"})):
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--no-cache",
                "--output-format",
                "concise",
                "--stdin-filename",
                name,
                "-",
            ],
            input=source,
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 1
        found = {code for code in ("F401", "D103") if f" {code} " in completed.stdout}
        assert found == expected, completed.stdout


def test_no_file_is_exempt():
    """Docstrings are required in every file of metrics/ and warehouse/, and mypy checks them all:
    per-file-ignores only lift the rule outside those packages, and no mypy override skips errors."""
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    ignores = config["tool"]["ruff"]["lint"]["per-file-ignores"]
    assert ignores == {"!{metrics,warehouse}/**": ["D1"], "{metrics,warehouse}/__init__.py": ["D104"]}
    overrides = config["tool"]["mypy"].get("overrides", [])
    assert not [o for o in overrides if o.get("ignore_errors")], overrides
