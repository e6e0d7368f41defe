// A meeting's venue on the map, read from the element's data attributes
// (no inline script: the Content-Security-Policy stays strict).
(function () {
  "use strict";
  var element = document.getElementById("meeting-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)];
  var map = window.wegoMap(element).setView(point, 15);
  L.marker(point, { title: element.dataset.name, alt: element.dataset.name, keyboard: true }).addTo(map);
})();
