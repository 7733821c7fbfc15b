// The client gallery page: grid with infinite scroll, viewer, favourites and selection, downloads, share, cart.
// Everything goes through the public share API (./api.js); strings come translated in the page's JSON block.
import { ApiError, shareApi } from "./api.js";

const PAGE_SIZE_FIRST = 24; // the first screen: small, so it paints fast on a phone
const PAGE_SIZE = 60;
// Grid row heights (CSS px) per breakpoint, as in gallery.css: a tile's width is its aspect ratio times the row
// height, so each tile states its own `sizes` and a phone picks the 400 px thumb, not the 1200 px preview.
const ROW_HEIGHTS = [[1100, 230], [700, 190], [0, 110]];
const tileSizes = (ratio) => ROW_HEIGHTS
  .map(([minWidth, row]) => (minWidth ? `(min-width: ${minWidth}px) ` : "") + `${Math.round(ratio * row)}px`)
  .join(", ");
const VIEWER_SIZES = "100vw";
const EXPIRY_WARNING_DAYS = 14;
const PHYSICAL_KINDS = new Set(["print", "canvas", "album"]); // these need a shipping address

const $ = (selector, root = document) => root.querySelector(selector);
const config = JSON.parse($("#page-config").textContent);
const api = shareApi(config.api);

function t(key, vars = {}) {
  const text = config.strings[key] || key;
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(vars[name] ?? ""));
}

const state = {
  share: null,
  photos: [],
  byId: new Map(),
  cursor: null,
  done: false,
  loading: null, // the page of photos on its way, if any
  favourites: new Set(),
  selection: null,
  current: -1,
  products: [],
  currency: null,
  cart: null,
};

// --- small helpers -------------------------------------------------------------------------------------------

let toastTimer = 0;
function toast(message) {
  const element = $("#toast");
  // A modal dialog sits in the top layer, above anything outside it: show the message inside the open one.
  const host = [...document.querySelectorAll("dialog[open]")].pop() || document.body;
  if (element.parentElement !== host) host.append(element);
  element.textContent = message;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { element.hidden = true; }, 3500);
}

function showError(error) {
  if (error instanceof ApiError) toast(error.message);
  else if (!navigator.onLine) toast(t("offline"));
  else toast(t("error"));
}

function formError(form, message) {
  const element = $(".form-error", form);
  element.textContent = message || "";
  element.hidden = !message;
}

function srcset(renditions, key) {
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

function smallest(renditions) {
  const list = Object.values(renditions || {}).sort((a, b) => a.width - b.width);
  return list.length ? list[0].url : "";
}

function money(amount, currency) {
  const digits = new Intl.NumberFormat(config.lang, { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  return new Intl.NumberFormat(config.lang, { style: "currency", currency }).format(amount / 10 ** digits);
}

function openDialog(dialog) {
  if (!dialog.open) dialog.showModal();
}

// --- identification: a visitor is needed for favourites, selection, cart -------------------------------------

let pendingAfterIdentify = null;

function requireVisitor(action) {
  if (state.share && state.share.visitor) return action();
  pendingAfterIdentify = action;
  const dialog = $("#identify");
  $("#identify-email").hidden = false;
  $("#identify-code").hidden = true;
  openDialog(dialog);
  $("#identify-address").focus();
  return undefined;
}

function needsVisitor(error) {
  return error instanceof ApiError && error.status === 401 && Boolean(error.problem.needs_visitor);
}

// Runs `operation` as an identified visitor: asks who they are first (when `required`, or when the API says so)
// and runs it again once they are.
async function asVisitor(operation, { required = true } = {}) {
  if (required && !(state.share && state.share.visitor)) return requireVisitor(() => asVisitor(operation));
  try {
    return await operation();
  } catch (error) {
    if (!needsVisitor(error)) throw error;
    state.share.visitor = null;
    return requireVisitor(() => asVisitor(operation));
  }
}

function setupIdentify() {
  const emailForm = $("#identify-email");
  const codeForm = $("#identify-code");
  let email = "";
  emailForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    email = $("#identify-address").value.trim();
    const name = $("#identify-name").value.trim();
    formError(emailForm, "");
    try {
      await api.startVisitor(email, name || undefined);
      emailForm.hidden = true;
      codeForm.hidden = false;
      $("#identify-code-lead").textContent = t("codeSent", { email });
      $("#identify-code-input").focus();
    } catch (error) {
      formError(emailForm, error.message);
    }
  });
  codeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError(codeForm, "");
    try {
      const result = await api.verifyVisitor(email, $("#identify-code-input").value.trim());
      state.share = await api.gallery();
      state.share.visitor = state.share.visitor || result.visitor;
      $("#identify").close();
      await refreshAfterIdentify();
      const action = pendingAfterIdentify;
      pendingAfterIdentify = null;
      if (action) await action();
    } catch (error) {
      formError(codeForm, error.message);
    }
  });
}

