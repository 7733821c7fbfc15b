import { useState } from 'preact/hooks';
import { patch } from '../api.js';
import { t, LANGUAGES, language } from '../i18n.js';
import { html, Field, fieldErrors, toast, toastError } from '../ui.js';
import { Sessions, Tokens } from './account_access.js';

// Chromium's list leaves out UTC (and any zone a browser lacks): the account's own zone is always offered.
const ZONES = ['UTC', ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []).filter((z) => z !== 'UTC')];
const zonesWith = (zone) => (zone && !ZONES.includes(zone) ? [zone, ...ZONES] : ZONES);

export function AccountView({ me, onChange, onLanguage }) {
  const [errors, setErrors] = useState({});
  // The forms are uncontrolled: a successful save draws them anew from what the server kept (origins normalised).
  const [saves, setSaves] = useState(0);
  const save = async (body, form) => {
    setErrors({});
    try {
      const saved = await patch('/me', body);
      onChange(saved); setSaves((n) => n + 1); toast(t('account.saved'));
      if (form) form.reset();
      return saved;
    } catch (e) {
      const found = {};  // a list's errors come as allowed_origins.<index>: shown on the one field
      for (const [name, message] of Object.entries(fieldErrors(e))) {
        const field = name.split('.')[0];
        found[field] = found[field] ? found[field] + ' ' + message : message;
      }
      setErrors(found); toastError(e); return null;
    }
  };
  const profile = async (event) => {
    event.preventDefault();
    const f = Object.fromEntries(new FormData(event.target));
    if (await save({ studio_name: f.studio_name, locale: f.locale, timezone: f.timezone })) await onLanguage(f.locale);
  };
  const password = async (event) => {
    event.preventDefault();
    const f = Object.fromEntries(new FormData(event.target));
    if (f.password !== f.password2) { setErrors({ password2: t('account.passwordMismatch') }); return; }
    save({ password: f.password, current_password: f.current_password }, event.target);
  };
  const origins = (event) => {
    event.preventDefault();
    const list = event.target.origins.value.split(/\s+/).map((s) => s.trim()).filter(Boolean);
    save({ allowed_origins: list });
  };
  return html`<div class="page narrow account">
    <header class="page-head"><h1>${t('account.title')}</h1></header>
    <div class="stack">
    <form class="form panel" onSubmit=${profile} key=${'profile-' + saves}>
      <h2>${t('account.profile')}</h2>
      <p class="muted">${t('account.signedInAs', { email: me.email })}</p>
      <${Field} id="a-studio" label=${t('auth.studioName')} error=${errors.studio_name}>
        <input id="a-studio" name="studio_name" defaultValue=${me.studio_name} required/></${Field}>
      <div class="row">
        <${Field} id="a-lang" label=${t('account.language')} hint=${t('account.languageHint')}>
          <select id="a-lang" name="locale">
            ${Object.entries(LANGUAGES).map(([code, name]) => html`<option value=${code} lang=${code} selected=${code === language()}>${name}</option>`)}</select></${Field}>
        <${Field} id="a-zone" label=${t('account.timezone')} error=${errors.timezone}>
          <select id="a-zone" name="timezone">${zonesWith(me.timezone).map((z) => html`<option value=${z} selected=${z === me.timezone}>${z}</option>`)}</select></${Field}>
      </div>
      <div class="form-actions"><button type="submit" class="button primary">${t('common.save')}</button></div>
    </form>
    <form class="form panel" onSubmit=${password}>
      <h2>${t('account.password')}</h2>
      <div class="row">
        <${Field} id="a-pw0" label=${t('account.currentPassword')} error=${errors.current_password}>
          <input id="a-pw0" name="current_password" type="password" required autocomplete="current-password"/></${Field}>
        <${Field} id="a-pw" label=${t('account.newPassword')} error=${errors.password} hint=${t('auth.passwordHint')}>
          <input id="a-pw" name="password" type="password" minlength="10" required autocomplete="new-password"/></${Field}>
        <${Field} id="a-pw2" label=${t('account.repeatPassword')} error=${errors.password2}>
          <input id="a-pw2" name="password2" type="password" required autocomplete="new-password"/></${Field}>
      </div>
      <div class="form-actions"><button type="submit" class="button">${t('account.changePassword')}</button></div>
    </form>
    <${Sessions}/>
    <${Tokens}/>
    <form class="form panel" onSubmit=${origins} key=${'origins-' + saves}>
      <h2>${t('account.origins')}</h2>
      <${Field} id="a-origins" label=${t('account.originsLabel')} error=${errors.allowed_origins} hint=${t('account.originsHint')}>
        <textarea id="a-origins" name="origins" rows="3" placeholder="https://www.example.com"
          defaultValue=${(me.allowed_origins || []).join('\n')}></textarea></${Field}>
      <div class="form-actions"><button type="submit" class="button">${t('common.save')}</button></div>
    </form>
    </div>
  </div>`;
}
