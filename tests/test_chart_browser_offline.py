"""The chart browser (kaleido's Chromium) makes no network requests while rendering.

A chart is rendered in a fresh process under `strace -f -yy`, which names each socket's kind
(`<TCP:...>`, `<UDPv6:...>`, `<UNIX:...>`) on every connect/send. Refused: any TCP socket, any
packet sent on a UDP socket (DNS included), any connect to port 53. Chromium's IPv6 reachability
probe (a UDP connect() to a public address that sends nothing: the kernel only picks a route)
is allowed, since no packet leaves the machine."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RENDER = """
from reports import images
svg = images.figure_to_svg({"data": [{"type": "bar", "x": ["₹", "b"], "y": [1, 2]}], "layout": {}})
assert b"<svg" in svg[:400], svg[:200]
images.shutdown()
print("rendered")
"""
INET = re.compile(r"^\d+ (\w+)\(\d+<(TCP|TCPv6|UDP|UDPv6|UDPLITE):")


def network_calls(log: str) -> list[str]:
    """The syscalls of the trace that would put a packet on the network."""
    found = []
    for line in log.splitlines():
        match = INET.match(line)
        if match and (match[2].startswith("TCP") or match[1] != "connect"):
            found.append(line)
        elif "htons(53)" in line:
            found.append(line)
    return found


def test_network_calls_classifier():
    assert network_calls("1 connect(5<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(443)}, 16) = 0")
    assert network_calls('1 sendto(7<UDP:[2]>, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(53)}, 16) = 1')
    assert network_calls('1 connect(9<UNIX:[3]>, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0') == []
    assert network_calls("1 connect(18<UDPv6:[4]>, {sa_family=AF_INET6, sin6_port=htons(443)}, 28) = 0") == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed (scripts/setup.sh installs it)")
def test_rendering_a_chart_sends_nothing_to_the_network(tmp_path):
    trace = tmp_path / "strace.log"
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-yy",
            "-e",
            "trace=connect,sendto,sendmsg,write",
            "-e",
            "signal=none",
            "-o",
            str(trace),
            sys.executable,
            "-c",
            RENDER,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0 and "rendered" in result.stdout, result.stderr[-2000:]
    calls = network_calls(trace.read_text(errors="replace"))
    assert calls == [], "\n".join(calls[:20])
