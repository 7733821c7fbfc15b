// Clients: the list with search and filters (event type, last shoot, spend, consent, language), export to CSV,
// import from CSV; #/clients/<id> opens a client's page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, query } from '../api.js';
import { t, date, LANGUAGES } from '../i18n.js';
import { html, Icon, Empty, Spinner, Field, toastError } from '../ui.js';
import { EVENT_TYPES } from './settings.js';
import { ClientDialog } from './clients_form.js';
import { ImportDialog } from './clients_import.js';
import { ClientPage } from './clients_page.js';
import { money, useClientStyles } from './clients_common.js';

const NO_FILTERS = { event_type: '', last_shoot: '', spend: '', consent: '', locale: '' };

// The chosen filters as the API's query parameters.
function filterParams(f) {
  const params = { event_type: f.event_type, consent: f.consent, locale: f.locale };
  if (f.last_shoot) {
    const [kind, years] = f.last_shoot.split(':');
    const cut = new Date();
    cut.setFullYear(cut.getFullYear() - Number(years));
    params[kind === 'within' ? 'last_shoot_after' : 'last_shoot_before'] = cut.toISOString().slice(0, 10);
  }
  if (f.spend === 'none') params.max_spend = 0;
  else if (f.spend) params.min_spend = Number(f.spend) * 100;
  return params;
}

export function ClientsView({ me, parts }) {
  useClientStyles();
  if (parts[1]) return html`<${ClientPage} key=${parts[1]} id=${parts[1]}/>`;
  return html`<${ClientList} me=${me}/>`;
}

function ClientList({ me }) {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState(NO_FILTERS);
  const [dialog, setDialog] = useState(null);
  const timer = useRef();
  const latest = useRef(0);

  const load = async (more = false) => {
    const ticket = ++latest.current; // an answer to an older question is dropped
    try {
      const page = await get('/clients' + query({ q, ...filterParams(filters), limit: 50, cursor: more ? cursor : null }));
      if (ticket !== latest.current) return;
      setItems((old) => (more ? [...old, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) { toastError(e); setItems([]); }
  };
  useEffect(() => { clearTimeout(timer.current); timer.current = setTimeout(() => load(), q ? 200 : 0); }, [q, filters]);
  const setFilter = (name) => (event) => setFilters({ ...filters, [name]: event.target.value });
  const filtered = q || Object.values(filters).some(Boolean);

  const select = (name, options) => html`<${Field} id=${'cf-' + name} label=${t('clients.filter.' + name)}>
    <select id=${'cf-' + name} value=${filters[name]} onChange=${setFilter(name)}>
      <option value="">${t('clients.filter.any')}</option>
      ${options.map(([value, label]) => html`<option value=${value}>${label}</option>`)}</select></${Field}>`;

  return html`<div class="page">
    <header class="page-head">
      <h1>${t('clients.title')}</h1>
      <div class="head-actions">
        <div class="search"><${Icon} name="search"/>
          <label for="client-search" class="visually-hidden">${t('clients.search')}</label>
          <input id="client-search" type="search" placeholder=${t('clients.search')} value=${q}
            onInput=${(e) => setQ(e.target.value)}/></div>
        <a class="button" href="/api/v1/clients/export" download="clients.csv"><${Icon} name="down"/>${t('clients.export')}</a>
        <button type="button" class="button" onClick=${() => setDialog('import')}><${Icon} name="upload"/>${t('clients.import')}</button>
        <button type="button" class="button primary" onClick=${() => setDialog('new')}><${Icon} name="plus"/>${t('clients.new')}</button>
      </div>
    </header>
    <form class="client-filters" role="search" aria-label=${t('clients.filters')} onSubmit=${(e) => e.preventDefault()}>
      ${select('event_type', EVENT_TYPES.map((e) => [e, t('event.' + e)]))}
      ${select('last_shoot', [['within:1', t('clients.shoot.within1')], ['within:3', t('clients.shoot.within3')],
        ['before:1', t('clients.shoot.before1')], ['before:3', t('clients.shoot.before3')]])}
      ${select('spend', [['none', t('clients.spend.none')], ['1', t('clients.spend.some')], ['1000', t('clients.spend.1000')],
        ['5000', t('clients.spend.5000')]])}
      ${select('consent', [['true', t('clients.consent.yes')], ['false', t('clients.consent.no')]])}
      ${select('locale', Object.entries(LANGUAGES))}
      ${filtered && html`<button type="button" class="button small" onClick=${() => { setQ(''); setFilters(NO_FILTERS); }}>
        ${t('clients.clearFilters')}</button>`}
    </form>
    ${items === null ? html`<div class="center"><${Spinner}/></div>`
      : items.length === 0 ? html`<${Empty} icon="people" title=${filtered ? t('clients.noneFound') : t('clients.none')}
          text=${filtered ? null : t('clients.noneText')}/>`
      : html`<${ClientTable} items=${items}/>`}
    ${cursor && html`<div class="center"><button type="button" class="button" onClick=${() => load(true)}>${t('common.more')}</button></div>`}
    ${dialog === 'new' && html`<${ClientDialog} me=${me} onClose=${() => setDialog(null)}
      onSaved=${(client) => { setDialog(null); location.hash = '#/clients/' + client.id; }}/>`}
    ${dialog === 'import' && html`<${ImportDialog} onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); load(); }}/>`}
  </div>`;
}

function ClientTable({ items }) {
  return html`<table class="table client-table">
    <thead><tr><th scope="col">${t('clients.col.name')}</th><th scope="col">${t('clients.col.email')}</th>
      <th scope="col">${t('clients.col.lastShoot')}</th><th scope="col" class="num">${t('clients.col.spend')}</th>
      <th scope="col">${t('clients.col.consent')}</th><th scope="col">${t('clients.col.language')}</th>
      <th scope="col">${t('clients.col.tags')}</th></tr></thead>
    <tbody>${items.map((c) => html`<tr key=${c.id}>
      <td><a href=${'#/clients/' + c.id}><strong>${c.name}</strong></a></td>
      <td>${c.email || html`<span class="muted">–</span>`}</td>
      <td>${c.last_shoot ? date(c.last_shoot) : html`<span class="muted">–</span>`}</td>
      <td class="num">${c.spend ? money(c.spend, c.currency) : html`<span class="muted">–</span>`}</td>
      <td>${c.marketing_consent ? html`<span class="badge consent-yes">${t('clients.consent.yes')}</span>`
        : html`<span class="badge">${t('clients.consent.no')}</span>`}</td>
      <td>${LANGUAGES[c.locale] || c.locale}</td>
      <td>${(c.tags || []).map((tag) => html`<span class="pill">${tag}</span> `)}</td>
    </tr>`)}</tbody></table>`;
}
