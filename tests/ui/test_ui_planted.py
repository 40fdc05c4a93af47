"""Issue #15: dashboard bugs an analyst would notice that the suite once let through (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.store import Store
from linking.series import assign_series
from tests.ui.conftest import DASHBOARD
from tests.ui.small_store import import_text

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


MARKDOWN_ID = "![x](http://evil.example/t.png)"


def test_ui_a_picked_series_outside_the_filter_is_named_as_text_not_markdown(monkeypatch, tmp_path):
    """An existing series whose id holds Markdown (ids are source text), picked by URL, filtered out."""
    url = f"sqlite:///{tmp_path / 'markdown_ids.sqlite'}"
    store = Store(url)
    import_text(
        store, tmp_path, "incidents",
        "incident_id,city,occurred_at,latitude,longitude,incident_type\n"
        f"\"{MARKDOWN_ID}\",Detroit,2021-06-01T22:15:00-04:00,42.3601,-83.1050,shots_fired\n"
        "T-2,Detroit,2021-06-03T21:40:00-04:00,42.3701,-83.1150,non_fatal_shooting\n"
        "T-3,Detroit,2021-09-03T21:40:00-04:00,42.3801,-83.1250,shots_fired\n",
    )  # fmt: skip
    import_text(
        store, tmp_path, "links",
        "link_id,incident_a,incident_b,firearm_id,status,lead_number,lead_date\n"
        f"K-1,\"{MARKDOWN_ID}\",T-2,,lead,L-1,2021-06-12\n",
    )  # fmt: skip
    series_id = f"S-{MARKDOWN_ID}"
    frames = store.load_frames()
    assert set(assign_series(frames.incidents, frames.links).dropna()) == {series_id}
    monkeypatch.setenv("BRASSMAP_DB", url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    for key, value in {"series_id": series_id, "date_from": "2021-09-01", "date_to": "2021-09-30"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    texts = _texts(at)
    assert not any("](http://evil.example" in t for t in texts), "the series id's Markdown is rendered live"
    notices = [t for t in texts if "has no shooting in the current filter" in t]
    assert len(notices) == 1 and "S\\-\\!\\[x\\]\\(http" in notices[0]
