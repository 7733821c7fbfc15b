// The parts every mail editor shares: subject, body and button with placeholder buttons, and a preview
// rendered by the server with one of the photographer's real clients (plus a test send to themselves).
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, query } from '../api.js';
import { t } from '../i18n.js';
import { html, Field, Icon, Spinner, fieldErrors, toast, toastError } from '../ui.js';

// The placeholders the server says a rule's mail ("campaign" for campaigns) fills, with their descriptions.
let placeholderCache = null;
export function usePlaceholders(rule) {
  const [answer, setAnswer] = useState(placeholderCache);
  useEffect(() => {
    if (placeholderCache) return;
    get('/retention/wording').then((r) => { placeholderCache = r; setAnswer(r); }).catch(toastError);
  }, []);
  if (!answer) return {};
  const names = (answer.applies || {})[rule] || Object.keys(answer.placeholders);
  return Object.fromEntries(names.map((name) => [name, answer.placeholders[name]]));
}

// The server's description is English; the studio's catalog has each placeholder in five languages.
function describe(name, fallback) {
  const key = 'messages.ph.' + name;
  const text = t('messages.ph.' + name);
  return text === key ? fallback : text;
}

// value: {subject, body, button}; errors: {subject, body, button} (the server's messages, shown on the field).
export function WordsFields({ id, value, onChange, errors = {}, placeholders, readOnly }) {
  const last = useRef('body');
  const refs = { subject: useRef(), body: useRef(), button: useRef() };
  const set = (field) => (event) => onChange({ ...value, [field]: event.target.value });
  const insert = (name) => {
    const field = last.current;
    const element = refs[field].current;
    const text = value[field] || '';
    const token = `{{ ${name} }}`;
    const start = element ? element.selectionStart ?? text.length : text.length;
    const end = element ? element.selectionEnd ?? text.length : text.length;
    onChange({ ...value, [field]: text.slice(0, start) + token + text.slice(end) });
    requestAnimationFrame(() => {
      if (!element) return;
      element.focus();
      element.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const focus = (field) => () => { last.current = field; };
  const described = (field) => (errors[field] ? `${id}-${field}-error` : undefined);
  return html`<div class="words-fields">
    <${Field} id=${`${id}-subject`} label=${t('messages.subject')} error=${errors.subject}>
      <input id=${`${id}-subject`} ref=${refs.subject} value=${value.subject || ''} maxlength="300" onInput=${set('subject')}
        onFocus=${focus('subject')} aria-invalid=${errors.subject ? 'true' : undefined} aria-describedby=${described('subject')}/></${Field}>
    <p class="notice greeting-note" id=${`${id}-greeting`}>${t('messages.greetingNote', { name: 'Ingrid & Jonas' })}</p>
    <${Field} id=${`${id}-body`} label=${t('messages.body')} error=${errors.body} hint=${t('messages.bodyHint')}>
      <textarea id=${`${id}-body`} ref=${refs.body} rows="9" maxlength="5000" value=${value.body || ''} onInput=${set('body')}
        onFocus=${focus('body')} aria-invalid=${errors.body ? 'true' : undefined} aria-describedby=${[`${id}-greeting`, described('body')].filter(Boolean).join(' ')}></textarea></${Field}>
    <${Field} id=${`${id}-button`} label=${t('messages.button')} error=${errors.button} hint=${t('messages.buttonHint')}>
      <input id=${`${id}-button`} ref=${refs.button} value=${value.button || ''} maxlength="100" onInput=${set('button')}
        onFocus=${focus('button')} aria-invalid=${errors.button ? 'true' : undefined} aria-describedby=${described('button')}/></${Field}>
    ${!readOnly && html`<section class="placeholders" aria-labelledby=${`${id}-ph`}>
      <h3 id=${`${id}-ph`}>${t('messages.placeholders')}</h3>
      <p class="muted small">${t('messages.placeholdersHint')}</p>
      <ul>${Object.entries(placeholders || {}).map(([name, text]) => html`<li key=${name}>
        <button type="button" class="button small ph" onClick=${() => insert(name)}
          aria-label=${t('messages.insert', { name })}><${Icon} name="plus" size=${14}/><code>${name}</code></button>
        <span class="muted small">${describe(name, text)}</span></li>`)}</ul>
    </section>`}
  </div>`;
}

// A select of the photographer's clients (the first one chosen), with a search for large client lists.
export function ClientPicker({ id, value, onChange }) {
  const [clients, setClients] = useState(null);
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => {
      get(`/clients${query({ limit: 50, q: q.trim() })}`).then((page) => {
        setClients(page.items);
        if (page.items.length && !page.items.some((c) => c.id === value)) onChange(page.items[0].id);
      }).catch(toastError);
    }, q ? 300 : 0);
    return () => clearTimeout(timer);
  }, [q]);
  if (clients === null) return html`<${Spinner}/>`;
  if (!clients.length && !q) return html`<p class="muted">${t('messages.noClients')}</p>`;
  return html`<div class="client-picker">
    <div class="field"><label for=${id}>${t('messages.previewWith')}</label>
      <select id=${id} value=${value || ''} onChange=${(e) => onChange(e.target.value)}>
        ${clients.map((c) => html`<option key=${c.id} value=${c.id}>${c.name}${c.email ? ` (${c.email})` : ''}</option>`)}
      </select></div>
    <div class="field"><label for=${id + '-q'}>${t('messages.findClient')}</label>
      <input id=${id + '-q'} type="search" value=${q} onInput=${(e) => setQ(e.target.value)}/></div>
  </div>`;
}

