"""The bulletin is a real PDF: poppler reads its text and renders its pages."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from linking.cli import main

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

MEMBERS = ("D1", "D2", "D3", "M1")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def test_bulletin_text_holds_series_members_marking_and_caution(desk_url: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bulletin.pdf"
    assert main(["bulletin", "--series", "S-D1", "--out", str(out), "--db", desk_url,
                 "--by", "A. Analyst"]) == 0  # fmt: skip
    printed = capsys.readouterr().out.split()
    assert printed[0] == hashlib.sha256(out.read_bytes()).hexdigest() and printed[1] == str(out)
    text = _text(out)
    pages = text.split("\f")
    assert 1 <= len([p for p in pages if p.strip()]) <= 2
    assert all(p.count("LAW ENFORCEMENT SENSITIVE") == 2 for p in pages if p.strip())  # header and footer
    assert "S-D1" in text
    for incident in MEMBERS:
        assert re.search(rf"\b{incident}\b", text), incident
    flat = " ".join(text.split())
    assert "not an identification" in flat and "Only hits are confirmed by a firearms examiner" in flat
    assert "N-1" in text and "2019-03-20" in text  # the hit with its confirmation date
    assert "to Detroit PD Homicide" in flat  # dissemination
    assert "1200 block of Main St" in text and "1234 Main St" not in text  # block-level address
    assert "secret narrative" not in text
    assert "Generated at:" in text and "by A. Analyst" in text and "Dataset version:" in text


def test_bulletin_renders_to_an_image(desk_url: str, tmp_path: Path) -> None:
    out = tmp_path / "bulletin.pdf"
    assert main(["bulletin", "--series", "S-D1", "--out", str(out), "--db", desk_url]) == 0
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000


def test_sensitive_fields_only_when_asked(desk_url: str, tmp_path: Path) -> None:
    out = tmp_path / "bulletin.pdf"
    assert main(["bulletin", "--series", "S-D1", "--out", str(out), "--db", desk_url,
                 "--include-sensitive"]) == 0  # fmt: skip
    text = _text(out)
    assert "secret narrative one" in text and "1234 Main St" in text


def test_unknown_series_and_missing_series_are_errors(desk_url: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bulletin.pdf"
    assert main(["bulletin", "--out", str(out), "--db", desk_url]) == 2
    assert "--series is required" in capsys.readouterr().err
    assert main(["bulletin", "--series", "S-NOPE", "--out", str(out), "--db", desk_url]) != 0
    assert not out.exists()
