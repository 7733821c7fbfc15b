// The home's item rows: what each pending thing is, and the one or two actions that handle it, through the
// public API (a reply, an acknowledgement, an order's next status, a new expiry, a resolution, a mail resent).
import { useState } from 'preact/hooks';
import { post, patch } from '../api.js';
import { t, ago, date, dateTime, language } from '../i18n.js';
import { html, Icon, toast, toastError } from '../ui.js';

const who = (name, email) => name || email || t('home.someone');

// Run an action, say it worked, and let the home reload (the item leaves when it is handled).
function useAction(onDone) {
  const [busy, setBusy] = useState(false);
  const run = async (work, done) => {
    setBusy(true);
    try { await work(); toast(done); onDone(); } catch (e) { toastError(e); } finally { setBusy(false); }
  };
  return [busy, run];
}

function money(minor, currency) {
  try {
    const format = new Intl.NumberFormat(language(), { style: 'currency', currency });
    return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
  } catch (e) { return `${minor} ${currency}`; }
}

function When({ value }) {
  return html`<time datetime=${value} title=${dateTime(value)}>${ago(value)}</time>`;
}

export function SelectionItem({ item, onDone }) {
  const [busy, run] = useAction(onDone);
  const done = () => run(() => post(`/galleries/${item.gallery_id}/selections/${item.id}/acknowledge`), t('home.selection.handled'));
  return html`<div class="home-item">
    <div class="what">
      <p><strong>${who(item.visitor_name, item.visitor_email)}</strong> ${t('home.selection.picked', { n: item.photo_count })}</p>
      <p class="muted small">${item.gallery_title} · <${When} value=${item.submitted_at}/></p>
      ${item.note && html`<q class="client-note">${item.note}</q>`}
    </div>
    <div class="acts">
      <a class="button small primary" href=${`#/g/${item.gallery_id}/selections`}>${t('home.selection.open')}</a>
      <button type="button" class="button small" disabled=${busy} onClick=${done}><${Icon} name="check"/>${t('home.selection.done')}</button>
    </div>
  </div>`;
}

export function CommentItem({ item, onDone }) {
  const [busy, run] = useAction(onDone);
  const send = (event) => {
    event.preventDefault();
    const body = event.target.body.value.trim();
    if (body) run(() => post(`/galleries/${item.gallery_id}/comments/${item.id}/replies`, { body }), t('home.comment.sent'));
  };
  const field = 'home-reply-' + item.id;
  return html`<div class="home-item stacked">
    <div class="home-comment">
      <div class="thumb small" style=${item.color ? 'background:' + item.color : ''}>${item.thumb_url && html`<img src=${item.thumb_url} alt=${item.filename} onError=${(e) => e.target.remove()}/>`}</div>
      <div class="what">
        <p><strong>${who(item.visitor_name, item.visitor_email)}</strong> <span class="muted">${t('home.comment.on', { file: item.filename })}</span></p>
        <p class="home-quote">${item.body}</p>
        <p class="muted small"><a href=${`#/g/${item.gallery_id}/comments`}>${item.gallery_title}</a> · <${When} value=${item.created_at}/></p>
      </div>
    </div>
    <form class="reply-form" onSubmit=${send}>
      <label class="visually-hidden" for=${field}>${t('home.comment.replyTo', { name: who(item.visitor_name, item.visitor_email) })}</label>
      <input id=${field} name="body" maxlength="2000" required placeholder=${t('home.comment.placeholder')}/>
      <button type="submit" class="button small primary" disabled=${busy}>${t('home.comment.reply')}</button>
    </form>
  </div>`;
}

// The order's next step, and the status that does it here (shipping needs a tracking number: the order's page).
const ORDER_STEPS = { confirm_payment: 'paid', produce: 'in_production', ship: null };

export function OrderItem({ item, onDone }) {
  const [busy, run] = useAction(onDone);
  const status = ORDER_STEPS[item.next_step];
  const page = `#/store/orders/${item.id}`;
  const advance = () => run(() => patch(`/orders/${item.id}`, { status }), t('home.order.moved'));
  return html`<div class="home-item">
    <div class="what">
      <p><strong>${who(item.name, item.email)}</strong> · ${t('home.order.items', { n: item.item_count })} · ${money(item.total, item.currency)}</p>
      <p class="muted small">${item.gallery_title ? item.gallery_title + ' · ' : ''}<${When} value=${item.placed_at}/></p>
      <p class="small"><span class="badge home-step">${t('home.order.step.' + item.next_step)}</span></p>
    </div>
    <div class="acts">
      ${status ? html`<button type="button" class="button small primary" disabled=${busy} onClick=${advance}>${t('home.order.do.' + item.next_step)}</button>`
        : html`<a class="button small primary" href=${page}>${t('home.order.do.ship')}</a>`}
      <a class="button small" href=${page}>${t('home.order.open')}</a>
    </div>
  </div>`;
}