// request: what to preview besides the client ({rule, locale, words} or {campaign_id, locale, words}).
// onErrors gets the server's per-field errors of unsaved words (or {} when they render).
export function PreviewPane({ request, onErrors, deps }) {
  const [clientId, setClientId] = useState(null);
  const [shown, setShown] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const body = () => ({ client_id: clientId, ...request });
  useEffect(() => {
    if (!clientId) return undefined;
    let stale = false;
    const timer = setTimeout(async () => {
      setBusy(true);
      try {
        const result = await post('/retention/wording/preview', body());
        if (stale) return;
        setShown(result); setProblem(null); onErrors && onErrors({});
      } catch (e) {
        if (stale) return;
        const errors = fieldErrors(e);
        // Field errors are shown on their fields; here only a word that the preview waits for them.
        setProblem(Object.keys(errors).length ? t('messages.previewWaits') : e.message); onErrors && onErrors(errors);
      } finally { if (!stale) setBusy(false); }
    }, 450);
    // A superseded request is dropped and must not leave the spinner on (its `finally` skips a stale one).
    return () => { stale = true; clearTimeout(timer); setBusy(false); };
  }, [clientId, JSON.stringify(request), ...(deps || [])]);
  const test = async () => {
    try {
      const sent = await post('/retention/wording/test', body());
      toast(t('messages.testSent', { email: sent.to }));
    } catch (e) {
      const errors = fieldErrors(e);
      onErrors && onErrors(errors);
      if (!Object.keys(errors).length) toastError(e);
    }
  };
  return html`<section class="panel preview" aria-labelledby="preview-title">
    <div class="section-head"><h2 id="preview-title">${t('messages.preview')}</h2>${busy && html`<${Spinner} label=${t('messages.previewing')}/>`}</div>
    <${ClientPicker} id="preview-client" value=${clientId} onChange=${setClientId}/>
    ${problem && html`<p class="form-error preview-problem" role="alert">${problem}</p>`}
    ${shown && html`<p class="preview-subject"><span class="muted">${t('messages.subject')}:</span> <strong>${shown.subject}</strong></p>
      <iframe class="preview-frame" title=${t('messages.previewFrame')} sandbox="" srcdoc=${shown.html}></iframe>`}
    <div class="form-actions"><button type="button" class="button" onClick=${test} disabled=${!clientId}>
      <${Icon} name="upload"/>${t('messages.sendTest')}</button></div>
  </section>`;
}
