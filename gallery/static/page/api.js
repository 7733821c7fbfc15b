// The public share API, as any front end would call it. Cookies carry the unlock and visitor tokens
// (HttpOnly, set by the API), so the page keeps no secrets in JavaScript.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function shareApi(base) {
  async function call(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(base + path, init);
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json() : null;
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }
  return {
    gallery: () => call("GET", ""),
    unlock: (password) => call("POST", "/unlock", { password }),
    startVisitor: (email, name) => call("POST", "/visitors", name ? { email, name } : { email }),
    verifyVisitor: (email, code) => call("POST", "/visitors/verify", { email, code }),
    photos: (cursor, limit) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set("cursor", cursor);
      return call("GET", `/photos?${query}`);
    },
    favourite: (photoId, note) => call("PUT", `/favourites/${encodeURIComponent(photoId)}`,
      note === undefined ? {} : { note }),
    unfavourite: (photoId) => call("DELETE", `/favourites/${encodeURIComponent(photoId)}`),
    submitSelection: () => call("POST", "/selection/submit", {}),
    event: (kind, photoId, channel) => call("POST", "/events",
      Object.fromEntries(Object.entries({ kind, photo_id: photoId, channel }).filter(([, v]) => v))),
    products: () => call("GET", "/products"),
    cart: () => call("GET", "/cart"),
    putCart: (items) => call("PUT", "/cart", { items }),
    checkout: (couponCode, shippingAddress) => call("POST", "/orders", Object.fromEntries(Object.entries(
      { coupon_code: couponCode, shipping_address: shippingAddress }).filter(([, v]) => v))),
    download: async (photoId, size, pin) => {
      // Fetched, not navigated to: a wrong PIN or a used-up limit then shows as a message on the page.
      const query = new URLSearchParams({ size });
      const headers = {};
      if (pin) headers["X-Download-Pin"] = pin;
      const response = await fetch(`${base}/photos/${encodeURIComponent(photoId)}/download?${query}`,
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
