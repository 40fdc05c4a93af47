"""The README describes the app as it is: the tabs it names exist; the screenshot is the first view."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def app_tab_names() -> set[str]:
    """Labels of every ``st.tabs([...])`` call in dashboard.py and ui/."""
    names: set[str] = set()
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "tabs" and node.args:
                labels = node.args[0]
                if isinstance(labels, (ast.List, ast.Tuple)):
                    names.update(e.value for e in labels.elts if isinstance(e, ast.Constant))
    return names


def test_every_tab_the_readme_names_is_a_tab_of_the_app() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\*([A-Z][A-Za-z ]*)\*\s+tab\b", readme))
    assert {"Exports", "Import data"} <= named
    assert named <= app_tab_names(), f"README names tabs the app does not have: {named - app_tab_names()}"


def test_the_screenshot_is_the_first_view_of_make_demo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "![brassmap's first view" in readme and (ROOT / "docs" / "screenshot.png").stat().st_size > 50_000
    maker = (ROOT / "bench" / "screenshot.py").read_text(encoding="utf-8")
    assert 'page.goto(f"{app.url}/?tiles=off")' in maker, "no filter in the URL: the page as it first opens"
    assert "build_demo_store(Store(url), boundaries_from=DEFAULT_FOLDER)" in maker, (
        "the demo of make demo: default size and seed, real boundaries"
    )
