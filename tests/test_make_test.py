"""`make test` is the README's test command and CI's: ruff, mypy and pytest (issue #10, "Type checks")."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _recipe(target: str) -> list[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_test_runs_ruff_then_mypy_then_pytest() -> None:
    assert _recipe("test") == ["$(BIN)/ruff check .", "$(BIN)/mypy", "$(BIN)/python -m pytest"]


def test_mypy_checks_the_four_packages() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert sorted(config["files"]) == ["data", "geo", "linking", "ui"]
    assert "ignore_errors" not in config and "disable_error_code" not in config


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)```", readme, flags=re.S)
    test_commands = [block.strip() for block in blocks if block.strip().startswith("make test")]
    assert test_commands == ["make test"]
    script = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert script[-1] == "make test"
