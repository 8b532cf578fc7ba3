/* Forms: after a submit with errors, move focus to the first field at fault (the
   summary above the form lists them all and links to each); a summary link focuses
   its field. After htmx swaps in a panel with a form opened (the weekly grid's
   "+ Add a time"), keep that form on screen and focus its first input, because the
   outerHTML swap otherwise lets scroll anchoring leave it above the viewport. */
(function () {
  "use strict";

  function firstInvalid(root) {
    return root.querySelector('[aria-invalid="true"]:not(fieldset), fieldset[aria-invalid="true"] input');
  }

  function focusFirstError() {
    var summary = document.querySelector(".vb-error-summary");
    if (!summary) return;
    var field = firstInvalid(summary.closest("form") || document);
    if (field) {
      field.focus();
    } else {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".vb-error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var id = event.detail && event.detail.target && event.detail.target.id;
    var root = id && document.getElementById(id);
    var form = root && root.querySelector(".slot-form");
    if (!form) return;
    var input = firstInvalid(form) || form.querySelector("input:not([type=hidden]), select");
    form.scrollIntoView({ block: "center" });
    if (input) input.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
