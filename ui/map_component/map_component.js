/*
 * brassmap's live map: one Leaflet map that stays open while the dashboard
 * reruns, and swaps its layers when a new map spec arrives (written for this
 * project; no third-party code).
 *
 * It speaks Streamlit's custom-component protocol over postMessage:
 * "componentReady" once, a "render" message with the args on every rerun,
 * "setFrameHeight", and "setComponentValue" when an object is clicked.
 * The spec comes from geo.map_spec.map_spec: layers are drawn by the same
 * brassmap.<builder>(payload) functions as the standalone map, payloads are
 * parsed with JSON.parse (never evaluated), and only the builders listed
 * below may be called.
 */
(function () {
  "use strict";
  var BUILDERS = ["incidents", "links", "seriesPath", "firearms", "hexagons", "heat", "areas"];
  var CONTROLS = ["legend", "note"];
  var state = { map: null, drawn: [], controls: [], layerControl: null, version: null, clicks: 0, assets: null };
  var waiting = null;

  function send(type, data) {
    var message = { isStreamlitMessage: true, type: type };
    for (var key in data || {}) {
      message[key] = data[key];
    }
    window.parent.postMessage(message, "*");
  }

  function problem(text) {
    var box = document.getElementById("problem");
    box.textContent = text;
    box.style.display = "block";
  }

  function loadAssets(assets, done) {
    (assets.css || []).forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    var scripts = (assets.js || []).slice();
    (function next() {
      if (!scripts.length) {
        done();
        return;
      }
      var script = document.createElement("script");
      script.src = scripts.shift();
      script.onload = next;
      script.onerror = function () {
        problem("The map library could not be loaded from " + script.src + "; see the server log.");
      };
      document.head.appendChild(script);
    })();
  }

  function clicked(event) {
    var where = event.layer && event.layer.getLatLng ? event.layer.getLatLng() : event.latlng;
    if (!where) {
      return;
    }
    state.clicks += 1;
    send("streamlit:setComponentValue", {
      value: { last_object_clicked: { lat: where.lat, lng: where.lng }, clicks: state.clicks },
      dataType: "json",
    });
  }

  function clear() {
    state.drawn.forEach(function (layer) {
      layer.off("click", clicked);
      state.map.removeLayer(layer);
    });
    state.controls.forEach(function (control) {
      control.remove();
    });
    if (state.layerControl) {
      state.layerControl.remove();
    }
    state.drawn = [];
    state.controls = [];
    state.layerControl = null;
    var registry = window.brassmap.drawn;
    for (var name in registry) {
      delete registry[name];
    }
  }

  function draw(spec) {
    var L = window.L;
    var container = document.getElementById("map");
    if (!state.map) {
      state.map = L.map(container, {
        center: spec.view.center,
        zoom: spec.view.zoom,
        minZoom: spec.view.minZoom,
        maxZoom: spec.view.maxZoom,
      });
      L.control.scale().addTo(state.map);
      window.brassmapMap = state.map; // the open map, for tests and analysts' tools (the standalone page has map_<id>)
    }
    clear();
    var overlays = {};
    if (spec.tiles) {
      var tiles = L.tileLayer(spec.tiles.url, { attribution: spec.tiles.attribution, maxZoom: spec.tiles.maxZoom });
      if (spec.tiles.show) {
        tiles.addTo(state.map);
      }
      overlays[spec.tiles.name] = tiles;
      state.drawn.push(tiles);
    }
    spec.layers.forEach(function (item) {
      if (BUILDERS.indexOf(item.builder) < 0) {
        return;
      }
      var layer = window.brassmap[item.builder](JSON.parse(item.payload));
      layer.on("click", clicked);
      if (item.show) {
        layer.addTo(state.map);
      }
      overlays[item.name] = layer;
      state.drawn.push(layer);
    });
    if (spec.fit) {
      state.map.fitBounds(spec.fit.bounds, spec.fit.options);
    } else {
      state.map.setView(spec.view.center, spec.view.zoom);
    }
    spec.controls.forEach(function (item) {
      if (CONTROLS.indexOf(item.kind) >= 0) {
        state.controls.push(window.brassmap[item.kind](state.map, JSON.parse(item.spec)));
      }
    });
    if (spec.layerControl) {
      state.layerControl = L.control.layers({}, overlays, { collapsed: false }).addTo(state.map);
    }
    state.version = spec.version;
    container.setAttribute("data-brassmap-version", spec.version);
  }

  function render(args) {
    document.getElementById("map").style.height = args.height + "px";
    send("streamlit:setFrameHeight", { height: args.height });
    var spec = args.spec;
    if (!spec || spec.version === state.version) {
      return;
    }
    if (!state.assets) {
      state.assets = "loading";
      waiting = spec;
      loadAssets(spec.assets, function () {
        state.assets = "ready";
        var latest = waiting;
        waiting = null;
        draw(latest);
      });
    } else if (state.assets === "loading") {
      waiting = spec;
    } else {
      draw(spec);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== "streamlit:render") {
      return;
    }
    try {
      render(event.data.args || {});
    } catch (error) {
      problem("The map could not be drawn: " + error.message);
    }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
