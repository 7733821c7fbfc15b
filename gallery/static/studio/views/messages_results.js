// A campaign's offer code per recipient, its schedule (each client's local morning) and cancel, and its results:
// delivered, opened, clicked, gallery visits, orders and revenue within the attribution window.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { t, date, number, dateTime } from '../i18n.js';
import { html, Spinner, confirmAction, fieldErrors, toast, toastError } from '../ui.js';

function localDay(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function OfferFields({ form, change, errors, disabled }) {
  const offer = form.offer;
  const set = (key) => (event) => change('offer', { ...offer, [key]: event.target.value === '' ? undefined : Number(event.target.value) });
  const err = (key) => errors['offer.' + key] && html`<p class="error" role="alert">${errors['offer.' + key]}</p>`;
  return html`<section class="panel form offer" aria-labelledby="c-offer">
    <h2 id="c-offer">${t('messages.offer')}</h2>
    <label class="check"><input type="checkbox" checked=${!!offer} disabled=${disabled}
      onChange=${(e) => change('offer', e.target.checked ? { percent_off: 10, valid_days: 30 } : null)}/>${t('messages.offerOn')}</label>
    ${offer && html`<div class="row">
      <div class=${'field' + (errors['offer.percent_off'] ? ' invalid' : '')}><label for="c-percent">${t('messages.percentOff')}</label>
        <input id="c-percent" type="number" min="1" max="100" value=${offer.percent_off ?? ''} disabled=${disabled} onInput=${set('percent_off')}/>${err('percent_off')}</div>
      <div class=${'field' + (errors['offer.valid_days'] ? ' invalid' : '')}><label for="c-valid">${t('messages.validDays')}</label>
        <input id="c-valid" type="number" min="1" max="365" value=${offer.valid_days ?? ''} disabled=${disabled} onInput=${set('valid_days')}/>${err('valid_days')}</div>
    </div>
    <p class="muted small">${t('messages.offerHint')}</p>`}
    <div class="field narrow-field"><label for="c-window">${t('messages.window')}</label>
      <input id="c-window" type="number" min="1" max="90" value=${form.attribution_days} disabled=${disabled}
        onInput=${(e) => change('attribution_days', Number(e.target.value))}/>
      <p class="hint">${t('messages.windowHint')}</p></div>
  </section>`;
}

// save: a function saving unsaved changes first (null when there are none); onChanged(campaign) after a change.
export function SchedulePanel({ campaign, save, onChanged }) {
  const [day, setDay] = useState(campaign.send_on || localDay(1));
  const [error, setError] = useState(null);
  const schedule = async () => {
    setError(null);
    if (save && !(await save())) return;
    try {
      const saved = await post(`/retention/campaigns/${campaign.id}/schedule`, { send_on: day });
      onChanged(saved); toast(t('messages.scheduledOn', { date: date(saved.send_on) }));
    } catch (e) { setError(fieldErrors(e).send_on || fieldErrors(e).wording || e.message); }
  };
  const cancel = async () => {
    const ok = await confirmAction({ title: t('messages.cancelTitle'), message: t('messages.cancelText'), confirm: t('messages.cancelCampaign') });
    if (!ok) return;
    try { onChanged(await post(`/retention/campaigns/${campaign.id}/cancel`)); toast(t('messages.cancelled')); } catch (e) { toastError(e); }
  };
  const { status } = campaign;
  return html`<section class="panel form schedule" aria-labelledby="c-schedule">
    <h2 id="c-schedule">${t('messages.schedule')}</h2>
    ${status === 'scheduled' && html`<p class="status-line" role="status">${t('messages.isScheduled', { date: date(campaign.send_on) })}</p>`}
    ${status === 'planned' && html`<p class="status-line" role="status">${t('messages.isPlanned', { date: date(campaign.send_on), n: campaign.recipients || 0 })}</p>`}
    ${status === 'cancelled' && html`<p class="status-line" role="status">${t('messages.isCancelled')}</p>`}
    ${(status === 'draft' || status === 'scheduled' || (status === 'cancelled' && !campaign.planned_at)) && html`<div class="schedule-row">
      <div class=${'field' + (error ? ' invalid' : '')}><label for="c-day">${t('messages.sendOn')}</label>
        <input id="c-day" type="date" value=${day} min=${localDay(0)} onInput=${(e) => setDay(e.target.value)}
          aria-describedby=${error ? 'c-day-error' : 'c-day-hint'}/>
        ${error ? html`<p class="error" id="c-day-error" role="alert">${error}</p>` : html`<p class="hint" id="c-day-hint">${t('messages.morningHint')}</p>`}</div>
      <button type="button" class="button primary" onClick=${schedule}>${status === 'scheduled' ? t('messages.reschedule') : t('messages.scheduleIt')}</button>
    </div>`}
    ${(status === 'scheduled' || status === 'planned') && html`<div class="form-actions">
      <button type="button" class="button danger-text" onClick=${cancel}>${t('messages.cancelCampaign')}</button></div>`}
  </section>`;
}

const FIGURES = ['recipients', 'delivered', 'opened', 'clicked', 'visited', 'orders'];

export function ResultsPanel({ campaign }) {
  const [results, setResults] = useState(null);
  const gone = campaign.status === 'planned' || (campaign.status === 'cancelled' && campaign.planned_at);
  const load = () => get(`/retention/campaigns/${campaign.id}/results`).then(setResults).catch(toastError);
  useEffect(() => { if (gone) load(); }, [campaign.id, campaign.status]);
  if (!gone) return null;
  return html`<section class="panel results" aria-labelledby="c-results">
    <div class="section-head"><h2 id="c-results">${t('messages.results')}</h2>
      <button type="button" class="button small" onClick=${load}>${t('messages.refresh')}</button></div>
    ${campaign.planned_at && html`<p class="muted small">${t('messages.plannedAt', { when: dateTime(campaign.planned_at) })}</p>`}
    ${!results ? html`<${Spinner}/>` : html`<dl class="figures">
      ${FIGURES.map((key) => html`<div key=${key} data-figure=${key}><dt>${t('messages.figure.' + key)}</dt><dd>${number(results[key])}</dd></div>`)}
      <div data-figure="revenue"><dt>${t('messages.figure.revenue')}</dt><dd>${number(results.revenue / 100, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</dd></div>
    </dl>
    <p class="muted small">${t('messages.windowNote', { n: results.attribution_days })}</p>`}
  </section>`;
}