const EXTENSIONS = [7, 30, 90];

export function ExpiringItem({ item, onDone }) {
  const [busy, run] = useAction(onDone);
  const [days, setDays] = useState(30);
  const extend = (event) => {
    event.preventDefault();
    const until = new Date(new Date(item.expires_at).getTime() + days * 86400000);
    run(() => patch(`/galleries/${item.id}`, { expires_at: until.toISOString() }), t('home.expiring.extended', { date: date(until.toISOString()) }));
  };
  const field = 'home-extend-' + item.id;
  return html`<div class="home-item">
    <div class="what">
      <p><a href=${`#/g/${item.id}/settings`}><strong>${item.title}</strong></a>${item.client_name ? html` <span class="muted">· ${item.client_name}</span>` : ''}</p>
      <p class="small home-warn"><${Icon} name="clock" size=${14}/> ${t('home.expiring.when', { when: ago(item.expires_at), date: dateTime(item.expires_at) })}</p>
    </div>
    <form class="acts" onSubmit=${extend}>
      <label class="visually-hidden" for=${field}>${t('home.expiring.by')}</label>
      <select id=${field} value=${days} onChange=${(e) => setDays(Number(e.target.value))}>
        ${EXTENSIONS.map((n) => html`<option value=${n}>${t('home.expiring.days', { n })}</option>`)}
      </select>
      <button type="submit" class="button small primary" disabled=${busy}>${t('home.expiring.extend')}</button>
    </form>
  </div>`;
}

export function FollowUpItem({ item, onDone }) {
  const [busy, run] = useAction(onDone);
  const resolve = () => run(() => patch(`/retention/followups/${item.id}`, { resolve: true }), t('home.followup.resolved'));
  return html`<div class="home-item">
    <div class="what">
      <p><strong>${item.client_name || t('home.someone')}</strong> · ${item.kind === 'low_score'
        ? t('home.followup.score', { score: item.score }) : t('home.followup.complaint')}</p>
      ${item.comment && html`<p class="home-quote">${item.comment}</p>`}
      <p class="muted small">${item.gallery_title ? item.gallery_title + ' · ' : ''}<${When} value=${item.created_at}/></p>
    </div>
    <div class="acts">
      <a class="button small primary" href=${`#/loyalty/followups/${item.id}`}>${t('home.followup.open')}</a>
      <button type="button" class="button small" disabled=${busy} onClick=${resolve}><${Icon} name="check"/>${t('home.followup.resolve')}</button>
    </div>
  </div>`;
}

export function FailedMailItem({ item, onDone }) {
  const [busy, run] = useAction(onDone);
  const retry = () => run(() => post(`/mail/${item.id}/retry`), t('home.mail.retried'));
  const dismiss = () => run(() => post(`/mail/${item.id}/dismiss`), t('home.mail.dismissed'));
  return html`<div class="home-item">
    <div class="what">
      <p><strong>${item.subject}</strong></p>
      <p class="muted small">${t('home.mail.to', { email: item.to_email })} · <${When} value=${item.created_at}/></p>
      ${item.last_error && html`<p class="small home-error">${item.last_error}</p>`}
    </div>
    <div class="acts">
      <button type="button" class="button small primary" disabled=${busy} onClick=${retry}>${t('home.mail.retry')}</button>
      <button type="button" class="button small" disabled=${busy} onClick=${dismiss}>${t('home.mail.dismiss')}</button>
    </div>
  </div>`;
}
