// A campaign's segment: filters that narrow the photographer's clients (all of them combine), and the live
// reach the server counts (consented clients only) with the reasons the others are left out.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { t, LANGUAGES, language, number } from '../i18n.js';
import { html, Spinner, fieldErrors, toastError } from '../ui.js';
import { EVENT_TYPES } from './settings.js';

const REASONS = ['no_email', 'no_consent', 'unsubscribed'];

function months() {
  const format = new Intl.DateTimeFormat(language(), { month: 'long' });
  return Array.from({ length: 12 }, (_, i) => [i + 1, format.format(new Date(2024, i, 15))]);
}

// A text input that commits on every keystroke (so a Save straight after typing has it) while keeping what is
// typed as typed: "vip, " or "12." must not be rewritten mid-word by the parsed value coming back.
const sameValue = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
function DraftInput({ value, format, parse, onCommit, ...rest }) {
  const [text, setText] = useState(format(value));
  useEffect(() => { if (!sameValue(parse(text), value)) setText(format(value)); }, [JSON.stringify(value)]);
  return html`<input ...${rest} value=${text} onInput=${(e) => { setText(e.target.value); onCommit(parse(e.target.value)); }}/>`;
}
const asMoney = { format: (v) => (v != null ? String(v / 100) : ''), parse: (s) => (s === '' || Number.isNaN(Number(s)) ? undefined : Math.round(Number(s) * 100)) };
const asWhole = { format: (v) => (v != null ? String(v) : ''), parse: (s) => (s === '' || Number.isNaN(Number(s)) ? undefined : Number(s)) };
const asTags = { format: (v) => (v || []).join(', '), parse: (s) => { const list = s.split(',').map((x) => x.trim()).filter(Boolean); return list.length ? list : undefined; } };
const asText = { format: (v) => v || '', parse: (s) => s || undefined };