async function refreshAfterIdentify() {
  // The visitor's own favourites come with the photos: reload what is on screen.
  state.selection = state.share.selection;
  state.favourites.clear();
  let cursor = null;
  let loaded = 0;
  do {
    const page = await api.photos(cursor, PAGE_SIZE);
    for (const photo of page.items) {
      if ((photo.favourite_lists || []).length) state.favourites.add(photo.id);
      const known = state.byId.get(photo.id);
      if (known) Object.assign(known, photo);
    }
    loaded += page.items.length;
    cursor = page.next_cursor;
  } while (cursor && loaded < state.photos.length);
  document.querySelectorAll(".tile").forEach((tile) => markTile(tile));
  renderActionbar();
  updateViewerActions();
  loadCart();
}

// --- grid ----------------------------------------------------------------------------------------------------

const sections = new Map();

function buildSections(sets) {
  const root = $("#grid");
  const nav = $("#set-nav");
  const unsorted = document.createElement("section");
  unsorted.className = "set-section";
  const list = document.createElement("ul");
  list.className = "grid";
  unsorted.append(list);
  root.append(unsorted);
  sections.set(null, list);
  for (const set of sets || []) {
    const section = document.createElement("section");
    section.className = "set-section";
    section.id = `set-${set.id}`;
    section.hidden = true;
    const heading = document.createElement("h2");
    heading.textContent = set.name;
    const setList = document.createElement("ul");
    setList.className = "grid";
    section.append(heading, setList);
    root.append(section);
    sections.set(set.id, setList);
    const link = document.createElement("a");
    link.href = `#set-${set.id}`;
    link.textContent = set.name;
    nav.append(link);
  }
  nav.hidden = (sets || []).length < 2;
}

// The cover is the first thing a phone shows: thumbnails wait for it (a few seconds at most) instead of
// sharing a slow connection with it.
const coverShown = new Promise((resolve) => {
  const cover = $(".hero-img");
  if (!cover || cover.complete) { resolve(); return; }
  cover.addEventListener("load", resolve, { once: true });
  cover.addEventListener("error", resolve, { once: true });
  setTimeout(resolve, 3000);
});

const lazyImages = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    lazyImages.unobserve(entry.target);
    coverShown.then(() => loadTileImage(entry.target));
  }
}, { rootMargin: "300px 0px" }) : null;

function loadTileImage(picture) {
  const photo = state.byId.get(picture.dataset.photoId);
  const source = $("source", picture);
  const img = $("img", picture);
  const webp = srcset(photo.renditions, "webp");
  if (webp) source.srcset = webp;
  img.srcset = srcset(photo.renditions, "url");
  img.src = smallest(photo.renditions);
}

