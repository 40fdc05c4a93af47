"""Start the dashboard (or another Streamlit script) as a child process on loopback.

Browser tests and the benchmark both need a real ``streamlit run`` on a free
127.0.0.1 port, started on a given database and stopped afterwards. This
module does that one job; it does not import streamlit itself.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from data.errors import BrassmapError

REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = REPO_ROOT / "dashboard.py"


class LaunchError(BrassmapError, RuntimeError):
    """The Streamlit server exited or never became healthy."""


@dataclass(frozen=True)
class RunningApp:
    """A Streamlit server started by :func:`run_streamlit`."""

    url: str
    pid: int


def free_port() -> int:
    """Ask the OS for a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_healthy(base_url: str) -> bool:
    """True when ``/_stcore/health`` answers 200."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def run_streamlit(
    log_path: Path,
    *,
    script: Path = DASHBOARD,
    db_url: str | None = None,
    timeout_s: float = 60.0,
    env: dict[str, str] | None = None,
    port: int | None = None,
    options: Sequence[str] = (),
) -> Iterator[RunningApp]:
    """Run ``streamlit run SCRIPT`` headless on a free loopback port until the block ends.

    Parameters
    ----------
    log_path : Path
        The server's stdout and stderr go here (read it when something fails).
    script : Path, keyword-only
        The Streamlit script; the dashboard by default. It runs in its own folder,
        so that folder's ``static/`` is what Streamlit serves.
    db_url : str, optional, keyword-only
        Database for the dashboard (``BRASSMAP_DB``); the environment's by default.
    timeout_s : float, keyword-only
        How long to wait for ``/_stcore/health``.
    env : dict, optional, keyword-only
        More environment variables for the server (``BRASSMAP_TILES``...).
    port : int, optional, keyword-only
        The port to listen on (default: a free one); give it when the caller must know it first
        (an OIDC redirect URI in a secrets file).
    options : sequence of str, keyword-only
        More ``streamlit run`` options, e.g. ``("--secrets.files", "/tmp/x/secrets.toml")``.

    Raises
    ------
    LaunchError
        If the server exits early or is not healthy in time (the message names the log).
    """
    port = port or free_port()
    env = {**os.environ, **(env or {}), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if db_url is not None:
        env["BRASSMAP_DB"] = db_url
    command = [
        sys.executable, "-m", "streamlit", "run", script.name,
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.enableStaticServing", "true", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false", *options,
    ]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=script.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while not is_healthy(base_url):
                if process.poll() is not None:
                    raise LaunchError(f"streamlit exited with {process.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    raise LaunchError(f"streamlit not healthy after {timeout_s:.0f} s; see {log_path}")
                time.sleep(0.2)
            yield RunningApp(base_url, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
