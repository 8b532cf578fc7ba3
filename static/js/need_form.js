// The need form on a phone: show only the repeat and sunset fields that apply.
// Without this script every field shows and the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-need-form]");
  if (!form) return;

  function row(id) {
    var input = document.getElementById(id);
    return input ? input.closest(".mb-3") : null;
  }

  function show(id, visible) {
    var wrapper = row(id);
    if (wrapper) wrapper.hidden = !visible;
  }

  function update() {
    var repeat = form.elements.repeat ? form.elements.repeat.value : "";
    var sunset = form.elements.anchor && form.elements.anchor.value === "sunset";
    show("id_repeat_count", repeat === "daily" || repeat === "weekly");
    show("id_repeat_until", repeat === "daily" || repeat === "weekly");
    show("id_recurrence", repeat === "custom");
    show("id_anchor_offset_minutes", sunset);
    show("id_ends_at", !sunset);
    show("id_duration_minutes", sunset || repeat !== "");
  }

  form.addEventListener("change", update);
  update();
})();
