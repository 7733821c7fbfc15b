// Uploads from the browser, following the API's upload plan: presigned PUT or multipart parts straight to S3,
// or a form POST through the app on local storage. Files are hashed (Web Crypto sha256) so what the gallery
// already has is skipped, and an interrupted multipart upload resumes with the parts that are missing.
import { post, get, csrfToken, ApiError } from './api.js';
import { t } from './i18n.js';

const PARALLEL = 6;           // files on the wire at once (a browser opens 6 connections per host)
const HASH_AHEAD = 12;        // files hashed ahead of the uploads
const CHECK_BATCH = 50;       // hashes per "what do you have" question
const MAX_ATTEMPTS = 6;
const ACCEPTED = /\.(jpe?g|png|tiff?|webp|heic|heif)$/i;
const CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/tiff', 'image/webp', 'image/heic', 'image/heif'];
const DONE = new Set(['ready', 'failed', 'duplicate', 'skipped']);

const uploaders = new Map();
export function uploaderFor(galleryId) {
  if (!uploaders.has(galleryId)) uploaders.set(galleryId, new Uploader(galleryId));
  return uploaders.get(galleryId);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const online = () => (navigator.onLine ? Promise.resolve() : new Promise((resolve) => addEventListener('online', resolve, { once: true })));

class TransferError extends Error {
  constructor(message, retry) { super(message); this.retry = retry; }
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

// One XMLHttpRequest with upload progress; resolves with the XHR, rejects with a TransferError.
function send(method, url, body, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers || {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve(xhr);
      let problem = null;
      try { problem = JSON.parse(xhr.responseText); } catch (e) { /* S3 answers XML */ }
      const retry = xhr.status >= 500 || xhr.status === 429 || xhr.status === 408;
      const detail = problem && problem.detail ? problem.detail : t('upload.httpError', { status: xhr.status });
      reject(new TransferError(detail, retry));
    };
    xhr.onerror = () => reject(new TransferError(t('upload.network'), true));
    xhr.ontimeout = xhr.onerror;
    xhr.send(body);
  });
}

async function attempt(fn, item) {
  for (let n = 1; ; n++) {
    try { return await fn(); } catch (error) {
      const retry = error instanceof TransferError ? error.retry : error instanceof ApiError ? error.status >= 500 || error.status === 429 : error instanceof TypeError;
      if (!retry || n >= MAX_ATTEMPTS) throw error;
      item.note = t('upload.retrying', { n });
      await online();
      await sleep(Math.min(16000, 1000 * 2 ** (n - 1)));
      item.note = null;
    }
  }
}

export class Uploader {
  constructor(galleryId) {
    this.galleryId = galleryId;
    this.items = [];
    this.listeners = new Set();
    this.indexListeners = new Set();
    this.hashing = 0;
    this.active = 0;
    this.checkQueue = [];
    this.samples = [];
    this.startedAt = null;
    this.since = null;
    this.polling = false;
    this.emitTimer = null;
  }

