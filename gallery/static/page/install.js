// The gallery as an app: register its service worker (scoped to this gallery's address) and hand it what this
// first visit already loaded, so the gallery opens offline from the home screen with the photos seen so far.
//
// The hand-over is deterministic: the page waits until the worker controls it (from then on every request goes
// through the worker, which caches photos as they arrive), and only then lists what loaded or started loading
// before: the resources fetched so far and every image in the document, finished or not. The worker fetches what
// it has not cached and answers when done; the page then says so on <html data-offline="ready">.
import { api, config } from "./core.js";

const CONTROL_WAIT_MS = 10000; // a hard reload is never controlled: hand over to the active worker after this

function controlled() {
  if (navigator.serviceWorker.controller) return Promise.resolve(navigator.serviceWorker.controller);
  return new Promise((resolve) => {
    const done = () => resolve(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("controllerchange", done, { once: true });
    setTimeout(done, CONTROL_WAIT_MS);
  });
}

function loadedOrLoading() {
  const images = [...document.images].map((img) => img.currentSrc || img.src).filter(Boolean);
  return performance.getEntriesByType("resource").map((entry) => entry.name)
    .concat(images, [location.href.split("#")[0]])
    .filter((url, index, all) => url.startsWith(location.origin) && !url.includes("/api/") && all.indexOf(url) === index);
}

function ask(worker, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    worker.postMessage(message, [channel.port2]);
  });
}

export async function setupInstall() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const scope = `/g/${config.token}`;
  try {
    const registration = await navigator.serviceWorker.register(`${scope}/sw.js`, { scope, type: "classic" });
    await navigator.serviceWorker.ready;
    const target = (await controlled()) || registration.active;
    if (!target) return;
    // The API answers are handed over as they are, so the worker does not ask the API again.
    await ask(target, { type: "warm", urls: loadedOrLoading(), responses: api.recentResponses() });
    document.documentElement.dataset.offline = "ready";
  } catch {
    // No service worker (private mode, blocked storage): the page works as before, only not offline.
  }
}
