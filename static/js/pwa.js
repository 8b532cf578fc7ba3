// Register the service worker (scope "/") so the portal installs and reads offline.
// Signing in or out first empties the offline copies of pages (the "vb-pages" cache,
// named in core/pwa.py), so the next person on this phone never reads them.
const VB_PAGES_CACHE = "vb-pages";

if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.pagesCleared || !("caches" in window)) return;
  const path = new URL(form.action, location.href).pathname;
  if (!/\/accounts\/(logout|login)\/$/.test(path)) return;
  event.preventDefault();
  form.dataset.pagesCleared = "yes";
  const submitter = event.submitter;
  const timeout = new Promise((resolve) => setTimeout(resolve, 1500));
  Promise.race([caches.delete(VB_PAGES_CACHE).catch(() => {}), timeout]).then(() => form.requestSubmit(submitter));
});
