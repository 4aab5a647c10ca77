/* A planned training session's page: asks every few seconds whether bookings has answered for the
   room, and shows the answer by loading the page again once the state is no longer « planned ».
   Without JavaScript the page has a link that does the same. */
(function () {
  var region = document.getElementById("etat-salle");
  if (!region || !region.dataset.poll) { return; }
  var every = (parseInt(region.dataset.every, 10) || 3) * 1000;
  var shown = region.dataset.status;
  function ask() {
    fetch(region.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (found) {
        if (found && found.status && found.status !== shown) { window.location.reload(); return; }
        window.setTimeout(ask, every);
      })
      .catch(function () { window.setTimeout(ask, every); });
  }
  window.setTimeout(ask, every);
})();
