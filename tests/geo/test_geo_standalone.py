"""The standalone HTML export: self-contained, bannered, locked down by CSP."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from data import schema as S
from geo.escape import escape_text
from geo.maps import MAX_HTML_BYTES
from geo.standalone import StandaloneError, render_standalone_html
from tests.geo._geo_frames import PAYLOADS, boundary_frame, firearm_frame, incident_frame, link_frame


def _selection(**overrides) -> SimpleNamespace:
    description = "cities: Detroit; link statuses: lead, hit"
    filters = SimpleNamespace(describe=lambda: description, cities=("Detroit",))
    values = dict(
        incidents=incident_frame(12),
        links=link_frame(),
        series=None,
        firearms=firearm_frame(),
        boundaries=boundary_frame(),
        filters=filters,
        dataset_version="v-42",
        is_synthetic=False,
    )
    values.update(overrides)
    return SimpleNamespace(**values)


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def test_file_is_self_contained_and_carries_the_banner() -> None:
    html = render_standalone_html(_selection()).decode("utf-8")
    assert "<script src" not in html and '<link rel="stylesheet"' not in html
    assert 'version="1.9.3"' in html  # Leaflet itself is inside
    banner = re.search(r'<div class="brassmap-banner".*?</div>', html, flags=re.DOTALL).group(0)
    assert "Filter: cities: Detroit; link statuses: lead, hit" in banner
    assert "Dataset version: v-42" in banner
    assert "12 incidents, 5 links" in banner
    assert escape_text(S.LEAD_DISCLAIMER) in banner
    assert escape_text(S.SYNTHETIC_LABEL) not in banner


def test_synthetic_data_is_labelled_from_the_selection_or_the_rows() -> None:
    flagged = render_standalone_html(_selection(is_synthetic=True)).decode("utf-8")
    assert escape_text(S.SYNTHETIC_LABEL) in flagged
    rows = incident_frame(12).assign(**{S.IS_SYNTHETIC: True})
    from_rows = render_standalone_html(_selection(incidents=rows)).decode("utf-8")
    assert escape_text(S.SYNTHETIC_LABEL) in from_rows


def test_content_security_policy_comes_first_and_allows_tiles_only_when_asked() -> None:
    offline = _head(render_standalone_html(_selection()).decode("utf-8"))
    after_title = offline.split("</title>", 1)[1]
    first_element = re.search(r"<(meta|script|style|link)\b[^>]*>", after_title).group(0)
    assert "Content-Security-Policy" in first_element
    assert "connect-src 'none'" in first_element and "tile.openstreetmap.org" not in first_element
    with_tiles = _head(render_standalone_html(_selection(), tiles=True).decode("utf-8"))
    assert "img-src data: https://tile.openstreetmap.org" in with_tiles


def test_hostile_filter_and_version_text_stay_inert() -> None:
    filters = SimpleNamespace(describe=lambda: PAYLOADS[1], cities=(), series_id=PAYLOADS[0])
    html = render_standalone_html(_selection(filters=filters, dataset_version=PAYLOADS[2])).decode("utf-8")
    for payload in PAYLOADS[:3]:
        assert payload not in html
    assert escape_text(PAYLOADS[1]) in html


def test_sensitive_fields_only_when_asked() -> None:
    plain = render_standalone_html(_selection()).decode("utf-8")
    assert "secret narrative" not in plain and "SERIAL123" not in plain
    sensitive = render_standalone_html(_selection(), include_sensitive=True).decode("utf-8")
    assert "secret narrative" in sensitive and "SERIAL123" in sensitive


def test_a_large_selection_stays_under_two_megabytes() -> None:
    big = incident_frame(60_000)
    html = render_standalone_html(_selection(incidents=big, boundaries=None))
    assert len(html) < MAX_HTML_BYTES
    assert b"Showing 60,000 incidents as hexagon counts; points are drawn up to 10,000; filter to" in html


def test_something_that_is_not_a_selection_is_refused_with_the_fix() -> None:
    with pytest.raises(StandaloneError, match=r"has no incidents, links.*linking.selection.select"):
        render_standalone_html(object())


def test_real_selection_from_the_demo_store(tmp_path) -> None:
    from data.demo import build_demo_store
    from data.frames import load_frames
    from data.store import Store
    from linking.filters import Filters
    from linking.selection import select

    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    build_demo_store(store, seed=7, incidents=600)
    selection = select(load_frames(store), Filters(cities=("Memphis",)))
    html = render_standalone_html(selection).decode("utf-8")
    assert escape_text(selection.filters.describe()) in html
    assert escape_text(S.SYNTHETIC_LABEL) in html
    spec = json.loads(re.search(r'id="brassmap-spec">(.*?)</script>', html).group(1))
    at = [layer["builder"] for layer in spec["layers"]].index("incidents")
    payload = re.search(rf'id="brassmap-layer-{at}">(.*?)</script>', html).group(1)
    assert len(json.loads(payload)["x"]) == len(selection.incidents) > 0


def test_scripts_run_only_by_hash_and_data_travels_as_json_blocks() -> None:
    import base64
    import hashlib

    html = render_standalone_html(_selection(incidents=incident_frame(12).assign(**{S.ADDRESS: PAYLOADS[1]})))
    text = html.decode("utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    script_src = re.search(r"script-src ([^;]+);", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    runnable = re.findall(r"<script>(.*?)</script>", text, flags=re.DOTALL)
    digests = (hashlib.sha256(body.encode("utf-8")).digest() for body in runnable)
    hashes = {f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests}
    assert hashes == set(script_src.split())  # every script that runs is allowed by hash, and nothing else
    blocks = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', text, flags=re.DOTALL)
    assert blocks[0][0] == "brassmap-spec" and len(blocks) == 1 + len(json.loads(blocks[0][1])["layers"])
    for _, body in blocks:
        json.loads(body)  # data only
    assert "</script><script>" not in text.replace("</script>\n<script", "")
