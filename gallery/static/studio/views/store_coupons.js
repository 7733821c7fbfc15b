// Coupons: percent or amount off and/or free shipping, with a minimum order, use limits and validity;
// created, edited (what may change after issuing) and withdrawn or restored.
import { useEffect, useState } from 'preact/hooks';
import { get, post, patch, query } from '../api.js';
import { t, dateTime, number } from '../i18n.js';
import { html, Icon, Dialog, Field, Empty, Spinner, fieldErrors, toast, toastError } from '../ui.js';
import { fromLocal, toLocal } from './settings.js';
import { CURRENCIES, MoneyInput, money } from './store_money.js';

export function couponState(c, now = Date.now()) {
  if (c.disabled) return 'disabled';
  if (c.valid_until && new Date(c.valid_until) <= now) return 'expired';
  if (c.max_uses && c.uses >= c.max_uses) return 'usedUp';
  if (c.valid_from && new Date(c.valid_from) > now) return 'scheduled';
  return 'active';
}

export function couponTerms(c) {
  const parts = [];
  if (c.percent_off) parts.push(t('store.coupon.percentOff', { n: c.percent_off }));
  if (c.amount_off) parts.push(t('store.coupon.amountOff', { amount: money(c.amount_off, c.currency) }));
  if (c.free_shipping) parts.push(t('store.coupon.freeShipping'));
  if (c.minimum_order) parts.push(t('store.coupon.minimum', { amount: money(c.minimum_order, c.currency) }));
  return parts.join(' · ');
}

export function CouponsTab() {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [editing, setEditing] = useState(null);
  const load = async (more = false) => {
    try {
      const page = await get('/coupons' + query({ limit: 50, cursor: more ? cursor : null }));
      setItems((old) => (more ? [...old, ...page.items] : page.items)); setCursor(page.next_cursor);
    } catch (e) { toastError(e); setItems([]); }
  };
  useEffect(() => { load(); }, []);
  const saved = (coupon) => { setItems((list) => [coupon, ...list.filter((c) => c.id !== coupon.id)]); setEditing(null); };
  const toggle = async (c) => {
    try {
      const changed = await patch(`/coupons/${c.id}`, { disabled: !c.disabled });
      setItems((list) => list.map((x) => (x.id === c.id ? changed : x)));
      toast(changed.disabled ? t('store.coupon.disabledToast') : t('store.coupon.enabledToast'));
    } catch (e) { toastError(e); }
  };
  if (items === null) return html`<div class="center"><${Spinner}/></div>`;
  return html`<div class="stack">
    <div class="section-head"><p class="muted">${t('store.coupon.intro')}</p>
      <button type="button" class="button primary" onClick=${() => setEditing({})}><${Icon} name="plus"/>${t('store.coupon.new')}</button></div>
    ${items.length === 0 ? html`<${Empty} icon="star" title=${t('store.coupon.none')}/>` : html`<table class="table coupons">
      <thead><tr><th scope="col">${t('store.coupon.code')}</th><th scope="col">${t('store.coupon.terms')}</th>
        <th scope="col">${t('store.coupon.uses')}</th><th scope="col">${t('store.coupon.validity')}</th>
        <th scope="col">${t('store.coupon.state')}</th><th scope="col"><span class="visually-hidden">${t('store.product.actions')}</span></th></tr></thead>
      <tbody>${items.map((c) => {
        const state = couponState(c);
        return html`<tr key=${c.id}>
          <td><code>${c.code}</code>${c.description && html`<p class="muted">${c.description}</p>`}
            ${c.source !== 'manual' && html`<p class="muted">${t('store.coupon.offer')}</p>`}</td>
          <td>${couponTerms(c)}</td>
          <td>${c.max_uses ? t('store.coupon.usesOf', { n: c.uses, max: number(c.max_uses) }) : t('store.coupon.usesUnlimited', { n: c.uses })}
            ${c.max_uses_per_client && html`<p class="muted">${t('store.coupon.perClient', { n: c.max_uses_per_client })}</p>`}</td>
          <td>${c.valid_from || c.valid_until ? [c.valid_from && t('store.coupon.from', { date: dateTime(c.valid_from) }),
            c.valid_until && t('store.coupon.until', { date: dateTime(c.valid_until) })].filter(Boolean).join(' ') : t('store.coupon.always')}</td>
          <td><span class=${'badge coupon-' + state}>${t('store.coupon.state.' + state)}</span></td>
          <td class="actions"><button type="button" class="button small" onClick=${() => setEditing(c)}>${t('store.coupon.edit')}</button>
            <button type="button" class="button small" onClick=${() => toggle(c)}>${c.disabled ? t('store.coupon.enable') : t('store.coupon.disable')}</button></td>
        </tr>`;
      })}</tbody></table>`}
    ${cursor && html`<div class="center"><button type="button" class="button" onClick=${() => load(true)}>${t('common.more')}</button></div>`}
    ${editing && html`<${CouponDialog} coupon=${editing} onClose=${() => setEditing(null)} onSaved=${saved}/>`}
  </div>`;
}

