// Favourites: the heart adds to the current list; lists can be created, renamed, deleted and switched, and a
// photo moved between them. The client's default list is the selection they submit to the photographer.
import { $, $$, api, config, el, emit, formError, on, openDialog, showError, state, t, toast } from "./core.js";
import { asVisitor } from "./visitor.js";
import { defaultListId, loadAll, markAllTiles } from "./grid.js";

const isDefault = (list) => list.name === config.defaultListName;
const listLabel = (list) => (isDefault(list) ? t("favourites") : list.name);
const currentList = () => state.lists.find((l) => l.id === (state.listId || defaultListId())) || null;

export async function loadLists() {
  if (!state.share || !state.share.visitor) { state.lists = []; return; }
  try {
    const { items } = await api.lists();
    state.lists = items.map((list) => ({ ...list, is_default: isDefault(list) }));
  } catch { state.lists = []; }
  if (state.listId && !state.lists.some((l) => l.id === state.listId)) state.listId = null;
}

export function recountFavourites() {
  state.favourites.clear();
  const wanted = state.listId || defaultListId();
  for (const photo of state.photos) {
    const lists = photo.favourite_lists || [];
    if (wanted ? lists.includes(wanted) : lists.length) state.favourites.add(photo.id);
  }
  markAllTiles();
  renderActionbar();
  emit("favourites-changed");
}

export function renderActionbar() {
  const share = state.share;
  const selection = state.selection;
  const list = currentList();
  const onDefault = !list || list.is_default;
  const canSelect = share.permissions && share.permissions.selection && share.visitor && onDefault;
  const count = onDefault && selection ? selection.count : state.favourites.size;
  const counter = $("#selection-count");
  if (onDefault && selection && selection.locked) counter.textContent = t("selectionLocked");
  else if (onDefault && selection && selection.limit) counter.textContent = t("selectedOfLimit", { count, limit: selection.limit });
  else counter.textContent = count ? t("selectedCount", { count }) : "";
  if (list && !list.is_default) counter.textContent = `${list.name}: ${counter.textContent || "0"}`;
  const submit = $("#submit-selection");
  submit.hidden = !canSelect || !selection || selection.locked;
  submit.disabled = count === 0;
  $("#cart-open").hidden = !state.products.length;
  $("#lists-open").hidden = !share.visitor;
  $("#lists-open-label").textContent = list ? listLabel(list) : t("favourites");
  const bar = $("#actionbar");
  bar.hidden = !counter.textContent && submit.hidden && $("#cart-open").hidden && $("#lists-open").hidden;
  document.body.classList.toggle("has-actionbar", !bar.hidden);
}