function tileFor(photo, index) {
  const item = document.createElement("li");
  item.className = "tile";
  item.dataset.photoId = photo.id;
  const ratio = photo.width && photo.height ? photo.width / photo.height : 1;
  item.style.setProperty("--ar", ratio.toFixed(4));
  const button = document.createElement("button");
  button.type = "button";
  button.className = "open";
  if (photo.placeholder_color) button.style.backgroundColor = photo.placeholder_color;
  const picture = document.createElement("picture");
  picture.dataset.photoId = photo.id;
  const source = document.createElement("source");
  source.type = "image/webp";
  source.sizes = tileSizes(ratio);
  const img = document.createElement("img");
  img.alt = t("photoAlt", { n: index + 1, total: state.share.photo_count });
  img.sizes = tileSizes(ratio);
  img.decoding = "async";
  img.loading = "lazy";
  if (photo.width && photo.height) { img.width = photo.width; img.height = photo.height; }
  img.addEventListener("load", () => img.classList.add("loaded"), { once: true });
  picture.append(source, img);
  button.append(picture);
  button.addEventListener("click", () => openViewer(state.photos.indexOf(photo)));
  item.append(button);
  markTile(item);
  if (lazyImages) lazyImages.observe(picture);
  else loadTileImage(picture);
  return item;
}

function markTile(tile) {
  const id = tile.dataset.photoId;
  let mark = $(".heart-mark", tile);
  if (state.favourites.has(id)) {
    if (!mark) {
      mark = document.createElement("span");
      mark.className = "heart-mark";
      mark.textContent = "♥";
      mark.setAttribute("aria-hidden", "true");
      tile.append(mark);
    }
  } else if (mark) mark.remove();
  const button = $("button.open", tile);
  const index = state.photos.findIndex((p) => p.id === id);
  const label = t("photoAlt", { n: index + 1, total: state.share.photo_count });
  button.setAttribute("aria-label", state.favourites.has(id) ? `${label} ♥` : label);
}

// One page at a time: callers that arrive while a page is on its way wait for that same page.
function loadMore() {
  if (state.done) return Promise.resolve();
  if (!state.loading) state.loading = loadPage();
  return state.loading;
}

async function loadPage() {
  $("#grid").setAttribute("aria-busy", "true");
  $("#grid-status").textContent = t("loading");
  try {
    const page = await api.photos(state.cursor, state.photos.length ? PAGE_SIZE : PAGE_SIZE_FIRST);
    const fragments = new Map();
    for (const photo of page.items) {
      if (state.byId.has(photo.id)) continue;
      state.byId.set(photo.id, photo);
      state.photos.push(photo);
      if ((photo.favourite_lists || []).length) state.favourites.add(photo.id);
      const key = sections.has(photo.set_id) ? photo.set_id : null;
      if (!fragments.has(key)) fragments.set(key, document.createDocumentFragment());
      fragments.get(key).append(tileFor(photo, state.photos.length - 1));
    }
    for (const [key, fragment] of fragments) {
      const list = sections.get(key);
      list.append(fragment);
      list.parentElement.hidden = false;
    }
    state.cursor = page.next_cursor;
    state.done = !page.next_cursor;
    $("#grid-status").textContent = "";
    $("#load-more").hidden = state.done || Boolean(window.IntersectionObserver);
  } catch (error) {
    $("#grid-status").textContent = error instanceof ApiError ? error.message : t("error");
    $("#load-more").hidden = false;
  } finally {
    state.loading = null;
    $("#grid").setAttribute("aria-busy", "false");
  }
  // A tall screen may show the sentinel again at once: keep filling.
  if (!state.done && sentinelVisible) setTimeout(loadMore, 0);
}

let sentinelVisible = false;
function setupInfiniteScroll() {
  $("#load-more").addEventListener("click", loadMore);
  if (!("IntersectionObserver" in window)) return;
  new IntersectionObserver((entries) => {
    sentinelVisible = entries.some((entry) => entry.isIntersecting);
    if (sentinelVisible) loadMore();
  }, { rootMargin: "300px 0px" }).observe($("#sentinel"));
}

// --- selection, favourites -----------------------------------------------------------------------------------

