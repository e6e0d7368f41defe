// A meeting's times in the reader's own time zone, beside those of the
// venue, when the two differ. The page says the venue's times without it.
(function () {
  "use strict";
  var element = document.querySelector(".reader-time[data-start]");
  if (!element || typeof Intl === "undefined") {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === element.dataset.zone) {
    return;
  }
  var start = new Date(element.dataset.start);
  var end = new Date(element.dataset.end);
  var language = document.documentElement.lang || undefined;
  var format = new Intl.DateTimeFormat(language, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: zone,
  });
  element.textContent =
    element.dataset.label + " " + format.formatRange(start, end) + " (" + zone + ")";
  element.hidden = false;
})();
