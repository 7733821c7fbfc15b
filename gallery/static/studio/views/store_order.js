// One order (#/store/orders/<id>): lines with pictures, buyer and address, totals, the status changes the
// server allows now (its `allowed_next`), tracking, refunds through the payment provider, and the history.
import { useEffect, useState } from 'preact/hooks';
import { get, patch } from '../api.js';
import { t, date, dateTime, number } from '../i18n.js';
import { html, Icon, Field, Spinner, fieldErrors, toast, toastError, confirmAction } from '../ui.js';
import { money } from './store_money.js';
import { OrderStatus } from './store_orders.js';

const DANGER = new Set(['cancelled', 'refunded']);

export function OrderPage({ id }) {
  const [order, setOrder] = useState(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => { get(`/orders/${id}`).then(setOrder).catch((e) => { toastError(e); setMissing(true); }); }, [id]);
  if (!order) {
    return html`<div class="page">${missing ? html`<a class="back" href="#/store/orders"><${Icon} name="back"/>${t('store.orders.all')}</a>`
      : html`<div class="center"><${Spinner}/></div>`}</div>`;
  }
  const amount = (value) => money(value, order.currency);

  const move = async (status) => {
    const refund = status === 'refunded';
    const ok = await confirmAction({
      title: t('store.action.' + status), confirm: t('store.action.' + status), danger: DANGER.has(status),
      message: refund ? t(order.payment_provider === 'manual' ? 'store.refund.manual' : 'store.refund.provider', { amount: amount(order.total) })
        : t('store.order.confirmMove', { status: t('store.status.' + status) }) });
    if (!ok) return;
    try {
      setOrder(await patch(`/orders/${id}`, { status }));
      toast(refund ? t('store.refund.done') : t('store.order.moved', { status: t('store.status.' + status) }));
    } catch (e) {
      toastError(e);
      get(`/orders/${id}`).then(setOrder).catch(() => {}); // the order may have moved meanwhile: show what it allows now
    }
  };

  const address = order.shipping_address;
  return html`<div class="page order-page">
    <header class="gallery-head">
      <a class="back" href="#/store/orders"><${Icon} name="back"/><span>${t('store.orders.all')}</span></a>
      <div class="gallery-title"><h1>${t('store.order.title', { number: order.id.slice(-8).toUpperCase() })}</h1><${OrderStatus} status=${order.status}/>
        <p class="muted">${t('store.order.placedOn', { date: dateTime(order.placed_at) })}${order.gallery_title ? ' · ' : ''}
          ${order.gallery_id && html`<a href=${`#/g/${order.gallery_id}/photos`}>${order.gallery_title}</a>`}</p></div>
    </header>
    <div class="order-layout">
      <div class="stack">
        <section class="panel"><h2>${t('store.order.lines')}</h2>
          <table class="table lines"><thead><tr><th scope="col"><span class="visually-hidden">${t('store.order.picture')}</span></th>
            <th scope="col">${t('store.product.name')}</th><th scope="col" class="num">${t('store.order.quantity')}</th>
            <th scope="col" class="num">${t('store.order.unit')}</th><th scope="col" class="num">${t('store.order.lineTotal')}</th></tr></thead>
            <tbody>${order.items.map((item) => html`<tr key=${item.id}>
              <td>${item.thumb_url ? html`<div class="thumb small"><img src=${item.thumb_url} alt=${item.photo_filename || ''} loading="lazy" onError=${(e) => { e.target.style.visibility = 'hidden'; }}/></div>`
                : item.photo_id ? html`<div class="thumb small" aria-hidden="true"></div>` : null}</td>
              <td><strong>${item.product_name}</strong><p class="muted">${t('store.kind.' + item.product_kind)}
                ${item.photo_filename ? html` · <span class="fname">${item.photo_filename}</span>` : null}</p>
                ${Object.keys(item.options || {}).length ? html`<p class="muted">${optionsText(item.options)}</p>` : null}</td>
              <td class="num">${number(item.quantity)}</td><td class="num">${amount(item.unit_price)}</td>
              <td class="num">${amount(item.line_total)}</td></tr>`)}</tbody></table>
          <dl class="totals">
            <div><dt>${t('store.order.subtotal')}</dt><dd>${amount(order.subtotal)}</dd></div>
            ${order.discount ? html`<div><dt>${order.coupon_code ? t('store.order.discountCode', { code: order.coupon_code }) : t('store.order.discount')}</dt>
              <dd>−${amount(order.discount)}</dd></div>` : null}
            <div><dt>${t('store.order.shipping')}</dt><dd>${amount(order.shipping)}</dd></div>
            <div><dt>${order.tax_included ? t('store.order.taxIncluded') : t('store.order.tax')}</dt><dd>${amount(order.tax)}</dd></div>
            <div class="grand"><dt>${t('store.order.total')}</dt><dd>${amount(order.total)}</dd></div>
          </dl>
        </section>
        <section class="panel"><h2>${t('store.order.history')}</h2>
          <ol class="timeline history">${order.history.map((event) => html`<li>
            <span class="dot" aria-hidden="true"><${Icon} name=${event.kind === 'tracking' ? 'share' : event.kind === 'placed' ? 'plus' : 'check'} size=${14}/></span>
            <p>${historyText(event)}${event.detail ? html` <span class="muted">— ${event.detail}</span>` : null}</p>
            <time class="muted" datetime=${event.at}>${dateTime(event.at)}</time></li>`)}</ol>
        </section>
      </div>
      <div class="stack">
        <section class="panel"><h2>${t('store.order.actions')}</h2>
          ${order.allowed_next.length ? html`<div class="order-actions">${order.allowed_next.map((status) => html`<button type="button"
              class=${'button' + (DANGER.has(status) ? ' danger-text' : ' primary')} onClick=${() => move(status)}>${t('store.action.' + status)}</button>`)}</div>`
            : html`<p class="muted">${t('store.order.final')}</p>`}
          ${order.payment_instructions && html`<div class="notice"><p><strong>${t('store.order.howToPay')}</strong><br/>${order.payment_instructions}</p></div>`}
          <p class="muted">${t('store.order.paidWith', { provider: t('store.provider.' + order.payment_provider) })}
            ${order.paid_at ? ' · ' + t('store.order.paidOn', { date: date(order.paid_at) }) : ''}</p>
        </section>
        <${Tracking} order=${order} onSaved=${setOrder}/>
        <section class="panel"><h2>${t('store.order.customer')}</h2>
          <p><strong>${order.name || '–'}</strong><br/><a href=${'mailto:' + order.email}>${order.email}</a></p>
          ${order.client_id && html`<p><a href=${'#/clients/' + order.client_id}>${t('store.order.clientPage', { name: order.client_name || order.name || '' })}</a></p>`}
          ${address && html`<h3>${t('store.order.address')}</h3><address>${[address.name, address.line1, address.line2,
            [address.postal_code, address.city].filter(Boolean).join(' '), address.region, regionName(address.country), address.phone]
            .filter(Boolean).map((line) => html`${line}<br/>`)}</address>`}
          ${order.note && html`<h3>${t('store.order.note')}</h3><p class="client-note">${order.note}</p>`}
        </section>
      </div>
    </div>
  </div>`;
}

