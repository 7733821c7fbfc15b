// Comments on a photo: a private thread between the visitor and the photographer, whose replies show under
// the visitor's comment.
import { $, api, el, formError, formatDate, on, openDialog, showError, state, t } from "./core.js";
import { asVisitor } from "./visitor.js";

function entry(author, body, when, fromStudio) {
  return el("li", { class: fromStudio ? "comment reply" : "comment" },
    el("p", { class: "comment-meta" }, el("strong", { text: author }), " · ",
      el("time", { datetime: when, text: formatDate(when) })),
    el("p", { class: "comment-body", text: body }));
}

async function renderThread(photo) {
  const list = $("#comments-list");
  list.replaceChildren(el("li", { class: "muted", text: t("loading") }));
  const { items } = await api.comments(photo.id);
  list.replaceChildren();
  for (const comment of items) {
    list.append(entry(comment.author || t("you"), comment.body, comment.created_at, false));
    for (const reply of comment.replies || []) list.append(entry(reply.author, reply.body, reply.created_at, true));
  }
  if (!items.length) list.append(el("li", { class: "muted", text: t("noComments") }));
  const count = items.length;
  $("#viewer-comments").dataset.count = count ? String(count) : "";
}

export async function openComments(photo) {
  $("#comments-photo").textContent = photo.filename;
  formError($("#comment-form"), "");
  openDialog($("#comments"));
  await renderThread(photo);
  $("#comment-text").focus();
}

export function setupComments() {
  const permissions = (state.share && state.share.permissions) || {};
  $("#viewer-comments").hidden = permissions.comments === false;
  $("#viewer-comments").addEventListener("click", () => {
    const photo = state.current;
    asVisitor(() => openComments(photo)).catch(showError);
  });
  $("#comment-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = $("#comment-text").value.trim();
    if (!body) return;
    formError(form, "");
    try {
      await asVisitor(() => api.addComment(state.current.id, body));
      $("#comment-text").value = "";
      await renderThread(state.current);
    } catch (error) { formError(form, error.message); }
  });
  on("viewer-photo", () => { $("#viewer-comments").dataset.count = ""; });
}
