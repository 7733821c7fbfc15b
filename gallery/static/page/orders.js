// "My orders": the visitor's orders in this gallery, with status, tracking and how to pay.
import { $, api, el, formatDate, money, openDialog, showError, state, t, thumbPicture } from "./core.js";
import { asVisitor } from "./visitor.js";
import { describeOptions } from "./product_options.js";

const STATUS_KEYS = {
  pending_payment: "statusPendingPayment", paid: "statusPaid", in_production: "statusInProduction",
  shipped: "statusShipped", delivered: "statusDelivered", cancelled: "statusCancelled", refunded: "statusRefunded",
};

function instructions(order) {
  if (!order.payment_instructions) return null;
  return el("div", { class: "pay-instructions" }, el("h4", { text: t("howToPay") }),
    el("p", { class: "pre", text: order.payment_instructions }));
}

// Subtotal, discount, shipping and tax on lines of their own, so the total adds up before the buyer's eyes.
function totals(order) {
  const rows = [["subtotal", order.subtotal]];
  if (order.discount) rows.push(["discount", -order.discount]);
  if (order.shipping) rows.push(["shipping", order.shipping]);
  if (order.tax) rows.push([order.tax_included ? "taxIncluded" : "tax", order.tax]);
  const list = el("dl", { class: "totals" });
  for (const [key, amount] of rows) {
    list.append(el("div", {}, el("dt", { text: t(key) }), el("dd", { text: money(amount, order.currency) })));
  }
  list.append(el("div", { class: "cart-total" }, el("dt", { text: t("total") }),
    el("dd", { text: money(order.total, order.currency) })));
  return list;
}

function orderCard(order) {
  const lines = el("ul", { class: "cart-lines" }, ...order.items.map((item) => el("li", { class: "cart-line" },
    thumbPicture(item.thumb, item.photo_filename || ""),
    el("span", { class: "line-text" }, el("span", { text: `${item.quantity} × ${item.product_name}` }),
      item.photo_filename ? el("span", { class: "muted", text: item.photo_filename }) : null,
      describeOptions(item.options) ? el("span", { class: "muted small", text: describeOptions(item.options) }) : null),
    el("span", { class: "line-price", text: money(item.line_total, order.currency) }))));
  const status = t(STATUS_KEYS[order.status] || "statusPendingPayment");
  return el("article", { class: "order" },
    el("h3", {}, el("span", { text: formatDate(order.placed_at) }), " · ",
      el("span", { class: `status status-${order.status}`, text: status })),
    lines,
    totals(order),
    order.tracking ? el("p", {}, el("strong", { text: `${t("tracking")}: ` }),
      /^https?:\/\//.test(order.tracking) ? el("a", { href: order.tracking, rel: "noopener", text: order.tracking })
        : el("span", { text: order.tracking })) : null,
    instructions(order));
}

export async function openOrders() {
  const { items } = await api.orders();
  const body = $("#orders-body");
  body.replaceChildren(...(items.length ? items.map(orderCard) : [el("p", { text: t("noOrders") })]));
  openDialog($("#orders"));
}

export function showOrderPlaced(order) {
  const box = $("#order-placed");
  box.replaceChildren(el("p", { class: "lead", text: t("orderPlaced") }), orderCard(order));
  box.hidden = false;
  box.focus();
}

export function setupOrders() {
  $("#orders-open").hidden = !state.products.length;
  $("#orders-open").addEventListener("click", () => asVisitor(openOrders).catch(showError));
}
