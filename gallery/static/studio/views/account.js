import { useState } from 'preact/hooks';
import { patch } from '../api.js';
import { t, LANGUAGES, language } from '../i18n.js';
import { html, Field, fieldErrors, toast, toastError } from '../ui.js';

export function AccountView({ me, onChange, onLanguage }) {
  const [errors, setErrors] = useState({});
  const submit = async (event) => {
    event.preventDefault();
    const f = Object.fromEntries(new FormData(event.target));
    try {
      const saved = await patch('/me', { studio_name: f.studio_name, locale: f.locale });
      onChange(saved); await onLanguage(f.locale); toast(t('account.saved'));
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); }
  };
  return html`<div class="page narrow">
    <header class="page-head"><h1>${t('account.title')}</h1></header>
    <form class="form panel" onSubmit=${submit}>
      <p class="muted">${t('account.signedInAs', { email: me.email })}</p>
      <${Field} id="a-studio" label=${t('auth.studioName')} error=${errors.studio_name}>
        <input id="a-studio" name="studio_name" value=${me.studio_name} required/></${Field}>
      <${Field} id="a-lang" label=${t('account.language')} hint=${t('account.languageHint')}>
        <select id="a-lang" name="locale" value=${language()}>
          ${Object.entries(LANGUAGES).map(([code, name]) => html`<option value=${code} lang=${code}>${name}</option>`)}</select></${Field}>
      <div class="form-actions"><button type="submit" class="button primary">${t('common.save')}</button></div>
    </form>
  </div>`;
}
