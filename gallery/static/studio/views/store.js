// The store: price sheets, coupons and orders (#/store, #/store/sheets/<id>, #/store/coupons,
// #/store/orders, #/store/orders/<id>), over /api/v1/price-sheets, /coupons and /orders.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { t, date, number } from '../i18n.js';
import { html, Icon, Empty, Spinner, toastError } from '../ui.js';
import { money } from './store_money.js';
import { SheetEditor } from './store_sheet.js';
import { CouponsTab } from './store_coupons.js';
import { OrdersTab } from './store_orders.js';
import { OrderPage } from './store_order.js';

const TABS = [['sheets', 'list'], ['coupons', 'star'], ['orders', 'activity']];

export function StoreView({ me, parts }) {
  const [, section = 'sheets', id] = parts;
  if (section === 'sheets' && id) return html`<${SheetEditor} key=${id} id=${id} me=${me}/>`;
  if (section === 'orders' && id) return html`<${OrderPage} key=${id} id=${id}/>`;
  const tab = TABS.some(([name]) => name === section) ? section : 'sheets';
  return html`<div class="page store">
    <header class="page-head"><h1>${t('store.title')}</h1>
      ${tab === 'sheets' && html`<div class="head-actions"><a class="button primary" href="#/store/sheets/new">
        <${Icon} name="plus"/>${t('store.sheets.new')}</a></div>`}</header>
    <nav class="tabs" aria-label=${t('store.sections')}>
      ${TABS.map(([name, icon]) => html`<a href=${'#/store/' + name} class=${'tab' + (tab === name ? ' on' : '')}
        aria-current=${tab === name ? 'page' : undefined}><${Icon} name=${icon} size=${16}/>${t('store.tab.' + name)}</a>`)}
    </nav>
    <section class="tab-body">
      ${tab === 'sheets' && html`<${SheetsTab}/>`}
      ${tab === 'coupons' && html`<${CouponsTab}/>`}
      ${tab === 'orders' && html`<${OrdersTab}/>`}
    </section>
  </div>`;
}

// One price when every product costs the same, else the cheapest to the dearest.
function priceRange(prices, currency) {
  if (!prices.length) return '–';
  const low = Math.min(...prices), high = Math.max(...prices);
  return low === high ? money(low, currency) : `${money(low, currency)} – ${money(high, currency)}`;
}

function SheetsTab() {
  const [sheets, setSheets] = useState(null);
  useEffect(() => { get('/price-sheets?limit=200').then((page) => setSheets(page.items)).catch((e) => { toastError(e); setSheets([]); }); }, []);
  if (sheets === null) return html`<div class="center"><${Spinner}/></div>`;
  if (!sheets.length) {
    return html`<${Empty} icon="list" title=${t('store.sheets.none')} text=${t('store.sheets.noneText')}>
      <a class="button primary" href="#/store/sheets/new">${t('store.sheets.new')}</a></${Empty}>`;
  }
  return html`<table class="table sheets">
    <thead><tr><th scope="col">${t('store.sheets.name')}</th><th scope="col">${t('store.sheets.currency')}</th>
      <th scope="col" class="num">${t('store.sheets.products')}</th><th scope="col">${t('store.sheets.prices')}</th>
      <th scope="col">${t('store.sheets.payment')}</th><th scope="col">${t('store.sheets.updated')}</th></tr></thead>
    <tbody>${sheets.map((s) => {
      const active = s.products.filter((p) => p.active);
      const prices = active.map((p) => p.price);
      return html`<tr key=${s.id}>
        <td><a href=${'#/store/sheets/' + s.id}>${s.name}</a></td><td>${s.currency}</td>
        <td class="num">${number(active.length)}</td>
        <td>${priceRange(prices, s.currency)}</td>
        <td>${t('store.provider.' + s.payment_provider)}${s.payment_provider === 'manual' && !(s.payment_instructions || '').trim()
          ? html` <span class="badge sheet-warn" title=${t('store.sheets.noInstructionsHint')}>${t('store.sheets.noInstructions')}</span>` : ''}</td><td>${date(s.updated_at)}</td></tr>`;
    })}</tbody></table>`;
}
