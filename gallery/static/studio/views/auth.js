import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { t, LANGUAGES, language } from '../i18n.js';
import { html, Field, fieldErrors } from '../ui.js';

export function AuthView({ mode, onSignedIn, onLanguage }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [errors, setErrors] = useState({});
  const signup = mode === 'signup';

  const submit = async (event) => {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.target));
    setBusy(true); setError(null); setErrors({});
    try {
      const body = signup
        ? { email: form.email, password: form.password, studio_name: form.studio_name, locale: language(),
            timezone: Intl.DateTimeFormat().resolvedOptions().timeZone }
        : { email: form.email, password: form.password };
      onSignedIn(await post(signup ? '/auth/signup' : '/auth/login', body));
    } catch (e) {
      setError(e.status === 401 ? t('auth.wrong') : e.message); setErrors(fieldErrors(e));
    } finally { setBusy(false); }
  };

  return html`<div class="auth">
    <div class="auth-card">
      <div class="auth-lang">
        <label for="auth-language" class="visually-hidden">${t('account.language')}</label>
        <select id="auth-language" value=${language()} onChange=${(e) => onLanguage(e.target.value)}>
          ${Object.entries(LANGUAGES).map(([code, name]) => html`<option value=${code} lang=${code}>${name}</option>`)}
        </select>
      </div>
      <h1>${signup ? t('auth.signupTitle') : t('auth.loginTitle')}</h1>
      <p class="muted">${signup ? t('auth.signupLead') : t('auth.loginLead')}</p>
      <form onSubmit=${submit} novalidate>
        ${signup && html`<${Field} id="studio_name" label=${t('auth.studioName')} error=${errors.studio_name}>
          <input id="studio_name" name="studio_name" required autocomplete="organization"/></${Field}>`}
        <${Field} id="email" label=${t('auth.email')} error=${errors.email}>
          <input id="email" name="email" type="email" required autocomplete="email"/></${Field}>
        <${Field} id="password" label=${t('auth.password')} error=${errors.password}
          hint=${signup ? t('auth.passwordHint') : null}>
          <input id="password" name="password" type="password" required minlength=${signup ? 10 : undefined}
            autocomplete=${signup ? 'new-password' : 'current-password'}/></${Field}>
        ${error && html`<p class="form-error" role="alert">${error}</p>`}
        <button class="button primary block" type="submit" disabled=${busy}>
          ${signup ? t('auth.signup') : t('auth.login')}</button>
      </form>
      <p class="auth-switch">${signup
        ? html`${t('auth.haveAccount')} <a href="#/login">${t('auth.login')}</a>`
        : html`${t('auth.noAccount')} <a href="#/signup">${t('auth.signup')}</a>`}</p>
    </div>
  </div>`;
}
