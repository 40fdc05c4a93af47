/*
 * brassmap's live map component: the frame Streamlit creates (written for
 * this project; no third-party code).
 *
 * It speaks Streamlit's custom-component protocol over postMessage:
 * "componentReady" once, a "render" message with the args on every rerun,
 * "setFrameHeight", and "setComponentValue" when an object is clicked.
 * Streamlit's component frames share the app's origin, so the map itself
 * runs one level down, in an <iframe sandbox="allow-scripts"> without
 * same-origin rights (map_frame.js, a second wall behind the escaping).
 * That inner frame is made once and kept: each new spec is posted to it and
 * it swaps the layers of its open Leaflet map.
 */
(function () {
  "use strict";
  var inner = null;
  var innerReady = false;
  var latest = null;
  var sentVersion = null;
  var clicks = 0;
  var mapState = null;
  var urlKeys = false;
  var KEY = /^[A-Za-z0-9_]{1,40}$/;

  /* map_on / map_off / map_view in the dashboard's URL (the main map only), so a shared link reopens it. */
  function keepInUrl() {
    if (!urlKeys || !mapState) {
      return;
    }
    try {
      var page = window.parent;
      var params = new URLSearchParams(page.location.search);
      var on = [];
      var off = [];
      Object.keys(mapState.layers || {}).forEach(function (key) {
        if (KEY.test(key)) {
          (mapState.layers[key] ? on : off).push(key);
        }
      });
      var wanted = { map_on: on.sort().join(","), map_off: off.sort().join(","), map_view: "" };
      var view = mapState.view || [];
      if (view.length === 3) {
        wanted.map_view = [Number(view[0]), Number(view[1]), Math.round(Number(view[2]))].join(",");
      }
      var changed = false;
      Object.keys(wanted).forEach(function (name) {
        if ((params.get(name) || "") !== wanted[name]) {
          changed = true;
          if (wanted[name]) {
            params.set(name, wanted[name]);
          } else {
            params.delete(name);
          }
        }
      });
      if (changed) {
        var query = params.toString();
        page.history.replaceState(page.history.state, "", page.location.pathname + (query ? "?" + query : ""));
      }
    } catch (error) {
      // a page we cannot reach (another origin): the URL simply keeps no map state
    }
  }
  setInterval(keepInUrl, 1000); // the app rewrites its query on a filter change; put the map's keys back

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

  function attribute(value) {
    return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function absolute(url) {
    return new URL(url, document.baseURI).href;
  }

  /* The sandboxed page: Leaflet, brassmap.js and map_frame.js from this app (absolute URLs). */
  function framePage(assets) {
    var head =
      '<meta charset="utf-8"><style>html,body{margin:0;padding:0;height:100%}' +
      "body{display:flex;flex-direction:column}#map{flex:1 1 auto;min-height:0;width:100%}</style>";
    (assets.css || []).forEach(function (href) {
      head += '<link rel="stylesheet" href="' + attribute(absolute(href)) + '">';
    });
    (assets.js || []).concat(["map_frame.js"]).forEach(function (src) {
      head += '<script src="' + attribute(absolute(src)) + '"></scr' + 'ipt>';
    });
    return "<!doctype html><html><head>" + head + '</head><body><div id="map"></div></body></html>';
  }

  function post() {
    if (inner && innerReady && latest && latest.spec.version !== sentVersion) {
      sentVersion = latest.spec.version;
      inner.contentWindow.postMessage({ brassmap: "draw", spec: latest.spec, height: latest.height }, "*");
    }
  }

  function render(args) {
    var height = Number(args.height) || 520;
    send("streamlit:setFrameHeight", { height: height });
    if (!args.spec) {
      return;
    }
    if (args.spec.tiles && /^\/[^/]/.test(String(args.spec.tiles.url))) {
      // tiles the app serves itself: the sandboxed frame has no base URL, so give it the app's origin
      args.spec.tiles.url = window.location.origin + args.spec.tiles.url;
    }
    latest = { spec: args.spec, height: height };
    urlKeys = args.keepInUrl === true;
    if (!inner) {
      inner = document.createElement("iframe");
      inner.setAttribute("sandbox", "allow-scripts");
      inner.setAttribute("title", "brassmap map");
      inner.style.cssText = "border:0;width:100%;display:block";
      inner.style.height = height + "px";
      inner.srcdoc = framePage(args.spec.assets || {});
      document.getElementById("frame").appendChild(inner);
    }
    inner.style.height = height + "px";
    post();
    keepInUrl();
  }

  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (event.source === window.parent && data.type === "streamlit:render") {
      try {
        render(data.args || {});
      } catch (error) {
        problem("The map could not be shown: " + error.message);
      }
      return;
    }
    if (!inner || event.source !== inner.contentWindow) {
      return;
    }
    if (data.brassmap === "ready") {
      innerReady = true;
      post();
    } else if (data.brassmap === "clicked") {
      clicks += 1;
      send("streamlit:setComponentValue", {
        value: {
          last_object_clicked: { lat: Number(data.lat), lng: Number(data.lng) },
          incident: typeof data.incident === "string" ? data.incident : null,
          clicks: clicks,
        },
        dataType: "json",
      });
    } else if (data.brassmap === "state") {
      mapState = data.state || null; // layers switched and the view: kept in the page URL, no rerun
      keepInUrl();
    } else if (data.brassmap === "view") {
      // a hexagon map zoomed in: the server sends the points of this view
      send("streamlit:setComponentValue", {
        value: { map_view: { bounds: data.bounds, area: data.area }, clicks: clicks },
        dataType: "json",
      });
    } else if (data.brassmap === "problem") {
      problem(String(data.text));
    }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
