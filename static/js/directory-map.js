// The directory map: the members found, clustered, read from their own
// cached endpoint (data-points: /members/map.json with the page's filters;
// data-profiles: /members/), so the page weighs the same whatever the
// number of members. The endpoint sends the points ([name, slug, latitude,
// longitude]) while they are few; beyond, a count per cell of a grid, and
// the map reads a cell's points (?cell=row,column) once it is zoomed in on
// it: what it loads follows what is in view, not the membership's size.
// No inline script: the Content-Security-Policy stays strict.
(function () {
  "use strict";
  var element = document.getElementById("member-map");
  if (!element || !element.dataset.points || typeof L === "undefined") {
    return;
  }
  var map = window.wegoMap(element, { worldCopyJump: true });
  map.setView([20, 10], 1);

  function profileLink(point) {
    var link = document.createElement("a");
    link.href = element.dataset.profiles + encodeURIComponent(point[1]) + "/";
    link.textContent = point[0];
    return link;
  }

  function pointMarker(point) {
    var marker = L.marker([point[2], point[3]], { title: point[0], alt: point[0], keyboard: true });
    marker.bindPopup(profileLink(point));
    return marker;
  }

  // markercluster's own look for a count (MarkerCluster.Default.css).
  function countIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + count + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40),
    });
  }

  // A cluster counts the members of its markers: a point is one, a cell of
  // the grid (not read yet) as many as it holds.
  function membersIn(cluster) {
    return cluster.getAllChildMarkers().reduce(function (sum, marker) {
      return sum + (marker.options.members || 1);
    }, 0);
  }

  function newLayer() {
    if (typeof L.markerClusterGroup === "function") {
      return L.markerClusterGroup({
        chunkedLoading: true,
        iconCreateFunction: function (cluster) { return countIcon(membersIn(cluster)); },
      });
    }
    return L.layerGroup();
  }

  function addAll(layer, markers) {
    if (layer.addLayers) {
      layer.addLayers(markers);
    } else {
      markers.forEach(function (marker) { layer.addLayer(marker); });
    }
  }

  function fit(positions) {
    if (positions.length > 1) {
      map.fitBounds(L.latLngBounds(positions), {
        padding: [24, 24],
        maxZoom: 6,
        // Straight to the markers: no zoom animation from the world view,
        // which left the map at zoom 0-1 if anything interrupted it.
        animate: false,
      });
    } else if (positions.length === 1) {
      // A single member: its city and surroundings, not street level.
      map.setView(positions[0], 6, { animate: false });
    }
    // Read by the browser tests: the view the markers were fitted to.
    element.dataset.zoom = String(map.getZoom());
  }

  function read(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("map points: HTTP " + response.status);
      }
      return response.json();
    });
  }

  // The view is set before the markers are added: the clusters are drawn
  // once, at that zoom, with no animation from the world's view.
  function showPoints(points) {
    fit(points.map(function (point) { return [point[2], point[3]]; }));
    var layer = newLayer();
    addAll(layer, points.map(pointMarker));
    layer.addTo(map);
    element.dataset.loaded = String(points.length);
  }

  // Many members: a marker per cell of the grid, counting its members, until
  // the map is zoomed in far enough to show the cells in view point by point.
  var DETAIL_ZOOM = 6;

  function showCells(cells, degrees) {
    var layer = newLayer();
    var pending = {};
    var separator = element.dataset.points.indexOf("?") === -1 ? "?" : "&";
    cells.forEach(function (cell) {
      var south = cell[0] * degrees - 90;
      var west = cell[1] * degrees - 180;
      var label = element.dataset.cellLabel.replace("{count}", String(cell[2]));
      var marker = L.marker([cell[3], cell[4]], {
        icon: countIcon(cell[2]),
        members: cell[2],
        title: label,
        alt: label,
        keyboard: true,
      });
      var bounds = L.latLngBounds([south, west], [south + degrees, west + degrees]);
      marker.on("click", function () { map.fitBounds(bounds, { animate: false }); });
      pending[cell[0] + "," + cell[1]] = { marker: marker, bounds: bounds };
    });
    fit(cells.map(function (cell) { return [cell[3], cell[4]]; }));
    addAll(layer, Object.keys(pending).map(function (key) { return pending[key].marker; }));
    layer.addTo(map);

    function readCellsInView() {
      if (map.getZoom() < DETAIL_ZOOM) {
        return;
      }
      var view = map.getBounds();
      Object.keys(pending).forEach(function (key) {
        var cell = pending[key];
        if (!view.intersects(cell.bounds)) {
          return;
        }
        delete pending[key];
        read(element.dataset.points + separator + "cell=" + encodeURIComponent(key))
          .then(function (data) {
            layer.removeLayer(cell.marker);
            addAll(layer, data.points.map(pointMarker));
            // Read by the browser tests: how many cells were read point by point.
            element.dataset.cellsRead = String(Number(element.dataset.cellsRead || 0) + 1);
          })
          .catch(function (error) {
            pending[key] = cell;
            if (window.console) { window.console.warn(error); }
          });
      });
    }

    map.on("moveend", readCellsInView);
    readCellsInView();
    element.dataset.loaded = String(cells.reduce(function (sum, cell) { return sum + cell[2]; }, 0));
  }

  read(element.dataset.points)
    .then(function (data) {
      if (data.cells) {
        showCells(data.cells, data.cell_degrees);
      } else {
        showPoints(data.points);
      }
    })
    .catch(function (error) {
      element.dataset.loaded = "error";
      if (window.console) { window.console.warn(error); }
    });
})();
