// The public API, as any front end calls it: cookie session + X-CSRF-Token on writes, problem+json errors.
let csrf = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  get fields() { return this.problem.errors || {}; }
}

export function setCsrf(token) { csrf = token; }

export async function csrfToken() {
  if (!csrf) {
    const response = await fetch('/api/v1/auth/csrf', { credentials: 'same-origin' });
    csrf = (await response.json()).csrf_token;
  }
  return csrf;
}

export async function api(method, path, body, { signal, retried } = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  if (method !== 'GET') headers['X-CSRF-Token'] = await csrfToken();
  const response = await fetch('/api/v1' + path, { method, headers, body: payload, credentials: 'same-origin', signal });
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    if (response.status === 403 && method !== 'GET' && !retried && /CSRF/.test(data && data.detail)) {
      csrf = null; // the session changed under us: fetch a fresh token once
      return api(method, path, body, { signal, retried: true });
    }
    throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
  }
  return data;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => api('PATCH', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? '?' + text : '';
}
