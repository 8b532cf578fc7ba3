/* "Use my location" and a map picker for a latitude/longitude pair (marked by
   core.forms.location_pair). Leaflet is vendored under static/vendor/ and loaded
   only on pages with a map; tiles come from MAP_TILE_URL (no map when it is empty).
   The two inputs stay: typing is the fallback. */
(function () {
  "use strict";

  function round(value) { return Math.round(value * 1e5) / 1e5; }

  function loadLeaflet(tools, done) {
    if (window.L) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = tools.dataset.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = tools.dataset.leaflet;
    script.onload = done;
    document.head.appendChild(script);
  }

  function setup(tools) {
    var form = tools.closest("form") || document;
    var lat = form.querySelector('[data-location="lat"]');
    var lon = form.querySelector('[data-location="lon"]');
    var status = tools.querySelector("[data-location-status]");
    var button = tools.querySelector("[data-use-my-location]");
    var mapBox = tools.querySelector("[data-location-map]");
    var marker = null, map = null;
    if (!lat || !lon) return;

    function current() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      return isNaN(a) || isNaN(b) ? null : [a, b];
    }

    function place(point, fill) {
      if (fill) {
        lat.value = round(point[0]);
        lon.value = round(point[1]);
      }
      if (!map) return;
      if (marker) { marker.setLatLng(point); } else {
        marker = window.L.marker(point, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          place([p.lat, p.lng], true);
        });
      }
      map.setView(point, Math.max(map.getZoom(), 14));
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = tools.dataset.msgUnsupported; return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        place([position.coords.latitude, position.coords.longitude], true);
        status.textContent = tools.dataset.msgFound;
      }, function () {
        status.textContent = tools.dataset.msgDenied;
      }, { enableHighAccuracy: true, timeout: 15000 });
    });

    if (mapBox && tools.dataset.tileUrl) {
      loadLeaflet(tools, function () {
        var L = window.L;
        L.Icon.Default.imagePath = tools.dataset.leaflet.replace(/leaflet\.js$/, "images/");
        map = L.map(mapBox).setView(current() || [30.0444, 31.2357], current() ? 14 : 6);
        L.tileLayer(tools.dataset.tileUrl, { attribution: tools.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
        if (current()) place(current(), false);
        map.on("click", function (event) { place([event.latlng.lat, event.latlng.lng], true); });
        [lat, lon].forEach(function (input) {
          input.addEventListener("change", function () { if (current()) place(current(), false); });
        });
      });
    }
  }

  document.querySelectorAll("[data-location-tools]").forEach(setup);
})();
