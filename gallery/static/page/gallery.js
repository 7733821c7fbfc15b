// The client gallery page: starts the parts (grid, viewer, slideshow, favourites and lists, comments,
// downloads, cart and orders, the installable app). Everything goes through the public share API (./api.js);
// strings come translated in the page's JSON block.
import { $, api, ApiError, config, emit, on, showError, state, t, toast } from "./core.js";
import { asVisitor, setupIdentify } from "./visitor.js";
import { buildSections, loadMore, refreshPhotos, setupInfiniteScroll } from "./grid.js";

// What the first screen needs (grid, identification) loads with the page; the rest (viewer, slideshow, lists,
// comments, downloads, store, the installable app) once the first screen is complete, or at the first tap.
let features = null;
function loadFeatures() {
  features = features || Promise.all([
    import("./viewer.js"), import("./slideshow.js"), import("./favourites.js"), import("./comments.js"),
    import("./downloads.js"), import("./cart.js"), import("./orders.js"), import("./install.js"),
  ]).then(([viewer, slideshow, favourites, comments, downloads, cart, orders, install]) =>
    ({ viewer, slideshow, favourites, comments, downloads, cart, orders, install }));
  return features;
}

const EXPIRY_WARNING_DAYS = 14;

let loaded = null;

function updateViewerActions() {
  const photo = state.current;
  if (!photo || !state.share) return;
  const favourite = state.favourites.has(photo.id);
  const heart = $("#viewer-heart");
  heart.setAttribute("aria-pressed", String(favourite));
  heart.setAttribute("aria-label", favourite ? t("unfavourite") : t("favourite"));
  heart.hidden = (state.share.permissions || {}).favourites === false;
  $("#viewer-note-toggle").hidden = !favourite;
  $("#viewer-lists").hidden = !state.share.visitor;
}

function setupViewerActions() {
  on("viewer-photo", (photo) => {
    $("#viewer-note").hidden = true;
    $("#viewer-note-toggle").setAttribute("aria-expanded", "false");
    $("#viewer-note-text").value = photo.note || "";
    updateViewerActions();
  });
  on("favourites-changed", updateViewerActions);
  $("#viewer-heart").addEventListener("click", () => {
    const photo = state.current;
    if (photo) asVisitor(() => loaded.favourites.toggleFavourite(photo)).catch(showError);
  });
  $("#viewer-note-toggle").addEventListener("click", () => {
    const form = $("#viewer-note");
    form.hidden = !form.hidden;
    $("#viewer-note-toggle").setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) $("#viewer-note-text").focus();
  });
  $("#viewer-note").addEventListener("submit", async (event) => {
    event.preventDefault();
    const photo = state.current;
    const note = $("#viewer-note-text").value;
    try {
      await asVisitor(async () => {
        await api.favourite(photo.id, note);
        photo.note = note;
        toast(t("noteSaved"));
      });
    } catch (error) { showError(error); }
  });
  $("#viewer-share").addEventListener("click", () => share(state.current));
  $("#share-open").addEventListener("click", () => share(null));
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

function setupUnlock() {
  $("#unlock-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("#unlock-error");
    error.hidden = true;
    try {
      await api.unlock($("#unlock-password").value);
      window.location.reload(); // the hero and preview come from the server now that the cookie is set
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
  const date = new Intl.DateTimeFormat(config.lang, { dateStyle: "long" }).format(expires);
  $("#banner").textContent = t("expiresSoon", { date });
  $("#banner").hidden = false;
}

function setupChrome() {
  document.documentElement.classList.add("js");
  const select = $("#lang-select");
  if (select) select.addEventListener("change", () => select.form.requestSubmit());
  const hero = $(".hero-img");
  if (hero && hero.dataset.color) hero.closest(".hero").style.backgroundColor = hero.dataset.color;
  for (const dialog of document.querySelectorAll("dialog")) {
    for (const button of dialog.querySelectorAll("[data-close]")) button.addEventListener("click", () => dialog.close());
  }
  if (new URLSearchParams(location.search).has("lang")) {
    // The choice is remembered in a cookie: keep the address clean for sharing.
    history.replaceState(null, "", location.pathname);
  }
}

async function setupFeatures() {
  loaded = await loadFeatures();
  const { viewer, slideshow, favourites, comments, downloads, cart, orders, install } = loaded;
  viewer.setupViewer();
  setupViewerActions();
  slideshow.setupSlideshow();
  favourites.setupFavourites();
  comments.setupComments();
  downloads.setupDownloads();
  cart.setupCart();
  orders.setupOrders();
  on("identified", async () => {
    state.selection = state.share.selection;
    await refreshPhotos();
    await favourites.loadLists();
    favourites.recountFavourites(); // marks the tiles, the action bar and the viewer's heart
  });
  await favourites.loadLists();
  favourites.renderActionbar();
  cart.loadCart();
  $("#toolbar").hidden = false;
  install.setupInstall();
  return loaded;
}

async function openPhotoFromUrl() {
  let photo = state.byId.get(config.photoId);
  while (!photo && !state.done) {
    const before = state.photos.length;
    await loadMore();
    if (state.photos.length === before) break; // the page failed: its message is on screen
    photo = state.byId.get(config.photoId);
  }
  if (photo) loaded.viewer.openViewer(photo);
}

async function start() {
  setupChrome();
  setupUnlock();
  if (config.locked) {
    $("#unlock-password").focus();
    return;
  }
  setupIdentify();
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
  // A tap on a photo before the viewer has loaded opens it as soon as it has.
  let ready = null;
  const whenReady = () => { ready = ready || catalogue.then((c) => {
    ({ products: state.products, currency: state.currency } = c);
  }).then(setupFeatures); return ready; };
  on("open-photo", (photo) => { if (!loaded) whenReady().then(() => emit("open-photo", photo)); });
  setupInfiniteScroll();
  await loadMore();
  if (config.photoId) {
    await whenReady();
    await openPhotoFromUrl();
  } else if (document.readyState === "complete") {
    whenReady();
  } else {
    window.addEventListener("load", whenReady, { once: true });
  }
}

start();