function CouponDialog({ coupon, onClose, onSaved }) {
  const isNew = !coupon.id;
  const [kind, setKind] = useState(coupon.amount_off ? 'amount' : coupon.percent_off || isNew ? 'percent' : 'none');
  const [currency, setCurrency] = useState(coupon.currency || 'EUR');
  const [amount, setAmount] = useState(coupon.amount_off ?? null);
  const [minimum, setMinimum] = useState(coupon.minimum_order ?? null);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const f = Object.fromEntries(new FormData(event.target));
    const limits = { description: f.description || null, valid_from: fromLocal(f.valid_from), valid_until: fromLocal(f.valid_until),
      max_uses: f.max_uses ? Number(f.max_uses) : null, max_uses_per_client: f.once_per_client ? 1 : null };
    let body = limits;
    if (isNew) {
      if (Number.isNaN(amount) || Number.isNaN(minimum)) { setErrors({ amount_off: t('store.money.invalid') }); return; }
      body = { ...limits, ...(f.code ? { code: f.code } : {}), free_shipping: !!f.free_shipping,
        percent_off: kind === 'percent' ? Number(f.percent_off) : null, amount_off: kind === 'amount' ? amount : null,
        minimum_order: minimum, currency: kind === 'amount' || minimum ? currency : null };
    }
    setBusy(true); setErrors({});
    try { onSaved(isNew ? await post('/coupons', body) : await patch(`/coupons/${coupon.id}`, body)); toast(t('store.coupon.saved')); }
    catch (e) { setErrors(fieldErrors(e)); toastError(e); } finally { setBusy(false); }
  };
  return html`<${Dialog} title=${isNew ? t('store.coupon.new') : t('store.coupon.editTitle', { code: coupon.code })} onClose=${onClose} wide>
    <form class="form" onSubmit=${submit}>
      ${isNew ? html`<div class="row">
          <${Field} id="c-code" label=${t('store.coupon.code')} error=${errors.code} hint=${t('store.coupon.codeHint')}>
            <input id="c-code" name="code" maxlength="64" pattern="[A-Za-z0-9][A-Za-z0-9_\\-]{2,63}" autocomplete="off"/></${Field}>
          <${Field} id="c-kind" label=${t('store.coupon.kind')}>
            <select id="c-kind" value=${kind} onChange=${(e) => setKind(e.target.value)}>
              ${['percent', 'amount', 'none'].map((k) => html`<option value=${k}>${t('store.coupon.kind.' + k)}</option>`)}</select></${Field}>
        </div>
        <div class="row">
          ${kind === 'percent' && html`<${Field} id="c-percent" label=${t('store.coupon.percent')} error=${errors.percent_off}>
            <input id="c-percent" name="percent_off" type="number" min="1" max="100" required/></${Field}>`}
          ${kind === 'amount' && html`<${Field} id="c-amount" label=${t('store.coupon.amount')} error=${errors.amount_off}>
            <${MoneyInput} id="c-amount" value=${amount} currency=${currency} onValue=${setAmount} required/></${Field}>`}
          ${(kind === 'amount' || minimum) && html`<${Field} id="c-currency" label=${t('store.sheets.currency')} error=${errors.currency}>
            <select id="c-currency" value=${currency} onChange=${(e) => setCurrency(e.target.value)}>
              ${CURRENCIES.map((c) => html`<option value=${c}>${c}</option>`)}</select></${Field}>`}
        </div>
        <label class="check"><input type="checkbox" name="free_shipping" defaultChecked=${kind === 'none'}/> ${t('store.coupon.freeShipping')}</label>
        ${errors.percent_off && kind === 'none' && html`<p class="error" role="alert">${errors.percent_off}</p>`}
        <${Field} id="c-minimum" label=${t('store.coupon.minimumOrder')} error=${errors.minimum_order}>
          <${MoneyInput} id="c-minimum" value=${minimum} currency=${currency} onValue=${setMinimum}/></${Field}>`
      : html`<p class="muted">${couponTerms(coupon)}</p>`}
      <${Field} id="c-description" label=${t('store.coupon.description')} error=${errors.description}>
        <input id="c-description" name="description" maxlength="500" defaultValue=${coupon.description || ''}/></${Field}>
      <div class="row">
        <${Field} id="c-from" label=${t('store.coupon.validFrom')} error=${errors.valid_from}>
          <input id="c-from" name="valid_from" type="datetime-local" defaultValue=${toLocal(coupon.valid_from)}/></${Field}>
        <${Field} id="c-until" label=${t('store.coupon.validUntil')} error=${errors.valid_until}>
          <input id="c-until" name="valid_until" type="datetime-local" defaultValue=${toLocal(coupon.valid_until)}/></${Field}>
      </div>
      <div class="row">
        <${Field} id="c-max" label=${t('store.coupon.maxUses')} error=${errors.max_uses} hint=${t('store.coupon.maxUsesHint')}>
          <input id="c-max" name="max_uses" type="number" min="1" defaultValue=${coupon.max_uses || ''}/></${Field}>
        <label class="check"><input type="checkbox" name="once_per_client" defaultChecked=${coupon.max_uses_per_client === 1}/> ${t('store.coupon.oncePerClient')}</label>
      </div>
      <div class="form-actions"><button type="button" class="button" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="button primary" disabled=${busy}>${t('common.save')}</button></div>
    </form>
  </${Dialog}>`;
}
