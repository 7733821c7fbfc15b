// A client's page: who they are, lifetime value and loyalty tier, their galleries, orders, the messages sent
// to them with their results, survey answers, and their data rights (export, erase).
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api.js';
import { t, date, dateTime, number, LANGUAGES } from '../i18n.js';
import { html, Icon, Spinner, StateBadge, toastError } from '../ui.js';
import { ClientDialog, ConsentRecord } from './clients_form.js';
import { DataRights } from './clients_data.js';
import { money } from './clients_common.js';

const optional = (promise) => promise.catch(() => null);

export function ClientPage({ id }) {
  const [client, setClient] = useState(undefined);
  const [more, setMore] = useState(null);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    get(`/clients/${id}`).then(setClient).catch((e) => { setClient(null); toastError(e); });
    Promise.all([
      get(`/clients/${id}/summary`), optional(get(`/loyalty/clients/${id}`)),
      optional(get('/galleries' + query({ client_id: id, limit: 100 }))),
      optional(get('/orders' + query({ client_id: id, limit: 100 }))),
      optional(get('/retention/messages' + query({ client_id: id, limit: 100 }))),
    ]).then(([summary, loyalty, galleries, orders, messages]) => setMore({ summary, loyalty,
      galleries: galleries ? galleries.items : [], orders: orders ? orders.items : [], messages: messages ? messages.items : [] }))
      .catch(toastError);
  }, [id]);

  if (client === undefined) return html`<div class="page"><div class="center"><${Spinner}/></div></div>`;
  if (client === null) return html`<div class="page"><a class="back" href="#/clients"><${Icon} name="back"/>${t('clients.title')}</a>
    <p role="alert">${t('clients.notFound')}</p></div>`;

  return html`<div class="page client-page">
    <a class="back" href="#/clients"><${Icon} name="back"/>${t('clients.title')}</a>
    <header class="page-head">
      <h1>${client.name}</h1>
      <div class="head-actions">
        <button type="button" class="button" onClick=${() => setEditing(true)}><${Icon} name="edit"/>${t('clients.edit')}</button>
      </div>
    </header>
    <div class="client-columns">
      <section class="panel client-facts" aria-labelledby="facts-title">
        <h2 id="facts-title">${t('clients.page.details')}</h2>
        <dl>
          <dt>${t('clients.form.email')}</dt><dd>${client.email ? html`<a href=${'mailto:' + client.email}>${client.email}</a>` : '–'}</dd>
          <dt>${t('clients.form.phone')}</dt><dd>${client.phone || '–'}</dd>
          <dt>${t('clients.form.language')}</dt><dd>${LANGUAGES[client.locale] || client.locale}</dd>
          <dt>${t('clients.form.timezone')}</dt><dd>${client.timezone}</dd>
          <dt>${t('clients.form.tags')}</dt><dd>${client.tags.length ? client.tags.map((tag) => html`<span class="pill">${tag}</span> `) : '–'}</dd>
          <dt>${t('clients.form.dates')}</dt><dd>${client.important_dates.length ? html`<ul class="plain">${client.important_dates.map((d) =>
            html`<li>${t('clients.date.' + d.kind)}: ${date(d.date)}${d.label ? ` (${d.label})` : ''}</li>`)}</ul>` : '–'}</dd>
          <dt>${t('clients.form.consent')}</dt><dd><${ConsentRecord} client=${client}/></dd>
        </dl>
        ${client.notes && html`<h3>${t('clients.form.notes')}</h3><p class="client-notes">${client.notes}</p>`}
      </section>
      <${Value} more=${more}/>
    </div>
    ${more === null ? html`<div class="center"><${Spinner}/></div>` : html`
      <${Galleries} items=${more.galleries}/>
      <${Orders} items=${more.orders}/>
      <${Messages} items=${more.messages}/>
      <${Surveys} items=${more.summary.surveys}/>`}
    <${DataRights} client=${client}/>
    ${editing && html`<${ClientDialog} client=${client} onClose=${() => setEditing(false)}
      onSaved=${(saved) => { setClient(saved); setEditing(false); }}/>`}
  </div>`;
}

function Value({ more }) {
  if (!more) return html`<section class="panel"><${Spinner}/></section>`;
  const { summary, loyalty } = more;
  return html`<section class="panel client-value" aria-labelledby="value-title">
    <h2 id="value-title">${t('clients.page.value')}</h2>
    <dl class="stats">
      <div><dt>${t('clients.page.lifetime')}</dt><dd>${summary.lifetime.length
        ? summary.lifetime.map((v) => html`<span class="ltv">${money(v.total, v.currency)}</span>`) : money(0, null)}</dd></div>
      <div><dt>${t('clients.page.orders')}</dt><dd>${number(summary.lifetime.reduce((n, v) => n + v.orders, 0))}</dd></div>
      <div><dt>${t('clients.page.galleries')}</dt><dd>${number(summary.gallery_count)}</dd></div>
      <div><dt>${t('clients.col.lastShoot')}</dt><dd>${summary.last_shoot ? date(summary.last_shoot) : '–'}</dd></div>
    </dl>
    <p class="client-tier">${loyalty && loyalty.tier
      ? t('clients.page.tier', { tier: loyalty.tier.name, date: loyalty.since ? date(loyalty.since) : '' })
      : t('clients.page.noTier')}</p>
  </section>`;
}

