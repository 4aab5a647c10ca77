/* The signature pad of the attendance sheet: a person signs with a finger, a stylus or the mouse
   on a <canvas> (pointer events); « Effacer » empties it; sending the form puts the drawing in
   the hidden field `image` as a PNG data URL. Nothing drawn: the form is not sent and the pad's
   message says so (read out by screen readers). Without JavaScript nothing can be drawn: the
   page's help says to ask staff, who note the presence with the reason. */
(function () {
  var forms = document.querySelectorAll("form[data-signature-pad]");
  Array.prototype.forEach.call(forms, function (form) {
    var canvas = form.querySelector("canvas");
    var field = form.querySelector("input[name=image]");
    var message = form.querySelector("[data-pad-message]");
    var clear = form.querySelector("[data-clear]");
    var context = canvas.getContext("2d");
    var drawn = false;
    var last = null;

    function blank() {
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.strokeStyle = "#10223a";
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      drawn = false;
      field.value = "";
    }

    function fit() {
      // The drawing's pixels are the box's CSS pixels: a small PNG, well under the size limit.
      var width = Math.max(200, Math.round(canvas.clientWidth));
      canvas.width = width;
      canvas.height = Math.round(Math.min(320, Math.max(140, width * 0.4)));
      blank();
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = context.strokeStyle;
      context.fill();
      drawn = true;
      message.textContent = "";
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!last) { return; }
      event.preventDefault();
      var next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
    });
    function stop() { last = null; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    clear.addEventListener("click", function () {
      blank();
      message.textContent = "";
      canvas.focus();
    });

    form.addEventListener("submit", function (event) {
      if (!drawn) {
        event.preventDefault();
        message.textContent = form.dataset.emptyMessage || "";
        canvas.focus();
        return;
      }
      field.value = canvas.toDataURL("image/png");
    });

    fit();
  });
})();
