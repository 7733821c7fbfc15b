// The gallery as an app: register its service worker (scoped to this gallery's address) and hand it what this
// first visit already loaded, so the gallery opens offline from the home screen with the photos seen so far.
import { api, config } from "./core.js";

export async function setupInstall() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const scope = `/g/${config.token}`;
  try {
    const registration = await navigator.serviceWorker.register(`${scope}/sw.js`, { scope, type: "classic" });
    const worker = registration.active || registration.waiting || registration.installing;
    await navigator.serviceWorker.ready;
    const target = registration.active || worker;
    if (!target) return;
    // The resources this load fetched before the worker was in control: the page, its modules, the API answers
    // (handed over as they are, so the worker does not ask the API again) and the images on screen.
    const urls = performance.getEntriesByType("resource").map((entry) => entry.name)
      .concat([location.href.split("#")[0]])
      .filter((url) => url.startsWith(location.origin) && !url.includes("/api/"));
    target.postMessage({ type: "warm", urls, responses: api.recentResponses() });
  } catch {
    // No service worker (private mode, blocked storage): the page works as before, only not offline.
  }
}