function Tracking({ order, onSaved }) {
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const f = Object.fromEntries(new FormData(event.target));
    setBusy(true); setErrors({});
    try {
      onSaved(await patch(`/orders/${order.id}`, { tracking: f.tracking.trim(), tracking_url: f.tracking_url.trim() || null }));
      toast(t('store.tracking.saved'));
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); } finally { setBusy(false); }
  };
  return html`<section class="panel"><h2>${t('store.tracking.title')}</h2>
    <form class="form" onSubmit=${submit} key=${order.tracking + '|' + order.tracking_url}>
      <${Field} id="t-number" label=${t('store.tracking.number')} error=${errors.tracking}>
        <input id="t-number" name="tracking" maxlength="500" defaultValue=${order.tracking || ''} autocomplete="off"/></${Field}>
      <${Field} id="t-url" label=${t('store.tracking.url')} error=${errors.tracking_url} hint=${t('store.tracking.urlHint')}>
        <input id="t-url" name="tracking_url" type="url" maxlength="2000" defaultValue=${order.tracking_url || ''} placeholder="https://"/></${Field}>
      ${order.tracking_url && html`<p><a href=${order.tracking_url} target="_blank" rel="noopener noreferrer">${t('store.tracking.follow')}</a></p>`}
      <div class="form-actions"><button type="submit" class="button" disabled=${busy}>${t('store.tracking.save')}</button></div>
    </form></section>`;
}

function historyText(event) {
  if (event.kind === 'placed') return t('store.history.placed');
  if (event.kind === 'tracking') return t('store.history.tracking');
  const to = t('store.status.' + event.to_status);
  return t(event.kind === 'refund' ? 'store.history.refund' : 'store.history.status', { status: to, who: t('store.actor.' + event.actor) });
}

const OPTION_VALUES = new Set(['glossy', 'matte', 'lustre', 'gallery', 'mirror', 'white', 'black']);

function optionsText(options) {
  return Object.entries(options).map(([key, value]) => {
    if (key === 'crop') return t('store.options.cropped');
    if (key === 'photo_ids') return t('store.options.photos', { n: value.length });
    const shown = value === true ? t('store.option.yes') : value === false ? t('store.option.no')
      : OPTION_VALUES.has(value) ? t('store.option.' + value) : value;
    return `${['finish', 'border', 'wrap', 'cover_text'].includes(key) ? t('store.option.' + key) : key}: ${shown}`;
  }).join(' · ');
}

function regionName(code) {
  try { return new Intl.DisplayNames([document.documentElement.lang], { type: 'region' }).of(code); } catch (e) { return code; }
}
