"""SCHEMA.md lists exactly the fields of data/schema.py."""

from __future__ import annotations

from pathlib import Path

from data.schema_doc import replace_fields

SCHEMA_MD = Path(__file__).resolve().parents[2] / "SCHEMA.md"


def test_schema_md_is_up_to_date():
    document = SCHEMA_MD.read_text(encoding="utf-8")
    assert replace_fields(document) == document, (
        'SCHEMA.md is out of date; regenerate it with: .venv/bin/python -c "import pathlib; '
        "from data.schema_doc import replace_fields; p = pathlib.Path('SCHEMA.md'); "
        'p.write_text(replace_fields(p.read_text()))"'
    )
    assert "| incident_id | string | yes |" in document
