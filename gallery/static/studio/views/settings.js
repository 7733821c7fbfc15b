import { useEffect, useState } from 'preact/hooks';
import { get, post, patch, del } from '../api.js';
import { t } from '../i18n.js';
import { html, Field, fieldErrors, toast, toastError, confirmAction, Spinner } from '../ui.js';

export const EVENT_TYPES = ['wedding', 'engagement', 'newborn', 'maternity', 'family', 'portrait', 'event', 'commercial', 'other'];
const SIZES = ['none', 'web', 'full'];

// A client picked from the list or created inline; onChange gets {resolve(): Promise<id|null>}.
export function ClientPicker({ value, onChange, errors = {} }) {
  const [clients, setClients] = useState([]);
  const [choice, setChoice] = useState(value || '');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  useEffect(() => { get('/clients?limit=200').then((page) => setClients(page.items)).catch(toastError); }, []);
  useEffect(() => {
    onChange({ resolve: async () => {
      if (choice !== '__new') return choice || null;
      const client = await post('/clients', { name, ...(email ? { email } : {}) });
      return client.id;
    } });
  }, [choice, name, email]);
  return html`<div class="client-picker">
    <${Field} id="client" label=${t('settings.client')} error=${errors.client_id}>
      <select id="client" value=${choice} onChange=${(e) => setChoice(e.target.value)}>
        <option value="">${t('settings.noClient')}</option>
        ${clients.map((c) => html`<option value=${c.id}>${c.name}${c.email ? ` (${c.email})` : ''}</option>`)}
        <option value="__new">${t('settings.newClient')}</option>
      </select></${Field}>
    ${choice === '__new' && html`<div class="row inset">
      <${Field} id="client-name" label=${t('settings.clientName')} error=${errors.name}>
        <input id="client-name" value=${name} onInput=${(e) => setName(e.target.value)} required/></${Field}>
      <${Field} id="client-email" label=${t('settings.clientEmail')} error=${errors.email}>
        <input id="client-email" type="email" value=${email} onInput=${(e) => setEmail(e.target.value)}/></${Field}>
    </div>`}
  </div>`;
}

// A datetime-local field's value and back; the form's fields are uncontrolled (defaultValue, defaultChecked,
// selected options), so a re-render while the photographer types (the price sheets arriving) keeps what they typed.
export const toLocal = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
export const fromLocal = (value) => (value ? new Date(value).toISOString() : null);