function renderActionbar() {
  const share = state.share;
  const bar = $("#actionbar");
  const selection = state.selection;
  const canSelect = share.permissions && share.permissions.selection && share.visitor;
  const count = selection ? selection.count : state.favourites.size;
  const counter = $("#selection-count");
  if (selection && selection.locked) counter.textContent = t("selectionLocked");
  else if (selection && selection.limit) counter.textContent = t("selectedOfLimit", { count, limit: selection.limit });
  else counter.textContent = count ? t("selectedCount", { count }) : "";
  const submit = $("#submit-selection");
  submit.hidden = !canSelect || !selection || selection.locked;
  submit.disabled = count === 0;
  $("#cart-open").hidden = !state.products.length;
  bar.hidden = !counter.textContent && submit.hidden && $("#cart-open").hidden;
  document.body.classList.toggle("has-actionbar", !bar.hidden);
}

async function toggleFavourite(photo) {
  const wasFavourite = state.favourites.has(photo.id);
  if (!wasFavourite && state.selection && state.selection.limit
      && state.selection.count >= state.selection.limit) {
    toast(t("limitReached", { limit: state.selection.limit }));
    return;
  }
  const result = await (wasFavourite ? api.unfavourite(photo.id) : api.favourite(photo.id));
  if (wasFavourite) state.favourites.delete(photo.id);
  else state.favourites.add(photo.id);
  if (result && result.selection) state.selection = result.selection;
  else if (state.selection) state.selection.count = state.favourites.size;
  const tile = document.querySelector(`.tile[data-photo-id="${CSS.escape(photo.id)}"]`);
  if (tile) markTile(tile);
  renderActionbar();
  updateViewerActions();
  if (!wasFavourite && state.selection && state.selection.limit && state.selection.count >= state.selection.limit) {
    toast(t("limitReached", { limit: state.selection.limit }));
  }
}

async function submitSelection() {
  const count = state.selection ? state.selection.count : state.favourites.size;
  if (!window.confirm(t("submitConfirm", { count }))) return;
  try {
    await api.submitSelection();
    state.share = await api.gallery();
    state.selection = state.share.selection;
    renderActionbar();
    toast(t("submitted"));
  } catch (error) {
    showError(error);
  }
}

// --- viewer --------------------------------------------------------------------------------------------------

function openViewer(index) {
  if (index < 0 || index >= state.photos.length) return;
  state.current = index;
  const photo = state.photos[index];
  const img = $("#viewer-img");
  img.removeAttribute("src");
  if (photo.placeholder_color) $("#viewer-stage").style.backgroundColor = photo.placeholder_color;
  $("#viewer-webp").sizes = VIEWER_SIZES;
  $("#viewer-webp").srcset = srcset(photo.renditions, "webp");
  img.sizes = VIEWER_SIZES;
  img.srcset = srcset(photo.renditions, "url");
  img.src = smallest(photo.renditions);
  img.alt = photo.filename;
  if (photo.width && photo.height) { img.width = photo.width; img.height = photo.height; }
  img.addEventListener("load", () => { $("#viewer-stage").style.backgroundColor = ""; }, { once: true });
  $("#viewer-position").textContent = t("photoOf", { n: index + 1, total: state.share.photo_count });
  $("#viewer-note").hidden = true;
  $("#viewer-note-toggle").setAttribute("aria-expanded", "false");
  $("#viewer-note-text").value = photo.note || "";
  updateViewerActions();
  const viewer = $("#viewer");
  if (!viewer.open) {
    viewer.showModal();
    $("#viewer-close").focus();
  }
  history.replaceState(null, "", `/g/${config.token}/p/${photo.id}${location.search}`);
  api.event("photo_viewed", photo.id).catch(() => {});
  // Prefetch the neighbours so swiping feels instant.
  for (const near of [index - 1, index + 1]) {
    const neighbour = state.photos[near];
    if (neighbour && neighbour.renditions.preview) new Image().src = neighbour.renditions.preview.url;
  }
  if (index >= state.photos.length - 3) loadMore();
}

function closeViewer() {
  $("#viewer").close();
}

