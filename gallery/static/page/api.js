// The public share API, as any front end would call it. Cookies carry the unlock and visitor tokens
// (HttpOnly, set by the API), so the page keeps no secrets in JavaScript.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

const id = encodeURIComponent;

export function shareApi(base) {
  // The latest answer of each GET, kept so the service worker can be handed them for offline use.
  const recent = new Map();

  async function call(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(base + path, init);
    const type = response.headers.get("Content-Type") || "";
    const text = response.status === 204 ? "" : await response.text();
    const data = type.includes("json") && text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, data);
    if (method === "GET") recent.set(new URL(base + path, location.href).href, text);
    return data;
  }

  const withList = (listId) => (listId ? `?${new URLSearchParams({ list_id: listId })}` : "");

  return {
    recentResponses: () => Object.fromEntries(recent),
    gallery: () => call("GET", ""),
    unlock: (password) => call("POST", "/unlock", { password }),
    startVisitor: (email, name) => call("POST", "/visitors", name ? { email, name } : { email }),
    verifyVisitor: (email, code) => call("POST", "/visitors/verify", { email, code }),
    photos: (cursor, limit) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set("cursor", cursor);
      return call("GET", `/photos?${query}`);
    },
    favourite: (photoId, note, listId) => call("PUT", `/favourites/${id(photoId)}`,
      Object.fromEntries(Object.entries({ note, list_id: listId }).filter(([, v]) => v !== undefined && v !== null))),
    unfavourite: (photoId, listId) => call("DELETE", `/favourites/${id(photoId)}${withList(listId)}`),
    moveFavourite: (photoId, fromListId, toListId) => call("POST", `/favourites/${id(photoId)}/move`,
      { from_list_id: fromListId, to_list_id: toListId }),
    lists: () => call("GET", "/favourite-lists"),
    createList: (name) => call("POST", "/favourite-lists", { name }),
    renameList: (listId, name) => call("PATCH", `/favourite-lists/${id(listId)}`, { name }),
    deleteList: (listId) => call("DELETE", `/favourite-lists/${id(listId)}`),
    comments: (photoId) => call("GET", `/photos/${id(photoId)}/comments`),
    addComment: (photoId, body) => call("POST", `/photos/${id(photoId)}/comments`, { body }),
    submitSelection: () => call("POST", "/selection/submit", {}),
    event: (kind, photoId, channel) => call("POST", "/events",
      Object.fromEntries(Object.entries({ kind, photo_id: photoId, channel }).filter(([, v]) => v))),
    products: () => call("GET", "/products"),
    cart: () => call("GET", "/cart"),
    putCart: (items) => call("PUT", "/cart", { items }),
    checkout: (couponCode, shippingAddress) => call("POST", "/orders", Object.fromEntries(Object.entries(
      { coupon_code: couponCode, shipping_address: shippingAddress }).filter(([, v]) => v))),
    orders: () => call("GET", "/orders"),
    downloadOptions: () => call("GET", "/downloads"),
    download: async (photoId, size, pin) => {
      // Fetched, not navigated to: a wrong PIN or a used-up limit then shows as a message on the page.
      const query = new URLSearchParams({ size });
      const headers = {};
      if (pin) headers["X-Download-Pin"] = pin;
      const response = await fetch(`${base}/photos/${id(photoId)}/download?${query}`,
        { credentials: "same-origin", headers });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) throw new ApiError(response.status, type.includes("json") ? await response.json() : null);
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
      const name = match ? decodeURIComponent(match[1] || match[2]) : `${photoId}.jpg`;
      return { blob: await response.blob(), name };
    },
  };
}
