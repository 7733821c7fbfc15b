// Orders, newest first, filtered by status, gallery, client, placement date and a search (name, email,
// order number, coupon code); the filters live in the URL's query so a filtered list can be linked to.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, query } from '../api.js';
import { t, date } from '../i18n.js';
import { html, Icon, Empty, Spinner, toastError } from '../ui.js';
import { money } from './store_money.js';

export const STATUSES = ['pending_payment', 'paid', 'in_production', 'shipped', 'delivered', 'cancelled', 'refunded'];

export function OrderStatus({ status }) {
  return html`<span class=${'badge order-' + status}>${t('store.status.' + status)}</span>`;
}

// A day picked in the studio's time zone, as the instant it starts (or the next day starts).
const dayStart = (value, plus = 0) => {
  if (!value) return null;
  const d = new Date(value + 'T00:00:00');
  d.setDate(d.getDate() + plus);
  return d.toISOString();
};

export function OrdersTab() {
  const [filters, setFilters] = useState({ status: '', gallery_id: '', client_id: '', from: '', to: '', q: '' });
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [galleries, setGalleries] = useState([]);
  const [clients, setClients] = useState([]);
  const latest = useRef(0);
  const timer = useRef();
  useEffect(() => {
    get('/gallery-summaries?limit=200').then((p) => setGalleries(p.items)).catch(() => {});
    get('/clients?limit=200').then((p) => setClients(p.items)).catch(() => {});
  }, []);
  const load = async (more = false) => {
    const ticket = ++latest.current;
    try {
      const page = await get('/orders' + query({ status: filters.status, gallery_id: filters.gallery_id, client_id: filters.client_id,
        placed_after: dayStart(filters.from), placed_before: dayStart(filters.to, 1), q: filters.q.trim(), limit: 50,
        cursor: more ? cursor : null }));
      if (ticket !== latest.current) return;
      setItems((old) => (more ? [...old, ...page.items] : page.items)); setCursor(page.next_cursor);
    } catch (e) { toastError(e); setItems([]); }
  };
  useEffect(() => { clearTimeout(timer.current); timer.current = setTimeout(() => load(), filters.q ? 250 : 0); }, [filters]);
  const set = (name) => (event) => setFilters((old) => ({ ...old, [name]: event.target.value }));
  const filtered = Object.values(filters).some(Boolean);

  return html`<div class="stack">
    <form class="order-filters" role="search" aria-label=${t('store.orders.filters')} onSubmit=${(e) => e.preventDefault()}>
      <div class="search"><${Icon} name="search"/>
        <label for="o-q" class="visually-hidden">${t('store.orders.search')}</label>
        <input id="o-q" type="search" placeholder=${t('store.orders.search')} value=${filters.q} onInput=${set('q')}/></div>
      <label>${t('store.orders.status')}<select id="o-status" value=${filters.status} onChange=${set('status')}>
        <option value="">${t('store.orders.any')}</option>
        ${STATUSES.map((s) => html`<option value=${s}>${t('store.status.' + s)}</option>`)}</select></label>
      <label>${t('store.orders.gallery')}<select id="o-gallery" value=${filters.gallery_id} onChange=${set('gallery_id')}>
        <option value="">${t('store.orders.any')}</option>
        ${galleries.map((g) => html`<option value=${g.id}>${g.title}</option>`)}</select></label>
      <label>${t('store.orders.client')}<select id="o-client" value=${filters.client_id} onChange=${set('client_id')}>
        <option value="">${t('store.orders.any')}</option>
        ${clients.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select></label>
      <label>${t('store.orders.from')}<input id="o-from" type="date" value=${filters.from} onChange=${set('from')}/></label>
      <label>${t('store.orders.to')}<input id="o-to" type="date" value=${filters.to} onChange=${set('to')}/></label>
    </form>
    ${items === null ? html`<div class="center"><${Spinner}/></div>`
      : items.length === 0 ? html`<${Empty} icon="activity" title=${filtered ? t('store.orders.noneFound') : t('store.orders.none')}
          text=${filtered ? null : t('store.orders.noneText')}/>`
      : html`<table class="table orders">
        <thead><tr><th scope="col">${t('store.orders.number')}</th><th scope="col">${t('store.orders.placed')}</th>
          <th scope="col">${t('store.orders.buyer')}</th><th scope="col">${t('store.orders.gallery')}</th>
          <th scope="col">${t('store.orders.status')}</th><th scope="col" class="num">${t('store.orders.total')}</th></tr></thead>
        <tbody>${items.map((o) => html`<tr key=${o.id}>
          <td><a href=${'#/store/orders/' + o.id}><code>${o.id.slice(-8).toUpperCase()}</code></a></td>
          <td>${date(o.placed_at)}</td>
          <td>${o.name || o.email}${o.client_name && o.client_name !== o.name ? html`<p class="muted">${o.client_name}</p>` : null}</td>
          <td>${o.gallery_title || '–'}</td><td><${OrderStatus} status=${o.status}/></td>
          <td class="num">${money(o.total, o.currency)}</td></tr>`)}</tbody></table>`}
    ${cursor && html`<div class="center"><button type="button" class="button" onClick=${() => load(true)}>${t('common.more')}</button></div>`}
  </div>`;
}
