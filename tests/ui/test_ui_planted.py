"""Issue #15: dashboard bugs an analyst would notice that the suite once let through (AppTest)."""

from __future__ import annotations

URL_IMAGE = "![x](http://evil.example/track.png)"


def _texts(at) -> list[str]:
    return [e.value for kind in ("info", "warning", "markdown", "caption", "error") for e in at.get(kind)]


def test_ui_series_id_from_the_url_is_shown_as_text_not_markdown(app):
    at = app(series_id=URL_IMAGE)
    assert not at.exception
    texts = _texts(at)
    assert not any("](http://evil.example" in t for t in texts), "the URL's Markdown is rendered live"
    notices = [t for t in texts if "evil" in t]
    assert notices, "the analyst is told the series from the link is not shown"
    assert all("\\!\\[x\\]\\(http" in t for t in notices)


def test_ui_export_leaves_sensitive_fields_out_by_default(app):
    at = app()
    (box,) = [c for c in at.checkbox if c.label.startswith("Include sensitive fields")]
    assert box.value is False
