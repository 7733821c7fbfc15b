// Shared UI pieces: html templates (htm + preact), dialogs, toasts, icons, copy to clipboard.
import { h, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { t } from './i18n.js';

export const html = htm.bind(h);
export { render };

const ICONS = {
  galleries: 'M4 5h16v14H4zM4 15l4-4 5 5 3-3 4 4',
  plus: 'M12 5v14M5 12h14',
  upload: 'M12 16V4M7 9l5-5 5 5M5 20h14',
  folder: 'M3 6h6l2 2h10v11H3z',
  share: 'M4 12v7h16v-7M12 3v12M8 7l4-4 4 4',
  trash: 'M5 7h14M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  eyeOff: 'M3 3l18 18M10.6 10.6a2 2 0 0 0 2.8 2.8M9.9 5.1A9.6 9.6 0 0 1 12 5c5 0 9 5 9 7a11 11 0 0 1-2.2 3.1M6.1 6.1C4 7.6 3 9.8 3 12c0 2 4 7 9 7a9 9 0 0 0 4.4-1.1',
  eye: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
  star: 'M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2L12 17.3 6.5 20.2l1-6.2L3 9.6l6.2-.9z',
  move: 'M3 6h6l2 2h10v11H3zM12 11v5M9.5 13.5 12 16l2.5-2.5',
  check: 'M5 12l5 5 9-10',
  x: 'M6 6l12 12M18 6 6 18',
  copy: 'M8 8h12v12H8zM4 16V4h12',
  qr: 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 18h2v2h-2zM14 18h2',
  cart: 'M3 4h2l2.4 11h10.2L20 8H6.2M9 20h.01M17 20h.01',
  heart: 'M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z',
  chat: 'M4 5h16v11H9l-5 4z',
  list: 'M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01',
  settings: 'M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM19 12a7 7 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14 3h-4l-.5 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7 7 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2L10 21h4l.5-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  people: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2 20a7 7 0 0 1 14 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6 6 0 0 1 4 6',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  back: 'M15 5l-7 7 7 7',
  up: 'M6 15l6-6 6 6',
  down: 'M6 9l6 6 6-6',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  activity: 'M3 12h4l3-8 4 16 3-8h4',
  search: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4',
  alert: 'M12 3 2 20h20zM12 9v5M12 17h.01',
  clock: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3',
  image: 'M4 5h16v14H4zM4 15l4-4 5 5 3-3 4 4M15 9h.01',
  palette: 'M12 3a9 9 0 1 0 0 18c1.1 0 1.6-.8 1.6-1.6 0-.9-.7-1.3-.7-2.1 0-.8.7-1.3 1.5-1.3H17a4 4 0 0 0 4-4C21 6.6 17 3 12 3zM7.5 11h.01M10 7h.01M14.5 7h.01M17 11h.01',
};

export function Icon({ name, size = 18, label }) {
  return html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
    stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden=${label ? undefined : 'true'}
    role=${label ? 'img' : undefined} aria-label=${label}><path d=${ICONS[name] || ''}/></svg>`;
}

export function Spinner({ label }) {
  return html`<span class="spinner" role="status" aria-label=${label || t('common.loading')}></span>`;
}

export function Dialog({ title, onClose, children, wide, footer }) {
  const ref = useRef();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog.open) dialog.showModal();
    const cancel = (event) => { event.preventDefault(); onClose && onClose(); };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, []);
  return html`<dialog ref=${ref} class=${'dialog' + (wide ? ' wide' : '')} aria-labelledby="dialog-title">
    <header class="dialog-head"><h2 id="dialog-title">${title}</h2>
      <button type="button" class="icon-button" onClick=${onClose} aria-label=${t('common.close')}><${Icon} name="x"/></button></header>
    <div class="dialog-body">${children}</div>
    ${footer && html`<footer class="dialog-foot">${footer}</footer>`}
  </dialog>`;
}

// confirm(): a modal question answered by a promise (true when confirmed).
let confirmHost = null;
export function ConfirmHost() {
  const [ask, setAsk] = useState(null);
  confirmHost = setAsk;
  if (!ask) return null;
  const answer = (value) => { setAsk(null); ask.resolve(value); };
  return html`<${Dialog} title=${ask.title} onClose=${() => answer(false)} footer=${html`
      <button type="button" class="button" onClick=${() => answer(false)}>${t('common.cancel')}</button>
      <button type="button" class=${'button ' + (ask.danger ? 'danger' : 'primary')} onClick=${() => answer(true)}
        autofocus>${ask.confirm}</button>`}>
    <p>${ask.message}</p>
  </${Dialog}>`;
}
export function confirmAction({ title, message, confirm, danger = true }) {
  return new Promise((resolve) => confirmHost({ title, message, confirm: confirm || t('common.confirm'), danger, resolve }));
}

// toast(): a short status line at the bottom of the screen.
let toastHost = null;
export function ToastHost() {
  const [items, setItems] = useState([]);
  toastHost = (item) => {
    setItems((list) => [...list.slice(-2), item]);
    setTimeout(() => setItems((list) => list.filter((x) => x !== item)), item.kind === 'error' ? 7000 : 3500);
  };
  return html`<div class="toasts" role="status" aria-live="polite">
    ${items.map((item) => html`<div class=${'toast ' + (item.kind || '')}>${item.text}</div>`)}</div>`;
}
export function toast(text, kind) { toastHost && toastHost({ text, kind }); }
export function toastError(error) { toast(error && error.message ? error.message : String(error), 'error'); }

export async function copyText(text) {
  window.__lastCopied = text; // lets tests read what was copied without clipboard permissions
  const fallback = () => {
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
  };
  try {
    // A clipboard that waits on a permission prompt must not leave the photographer waiting.
    await Promise.race([navigator.clipboard.writeText(text), new Promise((_, reject) => setTimeout(reject, 1500))]);
  } catch (e) { fallback(); }
  toast(t('common.copied'));
}

export function Field({ label, error, hint, children, id }) {
  return html`<div class=${'field' + (error ? ' invalid' : '')}>
    <label for=${id}>${label}</label>${children}
    ${hint && !error && html`<p class="hint" id=${id + '-hint'}>${hint}</p>`}
    ${error && html`<p class="error" id=${id + '-error'} role="alert">${error}</p>`}
  </div>`;
}

export function fieldErrors(error) {
  const out = {};
  for (const [name, messages] of Object.entries((error && error.fields) || {})) {
    out[name] = Array.isArray(messages) ? messages.join(' ') : typeof messages === 'object' ? Object.values(messages).flat().join(' ') : String(messages);
  }
  return out;
}

export function Empty({ icon = 'image', title, text, children }) {
  return html`<div class="empty"><${Icon} name=${icon} size=${40}/><h3>${title}</h3>${text && html`<p>${text}</p>`}${children}</div>`;
}

export function StateBadge({ state }) {
  return html`<span class=${'badge state-' + state}>${t('state.' + state)}</span>`;
}
