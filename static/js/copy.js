// Copy buttons (data-copy="#input") and confirmations (data-confirm="question?") without inline scripts.
(function () {
  if (window.vbCopyReady) return;
  window.vbCopyReady = true;
  document.addEventListener("click", (event) => {
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      const input = document.querySelector(copy.dataset.copy);
      if (!input) return;
      input.select();
      const done = () => {
        const label = copy.textContent;
        copy.textContent = copy.dataset.copied || label;
        setTimeout(() => { copy.textContent = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, () => { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
      return;
    }
    const confirmable = event.target.closest("[data-confirm]");
    if (confirmable && !window.confirm(confirmable.dataset.confirm)) event.preventDefault();
  });
})();
