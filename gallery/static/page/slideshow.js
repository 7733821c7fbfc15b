// The slideshow: the viewer full screen, turning by itself through the whole gallery (set after set).
// Space pauses and plays, arrows and swipes still turn by hand; with reduced motion, photos change without
// a fade and autoplay waits for the visitor to press play.
import { $, on, reducedMotion, state, t } from "./core.js";
import { openViewer, step } from "./viewer.js";
import { sequence } from "./grid.js";

const INTERVAL_MS = 5000;
let timer = 0;
let playing = false;

function schedule() {
  clearTimeout(timer);
  if (playing) timer = setTimeout(async () => { await step(1, { wrap: true }); schedule(); }, INTERVAL_MS);
}

function render() {
  const button = $("#slideshow-play");
  button.setAttribute("aria-pressed", String(playing));
  button.setAttribute("aria-label", playing ? t("pause") : t("play"));
  $("#viewer").classList.toggle("playing", playing);
}

function setPlaying(value) {
  playing = value;
  render();
  schedule();
}

export async function startSlideshow() {
  const viewer = $("#viewer");
  viewer.classList.add("slideshow");
  $("#slideshow-play").hidden = false;
  if (!viewer.open) openViewer(state.current && state.current.id ? state.current : sequence()[0]);
  try {
    if (viewer.requestFullscreen && !document.fullscreenElement) await viewer.requestFullscreen();
  } catch { /* full screen refused (iOS Safari, or no user gesture): the viewer already fills the screen */ }
  setPlaying(!reducedMotion());
  $("#slideshow-play").focus();
}

function stopSlideshow() {
  setPlaying(false);
  const viewer = $("#viewer");
  viewer.classList.remove("slideshow");
  $("#slideshow-play").hidden = true;
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
}

export function setupSlideshow() {
  $("#slideshow-start").addEventListener("click", startSlideshow);
  $("#viewer-slideshow").addEventListener("click", startSlideshow);
  $("#slideshow-play").addEventListener("click", () => setPlaying(!playing));
  $("#viewer").addEventListener("keydown", (event) => {
    if (!$("#viewer").classList.contains("slideshow") || event.target.closest("textarea, input, select")) return;
    if (event.key === " " || event.key === "k") { event.preventDefault(); setPlaying(!playing); }
  });
  // Turning by hand restarts the count, so the next photo gets its full time.
  on("viewer-photo", () => { if (playing) schedule(); });
  on("viewer-closed", stopSlideshow);
  document.addEventListener("visibilitychange", () => { if (document.hidden && playing) setPlaying(false); });
  window.matchMedia("(prefers-reduced-motion: reduce)").addEventListener("change", (event) => {
    if (event.matches && playing) setPlaying(false);
  });
}
