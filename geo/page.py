"""Write a map spec as one HTML page (pure): the standalone export and the page-size measure.

The page holds Leaflet and the map scripts (inline, or linked from the app's
``static/vendor/``), the spec and each layer's payload as
``<script type="application/json">`` blocks, and nothing else that runs.
``brassmap_draw.js`` reads the blocks with ``textContent`` and draws them.
An inline page carries a Content-Security-Policy that allows exactly its own
scripts, by SHA-256 hash, and no ``'unsafe-inline'`` script: a value that one
day missed escaping still could not run, and no request may leave the file
except, when asked, to the basemap's tile server.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Literal

from geo import assets
from geo.escape import json_for_script
from geo.map_spec import MapSpec

AssetMode = Literal["static", "inline"]
_LAYOUT_CSS = """html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
.brassmap-banner, .brassmap-notes { flex: 0 0 auto; }
#brassmap-map { flex: 1 1 auto; min-height: 0; }"""


class PageError(ValueError):
    """A page cannot be written as asked."""


def script_hash(text: str) -> str:
    """The CSP source for an inline script: ``'sha256-<base64>'``.

    Examples
    --------
    >>> script_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(spec: MapSpec, script_hashes: list[str]) -> str:
    """Scripts by hash only; images from ``data:`` and the basemap's host (if any); nothing else."""
    images = "data:"
    if spec.tiles is not None:
        origin = spec.tiles.origin
        if origin is None:
            raise PageError(
                f"a standalone page cannot load tiles from the relative URL {spec.tiles.url!r}: it has no "
                "server; give the tile server's full URL (https://host/{z}/{x}/{y}.png) or leave tiles off"
            )
        images += f" {origin}"
    return (
        f"default-src 'none'; script-src {' '.join(script_hashes)}; style-src 'unsafe-inline'; "
        f"img-src {images}; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )


def render_page(
    spec: MapSpec,
    *,
    asset_mode: AssetMode = "inline",
    static_url: str = assets.STATIC_URL_PREFIX,
    title: str = "brassmap map",
    banner_html: str = "",
) -> str:
    """Return the page for ``spec``.

    Parameters
    ----------
    spec : MapSpec
        From :func:`geo.maps.build_map_spec`.
    asset_mode : {"inline", "static"}, keyword-only
        ``"inline"``: scripts and styles inside the page (a file that opens
        offline), with a hash-based Content-Security-Policy. ``"static"``:
        linked from ``static_url`` (as the dashboard serves them).
    static_url : str, keyword-only
        Where ``static/vendor/`` is, in ``"static"`` mode.
    title : str, keyword-only
        The document title (escaped here).
    banner_html : str, keyword-only
        Trusted, already escaped HTML shown above the map.
    """
    blocks = [
        f'<script type="application/json" id="brassmap-spec">{json_for_script(spec.skeleton())}</script>'
    ]
    blocks += [
        f'<script type="application/json" id="brassmap-layer-{i}">{layer.payload}</script>'
        for i, layer in enumerate(spec.layers)
    ]
    head = ['<meta charset="utf-8">', f"<title>{html.escape(title)}</title>"]
    if asset_mode == "inline":
        scripts, styles = assets.inline_texts()
        csp = content_security_policy(spec, [script_hash(text) for text in scripts])
        head.append(f'<meta http-equiv="Content-Security-Policy" content="{csp}">')  # before any style
        head += [f"<style>{text}</style>" for text in styles]
        tail = [f"<script>{text}</script>" for text in scripts]
    elif asset_mode == "static":
        js, css = assets.static_links(static_url)
        head += [f'<link rel="stylesheet" href="{html.escape(url)}">' for _, url in css]
        tail = [f'<script src="{html.escape(url)}"></script>' for _, url in js]
    else:
        raise PageError(f"asset_mode must be 'static' or 'inline', got {asset_mode!r}")
    head.append(f"<style>{_LAYOUT_CSS}</style>")
    body = [banner_html, '<div id="brassmap-map"></div>', *blocks, *tail]
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def page_size(spec: MapSpec, *, asset_mode: AssetMode = "static") -> int:
    """Bytes of the page written from ``spec`` (``"static"``: as the dashboard's map loads it)."""
    return len(render_page(spec, asset_mode=asset_mode).encode("utf-8"))
