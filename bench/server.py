"""The real server (`hkdash --db X serve`), started in its own process group, and its memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def hkdash_command() -> list[str]:
    """The `hkdash` console script of this interpreter's environment (python -m cli without it)."""
    script = Path(sys.executable).parent / "hkdash"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cli"]


def children_of(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == pid:
            kids.append(int(entry))
    return kids


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


class Server:
    """`hkdash --db DB serve --port P` on 127.0.0.1; stop() kills its whole process group."""

    def __init__(
        self,
        db: Path,
        workers: int = 2,
        threads: int | None = None,
        log: Path | None = None,
        server: str = "gunicorn",
        env: dict | None = None,
    ):
        self.port = free_port()
        self.log_path = Path(log) if log else None
        self.log = open(log, "wb") if log else subprocess.DEVNULL
        env = dict(os.environ, HKDASH_DB=str(db), PYTHONUNBUFFERED="1", **(env or {}))
        threads = threads or (4 if server == "gunicorn" else 16)
        self.process = subprocess.Popen(
            hkdash_command()
            + [
                "--db",
                str(db),
                "serve",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--server",
                server,
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            cwd=PROJECT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers = workers if server == "gunicorn" else 0  # waitress: one process, no workers
        self.peak_rss_mb = 0.0
        self.peak_rss_all_mb = 0.0  # master + workers + anything they started (e.g. a chart browser)
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = ""
                if self.log_path and self.log_path.is_file():
                    tail = ": " + " | ".join(self.log_path.read_text(errors="replace").strip().splitlines()[-3:])
                raise RuntimeError(f"server exited with code {self.process.returncode}{tail}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    pass
                if len(children_of(self.process.pid)) >= self.workers:
                    self._sampler.start()
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"server did not listen on port {self.port} within {timeout:.0f} s")

    def rss(self) -> tuple[float, float]:
        """(master + workers, master + every descendant) resident memory in MiB, now."""
        master = self.process.pid
        workers = children_of(master)
        direct = rss_mb(master) + sum(rss_mb(w) for w in workers)
        total, frontier = direct, list(workers)
        while frontier:
            grandchildren = [c for pid in frontier for c in children_of(pid)]
            total += sum(rss_mb(c) for c in grandchildren)
            frontier = grandchildren
        return direct, total

    def cpu_s(self) -> float:
        """CPU seconds used so far by the master and its workers (all their threads)."""
        master = self.process.pid
        return sum(cpu_ticks(pid) for pid in [master] + children_of(master)) / os.sysconf("SC_CLK_TCK")

    def _sample(self):
        while not self._stop.is_set():
            direct, total = self.rss()
            self.peak_rss_mb = max(self.peak_rss_mb, direct)
            self.peak_rss_all_mb = max(self.peak_rss_all_mb, total)
            self._stop.wait(0.1)

    def stop(self):
        self._stop.set()
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        try:  # stragglers of the group (workers that outlived the master)
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.log is not subprocess.DEVNULL:
            self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
