// The secretariat's live view: every few seconds, how many of the roll have
// voted in each open poll and, for a named poll, who has not yet, read from
// the page's small JSON endpoint. Without script the page shows the counts
// as they were when it loaded.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch) {
    return;
  }
  var INTERVAL = 3000;
  var votedLabel = live.dataset.votedLabel;
  var secretLabel = live.dataset.secretLabel;
  // The counts come as plain numbers; they are shown grouped as the page's
  // language groups them, in the digits the server writes (as it did on load).
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined, { numberingSystem: "latn" });

  function show(poll) {
    var row = document.querySelector('tr[data-poll="' + poll.id + '"]');
    if (!row) {
      return;
    }
    var voted = row.querySelector(".live-voted");
    var missing = row.querySelector(".live-missing");
    var text = votedLabel.replace("{voted}", number.format(poll.voted)).replace("{roll}", number.format(poll.roll));
    if (voted && voted.textContent !== text) {
      voted.textContent = text;
    }
    if (missing) {
      missing.textContent = poll.not_voted === null ? secretLabel : poll.not_voted.join(", ") || "—";
    }
  }

  function refresh() {
    fetch(live.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          data.polls.forEach(show);
        }
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(refresh, INTERVAL);
      });
  }

  window.setTimeout(refresh, INTERVAL);
})();
