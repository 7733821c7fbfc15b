// The grid: one section per set (in the photographer's order), justified rows of fixed-ratio tiles, images
// loaded as they come near the screen, pages of photos fetched as the visitor scrolls.
import { $, $$, api, ApiError, config, el, emit, srcset, smallest, state, t } from "./core.js";

const PAGE_SIZE_FIRST = 24; // the first screen: small, so it paints fast on a phone
const PAGE_SIZE = 60;
// Grid row heights (CSS px) per breakpoint, as in gallery.css: a tile's width is its aspect ratio times the row
// height, so each tile states its own `sizes` and a phone picks the 400 px thumb, not the 1200 px preview.
const ROW_HEIGHTS = [[1100, 230], [700, 190], [0, 110]];
const tileSizes = (ratio) => ROW_HEIGHTS
  .map(([minWidth, row]) => (minWidth ? `(min-width: ${minWidth}px) ` : "") + `${Math.round(ratio * row)}px`)
  .join(", ");

const sections = new Map(); // set id (null: photos in no set) -> <ul>

export function setName(setId) {
  const set = (state.share.sets || []).find((s) => s.id === setId);
  return set ? set.name : "";
}

export function buildSections(sets) {
  const root = $("#grid");
  const nav = $("#set-nav");
  const unsorted = el("section", { class: "set-section" }, el("ul", { class: "grid" }));
  root.append(unsorted);
  sections.set(null, $("ul", unsorted));
  for (const set of sets || []) {
    const list = el("ul", { class: "grid" });
    const section = el("section", { class: "set-section", id: `set-${set.id}`, "aria-labelledby": `set-title-${set.id}` },
      el("h2", { id: `set-title-${set.id}`, text: set.name }), list);
    section.hidden = true;
    root.append(section);
    sections.set(set.id, list);
    nav.append(el("a", { href: `#set-${set.id}`, text: set.name }));
  }
  nav.hidden = (sets || []).length < 2;
}

// The order the visitor sees: sections in the photographer's set order, photos by position within each.
export function sequence() {
  return $$(".tile", $("#grid")).map((tile) => state.byId.get(tile.dataset.photoId)).filter(Boolean);
}

export function sectionOf(photo) {
  return sections.has(photo.set_id) ? photo.set_id : null;
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
  const webp = srcset(photo.renditions, "webp");
  if (webp) $("source", picture).srcset = webp;
  const img = $("img", picture);
  img.srcset = srcset(photo.renditions, "url");
  img.src = smallest(photo.renditions);
}

function tileFor(photo) {
  const ratio = photo.width && photo.height ? photo.width / photo.height : 1;
  const img = el("img", { sizes: tileSizes(ratio), decoding: "async", loading: "lazy", alt: "",
    width: photo.width, height: photo.height });
  img.addEventListener("load", () => img.classList.add("loaded"), { once: true });
  const picture = el("picture", { "data-photo-id": photo.id },
    el("source", { type: "image/webp", sizes: tileSizes(ratio) }), img);
  const button = el("button", { type: "button", class: "open", onclick: () => emit("open-photo", photo) }, picture);
  if (photo.placeholder_color) button.style.backgroundColor = photo.placeholder_color;
  const item = el("li", { class: "tile", "data-photo-id": photo.id }, button);
  item.style.setProperty("--ar", ratio.toFixed(4));
  if (lazyImages) lazyImages.observe(picture);
  else loadTileImage(picture);
  return item;
}

export function markTile(tile) {
  const id = tile.dataset.photoId;
  const favourite = state.favourites.has(id);
  tile.classList.toggle("is-favourite", favourite);
  let mark = $(".heart-mark", tile);
  if (favourite && !mark) tile.append(el("span", { class: "heart-mark", "aria-hidden": "true", text: "♥" }));
  else if (!favourite && mark) mark.remove();
  const photo = state.byId.get(id);
  const label = photo ? photo.filename : "";
  $("button.open", tile).setAttribute("aria-label", favourite ? `${label}, ${t("inFavourites")}` : label);
}

export function markAllTiles() {
  $$(".tile").forEach(markTile);
}

// One page at a time: callers that arrive while a page is on its way wait for that same page.
export function loadMore() {
  if (state.done) return Promise.resolve();
  if (!state.loading) state.loading = loadPage();
  return state.loading;
}

export async function loadAll() {
  while (!state.done) {
    const before = state.photos.length;
    await loadMore();
    if (state.photos.length === before) break; // the page failed: its message is on screen
  }
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
      if (inCurrentList(photo)) state.favourites.add(photo.id);
      const key = sectionOf(photo);
      if (!fragments.has(key)) fragments.set(key, document.createDocumentFragment());
      const tile = tileFor(photo);
      markTile(tile);
      fragments.get(key).append(tile);
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
    emit("photos-loaded");
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

export function inCurrentList(photo) {
  const lists = photo.favourite_lists || [];
  return state.listId ? lists.includes(state.listId) : lists.includes(defaultListId()) || (!defaultListId() && lists.length > 0);
}

export function defaultListId() {
  const list = state.lists.find((l) => l.is_default);
  return list ? list.id : null;
}

let sentinelVisible = false;
export function setupInfiniteScroll() {
  $("#load-more").addEventListener("click", loadMore);
  if (!("IntersectionObserver" in window)) return;
  new IntersectionObserver((entries) => {
    sentinelVisible = entries.some((entry) => entry.isIntersecting);
    if (sentinelVisible) loadMore();
  }, { rootMargin: "300px 0px" }).observe($("#sentinel"));
}

export const photoUrl = (photo) => `/g/${config.token}/p/${photo.id}${location.search}`;

// After the visitor identifies, their own favourites and notes come with the photos: reload what is loaded.
export async function refreshPhotos() {
  let cursor = null;
  let loaded = 0;
  do {
    const page = await api.photos(cursor, PAGE_SIZE);
    for (const photo of page.items) {
      const known = state.byId.get(photo.id);
      if (known) Object.assign(known, photo);
    }
    loaded += page.items.length;
    cursor = page.next_cursor;
  } while (cursor && loaded < state.photos.length);
}
