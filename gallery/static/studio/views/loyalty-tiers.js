// Loyalty tiers: name, what reaches it (lifetime spend, sessions), perks, and the clients holding it.
import { useEffect, useState } from 'preact/hooks';
import { get, post, patch, del, query } from '../api.js';
import { t, number, date } from '../i18n.js';
import { html, Field, Icon, Empty, Spinner, fieldErrors, toast, toastError, confirmAction } from '../ui.js';

const EMPTY = { name: '', min_spend: null, min_sessions: null, discount_percent: 0, free_digital: false, early_access: false, rank: 0 };
const major = (minor) => (minor === null || minor === undefined ? '' : String(minor / 100));

export function TiersPanel() {
  const [tiers, setTiers] = useState(null);
  const [editing, setEditing] = useState(null); // a tier, or EMPTY for a new one
  const [open, setOpen] = useState(null); // the tier whose clients are shown
  const load = () => get('/loyalty/tiers').then((r) => setTiers(r.items)).catch(toastError);
  useEffect(() => { load(); }, []);
  if (!tiers) return html`<div class="center"><${Spinner}/></div>`;

  const remove = async (tier) => {
    if (!(await confirmAction({ title: t('loyalty.deleteTitle', { name: tier.name }), message: t('loyalty.deleteText'), confirm: t('loyalty.delete') }))) return;
    try { await del(`/loyalty/tiers/${tier.id}`); toast(t('loyalty.deleted')); if (open === tier.id) setOpen(null); load(); } catch (e) { toastError(e); }
  };
  const sorted = [...tiers].sort((a, b) => b.rank - a.rank || a.name.localeCompare(b.name));
  return html`<div class="stack">
    <div class="section-head"><p class="muted grow">${t('loyalty.intro')}</p>
      <button type="button" class="button primary" onClick=${() => setEditing(EMPTY)}><${Icon} name="plus"/>${t('loyalty.newTier')}</button></div>
    ${editing && html`<${TierForm} tier=${editing} onDone=${(saved) => { setEditing(null); if (saved) load(); }}/>`}
    ${sorted.length === 0 && !editing ? html`<${Empty} icon="star" title=${t('loyalty.noTiers')} text=${t('loyalty.noTiersText')}/>` : html`
    <table class="table tiers">
      <caption class="visually-hidden">${t('loyalty.tiersCaption')}</caption>
      <thead><tr><th scope="col">${t('loyalty.tier')}</th><th scope="col">${t('loyalty.reachedBy')}</th><th scope="col">${t('loyalty.perks')}</th>
        <th scope="col" class="num">${t('loyalty.clients')}</th><th scope="col"><span class="visually-hidden">${t('loyalty.actions')}</span></th></tr></thead>
      <tbody>${sorted.map((tier) => html`<tr key=${tier.id}>
        <th scope="row"><strong>${tier.name}</strong></th>
        <td>${reachedBy(tier)}</td>
        <td><${Perks} tier=${tier}/></td>
        <td class="num"><button type="button" class="linkish" aria-expanded=${open === tier.id}
          onClick=${() => setOpen(open === tier.id ? null : tier.id)}>${t('loyalty.clientCount', { n: tier.clients || 0 })}</button></td>
        <td class="actions">
          <button type="button" class="button small" onClick=${() => setEditing(tier)}><${Icon} name="edit" size=${14}/>${t('loyalty.edit')}</button>
          <button type="button" class="button small danger-text" onClick=${() => remove(tier)}>${t('loyalty.delete')}</button></td>
      </tr>`)}</tbody>
    </table>`}
    ${open && html`<${TierClients} key=${open} tier=${tiers.find((x) => x.id === open)}/>`}
  </div>`;
}

function reachedBy(tier) {
  const parts = [];
  if (tier.min_spend !== null && tier.min_spend !== undefined) parts.push(t('loyalty.spendAtLeast', { amount: number(tier.min_spend / 100, { maximumFractionDigits: 2 }) }));
  if (tier.min_sessions) parts.push(t('loyalty.sessionsAtLeast', { n: tier.min_sessions }));
  return parts.join(' ' + t('loyalty.or') + ' ');
}

function Perks({ tier }) {
  const perks = [];
  if (tier.discount_percent) perks.push(t('loyalty.discount', { n: tier.discount_percent }));
  if (tier.free_digital) perks.push(t('loyalty.freeDigital'));
  if (tier.early_access) perks.push(t('loyalty.earlyAccess'));
  if (!perks.length) return html`<span class="muted">${t('loyalty.noPerks')}</span>`;
  return html`<ul class="perk-list">${perks.map((perk) => html`<li>${perk}</li>`)}</ul>`;
}

