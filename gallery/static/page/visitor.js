// Who is picking: favourites, comments, the cart and orders belong to an identified visitor (email + code).
import { $, api, ApiError, config, emitAndWait, formError, openDialog, state, t } from "./core.js";

let pendingAfterIdentify = null;

function requireVisitor(action) {
  if (state.share && state.share.visitor) return action();
  pendingAfterIdentify = action;
  $("#identify-email").hidden = false;
  $("#identify-code").hidden = true;
  openDialog($("#identify"));
  $("#identify-name").focus(); // the first field of the form
  return undefined;
}

function needsVisitor(error) {
  return error instanceof ApiError && error.status === 401 && Boolean(error.problem.needs_visitor);
}

// Runs `operation` as an identified visitor: asks who they are first (when `required`, or when the API says so)
// and runs it again once they are.
export async function asVisitor(operation, { required = true } = {}) {
  if (required && !(state.share && state.share.visitor)) return requireVisitor(() => asVisitor(operation));
  try {
    return await operation();
  } catch (error) {
    if (!needsVisitor(error)) throw error;
    state.share.visitor = null;
    return requireVisitor(() => asVisitor(operation));
  }
}

export function setupIdentify() {
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
      // The visitor's own favourites, lists and cart first; then what they were doing (e.g. the heart).
      await emitAndWait("identified");
      const action = pendingAfterIdentify;
      pendingAfterIdentify = null;
      if (action) await action();
    } catch (error) {
      formError(codeForm, error.message);
    }
  });
}

export const isClientLink = () => config.role === "client";