export function SettingsTab({ gallery, onSaved, onDeleted }) {
  const [client, setClient] = useState(null);
  const [sheets, setSheets] = useState(null);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  useEffect(() => { get('/price-sheets?limit=200').then((p) => setSheets(p.items)).catch(() => setSheets([])); }, []);

  const submit = async (event) => {
    event.preventDefault();
    const f = Object.fromEntries(new FormData(event.target));
    const body = {
      title: f.title, description: f.description || null, event_type: f.event_type, shoot_date: f.shoot_date || null,
      expires_at: fromLocal(f.expires_at), selection_limit: f.selection_limit ? Number(f.selection_limit) : null,
      download_policy: { client: f.download_client, guest: f.download_guest }, watermark: !!f.watermark,
      download_limit: f.download_limit ? Number(f.download_limit) : null, price_sheet_id: f.price_sheet_id || null,
    };
    if (f.slug && f.slug !== gallery.slug) body.slug = f.slug;
    if (f.remove_password) body.password = null; else if (f.password) body.password = f.password;
    if (f.remove_pin) body.download_pin = null; else if (f.download_pin) body.download_pin = f.download_pin;
    setBusy(true); setErrors({});
    try {
      body.client_id = client ? await client.resolve() : gallery.client_id;
      const saved = await patch(`/galleries/${gallery.id}`, body);
      toast(t('settings.saved')); onSaved(saved); event.target.password.value = ''; event.target.download_pin.value = '';
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); } finally { setBusy(false); }
  };

  const remove = async () => {
    const ok = await confirmAction({ title: t('settings.deleteTitle'), message: t('settings.deleteText', { title: gallery.title }),
      confirm: t('settings.delete') });
    if (!ok) return;
    try { await del(`/galleries/${gallery.id}`); toast(t('settings.deleted')); onDeleted(); } catch (e) { toastError(e); }
  };

  const dp = gallery.download_policy || {};
  return html`<form class="form settings" onSubmit=${submit} key=${gallery.updated_at}>
    <section class="panel"><h2>${t('settings.general')}</h2>
      <${Field} id="s-title" label=${t('settings.title')} error=${errors.title}>
        <input id="s-title" name="title" defaultValue=${gallery.title} required maxlength="200"/></${Field}>
      <${Field} id="s-description" label=${t('settings.description')} error=${errors.description}>
        <textarea id="s-description" name="description" rows="3" maxlength="5000">${gallery.description || ''}</textarea></${Field}>
      <${ClientPicker} value=${gallery.client_id} onChange=${setClient} errors=${errors}/>
      <div class="row">
        <${Field} id="s-event" label=${t('settings.eventType')}>
          <select id="s-event" name="event_type">${EVENT_TYPES.map((e) => html`<option value=${e} selected=${e === gallery.event_type}>${t('event.' + e)}</option>`)}</select></${Field}>
        <${Field} id="s-date" label=${t('settings.shootDate')} error=${errors.shoot_date}>
          <input id="s-date" name="shoot_date" type="date" defaultValue=${gallery.shoot_date || ''}/></${Field}>
      </div>
      <${Field} id="s-slug" label=${t('settings.slug')} error=${errors.slug} hint=${t('settings.slugHint')}>
        <input id="s-slug" name="slug" defaultValue=${gallery.slug} pattern="[a-z0-9]+(-[a-z0-9]+)*"/></${Field}>
    </section>
    <section class="panel"><h2>${t('settings.access')}</h2>
      <div class="row">
        <${Field} id="s-expires" label=${t('settings.expires')} error=${errors.expires_at} hint=${t('settings.expiresHint')}>
          <input id="s-expires" name="expires_at" type="datetime-local" defaultValue=${toLocal(gallery.expires_at)}/></${Field}>
        <${Field} id="s-password" label=${gallery.has_password ? t('settings.passwordChange') : t('settings.password')} error=${errors.password}>
          <input id="s-password" name="password" type="password" autocomplete="new-password" minlength="4"/></${Field}>
      </div>
      ${gallery.has_password && html`<label class="check"><input type="checkbox" name="remove_password"/> ${t('settings.passwordRemove')}</label>`}
    </section>
    <section class="panel"><h2>${t('settings.proofing')}</h2>
      <${Field} id="s-limit" label=${t('settings.selectionLimit')} error=${errors.selection_limit} hint=${t('settings.selectionLimitHint')}>
        <input id="s-limit" name="selection_limit" type="number" min="1" max="100000" defaultValue=${gallery.selection_limit || ''}/></${Field}>
    </section>
    <section class="panel"><h2>${t('settings.downloads')}</h2>
      <div class="row">
        <${Field} id="s-dl-client" label=${t('settings.downloadClient')}>
          <select id="s-dl-client" name="download_client">${SIZES.map((s) => html`<option value=${s} selected=${s === (dp.client || 'full')}>${t('size.' + s)}</option>`)}</select></${Field}>
        <${Field} id="s-dl-guest" label=${t('settings.downloadGuest')}>
          <select id="s-dl-guest" name="download_guest">${SIZES.map((s) => html`<option value=${s} selected=${s === (dp.guest || 'web')}>${t('size.' + s)}</option>`)}</select></${Field}>
      </div>
      <div class="row">
        <${Field} id="s-pin" label=${gallery.has_download_pin ? t('settings.pinChange') : t('settings.pin')} error=${errors.download_pin} hint=${t('settings.pinHint')}>
          <input id="s-pin" name="download_pin" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off"/></${Field}>
        <${Field} id="s-dl-limit" label=${t('settings.downloadLimit')} error=${errors.download_limit}>
          <input id="s-dl-limit" name="download_limit" type="number" min="1" defaultValue=${gallery.download_limit || ''}/></${Field}>
      </div>
      ${gallery.has_download_pin && html`<label class="check"><input type="checkbox" name="remove_pin"/> ${t('settings.pinRemove')}</label>`}
      <label class="check"><input type="checkbox" name="watermark" defaultChecked=${gallery.watermark}/> ${t('settings.watermark')}</label>
    </section>
    <section class="panel"><h2>${t('settings.store')}</h2>
      ${sheets === null ? html`<${Spinner}/>` : html`<${Field} id="s-sheet" label=${t('settings.priceSheet')} error=${errors.price_sheet_id}>
        <select id="s-sheet" name="price_sheet_id">
          <option value="" selected=${!gallery.price_sheet_id}>${t('settings.noStore')}</option>
          ${sheets.map((s) => html`<option value=${s.id} selected=${s.id === gallery.price_sheet_id}>${s.name}</option>`)}</select></${Field}>`}
    </section>
    <div class="form-actions sticky">
      <button type="button" class="button danger-text" onClick=${remove}>${t('settings.delete')}</button>
      <span class="grow"></span>
      <button type="submit" class="button primary" disabled=${busy}>${t('common.save')}</button>
    </div>
  </form>`;
}