function updateViewerActions() {
  const photo = state.photos[state.current];
  if (!photo || !state.share) return;
  const favourite = state.favourites.has(photo.id);
  const heart = $("#viewer-heart");
  heart.setAttribute("aria-pressed", String(favourite));
  heart.setAttribute("aria-label", favourite ? t("unfavourite") : t("favourite"));
  const permissions = state.share.permissions || {};
  heart.hidden = permissions.favourites === false;
  $("#viewer-note-toggle").hidden = !favourite;
  $("#viewer-download").hidden = !permissions.download || permissions.download === "none";
  $("#viewer-cart").hidden = !state.products.length;
}

function step(delta) {
  const next = state.current + delta;
  if (next >= 0 && next < state.photos.length) openViewer(next);
}

function setupViewer() {
  const viewer = $("#viewer");
  $("#viewer-close").addEventListener("click", closeViewer);
  $("#viewer-prev").addEventListener("click", () => step(-1));
  $("#viewer-next").addEventListener("click", () => step(1));
  viewer.addEventListener("close", () => {
    history.replaceState(null, "", `/g/${config.token}${location.search}`);
    const photo = state.photos[state.current];
    const tile = photo && document.querySelector(`.tile[data-photo-id="${CSS.escape(photo.id)}"] button`);
    if (tile) tile.focus();
  });
  viewer.addEventListener("keydown", (event) => {
    if (event.target.closest("textarea, input")) return;
    if (event.key === "ArrowRight") { event.preventDefault(); step(1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); step(-1); }
    else if (event.key === "f" || event.key === "F") { event.preventDefault(); $("#viewer-heart").click(); }
  });
  // Swipe: a mostly horizontal move of 50 px or more turns the page; vertical scroll and pinch stay native.
  const stage = $("#viewer-stage");
  let start = null;
  stage.addEventListener("pointerdown", (event) => {
    // Fingers are handled by the touch events below (one gesture must not turn two pages).
    if (event.pointerType !== "touch") start = { x: event.clientX, y: event.clientY, id: event.pointerId };
  });
  stage.addEventListener("pointercancel", () => { start = null; });
  stage.addEventListener("pointerup", (event) => {
    if (!start || start.id !== event.pointerId) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    start = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) step(dx < 0 ? 1 : -1);
  });
  // Touch: pointer events get cancelled as soon as the browser starts a pan; touch events do not.
  let touch = null;
  stage.addEventListener("touchstart", (event) => {
    if (event.touches.length === 1) touch = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }, { passive: true });
  stage.addEventListener("touchend", (event) => {
    if (!touch || !event.changedTouches.length) return;
    const dx = event.changedTouches[0].clientX - touch.x;
    const dy = event.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) step(dx < 0 ? 1 : -1);
  }, { passive: true });

  $("#viewer-heart").addEventListener("click", () => {
    const photo = state.photos[state.current];
    if (photo) asVisitor(() => toggleFavourite(photo)).catch(showError);
  });
  $("#viewer-note-toggle").addEventListener("click", () => {
    const form = $("#viewer-note");
    form.hidden = !form.hidden;
    $("#viewer-note-toggle").setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) $("#viewer-note-text").focus();
  });
  $("#viewer-note").addEventListener("submit", async (event) => {
    event.preventDefault();
    const photo = state.photos[state.current];
    const note = $("#viewer-note-text").value;
    try {
      await asVisitor(async () => {
        await api.favourite(photo.id, note);
        photo.note = note;
        toast(t("noteSaved"));
      });
    } catch (error) { showError(error); }
  });
  $("#viewer-download").addEventListener("click", () => download(state.photos[state.current]).catch(showError));
  $("#viewer-share").addEventListener("click", () => share(state.photos[state.current]));
  $("#viewer-cart").addEventListener("click", () => asVisitor(() => openCart(state.photos[state.current])).catch(showError));
}

// --- download, share ------------------------------------------------------------------------------------------

let downloadPin = "";

async function download(photo, pin = downloadPin) {
  const permissions = state.share.permissions || {};
  if (permissions.download_pin_required && !pin) return askPin(photo);
  const size = "default"; // the best this link may have
  try {
    const file = await asVisitor(() => api.download(photo.id, size, pin), { required: false });
    if (!file) return undefined; // asked who they are first; runs again after
    const { blob, name } = file;
    downloadPin = pin;
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = name;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
    toast(t("downloadStarted"));
  } catch (error) {
    if (error instanceof ApiError && (error.problem.pin_required || error.problem.errors?.pin)) {
      downloadPin = "";
      return askPin(photo, pin ? t("downloadPinWrong") : "");
    }
    showError(error);
  }
  return undefined;
}

