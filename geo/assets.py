"""Leaflet and the map helpers, served locally: nothing is fetched from a CDN.

Where the files come from
-------------------------
Leaflet 1.9.3 comes from the installed ``XStatic-Leaflet`` package (PyPI, pinned
in ``requirements.txt``); the project's own ``brassmap.js``/``brassmap.css``
live in ``geo/web/``. No third-party JavaScript is committed: the dashboard
copies the files into ``static/vendor/`` at start (git-ignored) with
:func:`install_static_assets`, and the standalone export inlines them
(:func:`inline_texts`, :mod:`geo.page`).

How the dashboard loads them
----------------------------
Dashboard maps point at ``/app/static/vendor/...`` (:func:`static_links`);
:meth:`geo.map_spec.MapSpec.to_live` hands those URLs to the live map component
(``ui/map_component``), which loads them once as ``<script src>``/``<link>``
when it opens. Streamlit 1.67 serves ``static/`` with a content
type from :mod:`mimetypes` (``text/javascript``, ``text/css``, ``image/png``)
plus ``X-Content-Type-Options: nosniff``, which browsers accept for scripts
and styles. Marker-cluster and jQuery/Bootstrap/Font Awesome are not used.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from data.errors import BrassmapError

STATIC_URL_PREFIX = "/app/static/vendor/"
VENDOR_DIR_NAME = "vendor"
_WEB_DIR = Path(__file__).resolve().parent / "web"


class AssetError(BrassmapError, ValueError):
    """A map asset is missing from the installed packages."""


@dataclass(frozen=True)
class Asset:
    """One file the map needs.

    Parameters
    ----------
    name : str
        Key used in folium's ``default_js``/``default_css`` lists.
    source : Path
        Where the installed file is.
    target : str
        Path under ``static/vendor/`` (forward slashes).
    kind : str
        ``"js"``, ``"css"`` or ``"image"``.
    """

    name: str
    source: Path
    target: str
    kind: str


def _leaflet_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as xstatic_leaflet
    except ImportError as error:  # pragma: no cover - the package is pinned
        raise AssetError(
            "XStatic-Leaflet is not installed, so the map has no Leaflet to load; "
            "run `.venv/bin/pip install -r requirements.txt`"
        ) from error
    return Path(xstatic_leaflet.BASE_DIR)


def map_assets() -> list[Asset]:
    """Return every file a brassmap map loads, in load order.

    Returns
    -------
    list of Asset
        Leaflet's JS, CSS and layer-control images, then brassmap's JS and CSS.
    """
    leaflet = _leaflet_dir()
    assets = [
        Asset("leaflet", leaflet / "leaflet.js", "leaflet.js", "js"),
        Asset("leaflet_css", leaflet / "leaflet.css", "leaflet.css", "css"),
    ]
    for image in ("layers.png", "layers-2x.png", "marker-icon.png"):
        assets.append(Asset(image, leaflet / "images" / image, f"images/{image}", "image"))
    assets.append(Asset("brassmap", _WEB_DIR / "brassmap.js", "brassmap.js", "js"))
    assets.append(Asset("brassmap_draw", _WEB_DIR / "brassmap_draw.js", "brassmap_draw.js", "js"))
    assets.append(Asset("brassmap_css", _WEB_DIR / "brassmap.css", "brassmap.css", "css"))
    missing = [str(asset.source) for asset in assets if not asset.source.is_file()]
    if missing:
        raise AssetError(
            f"map assets not found: {', '.join(missing)}; expected them in the installed "
            "XStatic-Leaflet package and geo/web/; reinstall with `pip install -r requirements.txt`"
        )
    return assets


def static_links(prefix: str = STATIC_URL_PREFIX) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return ``(default_js, default_css)`` lists pointing at the served copies.

    Parameters
    ----------
    prefix : str
        URL of ``static/vendor/`` as the browser sees it; must end with ``/``.

    Examples
    --------
    >>> js, css = static_links()
    >>> js[0]
    ('leaflet', '/app/static/vendor/leaflet.js?v=...')
    >>> [name for name, _ in css]
    ['leaflet_css', 'brassmap_css']
    """
    if not prefix.endswith("/"):
        raise AssetError(
            f"static asset prefix {prefix!r} must end with '/' (Leaflet joins paths by "
            "string concatenation); add the trailing slash"
        )
    assets = map_assets()
    js = [(asset.name, _versioned(prefix, asset)) for asset in assets if asset.kind == "js"]
    css = [(asset.name, _versioned(prefix, asset)) for asset in assets if asset.kind == "css"]
    return js, css


def _versioned(prefix: str, asset: Asset) -> str:
    """URL with a content hash, so a browser never keeps an old brassmap.js after an upgrade."""
    digest = hashlib.blake2s(asset.source.read_bytes(), digest_size=4).hexdigest()
    return f"{prefix}{asset.target}?v={digest}"


def install_static_assets(static_dir: Path) -> list[Path]:
    """Copy the map's JS/CSS/images into ``static_dir/vendor/``.

    Parameters
    ----------
    static_dir : Path
        The folder Streamlit serves as ``/app/static/`` (``<app dir>/static``).

    Returns
    -------
    list of Path
        The files now present under ``static_dir/vendor/``. Files already
        identical are left alone, so calling this at every start is cheap.
    """
    vendor = Path(static_dir) / VENDOR_DIR_NAME
    written: list[Path] = []
    for asset in map_assets():
        target = vendor / asset.target
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != asset.source.read_bytes():
            shutil.copyfile(asset.source, target)
        written.append(target)
    return written


_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")


def _script_text(path: Path) -> str:
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
    if re.search(r"</script|<!--", text, flags=re.IGNORECASE):
        raise AssetError(f"{path} contains '</script' or '<!--' and cannot be inlined safely")
    return text


def _style_text(path: Path) -> str:
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
    base = path.parent

    def data_uri(match: re.Match[str]) -> str:
        image = base / match.group(2)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    text = _CSS_URL.sub(data_uri, text)
    if re.search(r"</style", text, flags=re.IGNORECASE):
        raise AssetError(f"{path} contains '</style' and cannot be inlined safely")
    return text


def inline_texts() -> tuple[list[str], list[str]]:
    """Return ``(scripts, styles)``: the text of every map script and style sheet, in load order.

    Leaflet's CSS images become ``data:`` URIs and source-map comments are
    dropped; no text holds ``</script`` or ``</style``.
    """
    assets = map_assets()
    scripts = [_script_text(asset.source) for asset in assets if asset.kind == "js"]
    styles = [_style_text(asset.source) for asset in assets if asset.kind == "css"]
    return scripts, styles
