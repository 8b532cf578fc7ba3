// The coordinator's check-in code changes every ten minutes: reload the page
// that shows it (never while someone is typing in one of its forms).
(function () {
  var holder = document.querySelector("[data-reload-seconds]");
  if (!holder) return;
  var seconds = parseInt(holder.getAttribute("data-reload-seconds"), 10) || 300;
  setInterval(function () {
    var active = document.activeElement;
    if (active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA")) return;
    window.location.reload();
  }, seconds * 1000);
})();
