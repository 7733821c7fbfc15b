// The viewer: one photo at a time, in the order the grid shows them, within its set (the set picker jumps
// between sets); keyboard (arrows, F to favourite, Escape), swipe, and the photo's actions.
import { $, api, config, emit, on, srcset, smallest, state, t } from "./core.js";
import { loadAll, loadMore, photoUrl, sectionOf, sequence, setName } from "./grid.js";

const VIEWER_SIZES = "100vw";

export function setPhotos(photo) {
  const key = sectionOf(photo);
  return sequence().filter((p) => sectionOf(p) === key);
}

function setTotal(photo) {
  const key = sectionOf(photo);
  const set = (state.share.sets || []).find((s) => s.id === key);
  if (set && Number.isInteger(set.photo_count)) return set.photo_count;
  return key === null && state.share.unsorted_count !== undefined ? state.share.unsorted_count
    : setPhotos(photo).length;
}

export function openViewer(photo) {
  if (!photo) return;
  state.current = photo;
  const img = $("#viewer-img");
  img.removeAttribute("src");
  $("#viewer-stage").style.backgroundColor = photo.placeholder_color || "";
  $("#viewer-webp").sizes = VIEWER_SIZES;
  $("#viewer-webp").srcset = srcset(photo.renditions, "webp");
  img.sizes = VIEWER_SIZES;
  img.srcset = srcset(photo.renditions, "url");
  img.src = smallest(photo.renditions);
  img.alt = photo.filename;
  if (photo.width && photo.height) { img.width = photo.width; img.height = photo.height; }
  img.addEventListener("load", () => { $("#viewer-stage").style.backgroundColor = ""; }, { once: true });
  const inSet = setPhotos(photo);
  const n = inSet.indexOf(photo) + 1;
  const name = setName(sectionOf(photo));
  $("#viewer-position").textContent = (name ? `${name} · ` : "") + t("photoOf", { n, total: setTotal(photo) });
  const picker = $("#viewer-set");
  if (!picker.hidden) picker.value = sectionOf(photo) || "";
  const slideshow = $("#viewer").classList.contains("slideshow");
  $("#viewer-prev").disabled = !slideshow && n <= 1;
  $("#viewer-next").disabled = !slideshow && n >= inSet.length && state.done;
  emit("viewer-photo", photo);
  const viewer = $("#viewer");
  if (!viewer.open) {
    viewer.showModal();
    $("#viewer-close").focus();
  }
  history.replaceState(null, "", photoUrl(photo));
  api.event("photo_viewed", photo.id).catch(() => {});
  // Prefetch the neighbours so swiping feels instant (the same size the viewer will pick).
  for (const near of [inSet[n - 2], inSet[n]]) {
    const size = near && (near.renditions.preview || near.renditions.thumb);
    if (size) new Image().src = size.webp || size.url;
  }
  if (n >= inSet.length - 3) loadMore();
}

export function closeViewer() {
  $("#viewer").close();
}

// Next or previous photo in the set; `wrap` (the slideshow) carries on into the next set and round again.
export async function step(delta, { wrap = false } = {}) {
  const photo = state.current;
  if (!photo) return false;
  let inSet = setPhotos(photo);
  let index = inSet.indexOf(photo) + delta;
  if (index >= inSet.length && !state.done) {
    await loadMore();
    inSet = setPhotos(photo);
  }
  if (index >= 0 && index < inSet.length) { openViewer(inSet[index]); return true; }
  if (!wrap) return false;
  if (!state.done) await loadAll();
  const everything = sequence();
  openViewer(everything[(everything.indexOf(photo) + delta + everything.length) % everything.length]);
  return true;
}

async function jumpToSet(setId) {
  const key = setId || null;
  let first = sequence().find((p) => sectionOf(p) === key);
  if (!first) { await loadAll(); first = sequence().find((p) => sectionOf(p) === key); }
  if (first) openViewer(first);
}

function setupSwipe(stage) {
  // A mostly horizontal move of 50 px or more turns the page; vertical scroll and pinch stay native.
  const turn = (dx, dy) => {
    if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) emit("swipe", dx < 0 ? 1 : -1);
  };
  let start = null;
  stage.addEventListener("pointerdown", (event) => {
    // Fingers are handled by the touch events below (one gesture must not turn two pages).
    if (event.pointerType !== "touch") start = { x: event.clientX, y: event.clientY, id: event.pointerId };
  });
  stage.addEventListener("pointercancel", () => { start = null; });
  stage.addEventListener("pointerup", (event) => {
    if (!start || start.id !== event.pointerId) return;
    turn(event.clientX - start.x, event.clientY - start.y);
    start = null;
  });
  // Touch: pointer events get cancelled as soon as the browser starts a pan; touch events do not.
  let touch = null;
  stage.addEventListener("touchstart", (event) => {
    if (event.touches.length === 1) touch = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }, { passive: true });
  stage.addEventListener("touchend", (event) => {
    if (!touch || !event.changedTouches.length) return;
    turn(event.changedTouches[0].clientX - touch.x, event.changedTouches[0].clientY - touch.y);
    touch = null;
  }, { passive: true });
}

export function setupViewer() {
  const viewer = $("#viewer");
  $("#viewer-close").addEventListener("click", closeViewer);
  $("#viewer-prev").addEventListener("click", () => emit("step", -1));
  $("#viewer-next").addEventListener("click", () => emit("step", 1));
  on("step", (delta) => step(delta, { wrap: viewer.classList.contains("slideshow") }));
  on("swipe", (delta) => emit("step", delta));
  on("open-photo", (photo) => openViewer(photo));
  viewer.addEventListener("close", () => {
    emit("viewer-closed");
    history.replaceState(null, "", `/g/${config.token}${location.search}`);
    const photo = state.current;
    const tile = photo && document.querySelector(`.tile[data-photo-id="${CSS.escape(photo.id)}"] button`);
    if (tile) tile.focus();
  });
  viewer.addEventListener("keydown", (event) => {
    if (event.target.closest("textarea, input, select")) return;
    if (event.key === "ArrowRight") { event.preventDefault(); emit("step", 1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); emit("step", -1); }
    else if (event.key === "f" || event.key === "F") { event.preventDefault(); $("#viewer-heart").click(); }
  });
  setupSwipe($("#viewer-stage"));
  const picker = $("#viewer-set");
  const sets = state.share.sets || [];
  if (sets.length > 1 || (sets.length && state.share.unsorted_count)) {
    if (state.share.unsorted_count) picker.append(new Option(t("otherPhotos"), ""));
    for (const set of sets) picker.append(new Option(set.name, set.id));
    picker.hidden = false;
    $("label[for=viewer-set]").hidden = false;
    picker.addEventListener("change", () => jumpToSet(picker.value));
  }
}
