// The directory map: one marker per listed member, read from the JSON the
// page embeds (no inline script, so the Content-Security-Policy stays strict).
(function () {
  "use strict";
  var element = document.getElementById("member-map");
  var data = document.getElementById("member-markers");
  if (!element || !data || typeof L === "undefined") {
    return;
  }
  var markers = JSON.parse(data.textContent);
  var map = L.map(element, { scrollWheelZoom: false, worldCopyJump: true });
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  }).addTo(map);
  var bounds = [];
  markers.forEach(function (member) {
    var marker = L.marker([member.lat, member.lng], { title: member.name, alt: member.name, keyboard: true });
    var link = document.createElement("a");
    link.href = member.url;
    link.textContent = member.name;
    marker.bindPopup(link);
    marker.addTo(map);
    bounds.push([member.lat, member.lng]);
  });
  if (bounds.length > 1) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 6 });
  } else if (bounds.length === 1) {
    map.setView(bounds[0], 6);
  } else {
    map.setView([20, 10], 1);
  }
})();