export async function toggleFavourite(photo) {
  const wasFavourite = state.favourites.has(photo.id);
  const list = currentList();
  const limited = state.selection && state.selection.limit && (!list || list.is_default);
  if (!wasFavourite && limited && state.selection.count >= state.selection.limit) {
    toast(t("limitReached", { limit: state.selection.limit }));
    return;
  }
  const result = await (wasFavourite ? api.unfavourite(photo.id, state.listId) : api.favourite(photo.id, undefined, state.listId));
  const listId = (result && result.list_id) || state.listId || defaultListId();
  photo.favourite_lists = (photo.favourite_lists || []).filter((id) => id !== listId);
  if (!wasFavourite && listId) photo.favourite_lists.push(listId);
  if (wasFavourite) state.favourites.delete(photo.id);
  else state.favourites.add(photo.id);
  if (result && result.selection && (!list || list.is_default)) state.selection = result.selection;
  else if (state.selection && (!list || list.is_default)) state.selection.count = state.favourites.size;
  if (!defaultListId() || !state.lists.length) await loadLists();
  markAllTiles();
  renderActionbar();
  emit("favourites-changed");
  if (!wasFavourite && limited && state.selection.count >= state.selection.limit) {
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

// --- the lists sheet --------------------------------------------------------------------------------------------

function renderLists() {
  const body = $("#lists-body");
  body.replaceChildren();
  const active = currentList();
  for (const list of state.lists) {
    const id = `list-${list.id}`;
    const radio = el("input", { type: "radio", name: "current-list", id, value: list.id,
      checked: active ? active.id === list.id : list.is_default });
    radio.addEventListener("change", () => switchList(list.id));
    const actions = list.is_default || list.locked ? [] : [
      el("button", { type: "button", class: "button small", text: t("rename"), "aria-label": `${t("rename")}: ${list.name}`,
        onclick: () => startRename(list) }),
      el("button", { type: "button", class: "button small", text: t("delete"), "aria-label": `${t("delete")}: ${list.name}`,
        onclick: () => deleteList(list) }),
    ];
    body.append(el("div", { class: "list-row" }, radio,
      el("label", { for: id }, listLabel(list), el("span", { class: "muted", text: ` (${list.count})` })), ...actions));
  }
  $("#only-favourites").checked = $("#grid").classList.contains("only-favourites");
}

async function switchList(listId) {
  state.listId = listId === defaultListId() ? null : listId;
  recountFavourites();
  if ($("#grid").classList.contains("only-favourites")) await loadAll();
  renderLists();
}

function startRename(list) {
  const form = $("#list-rename");
  form.hidden = false;
  form.dataset.listId = list.id;
  $("#list-rename-name").value = list.name;
  $("#list-rename-name").focus();
}

async function deleteList(list) {
  if (!window.confirm(t("deleteListConfirm", { name: list.name }))) return;
  try {
    await api.deleteList(list.id);
    for (const photo of state.photos) photo.favourite_lists = (photo.favourite_lists || []).filter((id) => id !== list.id);
    if (state.listId === list.id) state.listId = null;
    await loadLists();
    recountFavourites();
    renderLists();
  } catch (error) { showError(error); }
}

export async function openLists() {
  await loadLists();
  renderLists();
  $("#list-rename").hidden = true;
  openDialog($("#lists"));
}

// --- a photo in several lists: add, remove, move ------------------------------------------------------------------

export function renderPhotoLists(photo) {
  const box = $("#photo-lists");
  box.replaceChildren();
  for (const list of state.lists) {
    const id = `photo-list-${list.id}`;
    const inList = (photo.favourite_lists || []).includes(list.id);
    const box2 = el("input", { type: "checkbox", id, checked: inList, disabled: list.locked });
    box2.addEventListener("change", () => setInList(photo, list, box2.checked).catch(showError));
    box.append(el("div", { class: "list-row" }, box2, el("label", { for: id, text: listLabel(list) })));
  }
  const move = $("#move-target");
  const from = currentList();
  move.replaceChildren(...state.lists.filter((l) => !from || l.id !== from.id).map((l) => new Option(listLabel(l), l.id)));
  $("#move-form").hidden = !from || !state.favourites.has(photo.id) || !move.options.length;
}

async function setInList(photo, list, wanted) {
  if (wanted) await api.favourite(photo.id, undefined, list.id);
  else await api.unfavourite(photo.id, list.id);
  photo.favourite_lists = (photo.favourite_lists || []).filter((id) => id !== list.id);
  if (wanted) photo.favourite_lists.push(list.id);
  await loadLists();
  recountFavourites();
  renderPhotoLists(photo);
}

export function setupFavourites() {
  $("#submit-selection").addEventListener("click", () => asVisitor(submitSelection).catch(showError));
  $("#lists-open").addEventListener("click", () => asVisitor(openLists).catch(showError));
  $("#list-create").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    formError(form, "");
    try {
      const list = await api.createList($("#list-create-name").value.trim());
      $("#list-create-name").value = "";
      await loadLists();
      await switchList(list.id);
      toast(t("listCreated", { name: list.name }));
    } catch (error) { formError(form, error.message); }
  });
  $("#list-rename").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    formError(form, "");
    try {
      await api.renameList(form.dataset.listId, $("#list-rename-name").value.trim());
      form.hidden = true;
      await loadLists();
      renderLists();
      renderActionbar();
    } catch (error) { formError(form, error.message); }
  });
  $("#only-favourites").addEventListener("change", async (event) => {
    $("#grid").classList.toggle("only-favourites", event.target.checked);
    if (event.target.checked) await loadAll();
  });
  $("#move-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const photo = state.current;
    const from = currentList();
    try {
      await api.moveFavourite(photo.id, from.id, $("#move-target").value);
      photo.favourite_lists = (photo.favourite_lists || []).filter((id) => id !== from.id);
      photo.favourite_lists.push($("#move-target").value);
      await loadLists();
      recountFavourites();
      renderPhotoLists(photo);
      toast(t("moved"));
    } catch (error) { showError(error); }
  });
  $("#viewer-lists").addEventListener("click", () => asVisitor(async () => {
    await loadLists();
    renderPhotoLists(state.current);
    openDialog($("#photo-lists-sheet"));
  }).catch(showError));
  on("photos-loaded", () => $$(".tile").length && renderActionbar());
  on("cart-changed", renderActionbar);
}
