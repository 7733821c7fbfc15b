import { useEffect, useState } from 'preact/hooks';
import { get, patch, post, del } from '../api.js';
import { t, LANGUAGES, language, date, ago } from '../i18n.js';
import { html, Field, Icon, fieldErrors, toast, toastError, copyText, confirmAction } from '../ui.js';

const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

export function AccountView({ me, onChange, onLanguage }) {
  const [errors, setErrors] = useState({});
  const save = async (body, form) => {
    setErrors({});
    try {
      const saved = await patch('/me', body);
      onChange(saved); toast(t('account.saved'));
      if (form) form.reset();
      return saved;
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); return null; }
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
  return html`<div class="page narrow">
    <header class="page-head"><h1>${t('account.title')}</h1></header>
    <div class="stack">
    <form class="form panel" onSubmit=${profile}>
      <h2>${t('account.profile')}</h2>
      <p class="muted">${t('account.signedInAs', { email: me.email })}</p>
      <${Field} id="a-studio" label=${t('auth.studioName')} error=${errors.studio_name}>
        <input id="a-studio" name="studio_name" value=${me.studio_name} required/></${Field}>
      <div class="row">
        <${Field} id="a-lang" label=${t('account.language')} hint=${t('account.languageHint')}>
          <select id="a-lang" name="locale" value=${language()}>
            ${Object.entries(LANGUAGES).map(([code, name]) => html`<option value=${code} lang=${code}>${name}</option>`)}</select></${Field}>
        <${Field} id="a-zone" label=${t('account.timezone')} error=${errors.timezone}>
          <select id="a-zone" name="timezone" value=${me.timezone}>${ZONES.map((z) => html`<option value=${z}>${z}</option>`)}</select></${Field}>
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
    <${Tokens}/>
    <form class="form panel" onSubmit=${origins}>
      <h2>${t('account.origins')}</h2>
      <${Field} id="a-origins" label=${t('account.originsLabel')} error=${errors.allowed_origins} hint=${t('account.originsHint')}>
        <textarea id="a-origins" name="origins" rows="3" placeholder="https://www.example.com">${(me.allowed_origins || []).join('\n')}</textarea></${Field}>
      <div class="form-actions"><button type="submit" class="button">${t('common.save')}</button></div>
    </form>
    </div>
  </div>`;
}

function Tokens() {
  const [tokens, setTokens] = useState([]);
  const [issued, setIssued] = useState(null);
  const load = () => get('/auth/tokens').then((r) => setTokens(r.items)).catch(toastError);
  useEffect(() => { load(); }, []);
  const create = async (event) => {
    event.preventDefault();
    const name = event.target.name.value.trim();
    if (!name) return;
    try { const token = await post('/auth/tokens', { name }); setIssued(token.token); event.target.reset(); load(); } catch (e) { toastError(e); }
  };
  const revoke = async (token) => {
    if (!(await confirmAction({ title: t('account.revokeTitle', { name: token.name }), message: t('account.revokeText'), confirm: t('share.revoke') }))) return;
    try { await del(`/auth/tokens/${token.id}`); load(); } catch (e) { toastError(e); }
  };
  const live = tokens.filter((token) => !token.revoked_at);
  return html`<section class="form panel">
    <h2>${t('account.tokens')}</h2>
    <p class="muted">${t('account.tokensText')}</p>
    ${issued && html`<div class="notice" role="status"><p>${t('account.tokenOnce')}<br/><code class="filter">${issued}</code></p>
      <button type="button" class="button small" onClick=${() => copyText(issued)}><${Icon} name="copy"/>${t('share.copy')}</button></div>`}
    ${live.length > 0 && html`<table class="table"><thead><tr><th scope="col">${t('account.tokenName')}</th><th scope="col">${t('account.tokenCreated')}</th>
      <th scope="col">${t('account.tokenUsed')}</th><th scope="col"><span class="visually-hidden">${t('share.actions')}</span></th></tr></thead>
      <tbody>${live.map((token) => html`<tr key=${token.id}><td><strong>${token.name}</strong> <code class="muted">${token.prefix}…</code></td>
        <td>${date(token.created_at)}</td><td>${token.last_used_at ? ago(token.last_used_at) : t('account.never')}</td>
        <td class="actions"><button type="button" class="button small danger-text" onClick=${() => revoke(token)}>${t('share.revoke')}</button></td></tr>`)}</tbody></table>`}
    <form class="set-new" onSubmit=${create}>
      <label class="visually-hidden" for="token-name">${t('account.tokenName')}</label>
      <input id="token-name" name="name" maxlength="100" placeholder=${t('account.tokenPlaceholder')}/>
      <button type="submit" class="button small primary">${t('account.newToken')}</button></form>
  </section>`;
}
