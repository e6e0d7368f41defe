// Meetings' times in the reader's own time zone, beside those of the venue,
// when the two differ: each ".reader-time" line (meetings/_when.html) on the
// page. The page says the venue's times without it. Written in the page's
// language, with the digits the server writes too (Western, Arabic included).
(function () {
  "use strict";
  var elements = document.querySelectorAll(".reader-time[data-start]");
  if (!elements.length || typeof Intl === "undefined") {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) {
    return;
  }
  var language = document.documentElement.lang || undefined;
  var format = new Intl.DateTimeFormat(language, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: zone,
    numberingSystem: "latn",
  });
  Array.prototype.forEach.call(elements, function (element) {
    if (zone === element.dataset.zone) {
      return;
    }
    var start = new Date(element.dataset.start);
    var end = new Date(element.dataset.end);
    element.textContent =
      element.dataset.label + " " + format.formatRange(start, end) + " (" + zone + ")";
    element.hidden = false;
  });
})();
