/* The copy's two behaviours, inline so the file works alone: « Imprimer », and how old the copy is
   (written again each minute: a tablet may keep it open for hours; the words are the page's). */
(function () {
  var button = document.querySelector("button[data-print]");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
  var age = document.getElementById("age");
  if (!age) { return; }
  var madeAt = Date.parse(age.getAttribute("data-made-at"));
  function show() {
    var minutes = Math.max(0, Math.floor((Date.now() - madeAt) / 60000));
    var hours = Math.floor(minutes / 60);
    var words = minutes < 1 ? age.getAttribute("data-now")
      : hours < 1 ? age.getAttribute("data-minutes").replace("{m}", minutes)
      : age.getAttribute("data-hours").replace("{h}", hours).replace("{m}", String(minutes % 60).padStart(2, "0"));
    age.textContent = words;
  }
  show();
  setInterval(show, 60000);
})();