function Section({ id, title, count, children, empty }) {
  return html`<section class="client-section" aria-labelledby=${id}>
    <h2 id=${id}>${title} <span class="muted">(${number(count)})</span></h2>
    ${count ? children : html`<p class="muted">${empty}</p>`}
  </section>`;
}

function Galleries({ items }) {
  return html`<${Section} id="galleries-title" title=${t('clients.page.galleries')} count=${items.length} empty=${t('clients.page.noGalleries')}>
    <table class="table"><thead><tr><th scope="col">${t('clients.page.gallery')}</th><th scope="col">${t('clients.page.event')}</th>
      <th scope="col">${t('clients.page.shootDate')}</th><th scope="col">${t('clients.page.state')}</th></tr></thead>
    <tbody>${items.map((g) => html`<tr key=${g.id}><td><a href=${'#/g/' + g.id + '/photos'}>${g.title}</a></td>
      <td>${t('event.' + g.event_type)}</td><td>${g.shoot_date ? date(g.shoot_date) : '–'}</td>
      <td><${StateBadge} state=${g.state || g.status}/></td></tr>`)}</tbody></table>
  </${Section}>`;
}

const ORDER_STATES = { pending_payment: 'clients.orderState.pending_payment', paid: 'clients.orderState.paid',
  in_production: 'clients.orderState.in_production', shipped: 'clients.orderState.shipped',
  delivered: 'clients.orderState.delivered', cancelled: 'clients.orderState.cancelled', refunded: 'clients.orderState.refunded' };

function Orders({ items }) {
  return html`<${Section} id="orders-title" title=${t('clients.page.orders')} count=${items.length} empty=${t('clients.page.noOrders')}>
    <table class="table"><thead><tr><th scope="col">${t('clients.page.order')}</th><th scope="col">${t('clients.page.placed')}</th>
      <th scope="col">${t('clients.page.status')}</th><th scope="col" class="num">${t('clients.page.total')}</th></tr></thead>
    <tbody>${items.map((o) => html`<tr key=${o.id}><td><a href=${'#/store/orders/' + o.id}>${o.id.slice(-8)}</a></td>
      <td>${dateTime(o.placed_at)}</td><td><span class="badge">${ORDER_STATES[o.status] ? t(ORDER_STATES[o.status]) : o.status}</span></td>
      <td class="num">${money(o.total, o.currency)}</td></tr>`)}</tbody></table>
  </${Section}>`;
}

// A message's result, most telling first: failed, clicked, opened, delivered; else where it stands.
export function messageResult(m) {
  if (m.status === 'failed') return 'failed';
  if (m.clicked_at) return 'clicked';
  if (m.opened_at) return 'opened';
  if (m.status === 'sent') return 'delivered';
  return m.status === 'suppressed' ? 'suppressed' : 'waiting';
}
const RESULTS = { failed: 'clients.result.failed', clicked: 'clients.result.clicked', opened: 'clients.result.opened',
  delivered: 'clients.result.delivered', suppressed: 'clients.result.suppressed', waiting: 'clients.result.waiting' };

function Messages({ items }) {
  return html`<${Section} id="messages-title" title=${t('clients.page.messages')} count=${items.length} empty=${t('clients.page.noMessages')}>
    <table class="table"><thead><tr><th scope="col">${t('clients.page.subject')}</th><th scope="col">${t('clients.page.sent')}</th>
      <th scope="col">${t('clients.page.result')}</th></tr></thead>
    <tbody>${items.map((m) => { const result = messageResult(m); return html`<tr key=${m.id}>
      <td>${m.subject || m.rule}</td>
      <td>${m.sent_at ? dateTime(m.sent_at) : '–'}</td>
      <td><span class=${'badge result-' + result}>${t(RESULTS[result])}</span>
        ${result === 'failed' && m.status_reason ? html`<br/><span class="muted">${m.status_reason}</span>` : null}</td></tr>`; })}</tbody></table>
  </${Section}>`;
}

function Surveys({ items }) {
  return html`<${Section} id="surveys-title" title=${t('clients.page.surveys')} count=${items.length} empty=${t('clients.page.noSurveys')}>
    <ul class="plain survey-list">${items.map((s) => html`<li><strong class=${'score' + (s.score <= 6 ? ' low' : '')}>${s.score}/10</strong>
      <span class="muted">${date(s.created_at)}</span>${s.comment && html`<p>${s.comment}</p>`}</li>`)}</ul>
  </${Section}>`;
}