function askPin(photo, message = "") {
  const dialog = $("#pin");
  const form = $("#pin-form");
  formError(form, message);
  form.onsubmit = (event) => {
    event.preventDefault();
    dialog.close();
    download(photo, $("#pin-input").value.trim());
  };
  openDialog(dialog);
  $("#pin-input").value = "";
  $("#pin-input").focus();
}

async function share(photo) {
  const url = photo ? `${config.pageUrl}/p/${photo.id}` : config.pageUrl;
  const title = state.share ? state.share.title : document.title;
  let channel = "copy";
  try {
    if (navigator.share) {
      await navigator.share({ title, url });
      channel = "web_share";
    } else {
      await navigator.clipboard.writeText(url);
      toast(t("linkCopied"));
    }
  } catch (error) {
    if (error && error.name === "AbortError") return;
    try {
      await navigator.clipboard.writeText(url);
      toast(t("linkCopied"));
    } catch {
      window.prompt(t("copyFailed"), url);
    }
  }
  api.event("shared", photo ? photo.id : undefined, channel).catch(() => {});
}

// --- cart and checkout ----------------------------------------------------------------------------------------

async function loadCart() {
  if (!state.share || !state.share.visitor || !state.products.length) return;
  try {
    state.cart = await api.cart();
  } catch {
    state.cart = null;
  }
  renderCartCount();
}

function renderCartCount() {
  const count = state.cart ? state.cart.items.reduce((sum, item) => sum + item.quantity, 0) : 0;
  $("#cart-count").textContent = String(count);
  renderActionbar();
}

function renderCart(photo) {
  const body = $("#cart-body");
  body.replaceChildren();
  const cart = state.cart;
  if (!cart || !cart.items.length) {
    const empty = document.createElement("p");
    empty.textContent = t("cartEmpty");
    body.append(empty);
  } else {
    for (const item of cart.items) {
      const line = document.createElement("div");
      line.className = "cart-line";
      const label = document.createElement("span");
      label.textContent = `${item.quantity} × ${item.product_name}`;
      const price = document.createElement("span");
      price.textContent = money(item.line_total, cart.currency);
      line.append(label, price);
      body.append(line);
    }
    const total = document.createElement("p");
    total.className = "cart-line";
    total.textContent = `${t("total")}: ${money(cart.subtotal, cart.currency)}`;
    body.append(total);
  }
  const productForm = $("#product-form");
  productForm.hidden = !photo || !state.products.length;
  if (photo) {
    const select = $("#product-select");
    select.replaceChildren(...state.products.map((product) => {
      const option = document.createElement("option");
      option.value = product.id;
      option.textContent = `${product.name} · ${money(product.price, state.currency)}`;
      return option;
    }));
    productForm.onsubmit = (event) => { event.preventDefault(); addToCart(photo); };
  }
  $("#checkout-form").hidden = !cart || !cart.items.length;
  const shipping = Boolean(cart && cart.items.some((item) => PHYSICAL_KINDS.has(item.product_kind)));
  $("#shipping").hidden = !shipping;
  for (const input of $("#shipping").querySelectorAll("input")) input.required = shipping;
}

async function openCart(photo) {
  await loadCart();
  renderCart(photo);
  openDialog($("#cart"));
}

async function addToCart(photo) {
  const items = (state.cart ? state.cart.items : []).map((item) => ({
    product_id: item.product_id, photo_id: item.photo_id, quantity: item.quantity, options: item.options || {},
  }));
  const product = state.products.find((p) => p.id === $("#product-select").value);
  // The whole gallery as a download is not about one photo.
  items.push({ product_id: product.id, photo_id: product.kind === "digital_gallery" ? null : photo.id,
    quantity: Number($("#product-quantity").value) || 1, options: {} });
  try {
    state.cart = await asVisitor(() => api.putCart(items));
    renderCartCount();
    renderCart(null);
    toast(t("addedToCart"));
  } catch (error) { showError(error); }
}

