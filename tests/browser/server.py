"""Start and stop a real ``streamlit run dashboard.py`` for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
STREAMLIT = Path(sys.executable).parent / "streamlit"


def free_port() -> int:
    """Ask the OS for a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def streamlit_server(
    db_url: str, log_path: Path, *, script: Path | None = None, timeout_s: float = 60.0
) -> Iterator[str]:
    """Run the dashboard against ``db_url`` on a free local port; yield its base url.

    The server's output goes to ``log_path`` (read it when a test fails).
    ``script`` defaults to the repository's ``dashboard.py``.
    """
    script = script or REPO_ROOT / "dashboard.py"
    port = free_port()
    env = {**os.environ, "BRASSMAP_DB": db_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [
        str(STREAMLIT), "run", script.name,
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=script.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while not _healthy(base_url):
                if process.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {process.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit not healthy after {timeout_s} s; see {log_path}")
                time.sleep(0.2)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