// value: the API's segment object; onChange(next) with empty filters dropped; errors: {filter: message}.
export function SegmentFilters({ value, onChange, errors = {}, disabled }) {
  const [tiers, setTiers] = useState([]);
  useEffect(() => { get('/loyalty/tiers').then((r) => setTiers(r.items)).catch(toastError); }, []);
  const set = (key, next) => {
    const copy = { ...value };
    if (next === undefined || next === null || next === '' || (Array.isArray(next) && !next.length) || Number.isNaN(next)) delete copy[key];
    else copy[key] = next;
    onChange(copy);
  };
  const toggle = (key, item) => {
    const list = value[key] || [];
    set(key, list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  };
  const whole = (key) => (event) => set(key, event.target.value === '' ? undefined : Number(event.target.value));
  const err = (key) => errors[key] && html`<p class="error" id=${'seg-' + key + '-error'} role="alert">${errors[key]}</p>`;
  const described = (key) => (errors[key] ? 'seg-' + key + '-error' : undefined);
  const ordered = value.has_ordered === true ? 'yes' : value.has_ordered === false ? 'no' : '';
  return html`<fieldset class="segment" disabled=${disabled}>
    <legend class="visually-hidden">${t('messages.filters')}</legend>
    <div class="field"><span class="label" id="seg-events">${t('messages.f.eventTypes')}</span>
      <div class="chips tight" role="group" aria-labelledby="seg-events">${EVENT_TYPES.map((type) => html`<label key=${type} class="check chip-check">
        <input type="checkbox" checked=${(value.event_types || []).includes(type)} onChange=${() => toggle('event_types', type)}/>${t('event.' + type)}</label>`)}</div></div>
    <div class="row">
      <div class="field"><label for="seg-after">${t('messages.f.shootAfter')}</label>
        <${DraftInput} id="seg-after" type="date" value=${value.last_shoot_after} ...${asText} onCommit=${(v) => set('last_shoot_after', v)}/></div>
      <div class="field"><label for="seg-before">${t('messages.f.shootBefore')}</label>
        <${DraftInput} id="seg-before" type="date" value=${value.last_shoot_before} ...${asText} onCommit=${(v) => set('last_shoot_before', v)}/></div>
    </div>
    <div class="row">
      <div class=${'field' + (errors.min_spend ? ' invalid' : '')}><label for="seg-min">${t('messages.f.minSpend')}</label>
        <${DraftInput} id="seg-min" type="number" min="0" step="1" value=${value.min_spend} ...${asMoney} onCommit=${(v) => set('min_spend', v)}
          aria-describedby=${described('min_spend')}/>${err('min_spend')}</div>
      <div class=${'field' + (errors.max_spend ? ' invalid' : '')}><label for="seg-max">${t('messages.f.maxSpend')}</label>
        <${DraftInput} id="seg-max" type="number" min="0" step="1" value=${value.max_spend} ...${asMoney} onCommit=${(v) => set('max_spend', v)}
          aria-describedby=${described('max_spend')}/>${err('max_spend')}</div>
    </div>
    <div class="row">
      <div class="field"><label for="seg-ordered">${t('messages.f.ordered')}</label>
        <select id="seg-ordered" value=${ordered} onChange=${(e) => set('has_ordered', e.target.value === '' ? undefined : e.target.value === 'yes')}>
          <option value="">${t('messages.f.any')}</option><option value="yes">${t('messages.f.orderedYes')}</option>
          <option value="no">${t('messages.f.orderedNo')}</option></select></div>
      <div class=${'field' + (errors.dormant_months ? ' invalid' : '')}><label for="seg-dormant">${t('messages.f.dormant')}</label>
        <${DraftInput} id="seg-dormant" type="number" min="1" max="120" value=${value.dormant_months} ...${asWhole} onCommit=${(v) => set('dormant_months', v)}
          aria-describedby=${described('dormant_months')}/>${err('dormant_months')}</div>
    </div>
    <div class="row">
      <div class="field"><label for="seg-month">${t('messages.f.dateMonth')}</label>
        <select id="seg-month" value=${value.important_date_month ?? ''} onChange=${whole('important_date_month')}>
          <option value="">${t('messages.f.any')}</option>${months().map(([n, name]) => html`<option key=${n} value=${n}>${name}</option>`)}</select></div>
      <div class="field"><label for="seg-tags">${t('messages.f.tags')}</label>
        <${DraftInput} id="seg-tags" value=${value.tags} placeholder=${t('messages.f.tagsHint')} ...${asTags}
          onCommit=${(v) => set('tags', v)}/></div>
    </div>
    <div class="field"><span class="label" id="seg-langs">${t('messages.f.languages')}</span>
      <div class="chips tight" role="group" aria-labelledby="seg-langs">${Object.entries(LANGUAGES).map(([code, name]) => html`<label key=${code} class="check chip-check">
        <input type="checkbox" checked=${(value.locales || []).includes(code)} onChange=${() => toggle('locales', code)}/><span lang=${code}>${name}</span></label>`)}</div></div>
    <div class="field"><span class="label" id="seg-tiers">${t('messages.f.tiers')}</span>
      ${tiers.length ? html`<div class="chips tight" role="group" aria-labelledby="seg-tiers">${tiers.map((tier) => html`<label key=${tier.id} class="check chip-check">
        <input type="checkbox" checked=${(value.tier_ids || []).includes(tier.id)} onChange=${() => toggle('tier_ids', tier.id)}/>${tier.name}</label>`)}</div>`
        : html`<p class="muted small">${t('messages.f.noTiers')} <a href="#/loyalty">${t('messages.f.defineTiers')}</a></p>`}</div>
  </fieldset>`;
}

// The live count: who the segment reaches now and why the others are left out. onErrors gets filter errors.
export function Reach({ segment, onErrors }) {
  const [audience, setAudience] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let stale = false;
    setBusy(true);
    const timer = setTimeout(async () => {
      try {
        const result = await post('/retention/segments/audience', segment);
        if (!stale) { setAudience(result); onErrors && onErrors({}); }
      } catch (e) {
        if (!stale) { onErrors && onErrors(fieldErrors(e)); if (e.status !== 422) toastError(e); }
      } finally { if (!stale) setBusy(false); }
    }, 350);
    return () => { stale = true; clearTimeout(timer); };
  }, [JSON.stringify(segment)]);
  if (!audience) return html`<div class="reach"><${Spinner}/></div>`;
  const left = REASONS.filter((reason) => audience.excluded[reason]);
  return html`<div class="reach" aria-busy=${busy ? 'true' : 'false'}>
    <p class="reach-count" role="status"><strong>${number(audience.reachable)}</strong>
      <span>${t('messages.reaches', { n: audience.reachable })}</span></p>
    <p class="muted">${t('messages.matched', { n: audience.matched })}</p>
    ${left.length > 0 && html`<h3>${t('messages.leftOut')}</h3>
      <ul class="reasons">${left.map((reason) => html`<li key=${reason} data-reason=${reason}>
        <strong>${number(audience.excluded[reason])}</strong> ${t('messages.excluded.' + reason, { n: audience.excluded[reason] })}</li>`)}</ul>`}
    <p class="muted small">${t('messages.reachHint')}</p>
  </div>`;
}