function TierForm({ tier, onDone }) {
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const f = event.target;
    const spend = f.min_spend.value.trim();
    const sessions = f.min_sessions.value.trim();
    const body = {
      name: f.name.value.trim(), min_spend: spend === '' ? null : Math.round(Number(spend.replace(',', '.')) * 100),
      min_sessions: sessions === '' ? null : Number(sessions), discount_percent: Number(f.discount_percent.value || 0),
      free_digital: f.free_digital.checked, early_access: f.early_access.checked, rank: Number(f.rank.value || 0),
    };
    if (body.min_spend === null && body.min_sessions === null) { setErrors({ min_spend: t('loyalty.needThreshold') }); return; }
    setBusy(true); setErrors({});
    try {
      await (tier.id ? patch(`/loyalty/tiers/${tier.id}`, body) : post('/loyalty/tiers', body));
      toast(t('loyalty.saved')); onDone(true);
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); } finally { setBusy(false); }
  };
  return html`<form class="form panel tier-form" onSubmit=${submit} aria-labelledby="tier-form-title">
    <h2 id="tier-form-title">${tier.id ? t('loyalty.editTier', { name: tier.name }) : t('loyalty.newTier')}</h2>
    <div class="row three">
      <${Field} id="tier-name" label=${t('loyalty.name')} error=${errors.name} hint=${t('loyalty.nameHint')}>
        <input id="tier-name" name="name" defaultValue=${tier.name} required maxlength="60"/></${Field}>
      <${Field} id="tier-spend" label=${t('loyalty.minSpend')} error=${errors.min_spend} hint=${t('loyalty.minSpendHint')}>
        <input id="tier-spend" name="min_spend" inputmode="decimal" defaultValue=${major(tier.min_spend)}/></${Field}>
      <${Field} id="tier-sessions" label=${t('loyalty.minSessions')} error=${errors.min_sessions} hint=${t('loyalty.minSessionsHint')}>
        <input id="tier-sessions" name="min_sessions" type="number" min="1" max="1000" defaultValue=${tier.min_sessions ?? ''}/></${Field}>
    </div>
    <fieldset class="perks-fields"><legend>${t('loyalty.perks')}</legend>
      <div class="row three">
        <${Field} id="tier-discount" label=${t('loyalty.discountLabel')} error=${errors.discount_percent} hint=${t('loyalty.discountHint')}>
          <input id="tier-discount" name="discount_percent" type="number" min="0" max="50" defaultValue=${tier.discount_percent}/></${Field}>
        <label class="check"><input type="checkbox" name="free_digital" defaultChecked=${tier.free_digital}/>${t('loyalty.freeDigitalLabel')}</label>
        <label class="check"><input type="checkbox" name="early_access" defaultChecked=${tier.early_access}/>${t('loyalty.earlyAccessLabel')}</label>
      </div>
    </fieldset>
    <${Field} id="tier-rank" label=${t('loyalty.rank')} error=${errors.rank} hint=${t('loyalty.rankHint')}>
      <input id="tier-rank" name="rank" type="number" min="0" max="100" defaultValue=${tier.rank}/></${Field}>
    <div class="form-actions">
      <button type="button" class="button" onClick=${() => onDone(false)}>${t('common.cancel')}</button>
      <button type="submit" class="button primary" disabled=${busy}>${t('common.save')}</button></div>
  </form>`;
}

function TierClients({ tier }) {
  const [page, setPage] = useState(null);
  const load = (cursor) => get(`/loyalty/tiers/${tier.id}/clients` + query({ cursor, limit: 50 }))
    .then((next) => setPage((old) => (cursor && old ? { items: [...old.items, ...next.items], next_cursor: next.next_cursor } : next)))
    .catch(toastError);
  useEffect(() => { load(); }, [tier.id]);
  return html`<section class="panel" aria-labelledby="tier-clients-title">
    <h2 id="tier-clients-title">${t('loyalty.clientsOf', { name: tier.name })}</h2>
    ${!page ? html`<${Spinner}/>` : page.items.length === 0 ? html`<p class="muted">${t('loyalty.nobodyYet')}</p>` : html`
      <ul class="tier-clients">${page.items.map((c) => html`<li key=${c.id}><a href=${'#/clients/' + c.id}>${c.name}</a>
        <span class="muted">${c.email || ''}</span><span class="muted">${c.since ? t('loyalty.since', { date: date(c.since) }) : ''}</span></li>`)}</ul>
      ${page.next_cursor && html`<button type="button" class="button small" onClick=${() => load(page.next_cursor)}>${t('common.more')}</button>`}`}
  </section>`;
}
