// The portal's maps start here: a Leaflet map on an element whose data
// attributes give the tiles (data-tiles) and the page's words for the zoom
// buttons (data-zoom-in, data-zoom-out; Leaflet's own say "Zoom in" in every
// language), with the buttons on the reading side's corner (the right in
// Arabic). Loaded after leaflet.js and before the page's own map script.
(function () {
  "use strict";
  window.wegoMap = function (element, options) {
    var map = L.map(element, Object.assign({ scrollWheelZoom: false }, options, { zoomControl: false }));
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
    return map;
  };
})();
