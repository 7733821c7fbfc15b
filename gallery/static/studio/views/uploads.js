import { useEffect, useState } from 'preact/hooks';
import { t, number, bytes, duration } from '../i18n.js';
import { html, Icon } from '../ui.js';

const SHOWN = 150;
const ORDER = { failed: 0, uploading: 1, hashing: 2, checking: 2, 'ready-to-send': 3, processing: 4, queued: 5, ready: 6, duplicate: 7, skipped: 8 };

export function UploadPanel({ uploader }) {
  const [, tick] = useState(0);
  const [open, setOpen] = useState(true);
  useEffect(() => uploader.subscribe(() => tick((n) => n + 1)), [uploader]);
  useEffect(() => {
    const warn = (event) => { if (uploader.busy()) { event.preventDefault(); event.returnValue = ''; } };
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [uploader]);
  if (!uploader.items.length) return null;
  const s = uploader.stats();
  const percent = s.total ? Math.round((s.sent / s.total) * 100) : 100;
  const rows = [...uploader.items].sort((a, b) => ORDER[a.state] - ORDER[b.state]).slice(0, SHOWN);
  return html`<section class="upload-panel" aria-label=${t('upload.title')}>
    <header>
      <div class="upload-summary">
        <strong>${s.busy ? t('upload.progress', { done: s.finished, n: s.count }) : t('upload.finished', { n: s.count })}</strong>
        <span class="muted">${s.busy && s.speed > 0 ? t('upload.speed', { speed: bytes(s.speed) + '/s', left: duration(s.left) }) : ''}</span>
      </div>
      <button type="button" class="icon-button" onClick=${() => setOpen(!open)} aria-expanded=${open}
        aria-label=${open ? t('upload.collapse') : t('upload.expand')}><${Icon} name=${open ? 'down' : 'up'}/></button>
    </header>
    <div class="progress" role="progressbar" aria-label=${t('upload.overall')} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${percent}>
      <span style=${`width:${percent}%`}></span></div>
    <p class="upload-counts muted">
      ${[['ready', s.counts.ready], ['processing', s.counts.processing], ['duplicate', s.counts.duplicate], ['failed', s.counts.failed], ['skipped', s.counts.skipped]]
        .filter(([, n]) => n).map(([k, n]) => html`<span class=${'pill ' + k}>${t('upload.count.' + k, { n })}</span>`)}
      ${bytes(s.sent)} / ${bytes(s.total)}</p>
    ${open && html`<ul class="upload-list" tabindex="0" aria-label=${t('upload.title')}>${rows.map((item) => html`<li class=${'upload-row ' + item.state}>
        <span class="upload-name" title=${item.name}>${item.name}</span>
        <span class="upload-state">${item.state === 'uploading'
          ? html`<span class="mini-bar"><span style=${`width:${Math.round((item.sent / item.size) * 100)}%`}></span></span>${item.note || number(Math.round((item.sent / item.size) * 100)) + ' %'}`
          : t('upload.state.' + item.state)}</span>
        ${item.reason && html`<span class="upload-reason">${item.reason}</span>`}
      </li>`)}
      ${uploader.items.length > SHOWN && html`<li class="muted">${t('upload.more', { n: uploader.items.length - SHOWN })}</li>`}</ul>`}
    ${!s.busy && html`<footer>
      ${s.counts.failed > 0 && html`<button type="button" class="button small" onClick=${() => uploader.retryFailed()}>${t('upload.retry')}</button>`}
      <button type="button" class="button small ghost" onClick=${() => uploader.clearFinished()}>${t('upload.dismiss')}</button></footer>`}
  </section>`;
}

export function InterruptedNote({ uploader }) {
  const [note, setNote] = useState(null);
  useEffect(() => {
    if (uploader.items.length) return;
    try { setNote(JSON.parse(localStorage.getItem('studio.upload.' + uploader.galleryId))); } catch (e) { setNote(null); }
  }, [uploader]);
  useEffect(() => uploader.subscribe(() => { if (uploader.items.length) setNote(null); }), [uploader]);
  if (!note) return null;
  const dismiss = () => { localStorage.removeItem('studio.upload.' + uploader.galleryId); setNote(null); };
  return html`<div class="notice" role="status"><${Icon} name="alert"/>
    <p>${t('upload.interrupted', { n: note.count })}</p>
    <button type="button" class="icon-button" onClick=${dismiss} aria-label=${t('common.close')}><${Icon} name="x"/></button></div>`;
}
