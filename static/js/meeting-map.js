// A meeting's venue on the map, read from the element's data attributes
// (no inline script: the Content-Security-Policy stays strict).
(function () {
  "use strict";
  var element = document.getElementById("meeting-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)];
  var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(point, 15);
  // The page's words for Leaflet's buttons, on the reading side's corner.
  L.control
    .zoom({
      zoomInTitle: element.dataset.zoomIn,
      zoomOutTitle: element.dataset.zoomOut,
      position: document.documentElement.dir === "rtl" ? "topright" : "topleft",
    })
    .addTo(map);
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  }).addTo(map);
  L.marker(point, { title: element.dataset.name, alt: element.dataset.name, keyboard: true }).addTo(map);
})();
