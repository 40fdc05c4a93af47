/*
 * brassmap: draw a whole map spec (geo.map_spec) on a Leaflet map (written for
 * this project; no third-party code).
 *
 * One function for both views: the dashboard's live map (map_frame.js calls
 * brassmap.drawSpec on every new spec) and the standalone page (which boots
 * itself below from the JSON blocks the page holds, read with textContent).
 *
 * - Layers go into panes stacked in a fixed order, so switching one off and
 *   on keeps its place: outlines, links, incidents, heat, hexagons, path.
 *   Heat and hexagons lie over the incidents, translucent and click-through;
 *   links lie under the incidents, so a line never takes an incident's click.
 * - Notes are written in a strip above the map, never over it; the legend
 *   and the layer control fold to a button on a short map.
 * - Layers switched on or off by the analyst stay so across redraws, and the
 *   view stays where it is while the spec's area (cities, picked series) is
 *   the same. brassmap.mapState(map) reports both (for the shared URL).
 * - When basemap tiles fail to load, the note strip says so.
 * - Numbered stops of a series path are moved apart when they would overlap.
 */
(function (global) {
  "use strict";
  var L = global.L;
  var bm = global.brassmap;
  var PANES = { areas: 405, links: 415, incidents: 420, heat: 430, hexagons: 435, seriesPath: 450 };
  var CONTROLS = ["legend", "note"];
  var STOP_SIZE = 22;

  function ensurePanes(map) {
    Object.keys(PANES).forEach(function (name) {
      var id = "brassmap-" + name;
      if (!map.getPane(id)) {
        var pane = map.createPane(id);
        pane.style.zIndex = String(PANES[name]);
        pane.style.pointerEvents = "none"; // interactive shapes re-enable themselves (.leaflet-interactive)
      }
    });
  }

  function stateOf(map) {
    if (!map._brassmap) {
      map._brassmap = { drawn: [], controls: [], layerControl: null, visible: {}, area: null, drawing: false,
        notes: null, tileNotice: null, listeners: [] };
      map.on("overlayadd overlayremove", function (event) {
        var st = map._brassmap;
        if (!st.drawing && event.layer && event.layer.brassmapKey) {
          st.visible[event.layer.brassmapKey] = event.type === "overlayadd";
          changed(map);
        }
      });
      map.on("moveend", function () {
        changed(map);
      });
      map.on("zoomend", function () {
        spreadStops(map);
      });
    }
    return map._brassmap;
  }

  function changed(map) {
    var st = map._brassmap;
    if (st.drawing) {
      return;
    }
    st.listeners.forEach(function (listener) {
      listener(mapState(map));
    });
  }

  /* Layers the analyst switched (by key) and the view, as plain data. */
  function mapState(map) {
    var st = stateOf(map);
    var centre = map.getCenter();
    var bounds = map.getBounds();
    var layers = {};
    for (var key in st.visible) {
      layers[key] = st.visible[key];
    }
    return {
      layers: layers,
      view: [Math.round(centre.lat * 1e5) / 1e5, Math.round(centre.lng * 1e5) / 1e5, map.getZoom()],
      bounds: [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()],
      area: st.area,
    };
  }

  function notesBox(map) {
    var st = stateOf(map);
    if (!st.notes) {
      var box = document.createElement("div");
      box.className = "brassmap-notes";
      box.setAttribute("role", "status");
      var container = map.getContainer();
      container.parentNode.insertBefore(box, container);
      st.notes = box;
    }
    return st.notes;
  }

  function writeNotes(map, lines) {
    var box = notesBox(map);
    var text = box.querySelector(".brassmap-note-lines") || box.appendChild(document.createElement("div"));
    text.className = "brassmap-note-lines brassmap-note";
    text.innerHTML = lines.join("<br>"); // escaped on the server (geo.escape.escape_text)
    text.style.display = lines.length ? "block" : "none";
    map.invalidateSize();
  }

  function hostOf(url) {
    var found = /^[a-z]+:\/\/([^/]+)/i.exec(String(url));
    return found ? found[1] : "this app";
  }

  function watchTiles(map, tiles, url) {
    var failed = 0;
    tiles.on("tileerror", function () {
      failed += 1;
      var box = notesBox(map);
      var st = stateOf(map);
      if (!st.tileNotice) {
        st.tileNotice = document.createElement("div");
        st.tileNotice.className = "brassmap-tile-notice";
        st.tileNotice.setAttribute("role", "alert");
        box.appendChild(st.tileNotice);
      }
      st.tileNotice.textContent =
        "Basemap tiles failed to load from " + hostOf(url) + " (" + failed + " tile" + (failed === 1 ? "" : "s") +
        "): the map shows the local geography only (city limits, districts, neighbourhoods).";
      map.invalidateSize();
    });
  }

  function clearDrawn(map, st) {
    if (st.layerControl) {
      st.layerControl.remove(); // first, so removing the layers below is not taken as the analyst's toggles
      st.layerControl = null;
    }
    st.drawn.forEach(function (layer) {
      map.removeLayer(layer);
    });
    st.controls.forEach(function (control) {
      control.remove();
    });
    if (st.tileNotice) {
      st.tileNotice.remove();
      st.tileNotice = null;
    }
    st.drawn = [];
    st.controls = [];
    for (var name in bm.drawn) {
      delete bm.drawn[name];
    }
  }

  /* Move numbered stops apart (in screen pixels) so no two labels overlap at this zoom. */
  function spreadStops(map) {
    var placed = [];
    (bm.drawn.seriesPath || []).forEach(function (group) {
      if (!map.hasLayer(group)) {
        return;
      }
      group.eachLayer(function (marker) {
        if (!marker.brassmapStop) {
          return;
        }
        var at = map.latLngToLayerPoint(marker.getLatLng());
        var offset = [0, 0];
        for (var ring = 0, tries = 0; tries < 64; tries++) {
          var clash = placed.some(function (p) {
            return Math.abs(p[0] - at.x - offset[0]) < STOP_SIZE && Math.abs(p[1] - at.y - offset[1]) < STOP_SIZE;
          });
          if (!clash) {
            break;
          }
          ring = 1 + Math.floor(tries / 8);
          var angle = (tries % 8) * (Math.PI / 4) + ring * 0.4;
          offset = [Math.round(Math.cos(angle) * STOP_SIZE * ring), Math.round(Math.sin(angle) * STOP_SIZE * ring)];
        }
        placed.push([at.x + offset[0], at.y + offset[1]]);
        var element = marker.getElement();
        if (element) {
          element.style.marginLeft = -STOP_SIZE / 2 + offset[0] + "px";
          element.style.marginTop = -STOP_SIZE / 2 + offset[1] + "px";
        }
      });
    });
  }

  /*
   * Draw `spec` on `map`, replacing what an earlier call drew.
   * opts: { folded: bool (fold legend and layer control), onLayer: fn(layer) for each drawn layer }.
   */
  function drawSpec(map, spec, opts) {
    opts = opts || {};
    var st = stateOf(map);
    st.drawing = true;
    try {
      ensurePanes(map);
      clearDrawn(map, st);
      var first = st.area === null;
      if (first && spec.mapState && spec.mapState.layers) {
        for (var key in spec.mapState.layers) {
          st.visible[key] = spec.mapState.layers[key] === true;
        }
      }
      var overlays = {};
      if (spec.tiles) {
        // deeper than the source goes, its deepest tiles are enlarged (a local file may stop at zoom 14)
        var tiles = L.tileLayer(spec.tiles.url, {
          attribution: spec.tiles.attribution,
          maxNativeZoom: spec.tiles.maxZoom,
          maxZoom: 19,
        });
        tiles.brassmapKey = "tiles";
        watchTiles(map, tiles, spec.tiles.url);
        if (st.visible.tiles !== false) {
          tiles.addTo(map);
        }
        overlays[spec.tiles.name] = tiles;
        st.drawn.push(tiles);
      }
      spec.layers.forEach(function (item) {
        if (bm.BUILDERS.indexOf(item.builder) < 0) {
          return;
        }
        var pane = PANES[item.builder] ? "brassmap-" + item.builder : undefined;
        var layer = bm.builders[item.builder](JSON.parse(item.payload), { pane: pane });
        var layerKey = item.key || item.builder;
        layer.brassmapKey = layerKey;
        var on = Object.prototype.hasOwnProperty.call(st.visible, layerKey) ? st.visible[layerKey] : item.show;
        if (on) {
          layer.addTo(map);
        }
        if (opts.onLayer) {
          opts.onLayer(layer);
        }
        overlays[item.name] = layer;
        st.drawn.push(layer);
      });
      if (first && spec.mapState && spec.mapState.view) {
        var v = spec.mapState.view;
        map.setView([Number(v[0]), Number(v[1])], Number(v[2]));
      } else if (first || st.area !== spec.area) {
        if (spec.fit) {
          map.fitBounds(spec.fit.bounds, spec.fit.options);
        } else {
          map.setView(spec.view.center, spec.view.zoom);
        }
      }
      st.area = spec.area === undefined ? "" : spec.area;
      var lines = [];
      spec.controls.forEach(function (item) {
        if (CONTROLS.indexOf(item.kind) < 0) {
          return;
        }
        var data = JSON.parse(item.spec);
        if (item.kind === "note") {
          lines = lines.concat(data.lines || []);
        } else {
          st.controls.push(bm.legend(map, data, { open: !opts.folded }));
        }
      });
      writeNotes(map, lines);
      if (spec.layerControl) {
        st.layerControl = L.control.layers({}, overlays, { collapsed: !!opts.folded }).addTo(map);
      }
      spreadStops(map);
    } finally {
      st.drawing = false;
    }
    return st;
  }

  /* Call `listener(state)` whenever the analyst toggles a layer or moves the map. */
  function onState(map, listener) {
    stateOf(map).listeners.push(listener);
  }

  /* The standalone page: the spec and each layer's payload are JSON blocks read as text. */
  function standalone() {
    var block = document.getElementById("brassmap-spec");
    var container = document.getElementById("brassmap-map");
    if (!block || !container) {
      return;
    }
    var spec = JSON.parse(block.textContent);
    spec.layers.forEach(function (item, i) {
      item.payload = document.getElementById("brassmap-layer-" + i).textContent;
    });
    var map = L.map(container, {
      center: spec.view.center,
      zoom: spec.view.zoom,
      minZoom: spec.view.minZoom,
      maxZoom: spec.view.maxZoom,
    });
    L.control.scale().addTo(map);
    drawSpec(map, spec, { folded: container.clientHeight < 560 });
    global.brassmapMap = map;
  }

  bm.drawSpec = drawSpec;
  bm.mapState = mapState;
  bm.onState = onState;
  bm.spreadStops = spreadStops;
  if (global.document && document.getElementById("brassmap-spec")) {
    standalone();
  }
})(window);
