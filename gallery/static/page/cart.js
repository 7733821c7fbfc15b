// The store: add a product for a photo, the cart with a picture on every line, and checkout with a country
// picker in the visitor's language; a manual-payment order shows the studio's payment instructions.
import { $, api, config, el, emit, formError, money, on, openDialog, showError, state, t, thumbPicture, toast } from "./core.js";
import { asVisitor } from "./visitor.js";
import { showOrderPlaced } from "./orders.js";
import { chosenOptions, describeOptions, renderProductOptions } from "./product_options.js";

const PHYSICAL_KINDS = new Set(["print", "canvas", "album"]); // these need a shipping address

export async function loadCart() {
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
  emit("cart-changed");
}

async function setQuantity(index, quantity) {
  const items = cartItems();
  if (quantity < 1) items.splice(index, 1);
  else items[index].quantity = Math.min(quantity, 100);
  state.cart = await asVisitor(() => api.putCart(items));
  renderCartCount();
  renderCart(null);
}

function cartItems() {
  return (state.cart ? state.cart.items : []).map((item) => ({
    product_id: item.product_id, photo_id: item.photo_id, quantity: item.quantity, options: item.options || {},
  }));
}

function renderCart(photo) {
  const body = $("#cart-body");
  body.replaceChildren();
  const cart = state.cart;
  if (!cart || !cart.items.length) {
    // Said once, and only when there is nothing else to show: not above the add form or a placed order.
    if (!photo && $("#order-placed").hidden) body.append(el("p", { text: t("cartEmpty") }));
  } else {
    const list = el("ul", { class: "cart-lines" });
    cart.items.forEach((item, index) => {
      const photoName = item.photo_id && state.byId.get(item.photo_id) ? state.byId.get(item.photo_id).filename : "";
      const quantity = el("input", { type: "number", min: 0, max: 100, value: item.quantity, class: "quantity",
        "aria-label": `${t("quantity")}: ${item.product_name}` });
      quantity.addEventListener("change", () => setQuantity(index, Number(quantity.value) || 0).catch(showError));
      list.append(el("li", { class: "cart-line" }, thumbPicture(item.thumb, photoName),
        el("span", { class: "line-text" }, el("span", { text: item.product_name }),
          photoName ? el("span", { class: "muted", text: photoName }) : null,
          describeOptions(item.options) ? el("span", { class: "muted small", text: describeOptions(item.options) }) : null),
        quantity,
        el("span", { class: "line-price", text: money(item.line_total, cart.currency) }),
        el("button", { type: "button", class: "button small", text: t("remove"),
          "aria-label": `${t("remove")}: ${item.product_name}`, onclick: () => setQuantity(index, 0).catch(showError) })));
    });
    body.append(list, el("p", { class: "cart-total", text: `${t("total")}: ${money(cart.subtotal, cart.currency)}` }));
  }
  const productForm = $("#product-form");
  productForm.hidden = !photo || !state.products.length;
  if (photo) {
    $("#product-select").replaceChildren(...state.products.map((product) =>
      new Option(`${product.name} · ${money(product.price, state.currency)}`, product.id)));
    $("#product-quantity").value = "1"; // each product starts at one
    const kindOf = () => (state.products.find((p) => p.id === $("#product-select").value) || {}).kind;
    $("#product-select").onchange = () => renderProductOptions(kindOf());
    renderProductOptions(kindOf());
    $("#product-photo").replaceChildren(thumbPicture(photo.renditions.thumb, photo.filename),
      el("span", { text: photo.filename }));
    productForm.onsubmit = (event) => { event.preventDefault(); addToCart(photo); };
  }
  $("#checkout-form").hidden = !cart || !cart.items.length;
  const shipping = Boolean(cart && cart.items.some((item) => PHYSICAL_KINDS.has(item.product_kind)));
  $("#shipping").hidden = !shipping;
  for (const input of $("#shipping").querySelectorAll("input:not(#ship-line2), select")) input.required = shipping;
  if (shipping) fillCountries();
}

let countriesLoaded = null;
function fillCountries() {
  if (!countriesLoaded) {
    countriesLoaded = fetch($("#ship-country").dataset.source, { credentials: "same-origin" })
      .then((response) => response.json())
      .then(({ countries }) => {
        const select = $("#ship-country");
        // The studio's region or the page language's (from the server); no guess from the browser's locale,
        // which says "US" for many a Norwegian phone set to English.
        const region = countries.some(([c]) => c === config.country) ? config.country : "";
        select.append(...countries.map(([code, name]) => new Option(name, code, false, code === region)));
      })
      .catch(() => { countriesLoaded = null; });
  }
  return countriesLoaded;
}

export async function openCart(photo) {
  await loadCart();
  $("#order-placed").hidden = true;
  renderCart(photo);
  openDialog($("#cart"));
}

async function addToCart(photo) {
  const items = cartItems();
  const product = state.products.find((p) => p.id === $("#product-select").value);
  // The whole gallery as a download is not about one photo.
  items.push({ product_id: product.id, photo_id: product.kind === "digital_gallery" ? null : photo.id,
    quantity: Number($("#product-quantity").value) || 1, options: chosenOptions() });
  try {
    state.cart = await asVisitor(() => api.putCart(items));
    renderCartCount();
    renderCart(null);
    toast(t("addedToCart"));
  } catch (error) { showError(error); }
}

export function setupCart() {
  $("#cart-open").addEventListener("click", () => asVisitor(() => openCart(null)).catch(showError));
  $("#viewer-cart").addEventListener("click", () => asVisitor(() => openCart(state.current)).catch(showError));
  on("viewer-photo", () => { $("#viewer-cart").hidden = !state.products.length; });
  on("identified", loadCart);
  $("#checkout-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    formError(form, "");
    try {
      const address = $("#shipping").hidden ? undefined : Object.fromEntries(Object.entries({
        name: $("#ship-name").value.trim(), line1: $("#ship-line1").value.trim(),
        line2: $("#ship-line2").value.trim(), postal_code: $("#ship-postal").value.trim(),
        city: $("#ship-city").value.trim(), country: $("#ship-country").value,
      }).filter(([, value]) => value));
      const order = await asVisitor(() => api.checkout($("#checkout-coupon").value.trim() || undefined, address));
      if (order.checkout_url) { window.location.assign(order.checkout_url); return; }
      state.cart = null;
      renderCartCount();
      showOrderPlaced(order);
      renderCart(null);
    } catch (error) { formError(form, error.message); }
  });
}
