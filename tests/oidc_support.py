"""A real OpenID Connect provider on loopback for team-mode tests, and the secrets that point at it.

``run_oidc_provider`` starts ``oidc-provider-mock`` (requirements-dev.txt) as a child process;
its authorize page has one input, ``name=sub``, and an "Authorize" button.
``write_team_secrets`` writes the ``secrets.toml`` a team-mode dashboard reads
(``streamlit run --secrets.files PATH``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ui.launch import free_port


def provider_command() -> str:
    """The ``oidc-provider-mock`` script of this environment (skip the test when it is missing)."""
    found = Path(sys.executable).with_name("oidc-provider-mock")
    if found.exists():
        return str(found)
    on_path = shutil.which("oidc-provider-mock")
    if on_path is None:
        pytest.skip("oidc-provider-mock is not installed (pip install -r requirements-dev.txt)")
    return on_path


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def run_oidc_provider(
    log_path: Path, users: list[Mapping[str, Any]], timeout_s: float = 60.0
) -> Iterator[str]:
    """Run the provider on a free loopback port with ``users`` (claims, each with ``sub``); yield its URL."""
    port = free_port()
    command = [provider_command(), "--port", str(port)]
    for claims in users:
        command += ["--user-claims", json.dumps(dict(claims))]
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while not _answers(f"{base}/.well-known/openid-configuration"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oidc-provider-mock did not start; see {log_path}")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=15)


def write_team_secrets(path: Path, *, app_port: int, provider: str, brassmap: Mapping[str, Any]) -> Path:
    """Write a secrets.toml: ``[auth]`` for the provider, ``[brassmap]`` (team mode) as given."""

    def value(item: Any) -> str:
        return json.dumps(item)  # TOML basic strings, numbers and arrays read like JSON

    lines = [
        "[auth]",
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"',
        'cookie_secret = "team-mode-test-cookie-secret-0123456789"',
        'client_id = "brassmap"',
        'client_secret = "brassmap-test-secret"',
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"',
        "",
        "[brassmap]",
    ]
    tables = {k: v for k, v in brassmap.items() if isinstance(v, Mapping)}
    lines += [f"{key} = {value(item)}" for key, item in brassmap.items() if key not in tables]
    for name, table in tables.items():
        lines += ["", f"[brassmap.{name}]"] + [f"{value(k)} = {value(v)}" for k, v in table.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
