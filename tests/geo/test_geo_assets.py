"""Local map assets: copied from the installed XStatic package, inlined for the standalone file."""

from __future__ import annotations

import re
from pathlib import Path

from geo.assets import STATIC_URL_PREFIX, inline_texts, install_static_assets, map_assets, static_links


def test_install_copies_leaflet_and_helpers_into_vendor(tmp_path: Path) -> None:
    written = install_static_assets(tmp_path / "static")
    names = sorted(p.relative_to(tmp_path / "static" / "vendor").as_posix() for p in written)
    assert names == [
        "brassmap.css",
        "brassmap.js",
        "brassmap_draw.js",
        "images/layers-2x.png",
        "images/layers.png",
        "images/marker-icon.png",
        "leaflet.css",
        "leaflet.js",
    ]
    leaflet = (tmp_path / "static" / "vendor" / "leaflet.js").read_text(encoding="utf-8")
    assert 'version="1.9.3"' in leaflet
    # a second start leaves identical files alone
    stamp = {p: p.stat().st_mtime_ns for p in written}
    again = install_static_assets(tmp_path / "static")
    assert {p: p.stat().st_mtime_ns for p in again} == stamp


def test_static_links_point_every_script_and_style_at_the_app() -> None:
    js, css = static_links()
    assert [name for name, _ in js] == ["leaflet", "brassmap", "brassmap_draw"]
    assert all(url.startswith(STATIC_URL_PREFIX) for _, url in js + css)


def test_inline_assets_need_no_request() -> None:
    scripts, styles = inline_texts()
    assert len(scripts) == 3 and len(styles) == 2
    html = "".join(scripts + styles)
    assert "sourceMappingURL" not in html
    assert not re.search(r"url\((?!data:|#default#VML)", html)
    assert "</script" not in html and "</style" not in html
    assert len(html.encode("utf-8")) < 200_000
    assert all(asset.source.is_file() for asset in map_assets())
