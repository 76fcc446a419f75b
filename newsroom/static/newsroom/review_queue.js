// The review queue's "tick all" box: a file, not an inline handler, because the
// Content-Security-Policy lets no inline script run.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("tick-all");
  if (!all) return;
  all.addEventListener("click", function () {
    document.querySelectorAll("input.entry-tick").forEach(function (box) {
      box.checked = all.checked;
    });
  });
});
