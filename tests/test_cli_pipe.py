"""`hkdash … | head` and any closed pipe: a quiet exit, never a BrokenPipeError traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("extra", [["--json"], []])
def test_summary_into_a_closed_pipe_exits_quietly(seed1_wh, extra):
    # The reading end is closed before the command writes anything (it is still importing modules),
    # so its first write really meets a closed pipe, whatever the size of the output.
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", str(seed1_wh.path), "summary", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert stderr == ""


def test_summary_json_through_head(seed1_wh):
    command = f"{sys.executable} -m cli --db {seed1_wh.path} summary --json | head -c 100"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, capture_output=True, timeout=120)
    assert len(result.stdout) == 100 and result.stdout.startswith(b"{")
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr
    assert result.returncode in (0, 1)  # 1 when head closed the pipe before the output was all written
