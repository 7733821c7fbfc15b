// Create or edit a client: contact, language and time zone, tags, private notes, important dates, and
// marketing consent (never ticked for the photographer; granting asks how it was given, the server records
// when; withdrawing is recorded too).
import { useState } from 'preact/hooks';
import { post, patch } from '../api.js';
import { t, LANGUAGES, language, dateTime } from '../i18n.js';
import { html, Dialog, Field, Icon, fieldErrors, toast, toastError } from '../ui.js';

const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
export const DATE_KINDS = ['wedding', 'birthday', 'child_birth', 'anniversary', 'other'];
const guessZone = () => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; } };

export function ClientDialog({ client, me, onClose, onSaved }) {
  const editing = Boolean(client);
  const [f, setF] = useState(() => ({
    name: client ? client.name : '', email: (client && client.email) || '', phone: (client && client.phone) || '',
    // A new client speaks the studio's language and lives in its time zone (what most clients do).
    locale: client ? client.locale : (me && me.locale) || language(), timezone: client ? client.timezone : (me && me.timezone) || guessZone(),
    tags: ((client && client.tags) || []).join(', '), notes: (client && client.notes) || '', consent_source: '' }));
  const bind = (name) => ({ name, value: f[name], onInput: (e) => setF((old) => ({ ...old, [name]: e.target.value })) });
  const [dates, setDates] = useState((client && client.important_dates) || []);
  const [consent, setConsent] = useState(Boolean(client && client.marketing_consent));
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const zones = ZONES.includes('UTC') ? ZONES : ['UTC', ...ZONES];
  const locales = { ...LANGUAGES, ...(f.locale && !LANGUAGES[f.locale] ? { [f.locale]: f.locale } : {}) };

  const submit = async (event) => {
    event.preventDefault();
    const body = {
      name: f.name.trim(), email: f.email.trim() || null, phone: f.phone.trim() || null, locale: f.locale,
      timezone: f.timezone, notes: f.notes.trim() || null,
      tags: [...new Set(f.tags.split(',').map((tag) => tag.trim()).filter(Boolean))],
      important_dates: dates.filter((d) => d.date).map((d) => ({ kind: d.kind, date: d.date, label: d.label || null })),
    };
    if (!editing || consent !== client.marketing_consent) {
      body.marketing_consent = consent;
      if (consent) body.consent_source = (f.consent_source || '').trim();
    }
    if (consent && body.consent_source === '') { setErrors({ consent_source: t('clients.form.sourceNeeded') }); return; }
    setBusy(true); setErrors({});
    try {
      const saved = editing ? await patch(`/clients/${client.id}`, body) : await post('/clients', body);
      toast(t('clients.form.saved'));
      onSaved(saved);
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); } finally { setBusy(false); }
  };
  const setDate = (index, changes) => setDates(dates.map((d, i) => (i === index ? { ...d, ...changes } : d)));

  return html`<${Dialog} wide title=${editing ? t('clients.form.editTitle', { name: client.name }) : t('clients.new')} onClose=${onClose}>
    <form class="form client-form" onSubmit=${submit} novalidate>
      <div class="row">
        <${Field} id="c-name" label=${t('clients.form.name')} error=${errors.name}>
          <input id="c-name" ...${bind('name')} required maxlength="200" autofocus/></${Field}>
        <${Field} id="c-email" label=${t('clients.form.email')} error=${errors.email}>
          <input id="c-email" ...${bind('email')} type="email" maxlength="254"/></${Field}>
      </div>
      <div class="row three">
        <${Field} id="c-phone" label=${t('clients.form.phone')} error=${errors.phone}>
          <input id="c-phone" ...${bind('phone')} type="tel" maxlength="40"/></${Field}>
        <${Field} id="c-locale" label=${t('clients.form.language')} error=${errors.locale}>
          <select id="c-locale" ...${bind('locale')} onChange=${bind('locale').onInput}>
            ${Object.entries(locales).map(([code, name]) => html`<option value=${code}>${name}</option>`)}</select></${Field}>
        <${Field} id="c-zone" label=${t('clients.form.timezone')} error=${errors.timezone}>
          <select id="c-zone" ...${bind('timezone')} onChange=${bind('timezone').onInput}>
            ${zones.map((z) => html`<option value=${z}>${z}</option>`)}</select></${Field}>
      </div>
      <${Field} id="c-tags" label=${t('clients.form.tags')} hint=${t('clients.form.tagsHint')} error=${errors.tags}>
        <input id="c-tags" ...${bind('tags')}/></${Field}>
      <fieldset class="client-dates">
        <legend>${t('clients.form.dates')}</legend>
        ${dates.length === 0 && html`<p class="muted">${t('clients.form.noDates')}</p>`}
        ${dates.map((d, i) => html`<div class="date-row" key=${i}>
          <label class="visually-hidden" for=${'d-kind-' + i}>${t('clients.form.dateKind')}</label>
          <select id=${'d-kind-' + i} value=${d.kind} onChange=${(e) => setDate(i, { kind: e.target.value })}>
            ${DATE_KINDS.map((k) => html`<option value=${k}>${t('clients.date.' + k)}</option>`)}</select>
          <label class="visually-hidden" for=${'d-date-' + i}>${t('clients.form.date')}</label>
          <input id=${'d-date-' + i} type="date" value=${d.date} onInput=${(e) => setDate(i, { date: e.target.value })} required/>
          <label class="visually-hidden" for=${'d-label-' + i}>${t('clients.form.dateLabel')}</label>
          <input id=${'d-label-' + i} maxlength="200" placeholder=${t('clients.form.dateLabel')} value=${d.label || ''}
            onInput=${(e) => setDate(i, { label: e.target.value })}/>
          <button type="button" class="icon-button" aria-label=${t('clients.form.removeDate')}
            onClick=${() => setDates(dates.filter((_, j) => j !== i))}><${Icon} name="x"/></button>
        </div>`)}
        ${errors.important_dates && html`<p class="error" role="alert">${errors.important_dates}</p>`}
        <button type="button" class="button small" onClick=${() => setDates([...dates, { kind: 'wedding', date: '', label: '' }])}>
          <${Icon} name="plus"/>${t('clients.form.addDate')}</button>
      </fieldset>
      <fieldset class="client-consent">
        <legend>${t('clients.form.consent')}</legend>
        <label class="check"><input type="checkbox" id="c-consent" checked=${consent} onChange=${(e) => setConsent(e.target.checked)}/>
          ${t('clients.form.consentLabel')}</label>
        <${ConsentRecord} client=${client}/>
        ${consent && (!editing || !client.marketing_consent) && html`<${Field} id="c-source" label=${t('clients.form.source')}
            hint=${t('clients.form.sourceHint')} error=${errors.consent_source}>
          <input id="c-source" ...${bind('consent_source')} maxlength="200" required/></${Field}>`}
        ${editing && client.marketing_consent && !consent && html`<p class="notice" role="status">${t('clients.form.withdrawNote')}</p>`}
      </fieldset>
      <${Field} id="c-notes" label=${t('clients.form.notes')} hint=${t('clients.form.notesHint')} error=${errors.notes}>
        <textarea id="c-notes" ...${bind('notes')} rows="3" maxlength="5000"></textarea></${Field}>
      <div class="form-actions"><button type="button" class="button" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="button primary" disabled=${busy}>${editing ? t('common.save') : t('clients.form.create')}</button></div>
    </form>
  </${Dialog}>`;
}

export function ConsentRecord({ client }) {
  if (!client) return null;
  if (client.marketing_consent) {
    return html`<p class="muted consent-record">${t('clients.consentGiven', { date: dateTime(client.consent_given_at), source: client.consent_source || '' })}</p>`;
  }
  if (client.consent_withdrawn_at) {
    return html`<p class="muted consent-record">${t('clients.consentWithdrawn', { date: dateTime(client.consent_withdrawn_at) })}</p>`;
  }
  return html`<p class="muted consent-record">${t('clients.consentNever')}</p>`;
}

