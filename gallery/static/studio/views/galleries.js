import { useEffect, useState, useRef } from 'preact/hooks';
import { get, post, query } from '../api.js';
import { t, date, number } from '../i18n.js';
import { html, Icon, Empty, Spinner, StateBadge, Dialog, Field, fieldErrors, toastError } from '../ui.js';
import { ClientPicker, EVENT_TYPES } from './settings.js';

const STATES = ['', 'draft', 'published', 'expiring', 'expired', 'archived'];

export function GalleriesView() {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [q, setQ] = useState('');
  const [state, setState] = useState('');
  const [creating, setCreating] = useState(false);
  const timer = useRef();
  const latest = useRef(0);

  const load = async (more = false) => {
    const ticket = ++latest.current; // answers that arrive after a newer question are dropped
    try {
      const page = await get('/gallery-summaries' + query({ q, state, limit: 48, cursor: more ? cursor : null }));
      if (ticket !== latest.current) return;
      setItems((old) => (more ? [...old, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) { toastError(e); setItems([]); }
  };
  useEffect(() => { clearTimeout(timer.current); timer.current = setTimeout(() => load(), q ? 200 : 0); }, [q, state]);

  return html`<div class="page">
    <header class="page-head">
      <h1>${t('galleries.title')}</h1>
      <div class="head-actions">
        <div class="search"><${Icon} name="search"/>
          <label for="gallery-search" class="visually-hidden">${t('galleries.search')}</label>
          <input id="gallery-search" type="search" placeholder=${t('galleries.search')} value=${q}
            onInput=${(e) => setQ(e.target.value)}/></div>
        <button type="button" class="button primary" onClick=${() => setCreating(true)}><${Icon} name="plus"/>${t('galleries.new')}</button>
      </div>
    </header>
    <div class="chips" role="group" aria-label=${t('galleries.filter')}>
      ${STATES.map((s) => html`<button type="button" class=${'chip' + (state === s ? ' on' : '')} aria-pressed=${state === s}
        onClick=${() => setState(s)}>${s ? t('state.' + s) : t('galleries.all')}</button>`)}
    </div>
    ${items === null ? html`<div class="center"><${Spinner}/></div>`
      : items.length === 0 ? html`<${Empty} icon="galleries" title=${q || state ? t('galleries.noneFound') : t('galleries.none')}
          text=${q || state ? null : t('galleries.noneText')}>${!q && !state && html`<button type="button" class="button primary" onClick=${() => setCreating(true)}>${t('galleries.new')}</button>`}</${Empty}>`
      : html`<ul class="cards">${items.map((g) => html`<li key=${g.id}><${GalleryCard} g=${g}/></li>`)}</ul>`}
    ${cursor && html`<div class="center"><button type="button" class="button" onClick=${() => load(true)}>${t('common.more')}</button></div>`}
    ${creating && html`<${NewGalleryDialog} onClose=${() => setCreating(false)}/>`}
  </div>`;
}

function selectionLine(g) {
  if (g.selections_reopened) return t('galleries.selectionReopened');
  if (g.selections_submitted) return t('galleries.selections', { n: g.selections_submitted });
  return t('galleries.noSelection');
}

function GalleryCard({ g }) {
  return html`<a class="card" href=${'#/g/' + g.id}>
    <div class="cover" style=${g.cover_url ? '' : 'background:#e9e6e1'}>
      ${g.cover_url ? html`<img src=${g.cover_url} alt="" loading="lazy" onError=${(e) => e.target.remove()}/>` : html`<${Icon} name="image" size=${36}/>`}
      <${StateBadge} state=${g.state}/>
    </div>
    <div class="card-body">
      <h2 class="card-title">${g.title}</h2>
      <p class="card-meta">${[g.client && g.client.name, g.shoot_date && date(g.shoot_date), t('event.' + g.event_type)].filter(Boolean).join(' · ')}</p>
      ${g.state === 'expiring' || g.state === 'expired' ? html`<p class="card-expiry"><${Icon} name="clock" size=${14}/>
        ${t(g.state === 'expired' ? 'galleries.expiredOn' : 'galleries.expiresOn', { date: date(g.expires_at) })}</p>` : null}
      <dl class="stats">
        <div><dt>${t('stats.photos')}</dt><dd>${number(g.photo_count)}</dd></div>
        <div><dt>${t('stats.visits')}</dt><dd>${number(g.visits)}</dd></div>
        <div><dt>${t('stats.favourites')}</dt><dd>${number(g.favourites)}</dd></div>
        <div><dt>${t('stats.orders')}</dt><dd>${number(g.orders)}</dd></div>
      </dl>
      <p class="card-selection">${selectionLine(g)}</p>
    </div>
  </a>`;
}

function NewGalleryDialog({ onClose }) {
  const [client, setClient] = useState(null);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.target));
    setBusy(true);
    try {
      const clientId = client ? await client.resolve() : null;
      const gallery = await post('/galleries', { title: form.title, event_type: form.event_type,
        shoot_date: form.shoot_date || null, client_id: clientId });
      onClose();
      location.hash = '#/g/' + gallery.id;
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); } finally { setBusy(false); }
  };
  return html`<${Dialog} title=${t('galleries.new')} onClose=${onClose}>
    <form onSubmit=${submit} class="form">
      <${Field} id="new-title" label=${t('settings.title')} error=${errors.title}>
        <input id="new-title" name="title" required maxlength="200" autofocus/></${Field}>
      <${ClientPicker} onChange=${setClient} errors=${errors}/>
      <div class="row">
        <${Field} id="new-event" label=${t('settings.eventType')}>
          <select id="new-event" name="event_type">${EVENT_TYPES.map((e) => html`<option value=${e}>${t('event.' + e)}</option>`)}</select></${Field}>
        <${Field} id="new-date" label=${t('settings.shootDate')} error=${errors.shoot_date}>
          <input id="new-date" name="shoot_date" type="date"/></${Field}>
      </div>
      <div class="form-actions"><button type="button" class="button" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="button primary" disabled=${busy}>${t('galleries.create')}</button></div>
    </form>
  </${Dialog}>`;
}
