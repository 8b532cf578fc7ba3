// "Notifications on this device": subscribe this browser to Web Push with the
// site's VAPID key and tell the API (POST/DELETE /api/v1/me/push-subscriptions/).
// The service worker (/sw.js) shows each push and opens its page when tapped.
(function () {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const on = box.querySelector("[data-push-subscribe]");
  const off = box.querySelector("[data-push-unsubscribe]");
  const error = box.querySelector("[data-push-error]");
  const API = "/api/v1/me/push-subscriptions/";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function keyBytes(base64) {
    const padded = (base64 + "=".repeat((4 - (base64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function show(subscribed) {
    on.classList.toggle("d-none", subscribed);
    off.classList.toggle("d-none", !subscribed);
  }

  function fail() {
    error.classList.remove("d-none");
  }

  function send(method, body) {
    return fetch(API, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    }).then((response) => {
      if (!response.ok && response.status !== 404) throw new Error(String(response.status));
    });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    on.disabled = true;
    fail();
    return;
  }

  navigator.serviceWorker.ready
    .then((registration) => registration.pushManager.getSubscription())
    .then((subscription) => show(Boolean(subscription)))
    .catch(() => {});

  on.addEventListener("click", () => {
    Notification.requestPermission()
      .then((permission) => {
        if (permission !== "granted") throw new Error("denied");
        return navigator.serviceWorker.ready;
      })
      .then((registration) =>
        registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) })
      )
      .then((subscription) => send("POST", subscription.toJSON()))
      .then(() => show(true))
      .catch(fail);
  });

  off.addEventListener("click", () => {
    navigator.serviceWorker.ready
      .then((registration) => registration.pushManager.getSubscription())
      .then((subscription) => {
        if (!subscription) return null;
        const endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(() => send("DELETE", { endpoint: endpoint }));
      })
      .then(() => show(false))
      .catch(fail);
  });
})();
