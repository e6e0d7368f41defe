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
          plugins: { legend: { display: data.datasets.length > 1 || data.type === "doughnut" } },
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