  subscribe(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  onIndex(fn) { this.indexListeners.add(fn); return () => this.indexListeners.delete(fn); }
  emit() {
    if (this.emitTimer) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      this.remember();
      for (const fn of this.listeners) fn(this);
    }, 120);
  }

  add(files, setId) {
    if (!this.items.some((item) => !DONE.has(item.state))) { this.samples = []; this.startedAt = performance.now(); this.items = []; }
    for (const file of files) {
      const name = file.webkitRelativePath || file.relativePath || file.name;
      const item = { file, name, size: file.size, setId: setId || null, state: 'queued', sent: 0, reason: null, photoId: null, note: null };
      if (!ACCEPTED.test(file.name) && !(file.type || '').startsWith('image/')) { item.state = 'skipped'; item.reason = t('upload.notPhoto'); }
      else if (file.size === 0) { item.state = 'failed'; item.reason = t('upload.empty'); }
      this.items.push(item);
    }
    this.emit();
    this.pump();
  }

  stats() {
    const counts = { queued: 0, hashing: 0, checking: 0, uploading: 0, processing: 0, ready: 0, failed: 0, duplicate: 0, skipped: 0 };
    let total = 0, sent = 0;
    for (const item of this.items) {
      counts[item.state] = (counts[item.state] || 0) + 1;
      if (item.state === 'skipped' || item.state === 'duplicate') continue;
      total += item.size;
      sent += item.state === 'uploading' || item.state === 'queued' || item.state === 'hashing' || item.state === 'checking' ? item.sent : item.size;
    }
    const now = performance.now();
    this.samples.push([now, sent]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 6000) this.samples.shift();
    const [t0, s0] = this.samples[0];
    const speed = now - t0 > 500 ? ((sent - s0) / (now - t0)) * 1000 : 0;
    const finished = this.items.filter((item) => DONE.has(item.state)).length;
    const busy = finished < this.items.length;
    return { counts, total, sent, speed, left: speed > 0 ? (total - sent) / speed : Infinity, finished, count: this.items.length, busy };
  }

  busy() { return this.items.some((item) => !DONE.has(item.state)); }

  // What is left if the page goes away, so the studio can say how to finish after a reload.
  remember() {
    const key = 'studio.upload.' + this.galleryId;
    try {
      const pending = this.items.filter((item) => ['queued', 'hashing', 'checking', 'uploading'].includes(item.state));
      if (pending.length) localStorage.setItem(key, JSON.stringify({ count: pending.length, names: pending.slice(0, 5).map((i) => i.name) }));
      else localStorage.removeItem(key);
    } catch (e) { /* storage full or private */ }
  }

  pump() {
    for (const item of this.items) {
      if (this.hashing >= 2) break;
      const waiting = this.items.filter((i) => i.state === 'checking' || i.state === 'ready-to-send').length;
      if (waiting >= HASH_AHEAD) break;
      if (item.state === 'queued') this.hash(item);
    }
    for (const item of this.items) {
      if (this.active >= PARALLEL) break;
      if (item.state === 'ready-to-send') this.transfer(item);
    }
  }

  async hash(item) {
    item.state = 'hashing'; this.hashing++; this.emit();
    try {
      item.sha256 = hex(await crypto.subtle.digest('SHA-256', await item.file.arrayBuffer()));
      item.state = 'checking';
      this.checkQueue.push(item);
      this.scheduleCheck();
    } catch (error) {
      item.state = 'failed'; item.reason = t('upload.unreadable');
    } finally { this.hashing--; this.emit(); this.pump(); }
  }

  scheduleCheck() {
    clearTimeout(this.checkTimer);
    const full = this.checkQueue.length >= CHECK_BATCH;
    const hashingMore = this.items.some((i) => i.state === 'hashing' || i.state === 'queued');
    this.checkTimer = setTimeout(() => this.check(), full || !hashingMore ? 0 : 150);
  }

  async check() {
    const batch = this.checkQueue.splice(0, CHECK_BATCH);
    if (!batch.length) return;
    try {
      const { existing } = await attempt(() => post(`/galleries/${this.galleryId}/uploads/check`, { sha256: batch.map((i) => i.sha256) }), batch[0]);
      for (const item of batch) {
        const twin = this.items.find((other) => other !== item && other.sha256 === item.sha256 && !['failed', 'skipped', 'duplicate', 'queued', 'hashing', 'checking'].includes(other.state));
        if (twin) { item.state = 'duplicate'; item.reason = t('upload.duplicate', { name: twin.name }); continue; }
        const found = existing[item.sha256];
        if (found && (found.status === 'ready' || found.status === 'processing')) {
          item.state = 'duplicate'; item.photoId = found.id; item.reason = t('upload.duplicate', { name: found.original_filename });
        } else {
          item.resume = found && found.status === 'uploading' ? found.id : null;
          item.state = 'ready-to-send';
        }
      }
    } catch (error) {
      for (const item of batch) { item.state = 'failed'; item.reason = error.message; }
    }
    if (this.checkQueue.length) this.scheduleCheck();
    this.emit(); this.pump();
  }

  async transfer(item) {
    item.state = 'uploading'; this.active++; this.emit();
    try {
      const photo = await this.sendFile(item);
      if (item.state === 'duplicate') { item.photoId = photo && photo.id; item.reason = t('upload.duplicate', { name: photo ? photo.original_filename : item.name }); }
      else this.settle(item, photo);
    } catch (error) {
      item.state = 'failed'; item.reason = error.message; item.sent = 0;
    } finally {
      item.file = item.state === 'failed' ? item.file : null; // let the browser free what was sent
      this.active--; this.emit(); this.pump(); this.poll();
    }
  }

  settle(item, photo) {
    item.photoId = photo.id;
    if (photo.status === 'failed') { item.state = 'failed'; item.reason = photo.failure_reason; }
    else item.state = photo.status === 'ready' ? 'ready' : 'processing';
  }

  async sendFile(item) {
    const gallery = `/galleries/${this.galleryId}`;
    let answer;
    if (item.resume) {
      try { answer = await attempt(() => get(`${gallery}/uploads/${item.resume}`), item); } catch (e) { answer = null; }
    }
    if (!answer || !answer.plan) {  // nothing to resume inside the file (done, failed or a single PUT): plan it again
      const type = CONTENT_TYPES.includes(item.file.type) ? item.file.type : null;
      const body = { filename: item.file.name, bytes: item.size, sha256: item.sha256 };
      if (type) body.content_type = type;
      if (item.setId) body.set_id = item.setId;
      answer = await attempt(() => post(`${gallery}/uploads`, body), item);
    }
    if (answer.duplicate) { item.state = 'duplicate'; return answer.photo; }
    const plan = answer.plan;
    const progress = (base) => (loaded) => { item.sent = base + loaded; this.emit(); };
    if (plan.strategy === 'form') {
      const answerForm = await attempt(async () => {
        const form = new FormData();
        form.append('sha256', item.sha256);
        if (item.setId) form.append('set_id', item.setId);
        form.append('file', item.file, item.file.name);
        const xhr = await send('POST', plan.url, form, { 'X-CSRF-Token': await csrfToken(), Accept: 'application/json' }, progress(0));
        return JSON.parse(xhr.responseText);
      }, item);
      if (answerForm.duplicate) { item.state = 'duplicate'; return answerForm.photo; }
      return answerForm.photo;
    }
    if (plan.strategy === 'put') {
      await attempt(() => send('PUT', plan.url, item.file, plan.headers, progress(0)), item);
    } else {
      const done = new Map((answer.uploaded_parts || []).map((p) => [p.part_number, p]));
      const parts = [];
      for (const part of plan.parts) {
        const start = (part.part_number - 1) * plan.part_size;
        const have = done.get(part.part_number);
        if (have && have.bytes === part.bytes) { parts.push({ part_number: part.part_number, etag: have.etag }); continue; }
        const xhr = await attempt(() => send('PUT', part.url, item.file.slice(start, start + part.bytes), {}, progress(start)), item);
        const etag = xhr.getResponseHeader('ETag');
        if (!etag) throw new TransferError(t('upload.noEtag'), false);
        parts.push({ part_number: part.part_number, etag });
      }
      item.parts = parts;
    }
    item.sent = item.size;
    return attempt(() => post(plan.complete_url.replace(/^\/api\/v1/, ''), plan.strategy === 'multipart' ? { parts: item.parts } : {}), item);
  }

  // Live processing status: what changed since the last look, until every photo is ready or failed.
  async poll() {
    if (this.polling) return;
    this.polling = true;
    try {
      do { // at least one look after the last file arrived; every 2 s while files are still being sent
        await sleep(this.active ? 2000 : 1000);
        let index;
        try { index = await get(`/galleries/${this.galleryId}/photo-index${this.since ? '?since=' + encodeURIComponent(this.since) : ''}`); }
        catch (e) { continue; }
        this.since = index.as_of;
        const byId = new Map(index.items.map((p) => [p.id, p]));
        for (const item of this.items) {
          const photo = item.photoId && byId.get(item.photoId);
          if (photo && item.state === 'processing') this.settle(item, photo);
        }
        if (index.items.length) for (const fn of this.indexListeners) fn(index.items);
        this.emit();
      } while (this.items.some((i) => i.state === 'processing') || this.busy());
    } finally { this.polling = false; }
  }

  retryFailed() {
    for (const item of this.items) if (item.state === 'failed' && item.file) { item.state = 'queued'; item.reason = null; item.sent = 0; }
    this.emit(); this.pump();
  }

  clearFinished() {
    this.items = this.items.filter((item) => !DONE.has(item.state));
    this.emit();
  }
}

// Files of a drop, folders included (recursively), with their relative paths.
export async function filesFromDrop(dataTransfer) {
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
  if (!entries.length) return [...dataTransfer.files];
  const files = [];
  const walk = async (entry, path) => {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      try { Object.defineProperty(file, 'relativePath', { value: path + file.name }); } catch (e) { /* read-only */ }
      files.push(file);
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, path + entry.name + '/');
      }
    }
  };
  for (const entry of entries) await walk(entry, '');
  return files;
}
