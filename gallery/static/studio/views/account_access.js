// Account: who can get in. The browsers signed in (GET /auth/sessions), one signed out or all the others
// ("sign out everywhere": POST /auth/sessions/revoke), and API tokens with their scopes (shown once, revoked at once).
import { useEffect, useState } from 'preact/hooks';
import { get, post, del } from '../api.js';
import { t, date, dateTime, ago } from '../i18n.js';
import { html, Icon, toast, toastError, copyText, confirmAction } from '../ui.js';

const SCOPES = ['read', 'write', 'account'];

// "Chrome on Linux" from a user agent string (enough to tell one's own browsers apart).
export function device(agent) {
  if (!agent) return t('access.unknownDevice');
  const browser = [[/Edg\//, 'Edge'], [/OPR\//, 'Opera'], [/Firefox\//, 'Firefox'], [/(Headless)?Chrom(e|ium)\//, 'Chrome'],
    [/Safari\//, 'Safari'], [/curl|python|httpx/i, 'Script']].find(([pattern]) => pattern.test(agent));
  const system = [[/iPhone|iPad/, 'iOS'], [/Android/, 'Android'], [/Windows/, 'Windows'], [/Mac OS X|Macintosh/, 'macOS'],
    [/CrOS/, 'ChromeOS'], [/Linux/, 'Linux']].find(([pattern]) => pattern.test(agent));
  if (!browser && !system) return agent.slice(0, 60);
  return t('access.device', { browser: browser ? browser[1] : '?', system: system ? system[1] : '?' });
}

export function Sessions() {
  const [sessions, setSessions] = useState(null);
  const [alsoTokens, setAlsoTokens] = useState(false);
  const load = () => get('/auth/sessions').then((r) => setSessions(r.items)).catch(toastError);
  useEffect(() => { load(); }, []);
  const end = async (row) => {
    try { await del(`/auth/sessions/${row.id}`); toast(t('access.signedOut')); load(); } catch (e) { toastError(e); }
  };
  const everywhere = async () => {
    if (!(await confirmAction({ title: t('access.everywhereTitle'), confirm: t('access.everywhere'),
      message: alsoTokens ? t('access.everywhereTokensText') : t('access.everywhereText') }))) return;
    try {
      const result = await post('/auth/sessions/revoke', { revoke_tokens: alsoTokens });
      toast(t('access.everywhereDone', { n: result.sessions_ended }));
      load();
      if (alsoTokens) window.dispatchEvent(new Event('studio:tokens-changed'));
    } catch (e) { toastError(e); }
  };
  const others = (sessions || []).filter((row) => !row.current).length;
  return html`<section class="form panel" aria-labelledby="sessions-title">
    <h2 id="sessions-title">${t('access.sessions')}</h2>
    <p class="muted">${t('access.sessionsText')}</p>
    ${sessions && html`<table class="table sessions"><thead><tr><th scope="col">${t('access.deviceColumn')}</th>
      <th scope="col">${t('access.signedIn')}</th><th scope="col">${t('access.lastSeen')}</th>
      <th scope="col"><span class="visually-hidden">${t('access.actions')}</span></th></tr></thead>
      <tbody>${sessions.map((row) => html`<tr key=${row.id} data-session=${row.id}>
        <td><strong>${device(row.user_agent)}</strong>${row.current && html` <span class="badge state-published">${t('access.thisBrowser')}</span>`}</td>
        <td>${dateTime(row.created_at)}</td><td>${ago(row.last_seen_at)}</td>
        <td class="actions">${!row.current && html`<button type="button" class="button small danger-text" onClick=${() => end(row)}
          aria-label=${t('access.signOutOne', { device: device(row.user_agent) })}>${t('access.signOut')}</button>`}</td></tr>`)}</tbody></table>`}
    <div class="form-actions">
      <label class="check"><input type="checkbox" id="also-tokens" checked=${alsoTokens} onChange=${(e) => setAlsoTokens(e.target.checked)}/>
        ${t('access.alsoTokens')}</label>
      <button type="button" class="button danger" id="sign-out-everywhere" onClick=${everywhere}
        disabled=${!others && !alsoTokens}><${Icon} name="logout"/>${t('access.everywhere')}</button>
    </div>
  </section>`;
}

export function Tokens() {
  const [tokens, setTokens] = useState([]);
  const [issued, setIssued] = useState(null);
  const [scopes, setScopes] = useState({ read: true, write: true, account: false });
  const load = () => get('/auth/tokens').then((r) => setTokens(r.items)).catch(toastError);
  useEffect(() => {
    load();
    const reload = () => load();
    window.addEventListener('studio:tokens-changed', reload);
    return () => window.removeEventListener('studio:tokens-changed', reload);
  }, []);
  const create = async (event) => {
    event.preventDefault();
    const name = event.target.name.value.trim();
    const chosen = SCOPES.filter((scope) => scopes[scope]);
    if (!name) return;
    if (!chosen.length) { toast(t('access.pickScope'), 'error'); return; }
    try {
      const token = await post('/auth/tokens', { name, scopes: chosen });
      setIssued(token.token); event.target.reset(); load();
    } catch (e) { toastError(e); }
  };
  const revoke = async (token) => {
    if (!(await confirmAction({ title: t('account.revokeTitle', { name: token.name }), message: t('account.revokeText'), confirm: t('share.revoke') }))) return;
    try { await del(`/auth/tokens/${token.id}`); load(); } catch (e) { toastError(e); }
  };
  const live = tokens.filter((token) => !token.revoked_at);
  return html`<section class="form panel" aria-labelledby="tokens-title">
    <h2 id="tokens-title">${t('account.tokens')}</h2>
    <p class="muted">${t('account.tokensText')}</p>
    ${issued && html`<div class="notice" role="status"><p>${t('account.tokenOnce')}<br/><code class="filter">${issued}</code></p>
      <button type="button" class="button small" onClick=${() => copyText(issued)}><${Icon} name="copy"/>${t('share.copy')}</button></div>`}
    ${live.length > 0 && html`<table class="table tokens"><thead><tr><th scope="col">${t('account.tokenName')}</th>
      <th scope="col">${t('access.scopes')}</th><th scope="col">${t('account.tokenCreated')}</th>
      <th scope="col">${t('account.tokenUsed')}</th><th scope="col"><span class="visually-hidden">${t('access.actions')}</span></th></tr></thead>
      <tbody>${live.map((token) => html`<tr key=${token.id}><td><strong>${token.name}</strong> <code class="muted">${token.prefix}…</code></td>
        <td>${token.scopes.map((scope) => html`<span class="badge scope">${t('access.scope.' + scope)}</span> `)}</td>
        <td>${date(token.created_at)}</td><td>${token.last_used_at ? ago(token.last_used_at) : t('account.never')}</td>
        <td class="actions"><button type="button" class="button small danger-text" onClick=${() => revoke(token)}
          aria-label=${t('access.revokeOne', { name: token.name })}>${t('share.revoke')}</button></td></tr>`)}</tbody></table>`}
    <form class="token-new stack" onSubmit=${create}>
      <fieldset class="scopes"><legend>${t('access.scopes')}</legend>
        ${SCOPES.map((scope) => html`<label class="check" key=${scope}><input type="checkbox" name=${'scope-' + scope} id=${'scope-' + scope}
          checked=${scopes[scope]} onChange=${(e) => setScopes({ ...scopes, [scope]: e.target.checked })}/>
          <span><strong>${t('access.scope.' + scope)}</strong> <span class="muted small">${t('access.scopeHint.' + scope)}</span></span></label>`)}
      </fieldset>
      <div class="set-new">
        <label class="visually-hidden" for="token-name">${t('account.tokenName')}</label>
        <input id="token-name" name="name" maxlength="100" placeholder=${t('account.tokenPlaceholder')}/>
        <button type="submit" class="button small primary">${t('account.newToken')}</button></div>
    </form>
  </section>`;
}
