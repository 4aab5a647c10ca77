/* « Imprimer » buttons (the evacuation register): a static script, since the pages' Content
   Security Policy runs no inline handler. */
document.querySelectorAll("button[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