function setupCart() {
  $("#cart-open").addEventListener("click", () => asVisitor(() => openCart(null)).catch(showError));
  $("#checkout-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    formError(form, "");
    try {
      const address = $("#shipping").hidden ? undefined : {
        name: $("#ship-name").value.trim(), line1: $("#ship-line1").value.trim(),
        postal_code: $("#ship-postal").value.trim(), city: $("#ship-city").value.trim(),
        country: $("#ship-country").value.trim().toUpperCase(),
      };
      const order = await asVisitor(() => api.checkout($("#checkout-coupon").value.trim() || undefined, address));
      if (order.checkout_url) { window.location.assign(order.checkout_url); return; }
      state.cart = null;
      renderCartCount();
      $("#cart").close();
      toast(t("orderPlaced"));
    } catch (error) { formError(form, error.message); }
  });
}

// --- unlock, banner, start ------------------------------------------------------------------------------------

function setupUnlock() {
  const form = $("#unlock-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("#unlock-error");
    error.hidden = true;
    try {
      await api.unlock($("#unlock-password").value);
      // The hero and preview come from the server now that the cookie is set.
      window.location.reload();
    } catch (failure) {
      error.textContent = failure instanceof ApiError && failure.status < 500 ? t("wrongPassword") : t("error");
      error.hidden = false;
      $("#unlock-password").select();
    }
  });
}

function showExpiryBanner(expiresAt) {
  if (!expiresAt) return;
  const expires = new Date(expiresAt);
  const days = (expires - Date.now()) / 86400000;
  if (days > EXPIRY_WARNING_DAYS || days < 0) return;
  const banner = $("#banner");
  const date = new Intl.DateTimeFormat(config.lang, { dateStyle: "long" }).format(expires);
  banner.textContent = t("expiresSoon", { date });
  banner.hidden = false;
}

function setupChrome() {
  document.documentElement.classList.add("js");
  const select = $("#lang-select");
  if (select) select.addEventListener("change", () => select.form.requestSubmit());
  const hero = $(".hero-img");
  if (hero && hero.dataset.color) hero.parentElement.parentElement.style.backgroundColor = hero.dataset.color;
  for (const dialog of document.querySelectorAll("dialog")) {
    for (const button of dialog.querySelectorAll("[data-close]")) button.addEventListener("click", () => dialog.close());
  }
  if (new URLSearchParams(location.search).has("lang")) {
    // The choice is remembered in a cookie: keep the address clean for sharing.
    history.replaceState(null, "", location.pathname);
  }
}

async function start() {
  setupChrome();
  setupUnlock();
  if (config.locked) {
    $("#unlock-password").focus();
    return;
  }
  setupIdentify();
  setupViewer();
  setupCart();
  $("#submit-selection").addEventListener("click", () => asVisitor(submitSelection).catch(showError));
  try {
    state.share = await api.gallery();
  } catch (error) {
    $("#grid-status").textContent = error instanceof ApiError ? error.message : t("error");
    return;
  }
  if (state.share.locked) { window.location.reload(); return; }
  state.selection = state.share.selection;
  const catalogue = api.products().catch(() => ({ products: [], currency: null }));
  buildSections(state.share.sets);
  showExpiryBanner(state.share.expires_at);
  renderActionbar();
  setupInfiniteScroll();
  await loadMore();
  ({ products: state.products, currency: state.currency } = await catalogue);
  renderActionbar();
  updateViewerActions();
  loadCart();
  if (config.photoId) {
    let index = state.photos.findIndex((p) => p.id === config.photoId);
    while (index < 0 && !state.done) {
      const before = state.photos.length;
      await loadMore();
      if (state.photos.length === before) break; // the page failed: its message is on screen
      index = state.photos.findIndex((p) => p.id === config.photoId);
    }
    openViewer(index);
  }
}

start();
