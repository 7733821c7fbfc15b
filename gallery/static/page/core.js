// What every part of the page shares: the page's configuration, the share API, translated strings, the page
// state, and small DOM helpers. No module reaches into another's DOM except through what is exported here.
import { ApiError, shareApi } from "./api.js";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
export const config = JSON.parse($("#page-config").textContent);
export const api = shareApi(config.api);
export { ApiError };

// Strings with plural forms come as one text per plural category of the page's language.
export function t(key, vars = {}) {
  let text = config.strings[key] || key;
  if (typeof text === "object") {
    text = text[new Intl.PluralRules(config.lang).select(Number(vars.count))] || text.other || key;
  }
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(vars[name] ?? ""));
}

export const state = {
  share: null,
  photos: [], // in the API's order (position); the viewer walks `sequence()` instead: sets in their order
  byId: new Map(),
  cursor: null,
  done: false,
  loading: null, // the page of photos on its way, if any
  favourites: new Set(), // photo ids in the current list
  lists: [], // the visitor's favourite lists
  listId: null, // the list the hearts add to (null: the default list)
  selection: null,
  current: null, // the photo open in the viewer
  products: [],
  currency: null,
  cart: null,
};

// Hooks other modules register, so no module imports one that imports it back.
const listeners = new Map();
export function on(name, callback) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(callback);
}
export function emit(name, ...args) {
  for (const callback of listeners.get(name) || []) callback(...args);
}
// The same, waiting for listeners that return promises (so what follows sees their result).
export function emitAndWait(name, ...args) {
  return Promise.all((listeners.get(name) || []).map((callback) => callback(...args)));
}

export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = value;
    else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? "" : value);
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

let toastTimer = 0;
export function toast(message) {
  const element = $("#toast");
  // A modal dialog sits in the top layer, above anything outside it: show the message inside the open one.
  const host = $$("dialog[open]").pop() || document.body;
  if (element.parentElement !== host) host.append(element);
  element.textContent = message;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { element.hidden = true; }, 3500);
}

export function showError(error) {
  if (error instanceof ApiError) toast(error.message);
  else if (!navigator.onLine) toast(t("offline"));
  else toast(t("error"));
}

export function formError(form, message) {
  const element = $(".form-error", form);
  element.textContent = message || "";
  element.hidden = !message;
}

export function srcset(renditions, key) {
  const sizes = Object.values(renditions || {});
  // Not every size has a WebP (only where it is smaller and as good): the WebP source offers the JPEG of the
  // others, or the browser would stretch the small WebP over a large screen.
  const fallback = key === "webp" && sizes.some((r) => r.webp) ? "url" : key;
  return sizes
    .filter((r) => r[key] || r[fallback])
    .sort((a, b) => a.width - b.width)
    .map((r) => `${r[key] || r[fallback]} ${r.width}w`)
    .join(", ");
}

export function smallest(renditions) {
  const list = Object.values(renditions || {}).sort((a, b) => a.width - b.width);
  return list.length ? list[0].url : "";
}

// A <picture> of a rendition set for a small square (cart lines, orders): the smallest JPEG and WebP only.
export function thumbPicture(thumb, alt = "") {
  if (!thumb || !thumb.url) return el("span", { class: "line-thumb empty", "aria-hidden": "true" });
  const picture = el("picture", { class: "line-thumb" });
  if (thumb.webp) picture.append(el("source", { type: "image/webp", srcset: thumb.webp }));
  picture.append(el("img", { src: thumb.url, alt, width: 56, height: 56, loading: "lazy", decoding: "async" }));
  return picture;
}

export function money(amount, currency) {
  const format = new Intl.NumberFormat(config.lang, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(amount / 10 ** digits);
}

export function fileSize(bytes) {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit += 1; }
  return new Intl.NumberFormat(config.lang, {
    style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: unit >= 2 ? 1 : 0,
  }).format(value);
}

export function formatDate(value) {
  return value ? new Intl.DateTimeFormat(config.lang, { dateStyle: "medium" }).format(new Date(value)) : "";
}

export function openDialog(dialog) {
  if (!dialog.open) dialog.showModal();
}

export const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;
