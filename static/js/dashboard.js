// The staff dashboard's charts (templates/admin/dashboard.html): each
// <canvas data-chart="slug"> is drawn from the figures the page hands over
// in the "dashboard-charts" JSON block, the same numbers as its table.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(source.textContent);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // In Arabic the charts read from the right, as the page does: the first
    // bar (the table's first row) on the right, the values' axis on the right.
    var rtl = document.documentElement.dir === "rtl";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var data = charts[canvas.getAttribute("data-chart")];
      if (!data) {
        return;
      }
      new window.Chart(canvas, {
        type: data.type,
        data: { labels: data.labels, datasets: data.datasets },
        options: {
          animation: reduced ? false : undefined,
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            legend: { display: data.datasets.length > 1 || data.type === "doughnut", rtl: rtl },
            tooltip: { rtl: rtl },
          },
          scales: data.type === "doughnut" ? {} : { x: { reverse: rtl }, y: { position: rtl ? "right" : "left" } },
        },
      });
      canvas.setAttribute("data-drawn", "1");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
