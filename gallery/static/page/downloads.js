// Downloads: one photo from the viewer, or a zip of everything, a set or a favourite list, at the sizes the
// link's policy allows, with the zip's exact size shown before it starts. A PIN is asked when the gallery has one.
import { $, api, ApiError, config, el, fileSize, formError, on, openDialog, showError, state, t, toast } from "./core.js";
import { asVisitor } from "./visitor.js";

let downloadPin = "";

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const anchor = el("a", { href: url, download: name });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function askPin(retry, message = "") {
  const dialog = $("#pin");
  const form = $("#pin-form");
  formError(form, message);
  form.onsubmit = (event) => {
    event.preventDefault();
    dialog.close();
    retry($("#pin-input").value.trim());
  };
  openDialog(dialog);
  $("#pin-input").value = "";
  $("#pin-input").focus();
}

export async function downloadPhoto(photo, pin = downloadPin) {
  const permissions = state.share.permissions || {};
  if (permissions.download_pin_required && !pin) return askPin((value) => downloadPhoto(photo, value));
  try {
    const file = await asVisitor(() => api.download(photo.id, "default", pin), { required: false });
    if (!file) return undefined; // asked who they are first; runs again after
    downloadPin = pin;
    saveBlob(file.blob, file.name);
    toast(t("downloadStarted"));
  } catch (error) {
    if (error instanceof ApiError && (error.problem.pin_required || error.problem.errors?.pin)) {
      downloadPin = "";
      return askPin((value) => downloadPhoto(photo, value), pin ? t("downloadPinWrong") : "");
    }
    showError(error);
  }
  return undefined;
}

async function downloadZip(zip, size, pin = downloadPin) {
  if (state.downloadOptions.pin_required && !pin) return askPin((value) => downloadZip(zip, size, value));
  const query = new URLSearchParams({ scope: zip.scope, size });
  if (zip.list_id) query.set("list_id", zip.list_id);
  if (pin) query.set("pin", pin);
  const url = `${config.api}/download.zip?${query}`;
  // A HEAD first: a wrong PIN or a used-up limit shows here, not as a failed file in the browser's downloads.
  const check = await fetch(url, { method: "HEAD", credentials: "same-origin" });
  if (check.status === 401) return asVisitor(() => downloadZip(zip, size, pin), { required: true });
  if (check.status === 403 && state.downloadOptions.pin_required) {
    downloadPin = "";
    return askPin((value) => downloadZip(zip, size, value), t("downloadPinWrong"));
  }
  if (!check.ok) { toast(t("error")); return undefined; }
  downloadPin = pin;
  const anchor = el("a", { href: url, download: "" });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  toast(t("downloadStarted"));
  return undefined;
}

function zipLabel(zip) {
  if (zip.scope === "all") return t("allPhotos");
  if (zip.scope === "favourites") return zip.name === config.defaultListName ? t("favourites") : zip.name;
  return zip.name;
}

function renderOptions() {
  const body = $("#downloads-body");
  body.replaceChildren();
  const options = state.downloadOptions;
  if (!options.zips.length) { body.append(el("p", { text: t("noDownloads") })); return; }
  for (const zip of options.zips) {
    const buttons = zip.sizes.map((choice) => el("button", {
      type: "button", class: choice.size === "original" ? "button primary" : "button",
      onclick: () => downloadZip(zip, choice.size).catch(showError),
    }, el("span", { text: choice.size === "original" ? t("fullSize") : t("webSize") }),
    el("span", { class: "size-note", text: ` · ${t("photoCount", { count: choice.files })} · ${fileSize(choice.bytes)}` })));
    body.append(el("section", { class: "download-option" }, el("h3", { text: zipLabel(zip) }), ...buttons));
  }
}

export async function openDownloads() {
  try {
    state.downloadOptions = await api.downloadOptions();
  } catch (error) { showError(error); return; }
  renderOptions();
  openDialog($("#downloads"));
}

function canDownload() {
  const permissions = (state.share && state.share.permissions) || {};
  return Boolean(permissions.download) && permissions.download !== "none";
}

export function setupDownloads() {
  $("#downloads-open").hidden = !canDownload();
  $("#downloads-open").addEventListener("click", openDownloads);
  $("#viewer-download").addEventListener("click", () => downloadPhoto(state.current).catch(showError));
  on("viewer-photo", () => { $("#viewer-download").hidden = !canDownload(); });
}
