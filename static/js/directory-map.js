// The directory map: the members found, clustered, read from their own
// cached endpoint (data-points: /members/map.json with the page's filters,
// points as [name, slug, latitude, longitude]; data-profiles: /members/),
// so the page weighs the same whatever the number of members. No inline
// script: the Content-Security-Policy stays strict.
(function () {
  "use strict";
  var element = document.getElementById("member-map");
  if (!element || !element.dataset.points || typeof L === "undefined") {
    return;
  }
  var map = L.map(element, { scrollWheelZoom: false, worldCopyJump: true });
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  }).addTo(map);
  map.setView([20, 10], 1);

  function show(points) {
    var layer = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ chunkedLoading: true }) : L.layerGroup();
    var markers = points.map(function (point) {
      var name = point[0];
      var marker = L.marker([point[2], point[3]], { title: name, alt: name, keyboard: true });
      var link = document.createElement("a");
      link.href = element.dataset.profiles + encodeURIComponent(point[1]) + "/";
      link.textContent = name;
      marker.bindPopup(link);
      return marker;
    });
    if (layer.addLayers) {
      layer.addLayers(markers);
    } else {
      markers.forEach(function (marker) { layer.addLayer(marker); });
    }
    layer.addTo(map);
    if (markers.length > 1) {
      map.fitBounds(L.latLngBounds(points.map(function (point) { return [point[2], point[3]]; })), {
        padding: [24, 24],
        maxZoom: 6,
        // Straight to the markers: no zoom animation from the world view,
        // which left the map at zoom 0-1 if anything interrupted it.
        animate: false,
      });
    } else if (markers.length === 1) {
      // A single member: its city and surroundings, not street level.
      map.setView([points[0][2], points[0][3]], 6, { animate: false });
    }
    // Read by the browser tests: the view the markers were fitted to.
    element.dataset.zoom = String(map.getZoom());
    element.dataset.loaded = String(markers.length);
  }

  fetch(element.dataset.points, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("map points: HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (data) { show(data.points); })
    .catch(function (error) {
      element.dataset.loaded = "error";
      if (window.console) { window.console.warn(error); }
    });
})();
